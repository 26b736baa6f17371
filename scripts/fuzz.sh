#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ ($BUILD_DIR) and
# runs each for SECONDS (default 60) over a copy of its seed corpus
# (tests/fuzz/corpus/<target>/). Exits 1 when any target crashes, leaks, times
# out or breaks an invariant; the input is kept in build-fuzz/fuzz-artifacts/.
#
#   scripts/fuzz.sh [--merge] [SECONDS] [TARGET...]
#
# TARGET is request, import, fixture, match_key or json (default: all).
# --merge adds the inputs that found new coverage to the repository's corpus;
# without it the repository is never written. Installs nothing: clang and
# libclang-rt-14-dev come from scripts/install-deps.sh or the user.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(request import fixture match_key json)
merge=0
seconds=60
targets=()
for arg in "$@"; do
  case "$arg" in
    --merge) merge=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*) targets+=("$arg") ;;
    *) seconds="$arg" ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then targets=("${all_targets[@]}"); fi
for t in "${targets[@]}"; do
  if [ ! -d "tests/fuzz/corpus/$t" ]; then
    echo "fuzz: unknown target '$t' (expected one of: ${all_targets[*]})" >&2
    exit 2
  fi
done

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; install clang and libclang-rt-14-dev" >&2
  exit 2
fi

build_dir="${BUILD_DIR:-build-fuzz}"
cmake -S . -B "$build_dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSMOCK_FUZZ=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

# Readable stack traces when llvm-symbolizer is not on PATH under that name.
if ! command -v llvm-symbolizer >/dev/null && command -v llvm-symbolizer-14 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer-14)"
fi
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

artifacts="$(cd "$build_dir" && pwd)/fuzz-artifacts"
logs="$(cd "$build_dir" && pwd)/fuzz-logs"
mkdir -p "$artifacts" "$logs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failed=()
for t in "${targets[@]}"; do
  bin="$build_dir/tests/fuzz/fuzz_$t"
  corpus="$work/$t"
  mkdir -p "$corpus"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  log="$logs/$t.log"
  rm -f "$artifacts/$t-"*  # so the reproducers listed below are this run's
  echo "fuzz: $t for ${seconds}s (log: $log)"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb bounds memory.
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -dict=tests/fuzz/wsmock.dict -print_final_stats=1 \
      -artifact_prefix="$artifacts/$t-" "$corpus" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done ' "$log" | sed "s/^/fuzz: $t: /" || true
  else
    failed+=("$t")
    echo "fuzz: $t FAILED; the tail of its log:" >&2
    tail -n 40 "$log" >&2
    ls "$artifacts"/"$t"-* 2>/dev/null | sed 's/^/fuzz: reproducer: /' >&2 || true
  fi
  if [ "$merge" -eq 1 ]; then
    # Keeps only inputs that add coverage, so the corpus stays small.
    "$bin" -merge=1 -dict=tests/fuzz/wsmock.dict "tests/fuzz/corpus/$t" "$corpus" \
      >"$logs/$t.merge.log" 2>&1
    echo "fuzz: $t: merged; corpus now $(ls "tests/fuzz/corpus/$t" | wc -l) files"
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a crash"
