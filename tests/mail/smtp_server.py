#!/usr/bin/env python3
"""An SMTP server for Hearth's tests, on loopback (aiosmtpd).

Started by the tests (tests/api/mail.rs) as `smtp_server.py [PORT]`; port 0
or none picks a free one. Prints `PORT <n>` on the first line of stdout,
then one JSON line per message accepted:

  {"mail_from", "rcpt_tos", "message_id", "subject", "text", "html",
   "content_type"}

and serves until killed. A test stops it to play an SMTP server that is
down, and starts it again on the same port.
"""

import email
import email.policy
import json
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Recorder:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        print(
            json.dumps(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "message_id": message["Message-ID"],
                    "subject": message["Subject"],
                    "from": message["From"],
                    "to": message["To"],
                    "content_type": message.get_content_type(),
                    "text": text.get_content() if text else None,
                    "html": html.get_content() if html else None,
                }
            ),
            flush=True,
        )
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    port = port or free_port()
    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
