#!/usr/bin/env bash
# npm run typecheck: every tsconfig of the repository that is not checked by a build.
set -euo pipefail
cd "$(dirname "$0")/.."
tsc=node_modules/.bin/tsc
$tsc -p projects/session/tsconfig.spec.json
$tsc -p apps/demo/tsconfig.app.json --noEmit
$tsc -p apps/demo/tsconfig.spec.json
$tsc -p e2e/tsconfig.json
$tsc -p projects/session-angular/tsconfig.spec.json --noEmit
$tsc -p examples/analog-app-e2e/tsconfig.json
$tsc -p examples/consumers/tsconfig.json
