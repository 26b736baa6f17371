#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ ($BUILD_DIR) and
# runs each for SECONDS (default 60) over a temporary copy of its seed corpus
# (tests/fuzz/corpus/<target>/), $FUZZ_JOBS targets at a time (default: one
# per core). Prints one summary line per target; exits 1 when any target
# crashes, leaks, hangs or breaks an invariant, keeping the input in
# build-fuzz/fuzz-artifacts/ and the log in build-fuzz/fuzz-logs/.
#
#   scripts/fuzz.sh [--merge] [SECONDS] [TARGET...]
#
# TARGET is request, import, fixture, match_key, json or journal (default: all).
# --merge adds the inputs that found new coverage to the repository's corpus;
# without it the repository is never written (CI runs without it). Installs
# nothing: clang and libclang-rt-14-dev come from scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(request import fixture match_key json journal)
merge=0
seconds=60
targets=()
for arg in "$@"; do
  case "$arg" in
    --merge) merge=1 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
if [ "$seconds" -lt 1 ]; then
  echo "fuzz: SECONDS must be at least 1" >&2
  exit 2
fi

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; install clang and libclang-rt-14-dev" >&2
  exit 2
fi

build_dir="${BUILD_DIR:-build-fuzz}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# The usual fuzzing flags: -O1 and line tables build much faster than -O2 -g
# and still put file:line in stack traces; without NDEBUG, assert()s are
# checked too.
flags="-O1 -gline-tables-only"
cmake -S . -B "$build_dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" -DWSMOCK_FUZZ=ON "${launcher[@]}" >/dev/null
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

# The value of libFuzzer's final "stat::NAME: VALUE" line in log $1, or "?".
final_stat() {
  local value
  value="$(sed -n "s/^stat::$2: *//p" "$1" | tail -n 1)"
  echo "${value:-?}"
}

# Fuzzes target $1 over a copy of its corpus and writes its summary line to
# $work/$1.summary, then "ok" or "failed" to $work/$1.result.
fuzz_one() {
  local t="$1"
  local bin="$build_dir/tests/fuzz/fuzz_$t" corpus="$work/corpus-$t" log="$logs/$t.log"
  mkdir -p "$corpus"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  local seeds
  seeds="$(ls "$corpus" | wc -l)"
  rm -f "$artifacts/$t-"*  # so a reproducer found there is this run's
  local start=$SECONDS rc=0
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb bounds memory.
  # The outer timeout bounds the run should libFuzzer itself not stop.
  timeout -k 10 $((seconds + 120)) "$bin" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -dict=tests/fuzz/wsmock.dict -print_final_stats=1 \
    -artifact_prefix="$artifacts/$t-" "$corpus" >"$log" 2>&1 || rc=$?
  local took=$((SECONDS - start))
  local runs speed
  runs="$(final_stat "$log" number_of_executed_units)"
  speed="$(final_stat "$log" average_exec_per_sec)"
  if [ "$rc" -eq 0 ]; then
    local grown peak
    grown="$(ls "$corpus" | wc -l)"
    peak="$(final_stat "$log" peak_rss_mb)"
    echo "fuzz: $t: ok, $runs runs in ${took}s ($speed exec/s)," \
      "corpus $seeds -> $grown inputs, peak $peak MB" >"$work/$t.summary"
    echo ok >"$work/$t.result"
    return
  fi
  local what="exit $rc" reproducer
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then what="hung, killed after ${took}s"; fi
  reproducer="$(ls "$artifacts/$t-"* 2>/dev/null | head -n 1 || true)"
  if [ -n "$reproducer" ]; then
    what="$(basename "$reproducer" | sed "s/^$t-//; s/-.*//"), exit $rc"
  fi
  echo "fuzz: $t: FAILED ($what) after $runs runs in ${took}s;" \
    "reproducer: ${reproducer:-none}; log: $log" >"$work/$t.summary"
  echo failed >"$work/$t.result"
}

jobs_max="${FUZZ_JOBS:-$(nproc)}"
if ! [ "$jobs_max" -ge 1 ] 2>/dev/null; then jobs_max=1; fi
echo "fuzz: ${targets[*]} for ${seconds}s each, $jobs_max at a time (logs: $logs)"
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  fuzz_one "$t" &
done
wait

failed=()
for t in "${targets[@]}"; do
  cat "$work/$t.summary" 2>/dev/null || echo "fuzz: $t: FAILED (did not finish)"
  if [ "$(cat "$work/$t.result" 2>/dev/null)" != ok ]; then failed+=("$t"); fi
done
for t in "${failed[@]}"; do
  echo "fuzz: the tail of $t's log:" >&2
  tail -n 40 "$logs/$t.log" >&2 || true
done

if [ "$merge" -eq 1 ]; then
  for t in "${targets[@]}"; do
    if [[ " ${failed[*]} " == *" $t "* ]]; then
      echo "fuzz: $t: not merged, it failed"
      continue
    fi
    # Keeps only inputs that add coverage, so the corpus stays small.
    "$build_dir/tests/fuzz/fuzz_$t" -merge=1 -dict=tests/fuzz/wsmock.dict \
      "tests/fuzz/corpus/$t" "$work/corpus-$t" >"$logs/$t.merge.log" 2>&1
    echo "fuzz: $t: merged; corpus now $(ls "tests/fuzz/corpus/$t" | wc -l) files"
  done
fi

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a crash"
