#!/usr/bin/env bash
# CI check for the TypeScript client (see README.md):
#   1. npm ci (pinned versions from package-lock.json);
#   2. regenerates src/schema.d.ts from openapi/openapi.json and fails if the
#      committed file differs (stale client);
#   3. tsc --strict --noEmit;
#   4. compiles src/smoke.ts to dist/ and runs it against a live server.
# Env: HEARTH_BASE_URL (server root, e.g. http://127.0.0.1:8080), HEARTH_TENANT,
#      HEARTH_EMAIL, HEARTH_PASSWORD (a member account).
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)
step() { printf '\n-- client/typescript: %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

missing=()
for var in HEARTH_BASE_URL HEARTH_TENANT HEARTH_EMAIL HEARTH_PASSWORD; do
    [ -n "${!var:-}" ] || missing+=("$var")
done
if ((${#missing[@]})); then
    echo "clients/typescript/check.sh: set ${missing[*]}" >&2
    exit 2
fi

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error

step "regenerate src/schema.d.ts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npx --no-install openapi-typescript ../../openapi/openapi.json --output "$tmp/schema.d.ts"
if ! cmp -s "$tmp/schema.d.ts" src/schema.d.ts; then
    diff -u src/schema.d.ts "$tmp/schema.d.ts" | head -n 40 || true
    echo
    echo "FAIL: clients/typescript/src/schema.d.ts is stale (it does not match openapi/openapi.json)."
    echo "Regenerate it and commit the result:"
    echo "    cd clients/typescript && npm ci && npm run generate"
    exit 1
fi
echo "src/schema.d.ts is up to date"

step "tsc --strict --noEmit"
npx --no-install tsc --strict --noEmit -p tsconfig.json

step "smoke test against $HEARTH_BASE_URL"
rm -rf dist
npx --no-install tsc -p tsconfig.json
node dist/smoke.js

step "done"
