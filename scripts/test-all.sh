#!/usr/bin/env bash
# The one command that runs every suite of the repo (README: "npm test"), from a fresh clone on a fresh
# Debian machine: it installs what is missing (redis-server and chromium through apt-get, npm packages
# from the lockfile), type-checks, builds the libraries and the demo, then runs the unit and integration
# suites (Vitest, against real Redis servers it starts itself) and the Playwright e2e suite (Debian Chromium
# against the built demo server). It also packs both libraries with `npm pack`, installs the tarballs into
# examples/analog-app (a standard Analog app, the README's "Use it in your Analog app"), builds it with no secret
# in the environment, and runs its Playwright suite (built server on Redis, and the dev server). The same tarball goes
# into the consumer apps (examples/h3-app, h3-v1-app, nitro-app, nitro-app-3.0.0: scripts/consumer-apps.mjs), whose
# built servers examples/consumers/ drives over HTTP.
# Set SKIP_E2E=1 to stop after Vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p tmp
rm -f tmp/vitest-results.json tmp/consumers-results.json tmp/e2e-results.json tmp/example-e2e-results.json
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# After a failed Playwright run: what each failed test's page showed (its ARIA snapshot and URL), since CI keeps
# only this output and not test-results/.
page_snapshots() {
  local file
  for file in "$1"/*/error-context.md; do
    [ -f "$file" ] || continue
    printf '\n--- %s\n' "$file"
    head -c 6000 "$file"
  done
}
started=$SECONDS

step "system packages"
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${missing[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "redis-server: $(redis-server --version | cut -d' ' -f3)  chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"

step "npm packages (lockfile)"
if [ -n "${CI:-}" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date with package-lock.json"
fi

step "format (Prettier), type-check, import rules"
npm run format:check
npm run typecheck
npm run check:imports

step "build libraries"
npm run build:session
npm run build:session-angular

step "pack the libraries, install the tarballs into examples/"
node scripts/pack-packages.mjs
node scripts/pack-example.mjs
npx tsc -p examples/analog-app/tsconfig.app.json --noEmit

step "unit and integration tests (Vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-results.json

# A failure here is reported in the summary but does not stop the later suites: each leg is its own signal.
step "consumer apps: npm ci + the tarball + build (h3 v2, h3 v1, Nitro 3 beta, nitro@3.0.0; in parallel)"
consumers_started=$SECONDS
consumers_ok=1
node scripts/consumer-apps.mjs || consumers_ok=0
echo "consumer apps install and build: $((SECONDS - consumers_started)) s"
step "consumer apps: drivers (built servers on Redis, over HTTP)"
consumers_started=$SECONDS
npx vitest run -c examples/consumers/vitest.config.mts --reporter=default --reporter=json \
  --outputFile.json="$PWD/tmp/consumers-results.json" || consumers_ok=0
echo "consumer app drivers: $((SECONDS - consumers_started)) s"

if [ -z "${SKIP_E2E:-}" ]; then
  step "build demo"
  npm run build:demo
  step "e2e tests (Playwright, Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/tmp/e2e-results.json" npx playwright test -c e2e/playwright.config.ts --reporter=list,json ||
    { page_snapshots test-results; exit 1; }
  step "build examples/analog-app (vite build, no SESSION_SECRET or REDIS_URL in the environment)"
  build_started=$SECONDS
  env -u SESSION_SECRET -u REDIS_URL node scripts/vite-build-aot.mjs example
  echo "examples/analog-app vite build: $((SECONDS - build_started)) s"
  step "examples/analog-app e2e (built server on Redis, dev server; Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/tmp/example-e2e-results.json" \
    npx playwright test -c examples/analog-app-e2e/playwright.config.ts --reporter=list,json ||
    { page_snapshots test-results/analog-app-e2e; exit 1; }
fi

step "summary"
reports=(tmp/vitest-results.json)
[ -f tmp/consumers-results.json ] && reports+=(tmp/consumers-results.json)
[ -n "${SKIP_E2E:-}" ] || reports+=(tmp/e2e-results.json tmp/example-e2e-results.json)
summary_ok=1
node scripts/test-summary.mjs "${reports[@]}" || summary_ok=0
echo "total time: $((SECONDS - started)) s"
[ "$consumers_ok" -eq 1 ] || echo "consumer apps failed (see the two consumer steps above)"
[ "$summary_ok" -eq 1 ] && [ "$consumers_ok" -eq 1 ]
