#!/usr/bin/env python3
"""Runs the real wsmock binary and checks every frame it sends against the schema.

  live_messages.py --wsmock PATH [--schema-dir DIR]

Starts `PATH serve --seed 42 --port 0 --no-ssl --tick 0.2 --clock ... --host 127.0.0.1`,
takes the port from the "Server started at ws://HOST:PORT/PATH" line on its stderr,
sends the seed's requests, a getStationStats and one frame per error case, waits for
an update, validates every frame received, checks each control endpoint answer
(/__wsmock/...) against its $defs entry, then sends SIGTERM and requires exit 0.
Every wait has a deadline. Exit status: 0 all good, 1 a check failed, 2 setup error
(binary or python3-websockets missing).
"""

import argparse
import asyncio
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_messages as vm  # noqa: E402  (sibling module, path set just above)

DEFAULT_SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  "..", "..", "schema", "messages")
SERVE_ARGS = ["serve", "--seed", "42", "--port", "0", "--no-ssl", "--tick", "0.2",
              "--clock", "2024-01-20T10:30:00Z", "--host", "127.0.0.1"]
BANNER = re.compile(r"Server started at ws://[^\s/]+:(\d+)(/\S*)?")
STARTUP_TIMEOUT = 15.0   # seconds until the banner
REPLY_TIMEOUT = 5.0      # seconds for each reply
UPDATE_TIMEOUT = 10.0    # seconds for the first update (ticks are 0.2 s)
EXIT_TIMEOUT = 10.0      # seconds from SIGTERM to exit
TOTAL_TIMEOUT = 90.0     # the whole conversation
MAX_FRAMES = 100000      # bounds every receive loop besides its deadline
REEXEC_MARK = "WSMOCK_LIVE_MESSAGES_REEXEC"
SYSTEM_PYTHON = "/usr/bin/python3"


def import_websockets():
    try:
        import websockets
        import websockets.exceptions  # not loaded by the package's lazy __init__
        return websockets
    except ImportError:
        pass
    # Debian's python3-websockets lands in the system interpreter; a python3 found
    # first on PATH (pyenv, a venv) may not see it, so retry once with that one.
    same = os.path.realpath(sys.executable) == os.path.realpath(SYSTEM_PYTHON)
    if not os.environ.get(REEXEC_MARK) and os.path.exists(SYSTEM_PYTHON) and not same:
        env = dict(os.environ, **{REEXEC_MARK: "1"})
        os.execve(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:], env)
    sys.stderr.write("live_messages: python3-websockets is required "
                     "(apt-get install python3-websockets)\n")
    sys.exit(2)


# ---------------------------------------------------------------- the server process

