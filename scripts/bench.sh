#!/usr/bin/env bash
# The benchmarks of issue #5: wsmock against the bare libwebsockets echo
# server (tests/bench/wsmock_echo), both driven by the same load client
# (tests/bench/wsmock_load), run alternately for several rounds; prints a
# Markdown table of medians and ratios. wsmock runs with its default logging
# (stderr into a file). Nothing is pinned; the header names the machine.
#
#   scripts/bench.sh [--rounds N] [--duration S] [--warmup S] [--conns N]
#                    [--only KEYS] [--out DIR] [--no-build]
#   scripts/bench.sh --callgrind [--requests N]   instructions per request
#   scripts/bench.sh --perf                        where wsmock serve's time goes
#
# KEYS (comma-separated): byid,getall,seed2,latency,start,idle,conns,logging,record,replay,proxy
# (proxy needs node and npm: a Node `ws` server from tests/bench/node is the
# upstream; its package is installed into the build directory once.)
# Environment: BENCH_ROUNDS (3), BENCH_DURATION (2), BENCH_WARMUP (0.5),
# BENCH_CONNS (10000), BENCH_ONLY, BENCH_CALLGRIND_REQUESTS (2000),
# BENCH_PAIRS (4: serve/record and logging load pairs in each round),
# WSMOCK_BENCH_BUILD_DIR (build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-2}
WARMUP=${BENCH_WARMUP:-0.5}
CONNS=${BENCH_CONNS:-10000}
CG_REQUESTS=${BENCH_CALLGRIND_REQUESTS:-2000}
PAIRS=${BENCH_PAIRS:-4}
BUILD_DIR=${WSMOCK_BENCH_BUILD_DIR:-$ROOT/build-bench}
ONLY=${BENCH_ONLY:-}
MODE=table
BUILD=1
OUT=""

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --requests) CG_REQUESTS=$2; shift 2 ;;
    --callgrind) MODE=callgrind; shift ;;
    --perf) MODE=perf; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

WORK=$(mktemp -d /tmp/wsmock-bench.XXXXXX)
# --- Build: Release. WSMOCK_WERROR=OFF because g++ 12 at -O3 reports a
# false -Wrestrict inside std::string (src/util/clock.cc and others).
if [[ $BUILD == 1 ]]; then
  echo "building $BUILD_DIR (Release)" >&2
  if ! { cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWSMOCK_BENCH=ON \
           -DWSMOCK_TESTS=OFF -DWSMOCK_WERROR=OFF &&
         cmake --build "$BUILD_DIR" -j"$(nproc)" --target wsmock wsmock_load wsmock_echo; } \
       > "$WORK/build.log" 2>&1; then
    tail -n 30 "$WORK/build.log" >&2
    echo "bench.sh: the build failed (log: $WORK/build.log)" >&2
    exit 1
  fi
fi
WSMOCK=$BUILD_DIR/wsmock
LOAD=$BUILD_DIR/tests/bench/wsmock_load
ECHO=$BUILD_DIR/tests/bench/wsmock_echo
for bin in "$WSMOCK" "$LOAD" "$ECHO"; do
  [[ -x $bin ]] || { echo "bench.sh: $bin is missing (build with -DWSMOCK_BENCH=ON)" >&2; exit 1; }
done

OUT=${OUT:-$WORK}
mkdir -p "$OUT"
RUNS=$OUT/runs.jsonl        # every load client line, tagged with scenario and server
SERVER_LOG=$OUT/servers.log # wsmock's default log and anything a server says
: > "$RUNS"
: > "$SERVER_LOG"
# wsmock does not raise its own descriptor limit; 10,000 connections need it.
ulimit -n "$(ulimit -Hn)"

