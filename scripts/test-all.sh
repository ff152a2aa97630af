#!/usr/bin/env bash
# The one command that runs every suite of the repo (README: "npm test"), from a fresh clone on a fresh
# Debian machine: it installs what is missing (redis-server, postgresql, mariadb-server and chromium through apt-get, npm packages
# from the lockfile), type-checks, builds the libraries and the demo, then runs the unit and integration
# suites (Vitest, against real Redis servers it starts itself) and the Playwright e2e suite (Debian Chromium
# against the built demo server). It also packs both libraries with `npm pack` and installs the tarballs the way a
# user would (each app's lockfile with `npm ci`, then a plain `npm install` of the tarballs: scripts/consumer-apps.mjs)
# into the consumer apps: examples/h3-app, h3-v1-app, nitro-app, nitro-app-3.0.0, whose built servers
# examples/consumers/ drives over HTTP; examples/analog-app (a standard Analog app on Angular 21, the README's "Use it
# in your Analog app"), built with no secret in the environment, whose Playwright suite drives the built server (on
# Redis) and the dev server; and its twin on Angular 22, examples/analog-app-angular-22, which is installed, built
# and driven under Node 24 from the npm registry (tools/node24, scripts/node.sh 24); and examples/nuxt-app (Nuxt 4,
# docs/nuxt.md), installed, built and driven over HTTP under Node 22 (tools/node22, scripts/node.sh 22).
# Other runtimes, pinned in tools/runtimes, tools/node22 and tools/node24 (npm ci there): the session project's whole
# Vitest suite again on Node 22 and 24 (in the background, one core), examples/h3-app on Bun and Deno, and
# examples/worker-app (wrangler bundles, miniflare runs it on workerd). Each leg prints its time.
# Set SKIP_E2E=1 to stop after Vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p tmp
rm -f tmp/vitest-results.json tmp/consumers-results.json tmp/e2e-results.json tmp/example-e2e-results.json \
  tmp/example-angular-22-e2e-results.json tmp/nuxt-results.json tmp/node*-results.json
rm -rf tmp/legs && mkdir -p tmp/legs
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Background legs: `leg_start ID TITLE command...` runs the command with its output in tmp/legs/ID.log;
# `leg_wait ID` waits for it, prints its title, time and output, and returns its exit code.
declare -A leg_pids leg_titles
leg_start() {
  local id=$1 title=$2
  shift 2
  (
    leg_started=$SECONDS
    if "$@" >"tmp/legs/$id.log" 2>&1; then rc=0; else rc=$?; fi
    echo "$rc $((SECONDS - leg_started))" >"tmp/legs/$id.status"
  ) &
  leg_pids[$id]=$!
  leg_titles[$id]=$title
}
leg_wait() {
  local rc=1 secs=?
  wait "${leg_pids[$1]}" || true
  [ -f "tmp/legs/$1.status" ] && read -r rc secs <"tmp/legs/$1.status"
  step "${leg_titles[$1]} (ran in the background: $secs s, exit $rc)"
  cat "tmp/legs/$1.log" 2>/dev/null || true
  return "$rc"
}
# The session project's whole Vitest suite on another Node (tools/node<version>, scripts/node.sh), in one worker: it
# keeps to one core while the steps after it use the other.
node_leg() {
  local leg_started=$SECONDS rc=0
  bash scripts/node.sh "$1" npx vitest run --project session --maxWorkers=1 \
    --reporter=default --reporter=json --outputFile.json="$PWD/tmp/node$1-results.json" || rc=$?
  echo "the session project on Node $(bash scripts/node.sh "$1" node -v): $((SECONDS - leg_started)) s, exit $rc"
  return "$rc"
}
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
# The SQL suites start their own PostgreSQL and MariaDB (tools/postgres-server.mjs, tools/mariadb-server.mjs): only the
# binaries are needed, not the packages' own services.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${missing[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "redis-server: $(redis-server --version | cut -d' ' -f3)  postgresql: $(ls /usr/lib/postgresql/ | sort -n | tail -1)" \
  " mariadb: $(/usr/sbin/mariadbd --version | grep -o '[0-9.]*-MariaDB' | head -1)" \
  " chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"

