#!/usr/bin/env python3
"""Checks wsmock protocol messages against schema/messages/wsmock.schema.json.

  validate_messages.py --schema-dir DIR FILE...            JSON Lines, one message a line
  validate_messages.py --schema-dir DIR --fixture FILE...  station fixture files
  validate_messages.py --schema-dir DIR --self-test        tests the schema itself

Exit status: 0 all valid, 1 something invalid (each problem printed as
FILE:LINE: at PATH: reason), 2 bad usage or a missing schema/library.
Works with python3-jsonschema 4.10 (Debian 12) and newer; needs no network.
"""

import argparse
import copy
import json
import os
import sys
import tempfile

try:
    import jsonschema
except ImportError:  # a clear line beats a traceback in a CTest log
    sys.stderr.write("validate_messages: python3-jsonschema is required "
                     "(apt-get install python3-jsonschema)\n")
    sys.exit(2)

SCHEMA_FILE = "wsmock.schema.json"
ACTIONS = ("getStations", "getStationById", "getStationStats")
MAX_REASON = 240  # jsonschema quotes whole instances; a log line must stay readable


class ParseError(ValueError):
    pass


def _no_duplicate_keys(pairs):
    # Python keeps the last duplicate silently; a peer may keep the first.
    keys = set()
    for key, _ in pairs:
        if key in keys:
            raise ParseError(f"duplicate key '{key}'")
        keys.add(key)
    return dict(pairs)


def _no_constants(name):
    raise ParseError(f"{name} is not JSON")


