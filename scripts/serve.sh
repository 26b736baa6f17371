#!/usr/bin/env bash
# Installs, builds and runs `wsmock serve --seed 42` (extra arguments follow).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
exec "${BUILD_DIR:-build}/wsmock" serve --seed 42 "$@"