SERVER_PID=""
SERVER_PORT=""
UPSTREAM_PID=""
SIDE_PID=""  # a second server a paired round keeps, paused, beside SERVER_PID
UPSTREAM_PORT=""
cleanup() {
  # CONT after TERM: a paired round pauses servers with SIGSTOP.
  for pid in $SERVER_PID $SIDE_PID; do kill -TERM "$pid" 2>/dev/null && kill -CONT "$pid" 2>/dev/null || true; done
  if [[ -n $UPSTREAM_PID ]]; then kill -TERM "$UPSTREAM_PID" 2>/dev/null || true; fi
  # The session files run to hundreds of MB and are only scratch; a server
  # still stopping keeps its open files until it exits.
  rm -f "$WORK"/*.db "$WORK"/*.db-wal "$WORK"/*.db-shm
  if [[ $OUT != "$WORK" ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'echo "bench.sh: stopped by a failure at line $LINENO" >&2' ERR

# ---------------------------------------------------------------- helpers

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until something accepts TCP on the port (a bare connect, then close).
wait_port() {
  local port=$1 tries=${2:-1500}
  for ((i = 0; i < tries; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.02
  done
  echo "bench.sh: nothing listens on port $port" >&2
  return 1
}

# start_wsmock SUBCOMMAND [ARGS...]: sets SERVER_PID and SERVER_PORT.
start_wsmock() {
  local sub=$1; shift
  SERVER_PORT=$(free_port)
  echo "== wsmock $sub $* (port $SERVER_PORT)" >> "$SERVER_LOG"
  "$WSMOCK" "$sub" "$@" --host 127.0.0.1 --port "$SERVER_PORT" --no-ssl 2>"$WORK/server.err" &
  SERVER_PID=$!
  wait_port "$SERVER_PORT"
}

# start_echo [ARGS...]: the reference server on a port of its choosing.
start_echo() {
  echo "== wsmock_echo $*" >> "$SERVER_LOG"
  rm -f "$WORK/echo.out"  # a stale "listening on" line would name the last port
  "$ECHO" --port 0 "$@" > "$WORK/echo.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  SERVER_PORT=$(listening_port "$WORK/echo.out") || { echo "bench.sh: wsmock_echo did not start" >&2; return 1; }
}

# Waits (up to 5 s) for the "listening on PORT" line of a server started with
# port 0 and prints PORT.
listening_port() {
  local port
  for ((i = 0; i < 500; i++)); do
    port=$(awk '/^listening on/ {print $3}' "$1" 2>/dev/null || true)
    [[ -n $port ]] && { echo "$port"; return 0; }
    sleep 0.01
  done
  return 1
}

# The whole log of a loaded wsmock runs to tens of MB; its start and end
# are kept.
stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  if [[ -f $WORK/server.err ]]; then
    { head -n 4 "$WORK/server.err"
      if [[ $(wc -l < "$WORK/server.err") -gt 8 ]]; then echo "..."; tail -n 4 "$WORK/server.err"; fi
    } >> "$SERVER_LOG"
    rm -f "$WORK/server.err"
  fi
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# json_num LINE KEY: a number from one of wsmock_load's lines.
json_num() { sed -nE "s/.*\"$2\":(-?[0-9.]+).*/\1/p" <<< "$1"; }

# record TAG SERVER LINE: keeps a load client line for the notes and the file.
record() { echo "{\"scenario\":\"$1\",\"server\":\"$2\",\"run\":$3}" >> "$RUNS"; }

# load SCENARIO SERVER ARGS...: runs the client against SERVER_PORT, prints
# its JSON line and keeps it.
load() {
  local tag=$1 server=$2; shift 2
  local line
  line=$("$LOAD" --url "ws://127.0.0.1:$SERVER_PORT/ws" "$@")
  record "$tag" "$server" "$line"
  echo "$line"
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print ""; else print v[int((NR + 1) / 2)]}'; }

declare -A VALUES  # "scenario/server" -> newline-separated values of the rounds
add_value() { VALUES[$1/$2]+="$3"$'\n'; }
med() { printf '%s' "${VALUES[$1/$2]:-}" | median; }
# Geometric mean: of ratios, whose noise is a factor rather than a term.
geomean() {
  printf '%s' "${VALUES[$1/$2]:-}" |
    awk '$1 > 0 {s += log($1); n++} END {if (n == 0) print ""; else printf "%.2f", exp(s / n)}'
}

# The 95% interval of that geometric mean, "LOW to HIGH": Student's t on the
# logs of the ratios. The pairs scatter widely on a small VM, and the
# interval says whether a row's verdict is the machine's noise or not.
geointerval() {
  printf '%s' "${VALUES[$1/$2]:-}" | awk '
    $1 > 0 {x[++n] = log($1); s += x[n]}
    END {
      if (n < 2) { print "n/a"; exit }
      m = s / n; for (i = 1; i <= n; i++) v += (x[i] - m) ^ 2
      split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13", t, " ")
      q = (n - 1 <= 15) ? t[n - 1] : (n - 1 <= 30 ? 2.05 : 1.96)
      h = q * sqrt(v / (n - 1) / n)
      printf "%.2f to %.2f", exp(m - h), exp(m + h)
    }'
}

# pair_spread KEY LABEL: a notes line on KEY's pairs' ratios: the interval
# of their geometric mean, their median and their range.
pair_spread() {
  local sorted
  sorted=$(printf '%s' "${VALUES[$1/ratio]:-}" | sort -g)
  echo "- $2, the pairs' ratios: geometric mean's 95% interval $(geointerval "$1" ratio), median $(med "$1" ratio), lowest $(head -1 <<< "$sorted"), highest $(tail -1 <<< "$sorted")"
}

want() { [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]; }

REQ_BYID='{"type":"request","action":"getStationById","data":{"stationId":"station_042"},"requestId":"req_{{id}}"}'
REQ_ALL='{"type":"request","action":"getStations","data":{},"requestId":"req_{{id}}"}'
REQ_SEED2='{"type":"request","action":"getStations","data":{"fields":["id","name","city","owner","status","totalEnergy","currentPower"],"filters":{"city":"Москва","status":"active"},"pagination":{"page":1,"limit":20}},"requestId":"req_{{id}}"}'
# 100 different getStationById requests, for recording and replaying.
for i in $(seq 1 100); do
  printf '{"type":"request","action":"getStationById","data":{"stationId":"station_%03d"},"requestId":"req_{{id}}"}\n' "$i"
done > "$WORK/byid100.txt"

# ---------------------------------------------------------------- scenarios

# rate SCENARIO CONNS INFLIGHT REQUEST [echo args...]: wsmock serve, then echo.
rate_round() {
  local tag=$1 conns=$2 inflight=$3 request=$4; shift 4
  local line
  start_wsmock serve
  line=$(load "$tag" wsmock --connections "$conns" --inflight "$inflight" \
         --warmup "$WARMUP" --duration "$DURATION" --message-text "$request")
  stop_server
  add_value "$tag" wsmock "$(json_num "$line" rate)"
  start_echo "$@"
  line=$(load "$tag" echo --connections "$conns" --inflight "$inflight" \
         --warmup "$WARMUP" --duration "$DURATION" --message-text "$request")
  stop_server
  add_value "$tag" echo "$(json_num "$line" rate)"
}

latency_round() {
  local line
  start_wsmock serve
  line=$(load latency wsmock --mode latency --warmup "$WARMUP" --duration "$DURATION" \
         --message-text "$REQ_BYID")
  stop_server
  add_value latency wsmock "$(json_num "$line" p50_us)"
  start_echo
  line=$(load latency echo --mode latency --warmup "$WARMUP" --duration "$DURATION" \
         --message-text "$REQ_BYID")
  stop_server
  add_value latency echo "$(json_num "$line" p50_us)"
}

# first_handshake TAG SERVER COMMAND...: the client starts the server itself
# and times fork() to the first completed handshake.
first_handshake() {
  local tag=$1 server=$2 port=$3; shift 3
  local line
  line=$("$LOAD" --url "ws://127.0.0.1:$port/ws" --mode first-handshake --timeout 60 -- "$@" \
         2>>"$SERVER_LOG")
  record "$tag" "$server" "$line"
  add_value "$tag" "$server" "$(awk -v us="$(json_num "$line" handshake_us)" 'BEGIN {printf "%.1f", us / 1000}')"
}

start_round() {
  local port
  for stations in 100 100000; do
    port=$(free_port)
    first_handshake "start$stations" wsmock "$port" \
      "$WSMOCK" serve --host 127.0.0.1 --port "$port" --no-ssl --stations "$stations"
    port=$(free_port)
    first_handshake "start$stations" echo "$port" "$ECHO" --port "$port"
  done
}

idle_round() {
  start_wsmock serve
  sleep 0.5
  add_value idle wsmock "$(awk -v kb="$(rss_kb "$SERVER_PID")" 'BEGIN {printf "%.1f", kb / 1024}')"
  stop_server
  start_echo
  sleep 0.5
  add_value idle echo "$(awk -v kb="$(rss_kb "$SERVER_PID")" 'BEGIN {printf "%.1f", kb / 1024}')"
  stop_server
}

# One set of $CONNS connections per server gives both figures: memory per
# connection (RSS once all are open, less RSS before) and the fan-out spread
# of the next pushes. wsmock ticks every second; echo broadcasts wsmock's
# own update bytes every second.
conns_one() {
  local server=$1; shift
  local before after line opened
  sleep 0.5
  before=$(rss_kb "$SERVER_PID")
  rm -f "$WORK/fanout.out"  # the last run's "open" line must not count
  "$LOAD" --url "ws://127.0.0.1:$SERVER_PORT/ws" --mode fanout --connections "$CONNS" \
          --pushes 3 --timeout 120 "$@" > "$WORK/fanout.out" &
  local client=$!
  for ((i = 0; i < 6000; i++)); do
    grep -q '"event":"open"' "$WORK/fanout.out" 2>/dev/null && break
    sleep 0.05
  done
  after=$(rss_kb "$SERVER_PID")
  wait "$client" || true
  line=$(grep -v '"event"' "$WORK/fanout.out" | tail -1)
  record conns "$server" "$line"
  opened=$(json_num "$line" opened)
  add_value permem "$server" "$(awk -v a="$after" -v b="$before" -v n="$opened" \
    'BEGIN {if (n > 0) printf "%.2f", (a - b) / n; else print ""}')"
  add_value fanout "$server" "$(awk -v us="$(json_num "$line" spread_us)" 'BEGIN {printf "%.1f", us / 1000}')"
}

conns_round() {
  start_wsmock serve --tick 1
  conns_one wsmock --save-reply "$WORK/push.json.new"
  stop_server
  if [[ -s $WORK/push.json.new ]]; then mv "$WORK/push.json.new" "$WORK/push.json"; fi
  if [[ ! -s $WORK/push.json ]]; then  # wsmock pushed nothing: a 1 KB stand-in
    printf '{"type":"update","data":"%s"}' "$(head -c 1000 /dev/zero | tr '\0' x)" > "$WORK/push.json"
  fi
  start_echo --broadcast-every 1 --broadcast-file "$WORK/push.json"
  conns_one echo
  stop_server
}

# paired_round KEY BASE_NAME BASE SUBJECT_NAME SUBJECT: getStationById 50 x 8
# rates of two wsmock servers (BASE and SUBJECT: wsmock arguments, split on
# spaces; the names label their runs in runs.jsonl) in slices
# seconds apart: on a VM whose two vCPUs sometimes share a core, rates swing
# by half between minutes, and only rates taken close together compare.
# BASE stays up, stopped (SIGSTOP) during SUBJECT's slices; each pair has a
# fresh SUBJECT, killed after its slice (so that no recording journal is
# left to move in a later slice). Which goes first alternates. Keeps
# KEY/wsmock (SUBJECT), KEY/base and KEY/ratio, one per pair (PAIRS a round).
paired_round() {
  local key=$1 base_name=$2 base_args=$3 subject_name=$4 subject_args=$5
  local base_pid base_port subject_pid subject_port pair side name line base_rate subject_rate
  # shellcheck disable=SC2086  # the arguments are meant to split
  start_wsmock $base_args
  base_pid=$SERVER_PID base_port=$SERVER_PORT
  SIDE_PID=$base_pid  # for cleanup while SUBJECT is SERVER_PID
  mv "$WORK/server.err" "$WORK/base.err"  # BASE keeps writing to it
  for ((pair = 0; pair < PAIRS; pair++)); do
    kill -STOP "$base_pid"
    # shellcheck disable=SC2086
    start_wsmock $subject_args
    subject_pid=$SERVER_PID subject_port=$SERVER_PORT
    for side in base subject; do
      if (( pair % 2 == 1 )); then side=$([[ $side == base ]] && echo subject || echo base); fi
      if [[ $side == base ]]; then
        kill -STOP "$subject_pid"; kill -CONT "$base_pid"; SERVER_PORT=$base_port name=$base_name
      else
        kill -STOP "$base_pid"; kill -CONT "$subject_pid"; SERVER_PORT=$subject_port name=$subject_name
      fi
      line=$(load "$key" "wsmock-$name" --connections 50 --inflight 8 --warmup "$WARMUP" \
             --duration "$DURATION" --message-text "$REQ_BYID")
      if [[ $side == base ]]; then base_rate=$(json_num "$line" rate); else subject_rate=$(json_num "$line" rate); fi
    done
    kill -KILL "$subject_pid"
    SERVER_PID=$subject_pid
    stop_server
    add_value "$key" wsmock "$subject_rate"
    add_value "$key" base "$base_rate"
    add_value "$key" ratio "$(awk -v a="$subject_rate" -v b="$base_rate" 'BEGIN {printf "%.4f", a / b}')"
  done
  kill -CONT "$base_pid"
  SERVER_PID=$base_pid SIDE_PID=""
  mv "$WORK/base.err" "$WORK/server.err"
  stop_server
}

# Logging's cost: serve with its default logging (info, every request, into
# a file) against serve with none.
logging_round() { paired_round logging serve-quiet "serve --log-level off" serve serve; }

# Recording's cost: serve, then record beside it.
record_round() {
  local stop_start
  paired_round record serve serve record "record $WORK/record.db --overwrite"
  # The stop moves the journal into `messages`: timed once, after one
  # slice's load.
  [[ -z ${VALUES[record-stop/wsmock]:-} ]] || return 0
  start_wsmock record "$WORK/record.db" --overwrite
  load record-stop wsmock-record --connections 50 --inflight 8 --warmup "$WARMUP" \
       --duration "$DURATION" --message-text "$REQ_BYID" > /dev/null
  stop_start=$(date +%s%N)
  stop_server
  add_value record-stop wsmock "$(( ($(date +%s%N) - stop_start) / 1000000 ))"
}

# A session of 100,000 messages: 50,000 getStationById requests over 100
# stations and their answers, recorded from a live serve.
# The proxy scenario's upstream: tests/bench/node/upstream.js on the `ws`
# package, installed once into $BUILD_DIR/node. Prints nothing; fails (and the
# scenario is skipped) without node or npm.
NODE_DIR=$BUILD_DIR/node
prepare_node_upstream() {
  command -v node >/dev/null && command -v npm >/dev/null || {
    echo "bench.sh: node and npm are needed for the proxy scenario; skipping it" >&2; return 1; }
  mkdir -p "$NODE_DIR"
  cp "$ROOT/tests/bench/node/package.json" "$ROOT/tests/bench/node/upstream.js" "$NODE_DIR/"
  [[ -d $NODE_DIR/node_modules/ws ]] ||
    npm install --prefix "$NODE_DIR" --no-audit --no-fund >> "$SERVER_LOG" 2>&1
}

start_node_upstream() {
  echo "== node upstream.js" >> "$SERVER_LOG"
  rm -f "$WORK/node.out"
  node "$NODE_DIR/upstream.js" 0 > "$WORK/node.out" 2>>"$SERVER_LOG" &
  UPSTREAM_PID=$!
  UPSTREAM_PORT=$(listening_port "$WORK/node.out") || {
    echo "bench.sh: the node upstream did not start" >&2; return 1; }
}

# The same load straight at the Node server and through
# `wsmock record --upstream` in front of it (recording to a file).
proxy_round() {
  local line
  start_node_upstream
  SERVER_PORT=$UPSTREAM_PORT
  line=$(load proxy direct --connections 50 --inflight 8 --warmup "$WARMUP" \
         --duration "$DURATION" --message-text "$REQ_BYID")
  add_value proxy direct "$(json_num "$line" rate)"
  start_wsmock record "$WORK/proxy.db" --overwrite --upstream "ws://127.0.0.1:$UPSTREAM_PORT/ws"
  line=$(load proxy wsmock-proxy --connections 50 --inflight 8 --warmup "$WARMUP" \
         --duration "$DURATION" --message-text "$REQ_BYID")
  add_value proxy wsmock "$(json_num "$line" rate)"
  add_value proxy-rss wsmock "$(awk -v kb="$(rss_kb "$SERVER_PID")" 'BEGIN {printf "%.1f", kb / 1024}')"
  stop_server
  kill -TERM "$UPSTREAM_PID" 2>/dev/null || true
  wait "$UPSTREAM_PID" 2>/dev/null || true
}

make_replay_session() {
  start_wsmock record "$WORK/replay.db" --overwrite
  load replay-setup wsmock-record --connections 10 --inflight 4 --requests 50000 \
       --duration 600 --message-lines "$WORK/byid100.txt" > /dev/null
  stop_server
  "$WSMOCK" sessions "$WORK/replay.db" > "$WORK/replay-sessions.txt" 2>&1 || true
}

replay_round() {
  local line port
  port=$(free_port)
  first_handshake replay-start wsmock "$port" \
    "$WSMOCK" replay "$WORK/replay.db" --host 127.0.0.1 --port "$port" --no-ssl
  start_wsmock replay "$WORK/replay.db"
  line=$(load replay wsmock-replay --connections 50 --inflight 8 --warmup "$WARMUP" \
         --duration "$DURATION" --message-lines "$WORK/byid100.txt")
  stop_server
  add_value replay wsmock "$(json_num "$line" rate)"
  start_wsmock serve
  line=$(load replay wsmock-serve --connections 50 --inflight 8 --warmup "$WARMUP" \
         --duration "$DURATION" --message-lines "$WORK/byid100.txt")
  stop_server
  add_value replay serve "$(json_num "$line" rate)"
}

# ---------------------------------------------------------------- output

machine_header() {
  local cpu lws
  cpu=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  lws=$(pkg-config --modversion libwebsockets 2>/dev/null || echo "?")
  local build_type
  build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ {print $2}' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
  echo "Machine: $(nproc) CPUs, $cpu; $(uname -sr); libwebsockets $lws; wsmock build ${build_type:-?}"
  echo "Run: $(date -u +%Y-%m-%dT%H:%M:%SZ), $1; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

fmt_int() {
  awk -v v="$1" 'BEGIN {
    if (v == "") { print "-"; exit }
    s = sprintf("%.0f", v); out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    print s out }'
}
fmt_1() { awk -v v="$1" 'BEGIN {if (v == "") print "-"; else printf "%.1f", v}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
# verdict VALUE OP LIMIT: "met" or "missed" (blank when there is no value).
verdict() {
  awk -v v="$1" -v op="$2" -v lim="$3" 'BEGIN {
    if (v == "" || v == "-") { print ""; exit }
    ok = (op == ">=") ? (v + 0 >= lim + 0) : (v + 0 <= lim + 0)
    print ok ? "met" : "MISSED" }'
}

row() { echo "| $1 | $2 | $3 | $4 | $5 |"; }

print_table() {
  local w e r
  echo
  echo "| scenario | wsmock | echo | ratio | target |"
  echo "|---|---:|---:|---:|---|"
  if want byid; then
    w=$(med byid wsmock); e=$(med byid echo); r=$(ratio "$w" "$e")
    row "getStationById, 50 conn x 8 in flight (req/s)" "$(fmt_int "$w")" "$(fmt_int "$e")" "$r" ">= 0.8x: $(verdict "$r" '>=' 0.8)"
  fi
  if want getall; then
    w=$(med getall wsmock); e=$(med getall echo); r=$(ratio "$w" "$e")
    row "getStations, all 100 stations, all fields ($(wc -c < "$WORK/getall.json" 2>/dev/null || echo ?) B reply), 10 x 2 (req/s)" \
        "$(fmt_int "$w")" "$(fmt_int "$e")" "$r" ">= 0.6x: $(verdict "$r" '>=' 0.6)"
  fi
  if want seed2; then
    w=$(med seed2 wsmock); e=$(med seed2 echo); r=$(ratio "$w" "$e")
    row "seed example 2 (fields + filters + page), 50 x 8 (req/s)" "$(fmt_int "$w")" "$(fmt_int "$e")" "$r" ">= 0.8x: $(verdict "$r" '>=' 0.8)"
  fi
  if want latency; then
    w=$(med latency wsmock); e=$(med latency echo); r=$(ratio "$w" "$e")
    row "1 connection, 1 in flight, p50 latency (us)" "$(fmt_1 "$w")" "$(fmt_1 "$e")" "$r" "<= 1.3x: $(verdict "$r" '<=' 1.3)"
  fi
  if want start; then
    w=$(med start100 wsmock); e=$(med start100 echo)
    row "process start to first handshake, 100 stations (ms)" "$(fmt_1 "$w")" "$(fmt_1 "$e")" "$(ratio "$w" "$e")" "<= 20 ms: $(verdict "$w" '<=' 20)"
    w=$(med start100000 wsmock); e=$(med start100000 echo)
    row "process start to first handshake, 100,000 stations (ms)" "$(fmt_1 "$w")" "$(fmt_1 "$e")" "$(ratio "$w" "$e")" "<= 300 ms: $(verdict "$w" '<=' 300)"
  fi
  if want idle; then
    w=$(med idle wsmock); e=$(med idle echo)
    row "idle RSS, 100 stations (MB)" "$(fmt_1 "$w")" "$(fmt_1 "$e")" "$(ratio "$w" "$e")" "<= 8 MB: $(verdict "$w" '<=' 8)"
  fi
  if want conns; then
    w=$(med permem wsmock); e=$(med permem echo)
    row "$(fmt_int "$CONNS") idle connections: memory per connection (KB)" "$(fmt_1 "$w")" "$(fmt_1 "$e")" "$(ratio "$w" "$e")" "<= 8 KB: $(verdict "$w" '<=' 8)"
    w=$(med fanout wsmock); e=$(med fanout echo); r=$(ratio "$w" "$e")
    row "one push to $(fmt_int "$CONNS") clients, first to last (ms; $(wc -c < "$WORK/push.json" 2>/dev/null || echo ?) B push)" \
        "$(fmt_1 "$w")" "$(fmt_1 "$e")" "$r" "<= 1.5x: $(verdict "$r" '<=' 1.5)"
  fi
  if want logging; then
    w=$(med logging wsmock); e=$(med logging base); r=$(geomean logging ratio)
    row "wsmock serve with its default logging (every request, into a file) vs --log-level off, getStationById 50 x 8 (req/s; ratio: geometric mean of $(printf '%s' "${VALUES[logging/ratio]:-}" | wc -l) pairs' own)" "$(fmt_int "$w")" "off: $(fmt_int "$e")" "$r" ">= 0.9x: $(verdict "$r" '>=' 0.9)"
  fi
  if want record; then
    w=$(med record wsmock); e=$(med record base); r=$(geomean record ratio)
    row "wsmock record vs serve, getStationById 50 x 8 (req/s; ratio: geometric mean of $(printf '%s' "${VALUES[record/ratio]:-}" | wc -l) pairs' own)" "$(fmt_int "$w")" "serve: $(fmt_int "$e")" "$r" ">= 0.9x serve: $(verdict "$r" '>=' 0.9)"
  fi
  if want replay; then
    w=$(med replay-start wsmock)
    row "wsmock replay, 100,000 recorded messages: start to first handshake (ms)" "$(fmt_1 "$w")" "-" "-" "<= 300 ms: $(verdict "$w" '<=' 300)"
    w=$(med replay wsmock); e=$(med replay serve); r=$(ratio "$w" "$e")
    row "wsmock replay vs serve, getStationById over 100 stations, 50 x 8 (req/s)" "$(fmt_int "$w")" "serve: $(fmt_int "$e")" "$r" ">= 0.9x serve: $(verdict "$r" '>=' 0.9)"
  fi
  if want proxy && [[ -n ${VALUES[proxy/wsmock]:-} ]]; then
    w=$(med proxy wsmock); e=$(med proxy direct); r=$(ratio "$w" "$e")
    row "record --upstream (Node ws upstream) vs direct, getStationById 50 x 8 (req/s; proxy RSS $(fmt_1 "$(med proxy-rss wsmock)") MB after the run)" \
        "$(fmt_int "$w")" "direct: $(fmt_int "$e")" "$r" ">= 0.5x direct: $(verdict "$r" '>=' 0.5)"
  fi
}

# Anything in the runs that makes a figure suspect.
print_notes() {
  echo
  echo "Notes (medians of $ROUNDS rounds; every client line is in $RUNS):"
  python3 - "$RUNS" <<'PY'
import json, sys
issues = []
for raw in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(raw)
    run, where = rec["run"], f'{rec["scenario"]}/{rec["server"]}'
    for key in ("error_frames", "failed_connections", "dropped_connections", "push_missing"):
        if run.get(key, 0):
            issues.append(f"- {where}: {key} = {run[key]}")
    if run.get("mode") in ("rate", "latency") and run.get("client_cpu", 0) >= 0.95:
        issues.append(f'- {where}: the load client used {run["client_cpu"]:.2f} of a core (may be the limit)')
    if run.get("mode") == "first-handshake" and run.get("handshake_us", -1) < 0:
        issues.append(f"- {where}: no handshake")
for line in dict.fromkeys(issues):
    print(line)
if not issues:
    print("- no error frames, failed or dropped connections, or missed pushes")
PY
  if want logging; then pair_spread logging "logging"; fi
  if want record; then
    pair_spread record "record vs serve"
    echo "- record: stopping after one slice of load (moving its messages from the journal): $(med record-stop wsmock) ms"
  fi
  echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------- callgrind

# Instructions per request: (Ir with N requests - Ir with none) / N, on the
# server under callgrind with the client outside it. One connection, one
# request in flight, and for wsmock no ticks and a virtual clock, so that
# the loop does the same work on every run; the echo server's figure is the
# WebSocket stack's own cost per request.
# callgrind_ir SERVER TAG REQUEST N [echo args...]
callgrind_ir() {
  local server=$1 tag=$2 request=$3 requests=$4; shift 4
  local out=$WORK/callgrind.$RANDOM port
  port=$(free_port)
  if [[ $server == wsmock ]]; then
    valgrind --tool=callgrind --callgrind-out-file="$out" "$WSMOCK" serve --host 127.0.0.1 \
      --port "$port" --no-ssl --tick 0 --clock 2024-01-20T10:30:00Z 2>>"$SERVER_LOG" &
  else
    valgrind --tool=callgrind --callgrind-out-file="$out" "$ECHO" --port "$port" "$@" \
      >/dev/null 2>>"$SERVER_LOG" &
  fi
  SERVER_PID=$!
  SERVER_PORT=$port
  wait_port "$port" 3000
  if [[ $requests -gt 0 ]]; then
    load callgrind "$server" --requests "$requests" --duration 600 --message-text "$request" > /dev/null
  else
    load callgrind "$server" --mode idle --connections 1 --duration 0.1 > /dev/null
  fi
  stop_server
  awk '/^(summary|totals):/ {print $2; exit}' "$out"
  mv "$out" "$OUT/callgrind.$server.$tag" 2>/dev/null || true
}

# callgrind_loop_ir TAG SUBCOMMAND REQUESTS [ARGS...]: user-space instructions of
# wsmock's event-loop thread (callgrind's thread 1) for REQUESTS
# getStationById requests at 50 x 8, the writer thread left out (under
# callgrind the load is light, and the writer moves the journal as it
# comes), and its estimated cycles by callgrind's cache model: Ir + 10 per
# L1 miss + 100 per last-level miss, which tracks wall-clock rates better
# where code competes for the instruction cache.
callgrind_loop_ir() {
  local tag=$1 sub=$2 requests=$3 out=$WORK/callgrind-loop.$RANDOM port; shift 3
  port=$(free_port)
  valgrind --tool=callgrind --cache-sim=yes --separate-threads=yes --callgrind-out-file="$out" \
    "$WSMOCK" "$sub" \
    "$@" --host 127.0.0.1 --port "$port" --no-ssl --tick 0 --clock 2024-01-20T10:30:00Z \
    2>>"$SERVER_LOG" &
  SERVER_PID=$!
  SERVER_PORT=$port
  wait_port "$port" 3000
  load callgrind "$tag" --connections 50 --inflight 8 --requests "$requests" --duration 600 \
       --message-text "$REQ_BYID" > /dev/null
  stop_server
  awk '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i }
       /^(summary|totals):/ {
         l1 = $col["I1mr"] + $col["D1mr"] + $col["D1mw"]
         ll = $col["ILmr"] + $col["DLmr"] + $col["DLmw"]
         print $col["Ir"], $col["Ir"] + 10 * l1 + 100 * ll
         exit }' "$out-01"
  mv "$out-01" "$OUT/callgrind.$tag-loop.$requests" 2>/dev/null || true
  rm -f "$out" "$out"-*
}

per_request() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {print (a - b) / n}'; }

# loop_per_request TAG SUBCOMMAND [ARGS...]: "Ir estimated-cycles" per
# getStationById request on the event-loop thread, REQUESTS x 10 of them
# (a run of that many plus 1,000, less a run of 1,000).
loop_per_request() {
  local tag=$1 sub=$2 n=$((CG_REQUESTS * 10)) big small; shift 2
  big=$(callgrind_loop_ir "$tag" "$sub" $((n + 1000)) "$@")
  small=$(callgrind_loop_ir "$tag" "$sub" 1000 "$@")
  awk -v a="$big" -v b="$small" -v n="$n" \
    'BEGIN { split(a, x, " "); split(b, y, " "); print (x[1] - y[1]) / n, (x[2] - y[2]) / n }'
}

run_callgrind() {
  command -v valgrind >/dev/null || { echo "bench.sh: valgrind is not installed" >&2; exit 1; }
  local header
  header=$(machine_header "callgrind, $CG_REQUESTS requests per scenario, 1 connection x 1 in flight")
  # The echo server's getStations reply: wsmock's own bytes for the request.
  start_wsmock serve --tick 0 --clock 2024-01-20T10:30:00Z
  "$LOAD" --url "ws://127.0.0.1:$SERVER_PORT/ws" --requests 1 --message-text "$REQ_ALL" \
          --save-reply "$WORK/getall.json" > /dev/null
  stop_server
  local wbase ebase
  wbase=$(callgrind_ir wsmock base "" 0)
  ebase=$(callgrind_ir echo base "" 0)
  echo "$header"
  echo
  echo "| scenario | wsmock Ir per request | echo Ir per request | ratio |"
  echo "|---|---:|---:|---:|"
  local name request w e
  for name in byid getall seed2; do
    case $name in
      byid) request=$REQ_BYID ;;
      getall) request=$REQ_ALL ;;
      seed2) request=$REQ_SEED2 ;;
    esac
    w=$(per_request "$(callgrind_ir wsmock "$name" "$request" "$CG_REQUESTS")" "$wbase" "$CG_REQUESTS")
    if [[ $name == getall ]]; then
      e=$(per_request "$(callgrind_ir echo "$name" "$request" "$CG_REQUESTS" --reply-file "$WORK/getall.json")" "$ebase" "$CG_REQUESTS")
    else
      e=$(per_request "$(callgrind_ir echo "$name" "$request" "$CG_REQUESTS")" "$ebase" "$CG_REQUESTS")
    fi
    echo "| $name | $(fmt_int "$w") | $(fmt_int "$e") | $(ratio "$w" "$e") |"
  done
  echo
  echo "Base (start, one connection, stop; no requests): wsmock $(fmt_int "$wbase") Ir, echo $(fmt_int "$ebase") Ir."
  echo
  # Recording's cost on the event loop, the figure behind the record row.
  local sloop rloop qloop s_ir s_est r_ir r_est q_ir q_est
  sloop=$(loop_per_request serve serve)
  rloop=$(loop_per_request record record "$WORK/cg.db" --overwrite)
  # Logging's cost, the figure behind the logging row.
  qloop=$(loop_per_request quiet serve --log-level off)
  read -r s_ir s_est <<< "$sloop"
  read -r r_ir r_est <<< "$rloop"
  read -r q_ir q_est <<< "$qloop"
  echo "Event-loop thread only, getStationById at 50 x 8 ($((CG_REQUESTS * 10)) requests less 1,000),"
  echo "instructions (Ir) and estimated cycles (Ir + 10 per L1 miss + 100 per last-level miss) per request:"
  echo
  echo "| | Ir | est. cycles |"
  echo "|---|---:|---:|"
  echo "| serve | $(fmt_int "$s_ir") | $(fmt_int "$s_est") |"
  echo "| record | $(fmt_int "$r_ir") | $(fmt_int "$r_est") |"
  echo "| serve --log-level off | $(fmt_int "$q_ir") | $(fmt_int "$q_est") |"
  echo "| serve/record | $(ratio "$s_ir" "$r_ir") | $(ratio "$s_est" "$r_est") |"
  echo "| off/default logging | $(ratio "$q_ir" "$s_ir") | $(ratio "$q_est" "$s_est") |"
  echo
  echo "Where wsmock's instructions per getStationById request go (inclusive, per request,"
  echo "less the no-request run; the call chain down to the lws callback is left out):"
  callgrind_top "$OUT/callgrind.wsmock.byid" "$OUT/callgrind.wsmock.base" "$CG_REQUESTS"
  echo
  echo "callgrind files: $OUT/callgrind.* (callgrind_annotate --inclusive=yes FILE)"
}

