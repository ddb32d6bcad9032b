#!/usr/bin/env bash
# Installs, builds and starts Boxoffice on its embedded default: SQLite under ./data/,
# listening on 127.0.0.1:3000 (override with HOST / PORT, database file with BOXOFFICE_DB).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm build
exec pnpm start