step "npm packages (lockfile)"
if [ -n "${CI:-}" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date with package-lock.json"
fi
# The other runtimes (tools/runtimes: about 0.4 GB unpacked, 11 s from npm's cache; tools/node22, tools/node24),
# installed while the next steps use the CPU.
runtimes_install() {
  if [ -n "${CI:-}" ] || [ ! -d tools/runtimes/node_modules ] ||
    [ tools/runtimes/package-lock.json -nt tools/runtimes/node_modules/.package-lock.json ]; then
    npm ci --prefix tools/runtimes --no-audit --no-fund --prefer-offline
  else
    echo "tools/runtimes/node_modules is up to date with its package-lock.json"
  fi
  # Installed here, once, before legs that run in parallel call the scripts (each installs on its first use).
  echo "tools/node22: $(bash scripts/node.sh 22 node -v), tools/node24: $(bash scripts/node.sh 24 node -v)"
}
leg_start runtimes "other runtimes: npm ci in tools/runtimes" runtimes_install

step "format (Prettier), type-check, import rules"
npm run format:check
npm run typecheck
npm run check:imports

step "build libraries"
npm run build:session
npm run build:session-angular

step "pack the libraries, install the tarballs into examples/consumer-types"
node scripts/pack-packages.mjs
node scripts/pack-example.mjs

step "unit and integration tests (Vitest)"
vitest_started=$SECONDS
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-results.json
echo "unit and integration tests: $((SECONDS - vitest_started)) s"
leg_wait runtimes

# A failure here is reported in the summary but does not stop the later suites: each leg is its own signal.
step "consumer apps: npm ci + the tarballs + build (h3 v2, h3 v1, Nitro 3 beta, nitro@3.0.0, Analog on Angular 21, Worker; in parallel)"
consumers_started=$SECONDS
consumers_ok=1
# Node 22 then 24 on one core, from here to the summary: the apps install and build (mostly waiting on npm), the
# drivers, the demo, the e2e suites and the Angular 22 and Nuxt legs run on the other.
node_legs() {
  local rc=0
  node_leg 22 || rc=1
  node_leg 24 || rc=1
  return "$rc"
}
leg_start node-versions "Node 22 and 24: the session project's whole Vitest suite on each" node_legs
node scripts/consumer-apps.mjs || consumers_ok=0
echo "consumer apps install and build: $((SECONDS - consumers_started)) s"
step "consumer apps: drivers (built servers on Redis, over HTTP; h3-app also on Bun and Deno; worker-app on workerd)"
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
  step "examples/analog-app e2e (built in the consumer apps step; built server on Redis, dev server; Chromium)"
  example_started=$SECONDS
  PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/tmp/example-e2e-results.json" \
    npx playwright test -c examples/analog-app-e2e/playwright.config.ts --reporter=list,json ||
    { page_snapshots test-results/analog-app-e2e; exit 1; }
  echo "examples/analog-app e2e: $((SECONDS - example_started)) s"
fi

# The whole leg runs under Node 24 (scripts/node.sh 24 puts its bin first on PATH, so npm and Playwright's servers use
# it too). Like the consumer apps, a failure is reported in the summary without stopping the run.
step "Angular 22 on Node 24: examples/analog-app-angular-22 (npm ci + the tarballs + build; Playwright, built server on Redis)"
angular22_started=$SECONDS
angular22_ok=1
bash scripts/node.sh 24 node scripts/consumer-apps.mjs analog-app-angular-22 || angular22_ok=0
if [ -z "${SKIP_E2E:-}" ] && [ "$angular22_ok" -eq 1 ]; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/tmp/example-angular-22-e2e-results.json" bash scripts/node.sh 24 \
    npx playwright test -c examples/analog-app-e2e/playwright.angular-22.config.ts --reporter=list,json ||
    { angular22_ok=0; page_snapshots test-results/analog-app-angular-22-e2e; }
fi
echo "Angular 22 on Node 24 leg: $((SECONDS - angular22_started)) s"

# Nuxt 4.6 needs Node 22 (scripts/node.sh 22): the app is installed and built, then its built server is driven over HTTP
# (examples/consumers/nuxt-app.spec.ts, server-rendered page included), all under that Node.
step "Nuxt 4 on Node 22: examples/nuxt-app (npm ci + the tarball + nuxt build; built server on Redis, over HTTP)"
nuxt_started=$SECONDS
nuxt_ok=1
bash scripts/node.sh 22 node scripts/consumer-apps.mjs nuxt-app || nuxt_ok=0
if [ "$nuxt_ok" -eq 1 ]; then
  bash scripts/node.sh 22 npx vitest run -c examples/consumers/vitest.config.mts nuxt-app --reporter=default --reporter=json \
    --outputFile.json="$PWD/tmp/nuxt-results.json" || nuxt_ok=0
fi
echo "Nuxt 4 on Node 22 leg: $((SECONDS - nuxt_started)) s"

node_legs_ok=1
leg_wait node-versions || node_legs_ok=0

step "summary"
reports=(tmp/vitest-results.json tmp/node22-results.json tmp/node24-results.json)
[ -f tmp/consumers-results.json ] && reports+=(tmp/consumers-results.json)
[ -n "${SKIP_E2E:-}" ] || reports+=(tmp/e2e-results.json tmp/example-e2e-results.json)
[ -f tmp/example-angular-22-e2e-results.json ] && reports+=(tmp/example-angular-22-e2e-results.json)
[ -f tmp/nuxt-results.json ] && reports+=(tmp/nuxt-results.json)
summary_ok=1
node scripts/test-summary.mjs "${reports[@]}" || summary_ok=0
echo "total time: $((SECONDS - started)) s"
[ "$consumers_ok" -eq 1 ] || echo "consumer apps failed (see the two consumer steps above)"
[ "$node_legs_ok" -eq 1 ] || echo "the Node 22 / 24 leg failed (see its step above)"
[ "$angular22_ok" -eq 1 ] || echo "the Angular 22 on Node 24 leg failed (see its step above)"
[ "$nuxt_ok" -eq 1 ] || echo "the Nuxt 4 on Node 22 leg failed (see its step above)"
[ "$summary_ok" -eq 1 ] && [ "$consumers_ok" -eq 1 ] && [ "$node_legs_ok" -eq 1 ] && [ "$angular22_ok" -eq 1 ] && [ "$nuxt_ok" -eq 1 ]