# callgrind_top RUN BASE N: inclusive Ir per request by function, RUN less BASE.
callgrind_top() {
  python3 - "$@" <<'PY'
import re, subprocess, sys
def inclusive(path):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True).stdout
    costs = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(\S.*)$", line)
        if m and "PROGRAM TOTALS" not in line:
            costs[m.group(2)] = int(m.group(1).replace(",", ""))
    return costs
def shown_name(key):  # "file:function [object]" -> "function"
    key = re.sub(r" \[[^\]]*\]$", "", key)
    return key.split(":", 1)[1] if re.match(r"^[^ (]*\.[ch]\w*:", key) or key.startswith("???:") else key
run, base, n = inclusive(sys.argv[1]), inclusive(sys.argv[2]), int(sys.argv[3])
per = {k: (v - base.get(k, 0)) / n for k, v in run.items()}
total = max(v for k, v in per.items() if shown_name(k) == "main")
shown = 0
print("| Ir per request | % | function |")
print("|---:|---:|---|")
for key, ir in sorted(per.items(), key=lambda kv: -kv[1]):
    name = shown_name(key)
    if ir >= 0.95 * total or name.startswith("0x") or name.startswith("(below"):
        continue  # main() down to lws's dispatch, and lws's unnamed internals
    print(f"| {ir:,.0f} | {100 * ir / total:.1f} | {name[:110]} |")
    shown += 1
    if shown == 15:
        break
