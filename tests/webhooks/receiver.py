#!/usr/bin/env python3
"""A webhook receiver for Hearth's tests, on loopback.

It verifies every delivery with the official Standard Webhooks library
(`standardwebhooks`), not with Hearth's code, and records what it got.
Started by the tests (tests/api/webhooks.rs); prints its port on the first
line of stdout, then serves until killed.

  POST /_config   {"secrets": ["whsec_…", …], "fail_first": N}
                  the secrets to verify with, and how many deliveries to
                  answer 500 before answering 204
  GET  /_received the deliveries so far, in arrival order:
                  {webhook_id, timestamp, signature, verified_with (indexes
                  of the secrets that verify it), body, arrived_at, answered}
  POST anything else: a delivery
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

lock = threading.Lock()
state = {"secrets": [], "fail_first": 0, "received": []}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path != "/_received":
            return self.reply(404)
        with lock:
            return self.reply(200, state["received"])

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        if self.path == "/_config":
            config = json.loads(body)
            with lock:
                state["secrets"] = config.get("secrets", [])
                state["fail_first"] = config.get("fail_first", 0)
            return self.reply(204)
        headers = {k.lower(): v for k, v in self.headers.items()}
        with lock:
            secrets = list(state["secrets"])
        verified_with = []
        for index, secret in enumerate(secrets):
            try:
                Webhook(secret).verify(body, headers)
                verified_with.append(index)
            except WebhookVerificationError:
                pass
        with lock:
            failing = state["fail_first"] > 0
            if failing:
                state["fail_first"] -= 1
            answered = 500 if failing else 204
            state["received"].append(
                {
                    "path": self.path,
                    "webhook_id": headers.get("webhook-id"),
                    "timestamp": headers.get("webhook-timestamp"),
                    "signature": headers.get("webhook-signature"),
                    "verified_with": verified_with,
                    "body": body.decode("utf-8", "replace"),
                    "arrived_at": time.time(),
                    "answered": answered,
                }
            )
        self.reply(answered)


class Server(ThreadingHTTPServer):
    # Hearth sends a batch at once from each instance; the default backlog
    # of 5 would leave connections waiting for SYN retries.
    request_queue_size = 256
    daemon_threads = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
