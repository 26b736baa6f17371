#!/usr/bin/env bash
# Installs everything wsmock needs to build and test on Debian 12, toolchain
# included; with --tests also Chromium, for the browser tests (the test suite
# asks for it; serving does not need a browser). Idempotent: packages
# already present are not fetched again.
set -euo pipefail

packages=(
  g++ cmake make pkg-config ca-certificates
  libwebsockets-dev libssl-dev libcjson-dev libsqlite3-dev libcli11-dev
  libgtest-dev
  openssl sqlite3 python3 python3-jsonschema python3-websockets
  # scripts/fuzz.sh: clang with libFuzzer and the sanitizer runtimes, and
  # llvm-symbolizer-14 (llvm-14) so that a crash's stack trace names lines.
  clang libclang-rt-14-dev llvm-14
)
for arg in "$@"; do
  case "$arg" in
    # tests/e2e/browser_e2e_test.cc drives headless Chromium's WebSocket.
    --tests) packages+=(chromium) ;;
    *) echo "install-deps: unknown argument $arg (only --tests)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