PY
}

# ---------------------------------------------------------------- perf

run_perf() {
  command -v perf >/dev/null || { echo "bench.sh: perf is not installed (linux-perf)" >&2; exit 1; }
  machine_header "perf profile of wsmock serve, getStationById 50 x 8"
  start_wsmock serve
  "$LOAD" --url "ws://127.0.0.1:$SERVER_PORT/ws" --connections 50 --inflight 8 --warmup 0.5 \
          --duration 6 --message-text "$REQ_BYID" > "$WORK/perf-load.json" &
  local client=$!
  sleep 1
  perf record -F 2000 -p "$SERVER_PID" -o "$WORK/perf.data" -- sleep 4 2>/dev/null >/dev/null
  wait "$client" || true
  stop_server
  echo "load: $(cat "$WORK/perf-load.json")"
  echo
  echo "Time by object (self time, all threads):"
  perf report -i "$WORK/perf.data" --no-children --stdio --sort dso 2>/dev/null \
    | grep -E '^ +[0-9]' | head -8
  echo
  echo "Top symbols of wsmock serve (self time, all threads):"
  perf report -i "$WORK/perf.data" --no-children --stdio --sort dso,sym 2>/dev/null \
    | grep -E '^ +[0-9]' | head -25
}

# ---------------------------------------------------------------- main

