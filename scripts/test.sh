#!/usr/bin/env bash
# The README's test command: installs what the tests need, then builds and runs every test.
# Debian's chromium (browser tests) and postgresql (a throwaway cluster per run) are installed
# with apt when missing; this needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=''
  [ "$(id -u)" -eq 0 ] || sudo='sudo'
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core
fi

npm ci --no-audit --no-fund
npm run build
npm run lint
npm run kb:check --if-present
mkdir -p build
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=build/test-results.json || status=$?
# One plain closing line that any CI can read.
node -e '
  const r = require("./build/test-results.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit $status
