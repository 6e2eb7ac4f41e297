#!/usr/bin/env bash
# Browser checks (see browser-check.mjs): Swagger UI at /docs/ renders (screenshot
# in target/browser/docs.png), and CORS from a real browser: a page on
# http://localhost:$ALLOWED_ORIGIN_PORT can call the API, one on
# http://localhost:$REFUSED_ORIGIN_PORT is blocked.
# The server under test must run with
#   HEARTH_HTTP__CORS_ORIGINS=http://localhost:$ALLOWED_ORIGIN_PORT
# Env: HEARTH_BASE_URL, HEARTH_TENANT, HEARTH_EMAIL, HEARTH_PASSWORD (a member),
#      ALLOWED_ORIGIN_PORT, REFUSED_ORIGIN_PORT; optional CHROMIUM_PATH.
# Needs Debian's chromium (apt-get install -y chromium); installs nothing but
# the pinned npm packages (npm ci).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
for var in HEARTH_BASE_URL HEARTH_TENANT HEARTH_EMAIL HEARTH_PASSWORD ALLOWED_ORIGIN_PORT REFUSED_ORIGIN_PORT; do
    [ -n "${!var:-}" ] || missing+=("$var")
done
if ((${#missing[@]})); then
    echo "tests/browser/check.sh: set ${missing[*]}" >&2
    exit 2
fi
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
    echo "FAIL: $chromium_path not found; install it with: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi

npm ci --no-audit --no-fund --loglevel=error
# The script stops itself after 110 s; timeout(1) is a second guard.
timeout --kill-after=5 120 node browser-check.mjs