class Server:
    """The wsmock child process; its output is drained by threads so it never blocks."""

    def __init__(self, binary):
        self.args = [binary] + SERVE_ARGS
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.log = []                  # every output line, for failure reports
        self.log_lock = threading.Lock()
        self.stderr_lines = queue.Queue()
        for stream, tag in ((self.proc.stdout, "out"), (self.proc.stderr, "err")):
            threading.Thread(target=self._drain, args=(stream, tag), daemon=True).start()

    def _drain(self, stream, tag):
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.log_lock:
                self.log.append(f"[{tag}] {line}")
            if tag == "err":
                self.stderr_lines.put(line)
        if tag == "err":
            self.stderr_lines.put(None)  # EOF

    def wait_banner(self, timeout):
        """(port, path) from the banner, or raises RuntimeError."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"no 'Server started at ws://' line within {timeout:.0f} s")
            try:
                line = self.stderr_lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                code = self.proc.wait(timeout=EXIT_TIMEOUT)
                raise RuntimeError(f"server exited with {code} before it started")
            match = BANNER.search(line)
            if match:
                port = int(match.group(1))
                if port == 0:
                    raise RuntimeError(f"banner names port 0: {line}")
                return port, match.group(2) or "/ws"

    def stop(self, timeout):
        """SIGTERM, then the exit code; None (after SIGKILL) when it did not exit in time."""
        if self.proc.poll() is not None:
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=timeout)
            return None

    def log_tail(self, count=30):
        with self.log_lock:
            return self.log[-count:]


# ---------------------------------------------------------------- the conversation

def request(action, data, request_id):
    return json.dumps({"type": "request", "action": action, "data": data,
                       "requestId": request_id}, ensure_ascii=False)


class Case:
    """One frame sent and the reply it must get."""

    def __init__(self, name, frame, kind, request_id=None, code=None, check=None):
        self.name = name
        self.frame = frame
        self.kind = kind              # "response" or "error"
        self.request_id = request_id  # the value echoed back; None: the reply must say null
        self.code = code              # error code for kind "error"
        self.check = check            # extra semantic check: data -> list of problems


def check_fields(fields):
    def check(data):
        stations = data.get("stations", [])
        return [f"station {i} has fields {sorted(s)}, asked for {sorted(fields)}"
                for i, s in enumerate(stations) if set(s) != set(fields)]
    return check


def check_seed_map(data):
    problems = check_fields(vm.SEED_FIELDS_MAP)(data)
    if len(data["stations"]) != data["total"]:
        problems.append(f"without pagination all {data['total']} stations are due, "
                        f"got {len(data['stations'])}")
    return problems


def check_seed_list(data):
    problems = check_fields(vm.SEED_FIELDS_LIST)(data)
    for i, s in enumerate(data["stations"]):
        if s.get("city") != "Москва" or s.get("status") != "active":
            problems.append(f"station {i} does not match the filters: {s.get('city')}, "
                            f"{s.get('status')}")
    if data["page"] != 1 or data["limit"] != 20 or len(data["stations"]) > 20:
        problems.append(f"page {data['page']} limit {data['limit']} with "
                        f"{len(data['stations'])} stations; wanted page 1, limit 20")
    return problems


def check_station_001(data):
    sid = data["station"].get("id")
    return [] if sid == "station_001" else [f"asked for station_001, got {sid}"]


def check_stats(data):
    problems = []
    if len(data["daily"]) != 7:
        problems.append(f"days 7 gave {len(data['daily'])} daily entries")
    if sum(data["byStatus"].values()) != data["totals"]["stations"]:
        problems.append("byStatus does not add up to totals.stations")
    return problems


def cases():
    seed_map = {"fields": vm.SEED_FIELDS_MAP}
    seed_list = {"fields": vm.SEED_FIELDS_LIST, "filters": {"city": "Москва", "status": "active"},
                 "pagination": {"page": 1, "limit": 20}}
    return [
        Case("seed map request", request("getStations", seed_map, "req_123"), "response",
             "req_123", check=check_seed_map),
        Case("seed list request", request("getStations", seed_list, "req_124"), "response",
             "req_124", check=check_seed_list),
        Case("seed station request", request("getStationById", {"stationId": "station_001"},
                                             "req_125"), "response", "req_125",
             check=check_station_001),
        Case("stats request", request("getStationStats", {"days": 7}, 126), "response", 126,
             check=check_stats),
        Case("invalid JSON", '{"type":"request",', "error", code="INVALID_JSON"),
        Case("not an object", "[1,2,3]", "error", code="INVALID_REQUEST"),
        Case("missing requestId", '{"type":"request","action":"getStations","data":{}}',
             "error", code="INVALID_REQUEST"),
        Case("unknown action", request("getFoo", {}, "req_e1"), "error", "req_e1",
             code="UNKNOWN_ACTION"),
        Case("limit over 1000", request("getStations", {"pagination": {"limit": 1001}}, "req_e2"),
             "error", "req_e2", code="INVALID_PARAMS"),
        Case("days 0", request("getStationStats", {"days": 0}, 77), "error", 77,
             code="INVALID_PARAMS"),
        Case("unknown station", request("getStationById", {"stationId": "station_999"},
                                        "req_e3"), "error", "req_e3", code="STATION_NOT_FOUND"),
    ]


def reply_problems(case, message):
    """What is wrong with a schema-valid reply to case, beyond the schema."""
    kind = message.get("type")
    if kind != case.kind:
        return [f"expected a {case.kind}, got a {kind}: {json.dumps(message)[:200]}"]
    problems = []
    if kind == "error" and message["error"]["code"] != case.code:
        problems.append(f"expected {case.code}, got {message['error']['code']}")
    if message.get("requestId") != case.request_id:
        problems.append(f"requestId {message.get('requestId')!r} is not the "
                        f"{case.request_id!r} sent")
    if kind == "response" and case.check is not None:
        problems.extend(case.check(message["data"]))
    return problems


class Conversation:
    def __init__(self, websockets, schemas, url, control):
        self.websockets = websockets
        self.schemas = schemas
        self.url = url
        self.control = control  # http://HOST:PORT/__wsmock/
        self.frames = 0
        self.updates = 0
        self.passed = 0
        self.failures = []

    def result(self, ok, name, problems=()):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failures.append(name)
            print(f"FAIL {name}")
            for p in problems:
                print(f"       {p}")

    async def receive(self, ws, deadline):
        """The next frame, validated; None on timeout. Updates are counted."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        try:
            frame = await asyncio.wait_for(ws.recv(), remaining)
        except asyncio.TimeoutError:
            return None
        self.frames += 1
        name = f"frame {self.frames} is a valid message"
        if isinstance(frame, bytes):
            self.result(False, name, ["binary frame; the protocol sends text"])
            return {}
        try:
            message = vm.parse_json(frame)
        except vm.ParseError as e:
            self.result(False, name, [str(e), frame[:200]])
            return {}
        problems = vm.message_problems(self.schemas, message)
        if not isinstance(message, dict):
            self.result(False, name, problems)
            return {}
        self.result(not problems, name + f" ({message.get('type')})", problems)
        if message.get("type") == "update":
            self.updates += 1
        return message

    async def next_reply(self, ws):
        """Skips (validated) updates until a reply arrives; None on timeout."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        for _ in range(MAX_FRAMES):
            message = await self.receive(ws, deadline)
            if message is None or message.get("type") != "update":
                return message
        return None

    async def run(self):
        async with self.websockets.connect(self.url, open_timeout=REPLY_TIMEOUT,
                                           close_timeout=REPLY_TIMEOUT, max_size=16 << 20,
                                           compression=None, ping_interval=None) as ws:
            for case in cases():
                await ws.send(case.frame)
                message = await self.next_reply(ws)
                if message is None:
                    self.result(False, case.name, [f"no reply within {REPLY_TIMEOUT:.0f} s"])
                    continue
                problems = reply_problems(case, message)
                self.result(not problems, f"{case.name} -> {case.kind}", problems)
            await self.wait_update(ws)
            await asyncio.to_thread(self.check_control)

    def control_answer(self, method, route, body=None):
        """(HTTP status, parsed JSON body) of one control request."""
        request = urllib.request.Request(self.control + route, method=method,
                                         data=None if body is None else body.encode())
        try:
            with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def check_control(self):
        """Every control answer the client under test may get, against its $defs entry."""
        for method, route, body, status, entry in (
                ("GET", "health", None, 200, "controlHealth"),
                ("POST", "tick", None, 200, "controlHealth"),
                ("GET", "clients", None, 200, "controlClients"),
                ("POST", "stations/station_001", '{"status":"error"}', 200, "controlStation"),
                ("POST", "push", '{"type":"update","action":"x","data":{}}', 200, "controlPush"),
                ("POST", "clients/1/push", "hello", 200, "controlPush"),
                ("GET", "requests", None, 200, "controlRequests"),
                ("DELETE", "requests", None, 200, "controlCleared"),
                ("POST", "stubs", '{"match":{"action":"noSuchAction"},"data":{}}', 200,
                 "controlStubSet"),
                ("GET", "stubs", None, 200, "controlStubs"),
                ("DELETE", "stubs/1", None, 200, "controlStubsRemoved"),
                ("POST", "stubs", '{"dta":{}}', 400, "controlError"),
                ("POST", "reset", None, 200, "controlHealth"),
                ("POST", "stations/station_001", '{"status":"x"}', 400, "controlError"),
                ("GET", "nothing", None, 404, "controlError"),
                ("GET", "tick", None, 405, "controlError"),
                ("POST", "clients/1/disconnect", '{"code":4000}', 200, "controlDisconnect")):
            name = f"control {method} {route} -> {status} {entry}"
            try:
                got, answer = self.control_answer(method, route, body)
            except (OSError, ValueError) as e:
                self.result(False, name, [f"{type(e).__name__}: {e}"])
                continue
            problems = self.schemas.problems(answer, entry)
            if got != status:
                problems.append(f"HTTP {got}")
            self.result(not problems, name, problems)

    async def wait_update(self, ws):
        deadline = time.monotonic() + UPDATE_TIMEOUT
        for _ in range(MAX_FRAMES):
            if self.updates > 0:
                break
            message = await self.receive(ws, deadline)
            if message is None:
                break
            if message.get("type") not in (None, "update"):
                self.result(False, "only updates arrive unasked",
                            [f"got a {message.get('type')}"])
        self.result(self.updates > 0, f"an update arrives within {UPDATE_TIMEOUT:.0f} s")


# ---------------------------------------------------------------- main

def run(binary, schemas, websockets):
    server = Server(binary)
    try:
        port, path = server.wait_banner(STARTUP_TIMEOUT)
        url = f"ws://127.0.0.1:{port}{path}"
        print(f"live_messages: {' '.join(server.args)} -> {url}")
        talk = Conversation(websockets, schemas, url, f"http://127.0.0.1:{port}/__wsmock/")
        try:
            asyncio.run(asyncio.wait_for(talk.run(), TOTAL_TIMEOUT))
        except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as e:
            talk.result(False, "conversation completes", [f"{type(e).__name__}: {e}"])
        code = server.stop(EXIT_TIMEOUT)
        talk.result(code == 0, "SIGTERM makes the server exit with 0",
                    [f"exit code {code}" if code is not None else
                     f"still running {EXIT_TIMEOUT:.0f} s after SIGTERM (killed)"])
        passed, failed = talk.passed, len(talk.failures)
    except RuntimeError as e:
        print(f"FAIL server start: {e}")
        passed, failed = 0, 1
    finally:
        server.stop(EXIT_TIMEOUT)  # no-op when it already exited
    if failed:
        print("server output (last lines):")
        for line in server.log_tail():
            print(f"  {line}")
    print(f"live messages: {passed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wsmock", required=True, help="path of the wsmock binary")
    parser.add_argument("--schema-dir", default=DEFAULT_SCHEMA_DIR,
                        help="directory holding " + vm.SCHEMA_FILE)
    args = parser.parse_args(argv)
    if not (os.path.isfile(args.wsmock) and os.access(args.wsmock, os.X_OK)):
        sys.stderr.write(f"live_messages: wsmock binary '{args.wsmock}' not found or not "
                         "executable; build the wsmock target first\n")
        return 2
    websockets = import_websockets()
    try:
        schemas = vm.Schemas.load(args.schema_dir)
    except (OSError, vm.ParseError) as e:
        sys.stderr.write(f"live_messages: cannot load schema: {e}\n")
        return 2
    return run(args.wsmock, schemas, websockets)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