def parse_json(text):
    """Strict JSON: no duplicate keys, no NaN/Infinity. Raises ParseError."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys,
                          parse_constant=_no_constants)
    except json.JSONDecodeError as e:
        raise ParseError(f"invalid JSON: {e}") from None


def format_path(parts):
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


class Schemas:
    """The bundled schema and one validator per $defs entry."""

    def __init__(self, root):
        self.root = root
        self._cls = jsonschema.validators.validator_for(root)
        self._validators = {}

    @classmethod
    def load(cls, schema_dir):
        path = os.path.join(schema_dir, SCHEMA_FILE)
        with open(path, encoding="utf-8") as f:
            return cls(parse_json(f.read()))

    def check(self):
        self._cls.check_schema(self.root)

    def validator(self, def_name):
        """A validator for one definition; None validates against the root."""
        if def_name not in self._validators:
            schema = self.root
            if def_name is not None:
                if def_name not in self.root["$defs"]:
                    raise KeyError(def_name)
                # A copy of the root pointing at one entry keeps every "#/$defs/..."
                # reference resolvable within the same document, with no resolver.
                schema = {"$schema": self.root["$schema"], "$defs": self.root["$defs"],
                          "$ref": "#/$defs/" + def_name}
            self._validators[def_name] = self._cls(schema)
        return self._validators[def_name]

    def problems(self, instance, def_name):
        errors = self.validator(def_name).iter_errors(instance)
        out = []
        for e in errors:
            reason = e.message
            if len(reason) > MAX_REASON:
                reason = reason[:MAX_REASON] + "..."
            out.append((format_path(e.absolute_path), reason))
        out.sort()
        return [f"at {path}: {reason}" for path, reason in out]


def def_name_for(message):
    """The $defs entry a message must match, or (None, why it has none)."""
    if not isinstance(message, dict):
        return None, "at $: a message must be a JSON object"
    kind = message.get("type")
    if kind in ("error", "update"):
        return kind, None
    if kind in ("request", "response"):
        action = message.get("action")
        if action in ACTIONS:
            return f"{kind}_{action}", None
        return None, (f"at $.action: {kind} action must be one of "
                      f"{', '.join(ACTIONS)}, not {json.dumps(action, ensure_ascii=False)}")
    return None, ("at $.type: must be request, response, error or update, not "
                  f"{json.dumps(kind, ensure_ascii=False)}")


def message_problems(schemas, message):
    def_name, why = def_name_for(message)
    if def_name is None:
        return [why]
    return schemas.problems(message, def_name)


def check_lines(schemas, name, lines):
    """Problems of a JSON Lines file as 'name:line: ...'. Blank lines are skipped."""
    problems = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            message = parse_json(line)
        except ParseError as e:
            problems.append(f"{name}:{number}: {e}")
            continue
        problems.extend(f"{name}:{number}: {p}" for p in message_problems(schemas, message))
    return problems


def check_message_file(schemas, path):
    try:
        with open(path, encoding="utf-8") as f:
            return check_lines(schemas, path, f.read().split("\n"))
    except (OSError, UnicodeDecodeError) as e:
        return [f"{path}: cannot read: {e}"]


def check_fixture_file(schemas, path):
    try:
        with open(path, encoding="utf-8") as f:
            fixture = parse_json(f.read())
    except (OSError, UnicodeDecodeError, ParseError) as e:
        return [f"{path}: {e}"]
    return [f"{path}: {p}" for p in schemas.problems(fixture, "fixture")]


# ---------------------------------------------------------------- self-test

STATION = {
    "id": "station_001", "name": "ЭЗС РосЭнерго №1", "city": "Москва",
    "address": "Москва, ул. Тверская, 12",
    "coordinates": {"lat": 55.755800, "lng": 37.617300},
    "owner": "РосЭнерго", "app": "ChargeApp", "status": "active",
    "currentPower": 22.5, "maxPower": 50.0, "totalEnergy": 1234.5,
    "totalSessions": 87, "errorCount": 2, "lastUpdate": "2024-01-20T10:12:34.567Z",
}
STATION_2 = dict(STATION, id="station_002", name="ЭЗС GreenCharge №2", city="Казань",
                 address="Казань, ул. Баумана, 3", coordinates={"lat": 55.7963, "lng": 49.1088},
                 owner="GreenCharge", app="PowerGO", status="inactive", currentPower=0,
                 maxPower=7.4, totalEnergy=0.0, totalSessions=0, errorCount=0)

SEED_FIELDS_MAP = ["id", "name", "city", "status", "coordinates", "owner"]
SEED_FIELDS_LIST = ["id", "name", "city", "owner", "status", "totalEnergy", "currentPower"]


def subset(station, fields):
    return {k: v for k, v in station.items() if k in fields}


def group(stations, sessions, energy, errors):
    return {"stations": stations, "sessions": sessions, "energy": energy, "errors": errors}


def stats_data():
    days = [f"2024-01-{d:02d}" for d in range(14, 21)]
    return {
        "totals": group(2, 87, 1234.5, 2),
        "byStatus": {"active": 1, "inactive": 1, "maintenance": 0, "error": 0, "offline": 0},
        "byCity": {"Москва": group(1, 87, 1234.5, 2), "Казань": group(1, 0, 0.0, 0)},
        "byOwner": {"РосЭнерго": group(1, 87, 1234.5, 2), "GreenCharge": group(1, 0, 0.0, 0)},
        "daily": [{"date": d, "sessions": 3, "energy": 61.2, "errors": 0} for d in days],
    }


def request(action, data, request_id):
    message = {"type": "request", "action": action, "requestId": request_id}
    if data is not None:
        message["data"] = data
    return message


def response(action, data, request_id):
    return {"type": "response", "action": action, "data": data, "requestId": request_id}


def error(code, message, action=None, request_id=None):
    return {"type": "error", "action": action, "requestId": request_id,
            "error": {"code": code, "message": message}}


def update():
    return {"type": "update", "action": "stationsUpdated", "data": {
        "stations": [{"id": "station_001", "status": "active", "currentPower": 31.0,
                      "lastUpdate": "2024-01-20T10:30:30.000Z"}],
        "timestamp": "2024-01-20T10:30:30.000Z"}}


def valid_messages():
    """(name, message) pairs that must be accepted."""
    return [
        ("seed map request", request("getStations", {"fields": SEED_FIELDS_MAP}, "req_123")),
        ("seed list request", request("getStations", {
            "fields": SEED_FIELDS_LIST, "filters": {"city": "Москва", "status": "active"},
            "pagination": {"page": 1, "limit": 20}}, "req_124")),
        ("seed station request", request("getStationById", {"stationId": "station_001"}, "req_125")),
        ("getStations without data", request("getStations", None, 42)),
        ("filters as arrays", request("getStations", {
            "filters": {"status": ["active", "error"], "owner": ["PowerNet"]}}, 1.5)),
        ("stats request", request("getStationStats", {"days": 7}, "req_126")),
        ("stats for one station", request("getStationStats", {
            "stationId": "station_001", "filters": {"city": ["Москва", "Казань"]}, "days": 90}, "s")),
        ("seed map response", response("getStations", {
            "stations": [subset(STATION, SEED_FIELDS_MAP), subset(STATION_2, SEED_FIELDS_MAP)],
            "total": 100, "page": 1, "limit": 50}, "req_123")),
        ("seed list response", response("getStations", {
            "stations": [subset(STATION, SEED_FIELDS_LIST)], "total": 1, "page": 1, "limit": 20},
            "req_124")),
        ("empty page", response("getStations",
                                {"stations": [], "total": 0, "page": 3, "limit": 0}, 7)),
        ("seed station response", response("getStationById", {"station": STATION}, "req_125")),
        ("a fixture's own id, city, owner and app", response("getStationById", {"station": dict(
            STATION, id="ABC-1", city="Berlin", owner="Acme Charging", app="Waze")}, "r")),
        ("stats response", response("getStationStats", stats_data(), "req_126")),
        ("undecodable request", error("INVALID_JSON", "expected a JSON object at offset 0")),
        ("station not found", error("STATION_NOT_FOUND", "station 'station_999' not found",
                                    "getStationById", "req_9")),
        ("no recording", error("NO_RECORDING", "no recorded reply", "getStations", 3)),
        ("update", update()),
    ]


def at(message, path, value=None, delete=False):
    """A deep copy of message with the member at path set (or deleted)."""
    out = copy.deepcopy(message)
    node = out
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


def invalid_messages():
    """(name, message, path the reported problem must name)."""
    seed_req = request("getStations", {"fields": SEED_FIELDS_MAP}, "req_123")
    by_id = response("getStationById", {"station": STATION}, "req_125")
    lst = response("getStations", {"stations": [STATION], "total": 1, "page": 1, "limit": 1}, 1)
    stats = response("getStationStats", stats_data(), "req_126")
    not_found = error("STATION_NOT_FOUND", "station 'station_999' not found", "getStationById", 9)
    st = ["data", "station"]
    return [
        ("wrong error code", at(not_found, ["error", "code"], "NOT_FOUND"), "$.error.code"),
        ("empty error message", at(not_found, ["error", "message"], ""), "$.error.message"),
        ("error without requestId", at(not_found, ["requestId"], delete=True), "$"),
        ("error with extra member", at(not_found, ["error", "detail"], "x"), "$.error"),
        ("request without requestId", at(seed_req, ["requestId"], delete=True), "$"),
        ("requestId neither string nor number", at(seed_req, ["requestId"], True), "$.requestId"),
        ("getStationById without data", request("getStationById", None, "r"), "$"),
        ("unknown filter", at(seed_req, ["data", "filters"], {"region": "x"}), "$.data.filters"),
        ("limit over 1000", at(seed_req, ["data", "pagination"], {"limit": 1001}),
         "$.data.pagination.limit"),
        ("page 0", at(seed_req, ["data", "pagination"], {"page": 0}), "$.data.pagination.page"),
        ("fields not an array", at(seed_req, ["data", "fields"], "id"), "$.data.fields"),
        ("days over 90", request("getStationStats", {"days": 91}, 1), "$.data.days"),
        ("unknown action", at(seed_req, ["action"], "getFoo"), "$.action"),
        ("unknown type", at(seed_req, ["type"], "ping"), "$.type"),
        ("unknown station field", at(by_id, st + ["color"], "red"), "$.data.station"),
        ("unknown station field in list", at(lst, ["data", "stations", 0, "color"], "red"),
         "$.data.stations[0]"),
        ("empty station id", at(by_id, st + ["id"], ""), "$.data.station.id"),
        ("empty city", at(by_id, st + ["city"], ""), "$.data.station.city"),
        ("owner not a string", at(by_id, st + ["owner"], 7), "$.data.station.owner"),
        ("empty app", at(by_id, st + ["app"], ""), "$.data.station.app"),
        ("unknown status", at(by_id, st + ["status"], "broken"), "$.data.station.status"),
        ("latitude over 90", at(by_id, st + ["coordinates", "lat"], 91), "$.data.station.coordinates.lat"),
        ("maxPower zero", at(by_id, st + ["maxPower"], 0), "$.data.station.maxPower"),
        ("negative power", at(by_id, st + ["currentPower"], -1), "$.data.station.currentPower"),
        ("fractional sessions", at(by_id, st + ["totalSessions"], 1.5), "$.data.station.totalSessions"),
        ("lastUpdate without milliseconds", at(by_id, st + ["lastUpdate"], "2024-01-20T10:30:00Z"),
         "$.data.station.lastUpdate"),
        ("lastUpdate with offset", at(by_id, st + ["lastUpdate"], "2024-01-20T10:30:00.000+03:00"),
         "$.data.station.lastUpdate"),
        ("lastUpdate with trailing newline",
         at(by_id, st + ["lastUpdate"], "2024-01-20T10:30:00.000Z\n"), "$.data.station.lastUpdate"),
        ("list response without total", at(lst, ["data", "total"], delete=True), "$.data"),
        ("bad daily date", at(stats, ["data", "daily", 0, "date"], "2024-1-20"),
         "$.data.daily[0].date"),
        ("daily month 13", at(stats, ["data", "daily", 0, "date"], "2024-13-01"),
         "$.data.daily[0].date"),
        ("byStatus missing a status", at(stats, ["data", "byStatus", "offline"], delete=True),
         "$.data.byStatus"),
        ("byCity with an empty city", at(stats, ["data", "byCity", ""], group(1, 0, 0, 0)),
         "$.data.byCity"),
        ("totals missing energy", at(stats, ["data", "totals", "energy"], delete=True),
         "$.data.totals"),
        ("update station without lastUpdate",
         at(update(), ["data", "stations", 0, "lastUpdate"], delete=True), "$.data.stations[0]"),
        ("update with a full station", at(update(), ["data", "stations", 0], STATION),
         "$.data.stations[0]"),
        ("update with wrong action", at(update(), ["action"], "stationUpdated"), "$.action"),
        ("update with bad timestamp", at(update(), ["data", "timestamp"], "yesterday"),
         "$.data.timestamp"),
    ]


def invalid_fixtures():
    return [
        ("empty fixture", [], "$"),
        ("empty stations member", {"stations": []}, "$.stations"),
        ("station missing a field", [at(STATION, ["app"], delete=True)], "$[0]"),
        ("unknown top-level member", {"stations": [STATION], "version": 1}, "$"),
        # The fixture loader refuses these three too, with the same reasons.
        ("station with a misspelt field",
         [{("curentPower" if k == "currentPower" else k): v for k, v in STATION.items()}], "$[0]"),
        ("station with an unknown coordinate",
         [dict(STATION, coordinates={"lat": 55.7558, "lng": 37.6173, "alt": 140})],
         "$[0].coordinates"),
        ("lastUpdate without milliseconds", [dict(STATION, lastUpdate="2024-01-20T10:12:34Z")],
         "$[0].lastUpdate"),
        ("not a list", "stations", "$"),
    ]


class SelfTest:
    def __init__(self, schemas):
        self.schemas = schemas
        self.passed = 0
        self.failures = []

    def expect(self, ok, name, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"FAIL {name}{': ' + detail if detail else ''}")

    def run(self):
        self.check_schema()
        for name, message in valid_messages():
            self.expect_valid(name, message)
        for name, message, path in invalid_messages():
            self.expect_invalid(name, message, path)
        for name, fixture in (("fixture array", [STATION, STATION_2]),
                              ("fixture object", {"stations": [STATION]})):
            problems = self.schemas.problems(fixture, "fixture")
            self.expect(not problems, name, "; ".join(problems))
        for name, answer, entry, ok in (
                ("serve health", {"status": "ok", "mode": "serve", "clients": 2, "tickIndex": 3},
                 "controlHealth", True),
                ("replay health", {"status": "ok", "mode": "replay", "clients": 0},
                 "controlHealth", True),
                ("proxy health", {"status": "ok", "mode": "proxy", "clients": 0},
                 "controlHealth", True),
                ("health in another mode", {"status": "ok", "mode": "mirror", "clients": 0},
                 "controlHealth", False),
                ("control error", {"error": "/__wsmock/tick takes POST"}, "controlError", True),
                ("station answer", {"station": STATION}, "controlStation", True),
                ("station answer with a partial station", {"station": {"id": "station_001"}},
                 "controlStation", False),
                ("station change", {"status": "error"}, "controlStationChange", True),
                ("empty station change", {}, "controlStationChange", False),
                ("station change of the name", {"name": "x"}, "controlStationChange", False),
                ("disconnect answer", {"closed": 2, "code": 4000}, "controlDisconnect", True),
                ("disconnect request", {"code": 1012, "reason": "restart"},
                 "controlDisconnectRequest", True),
                ("disconnect with 1006", {"code": 1006}, "controlDisconnectRequest", False),
                ("drop", {"drop": True}, "controlDisconnectRequest", True),
                ("no drop, a code", {"drop": False, "code": 4000}, "controlDisconnectRequest",
                 True),
                ("drop with a code", {"drop": True, "code": 4000}, "controlDisconnectRequest",
                 False),
                ("drop with a reason", {"drop": True, "reason": "x"}, "controlDisconnectRequest",
                 False),
                ("drop answer", {"closed": 1, "code": 1006}, "controlDisconnect", True),
                ("clients", {"clients": [{"id": 1, "address": "127.0.0.1", "path": "/ws"}]},
                 "controlClients", True),
                ("no clients", {"clients": []}, "controlClients", True),
                ("client without id", {"clients": [{"address": "127.0.0.1", "path": "/ws"}]},
                 "controlClients", False),
                ("push answer", {"sent": 3}, "controlPush", True),
                ("request journal", {"requests": [
                    {"seq": 1, "client": 1, "frame": "{}", "size": 2},
                    {"seq": 2, "client": 1, "frame": "AAEC", "size": 3, "binary": True},
                    {"seq": 3, "client": 2, "frame": "aaaa", "size": 5000, "cut": True}]},
                 "controlRequests", True),
                ("request journal entry without its client",
                 {"requests": [{"seq": 1, "frame": "{}", "size": 2}]}, "controlRequests", False),
                ("journal cleared", {"cleared": 2}, "controlCleared", True),
                ("stub", {"match": {"action": "getStations", "data": {"filters": {"city": "x"}}},
                          "data": {"stations": []}, "delayMs": 10, "times": 1,
                          "close": {"code": 4000}}, "controlStub", True),
                ("stub that drops", {"close": {"drop": True}}, "controlStub", True),
                ("stub with two answers", {"data": {}, "frame": "x"}, "controlStub", False),
                ("stub that lets the request continue late", {"continue": True, "delayMs": 500},
                 "controlStub", True),
                ("stub that continues and answers", {"continue": True, "error": {"code": "X",
                 "message": "m"}}, "controlStub", False),
                ("stub with continue false", {"continue": False}, "controlStub", False),
                ("stub that drops after an answer", {"close": {"drop": True}, "data": {}},
                 "controlStub", False),
                ("stub with a misspelt member", {"dta": {}}, "controlStub", False),
                ("stubs listed", {"stubs": [{"id": 1, "hits": 0, "timesLeft": 2,
                                             "stub": {"frame": "x", "times": 2}}]},
                 "controlStubs", True),
                ("stub set", {"id": 3}, "controlStubSet", True),
                ("stubs removed", {"removed": 0}, "controlStubsRemoved", True),
                ("push answer with a negative count", {"sent": -1}, "controlPush", False),
                ("disconnect with a long reason", {"reason": "x" * 124},
                 "controlDisconnectRequest", False),
                ("empty control error", {"error": ""}, "controlError", False)):
            problems = self.schemas.problems(answer, entry)
            self.expect(not problems if ok else bool(problems), name, "; ".join(problems))
        for name, fixture, path in invalid_fixtures():
            problems = self.schemas.problems(fixture, "fixture")
            self.expect(any(p.startswith(f"at {path}:") for p in problems), name,
                        f"expected a problem at {path}, got {problems}")
        self.check_json_lines()
        for f in self.failures:
            print(f)
        print(f"schema self-test: {self.passed} passed, {len(self.failures)} failed")
        return 0 if not self.failures else 1

    def check_schema(self):
        try:
            self.schemas.check()
            self.expect(True, "schema is a valid 2020-12 schema")
        except jsonschema.exceptions.SchemaError as e:
            self.expect(False, "schema is a valid 2020-12 schema", e.message)
        defs = self.schemas.root["$defs"]
        for ref in sorted(set(_refs(self.schemas.root))):
            # Every reference must stay inside this file, so nothing is fetched.
            local = ref.startswith("#/$defs/") and ref[len("#/$defs/"):] in defs
            self.expect(local, f"$ref {ref} resolves within the file")

    def expect_valid(self, name, message):
        problems = message_problems(self.schemas, message)
        self.expect(not problems, name, "; ".join(problems))
        self.expect(self.schemas.validator(None).is_valid(message),
                    f"{name} (root oneOf)", "rejected by the root schema")

    def expect_invalid(self, name, message, path):
        problems = message_problems(self.schemas, message)
        self.expect(any(p.startswith(f"at {path}:") for p in problems), name,
                    f"expected a problem at {path}, got {problems}")
        self.expect(not self.schemas.validator(None).is_valid(message),
                    f"{name} (root oneOf)", "accepted by the root schema")

    def check_json_lines(self):
        good = [json.dumps(m, ensure_ascii=False) for _, m in valid_messages()[:3]]
        lines = good[:2] + ["", good[2],
                            json.dumps(at(update(), ["data", "timestamp"], "x")),
                            "{\"type\": \"error\"",
                            '{"type":"update","type":"update"}',
                            '{"type":"request","action":"getStations","requestId":NaN}']
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "messages.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            problems = check_message_file(self.schemas, path)
        lines_named = sorted({p[len(path) + 1:].split(":", 1)[0] for p in problems})
        self.expect(lines_named == ["5", "6", "7", "8"], "JSON Lines problems name file:line",
                    f"got {problems}")
        self.expect(bool(problems) and "at $.data.timestamp:" in problems[0],
                    "JSON Lines problem names the failing path", f"got {problems[:1]}")
        self.expect(any("duplicate key 'type'" in p for p in problems),
                    "duplicate keys are rejected", f"got {problems}")
        self.expect(any("NaN is not JSON" in p for p in problems),
                    "NaN is rejected", f"got {problems}")


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# ---------------------------------------------------------------- main

def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schema-dir", required=True, help="directory holding " + SCHEMA_FILE)
    parser.add_argument("--self-test", action="store_true", help="test the schema itself")
    parser.add_argument("--fixture", action="store_true",
                        help="FILEs are station fixtures, not JSON Lines messages")
    parser.add_argument("files", nargs="*", metavar="FILE")
    args = parser.parse_args(argv)
    if not args.self_test and not args.files:
        parser.error("give FILEs to check or --self-test")
    try:
        schemas = Schemas.load(args.schema_dir)
    except (OSError, ParseError) as e:
        sys.stderr.write(f"validate_messages: cannot load schema: {e}\n")
        return 2
    if args.self_test:
        status = SelfTest(schemas).run()
        if status:
            return status
    check = check_fixture_file if args.fixture else check_message_file
    problems = []
    for path in args.files:
        problems.extend(check(schemas, path))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
