#!/usr/bin/env bash
# Installs the workspace on a fresh Node 20 machine: pnpm (through corepack) and every dependency.
set -euo pipefail
cd "$(dirname "$0")/.."

# Corepack cannot check pnpm's registry signatures here; the lockfile pins every package's integrity.
export COREPACK_INTEGRITY_KEYS=0 COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# better-sqlite3 compiles against the machine's Node headers (no prebuilt binary can be fetched).
export npm_config_nodedir="${npm_config_nodedir:-/usr}"

if ! pnpm --version >/dev/null 2>&1; then
  corepack enable
fi
pnpm install --frozen-lockfile
