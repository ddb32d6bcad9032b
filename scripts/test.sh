#!/usr/bin/env bash
# Installs everything the tests need (dependencies, Debian's Chromium) and runs every test:
# type checks, unit and API tests (node:test), then the end-to-end suite (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi

pnpm build
pnpm typecheck
node scripts/run-all-tests.mjs