if [[ $MODE == callgrind ]]; then run_callgrind; exit 0; fi
if [[ $MODE == perf ]]; then run_perf; exit 0; fi

HEADER=$(machine_header "$ROUNDS rounds, ${WARMUP}s warm-up + ${DURATION}s per rate run, $CONNS connections")
# The echo server's getStations reply: wsmock's own bytes for the request.
if want getall; then
  start_wsmock serve
  "$LOAD" --url "ws://127.0.0.1:$SERVER_PORT/ws" --requests 1 --message-text "$REQ_ALL" \
          --save-reply "$WORK/getall.json" > /dev/null
  stop_server
fi
if want replay; then make_replay_session; fi
PROXY=0
if want proxy && prepare_node_upstream; then PROXY=1; fi

for ((round = 1; round <= ROUNDS; round++)); do
  echo "round $round/$ROUNDS" >&2
  if want byid; then rate_round byid 50 8 "$REQ_BYID"; fi
  if want getall; then rate_round getall 10 2 "$REQ_ALL" --reply-file "$WORK/getall.json"; fi
  if want seed2; then rate_round seed2 50 8 "$REQ_SEED2"; fi
  if want latency; then latency_round; fi
  if want start; then start_round; fi
  if want idle; then idle_round; fi
  if want conns; then conns_round; fi
  if want logging; then logging_round; fi
  if want record; then record_round; fi
  if want replay; then replay_round; fi
  if [[ $PROXY == 1 ]]; then proxy_round; fi
done

echo "$HEADER"
print_table
print_notes
if want replay; then
  echo "- replay session: $(grep -v '^id' "$WORK/replay-sessions.txt" | tail -1)"
fi
