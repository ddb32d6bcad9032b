#!/usr/bin/env bash
# Installs everything the tests need (dependencies; Debian's Chromium, PostgreSQL and nginx) and
# runs every test: type checks, lint and format, unit and API tests (node:test; the API tests once on SQLite and
# once on PostgreSQL), then the end-to-end suite (Playwright). PostgreSQL is the server named by
# BOXOFFICE_TEST_DATABASE_URL, or else a throwaway cluster that scripts/run-all-tests.ts starts in a
# temporary folder on a free port and removes at the end; nginx runs from configs the tests write.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# Also with BOXOFFICE_TEST_DATABASE_URL set: the restart tests stop and start a cluster of their own.
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian's ${missing[*]} for the tests..."
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

pnpm build
pnpm typecheck
pnpm lint
pnpm exec tsx scripts/run-all-tests.ts
