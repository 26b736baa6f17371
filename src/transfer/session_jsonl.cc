#include "transfer/session_jsonl.h"

#include <set>
#include <utility>

#include "transfer/base64.h"
#include "transfer/line_fields.h"
#include "transfer/raw_json.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/json_scan.h"
#include "util/printable_text.h"
#include "util/utf8.h"

namespace wsmock::transfer {
namespace {

// A value embedded in a line sits one level deeper than the line itself, a
// station two (line, then the "stations" array); the line must still parse
// within json::kMaxDepth.
constexpr int kMemberDepth = json::kMaxDepth - 1;
constexpr int kStationDepth = json::kMaxDepth - 2;

// --- Writing -------------------------------------------------------------

void Begin(std::string* out, const char* type) {
  out->append("{\"type\":\"");
  out->append(type);
  out->push_back('"');
}

void Key(std::string* out, const char* key) {
  out->append(",\"");
  out->append(key);
  out->append("\":");
}

void Int(std::string* out, const char* key, int64_t value) {
  Key(out, key);
  out->append(std::to_string(value));
}

template <typename T>
void OptionalInt(std::string* out, const char* key, const std::optional<T>& value) {
  if (value.has_value()) {
    Int(out, key, *value);
  } else {
    Key(out, key);
    out->append("null");
  }
}

void String(std::string* out, const char* key, std::string_view value) {
  Key(out, key);
  json::AppendString(out, value);
}

void OptionalString(std::string* out, const char* key, const std::optional<std::string>& value) {
  if (value.has_value()) {
    String(out, key, *value);
  } else {
    Key(out, key);
    out->append("null");
  }
}

void End(std::string* out) { out->append("}\n"); }

// The most readable form that still gives back the frame's exact bytes.
void AppendPayload(std::string* out, const store::MessageRow& row) {
  if (row.binary) {
    String(out, "base64", Base64Encode(row.payload));
  } else if (IsEmbeddableJson(row.payload, kMemberDepth)) {
    Key(out, "json");
    out->append(row.payload);
  } else if (IsValidUtf8(row.payload) && row.payload.find('\0') == std::string::npos) {
    // A NUL would come back cut short through cJSON's C strings.
    String(out, "text", row.payload);
  } else {
    String(out, "textBase64", Base64Encode(row.payload));
  }
}

bool IsEmbeddableObject(std::string_view text, int max_depth) {
  return text.starts_with('{') && IsEmbeddableJson(text, max_depth);
}

// True when `station_json` is an object whose "id" is `station_id`.
bool StationIdMatches(const store::StationRow& row) {
  if (!IsEmbeddableObject(row.station_json, kStationDepth)) return false;
  Result<json::JsonPtr> parsed = json::Parse(row.station_json);
  if (!parsed.ok()) return false;
  const cJSON* id = cJSON_GetObjectItemCaseSensitive(parsed->get(), "id");
  return cJSON_IsString(id) && row.station_id == id->valuestring;
}

// --- Parsing -------------------------------------------------------------

bool OneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (value == a) return true;
  }
  return false;
}

// Reads "format" before anything else: a newer file may have other fields,
// and "too new" is the error that tells the user what to do.
Status CheckFormat(LineFields* f) {
  const int64_t format = f->Int("format");
  if (!f->status().ok()) return f->status();
  if (format > kFormatVersion) {
    return Status::Unsupported("session: format " + std::to_string(format) +
                               " is newer than this wsmock reads (" +
                               std::to_string(kFormatVersion) + ")");
  }
  if (format < 1) f->FailField("format", "must be " + std::to_string(kFormatVersion));
  return f->status();
}

Result<Line> ParseSession(std::string_view line, const cJSON* root) {
  LineFields f(line, root, "session");
  WSMOCK_RETURN_IF_ERROR(CheckFormat(&f));
  f.CheckMembers({"type", "format", "id", "startedAt", "startedAtUs", "endedAtUs", "mode",
                  "wsmockVersion", "options", "upstream"});
  store::SessionInfo info;
  info.id = f.Int("id");
  const std::string started_iso = f.String("startedAt");
  info.started_at = f.Int("startedAtUs");
  info.ended_at = f.OptionalInt("endedAtUs");
  info.mode = f.String("mode");
  info.wsmock_version = f.String("wsmockVersion");
  if (f.Has("options") && !cJSON_IsObject(f.Node("options"))) {
    f.FailField("options", "must be an object");
  }
  info.options_json = f.EmbeddableRaw("options", kMemberDepth);
  const std::optional<std::string> upstream = f.OptionalString("upstream");
  if (!f.status().ok()) return f.status();
  // startedAt is for people; startedAtUs is the value. Disagreement means a
  // hand edit of one of them, and guessing which one was meant is worse.
  const std::string expected_iso = FormatIso8601(info.started_at);
  if (started_iso != expected_iso) {
    f.FailField("startedAt", "must be \"" + expected_iso + "\", the time of 'startedAtUs'");
  }
  if (!OneOf(info.mode, {"serve", "record", "proxy", "import"})) {
    f.FailField("mode", "must be \"serve\", \"record\", \"proxy\" or \"import\"");
  }
  if (upstream.has_value() && upstream->empty()) {
    f.FailField("upstream", "must be a non-empty string or null");
  }
  if (!f.status().ok()) return f.status();
  info.upstream = upstream.value_or("");
  return Line(std::move(info));
}

Result<Line> ParseConnection(std::string_view line, const cJSON* root) {
  LineFields f(line, root, "connection");
  f.CheckMembers(
      {"type", "session", "id", "openedAtUs", "closedAtUs", "peer", "path", "closeCode"});
  store::ConnectionRow row;
  row.session_id = f.Int("session");
  row.id = f.Int("id");
  row.opened_at = f.Int("openedAtUs");
  row.closed_at = f.OptionalInt("closedAtUs");
  row.peer = f.String("peer");
  row.path = f.String("path");
  const std::optional<int64_t> code = f.OptionalInt("closeCode");
  if (code.has_value() && (*code < 0 || *code > 65535)) {
    f.FailField("closeCode", "must be between 0 and 65535, or null");
  }
  if (!f.status().ok()) return f.status();
  if (code.has_value()) row.close_code = static_cast<int>(*code);
  return Line(std::move(row));
}

void ReadPayload(LineFields* f, store::MessageRow* row) {
  const char* which = nullptr;
  int count = 0;
  for (const char* key : {"json", "text", "base64", "textBase64"}) {
    if (f->Has(key)) {
      which = key;
      ++count;
    }
  }
  if (count != 1) {
    f->Fail("needs exactly one of the fields 'json', 'text', 'base64' and 'textBase64'");
    return;
  }
  const std::string_view key = which;
  if (key == "json") {
    row->payload = f->Raw(which);
  } else if (key == "text") {
    row->payload = f->String(which);
  } else {
    Result<std::string> bytes = Base64Decode(f->String(which));
    if (!bytes.ok()) {
      f->FailField(which, "is not valid base64: " + bytes.status().message());
      return;
    }
    row->payload = std::move(*bytes);
    row->binary = key == "base64";
  }
}

Result<Line> ParseMessage(std::string_view line, const cJSON* root) {
  LineFields f(line, root, "message");
  f.CheckMembers({"type", "connection", "seq", "offsetUs", "direction", "kind", "action",
                  "requestId", "json", "text", "base64", "textBase64"});
  store::MessageRow row;
  row.connection_id = f.Int("connection");
  row.seq = f.Int("seq");
  row.offset = f.Int("offsetUs");
  row.direction = f.String("direction");
  row.kind = f.String("kind");
  row.action = f.OptionalString("action");
  const std::string_view request_id = f.EmbeddableRaw("requestId", kMemberDepth);
  if (f.status().ok() && !cJSON_IsNull(f.Node("requestId"))) row.request_id = request_id;
  ReadPayload(&f, &row);
  if (f.status().ok() && !OneOf(row.direction, {"in", "out"})) {
    f.FailField("direction", "must be \"in\" or \"out\"");
  }
  if (f.status().ok() && !OneOf(row.kind, {"request", "response", "error", "update", "other"})) {
    f.FailField("kind", "must be \"request\", \"response\", \"error\", \"update\" or \"other\"");
  }
  if (!f.status().ok()) return f.status();
  return Line(std::move(row));
}

// Takes each station object verbatim from the line, its id from the tree.
void ReadStations(LineFields* f, std::string_view raw, const cJSON* array,
                  std::vector<store::StationRow>* out) {
  const std::vector<json::Span> spans = ArrayElementSpans(raw);
  std::set<std::string> ids;
  size_t i = 0;
  for (const cJSON* station = array->child; station != nullptr; station = station->next, ++i) {
    const cJSON* id =
        cJSON_IsObject(station) ? cJSON_GetObjectItemCaseSensitive(station, "id") : nullptr;
    if (!cJSON_IsString(id) || i >= spans.size()) {
      f->Fail("stations[" + std::to_string(i) + "] must be an object with a string field 'id'");
      return;
    }
    std::string_view text = raw.substr(spans[i].begin, spans[i].end - spans[i].begin);
    json::Span id_span = json::FindTopLevelValue(text, "id");
    if (id_span.begin == std::string_view::npos ||
        json::FirstNulEscape(text.substr(id_span.begin, id_span.end - id_span.begin)) !=
            std::string_view::npos) {
      f->Fail("stations[" + std::to_string(i) + "] has an 'id' spelled with \\u0000 or escapes");
      return;
    }
    if (!IsEmbeddableJson(text, kStationDepth)) {
      // Stored verbatim: export would refuse to write it back.
      f->Fail("stations[" + std::to_string(i) +
              "] must be JSON in valid UTF-8 without control bytes");
      return;
    }
    if (!ids.insert(id->valuestring).second) {
      f->Fail("station \"" + EscapedCut(id->valuestring) + "\" appears twice");
      return;
    }
    out->push_back({id->valuestring, std::string(text)});
  }
}

Result<Line> ParseSnapshot(std::string_view line, const cJSON* root) {
  LineFields f(line, root, "snapshot");
  f.CheckMembers({"type", "session", "tick", "takenAtUs", "stations"});
  SnapshotLine s;
  s.session_id = f.Int("session");
  s.snapshot.tick.tick_index = f.Int("tick");
  s.snapshot.tick.taken_at = f.Int("takenAtUs");
  if (f.Has("stations") && !cJSON_IsArray(f.Node("stations"))) {
    f.FailField("stations", "must be an array");
  }
  const std::string_view raw = f.Raw("stations");
  if (f.status().ok()) ReadStations(&f, raw, f.Node("stations"), &s.snapshot.stations);
  if (!f.status().ok()) return f.status();
  return Line(std::move(s));
}

}  // namespace

Status AppendSessionLine(std::string* out, const store::SessionInfo& info) {
  if (!IsEmbeddableObject(info.options_json, kMemberDepth)) {
    return Status::Corruption("session " + std::to_string(info.id) +
                              ": options_json is not a JSON object that fits on one line");
  }
  Begin(out, "session");
  Int(out, "format", kFormatVersion);
  Int(out, "id", info.id);
  String(out, "startedAt", FormatIso8601(info.started_at));
  Int(out, "startedAtUs", info.started_at);
  OptionalInt(out, "endedAtUs", info.ended_at);
  String(out, "mode", info.mode);
  String(out, "wsmockVersion", info.wsmock_version);
  Key(out, "options");
  out->append(info.options_json);
  OptionalString(out, "upstream",
                 info.upstream.empty() ? std::nullopt : std::optional<std::string>(info.upstream));
  End(out);
  return Status::Ok();
}

void AppendConnectionLine(std::string* out, const store::ConnectionRow& row) {
  Begin(out, "connection");
  Int(out, "session", row.session_id);
  Int(out, "id", row.id);
  Int(out, "openedAtUs", row.opened_at);
  OptionalInt(out, "closedAtUs", row.closed_at);
  String(out, "peer", row.peer);
  String(out, "path", row.path);
  OptionalInt(out, "closeCode", row.close_code);
  End(out);
}

Status AppendMessageLine(std::string* out, const store::MessageRow& row) {
  if (row.request_id.has_value() && !IsEmbeddableJson(*row.request_id, kMemberDepth)) {
    return Status::Corruption("session " + std::to_string(row.session_id) + " connection " +
                              std::to_string(row.connection_id) + " message " +
                              std::to_string(row.seq) + ": request_id is not JSON on one line");
  }
  Begin(out, "message");
  Int(out, "connection", row.connection_id);
  Int(out, "seq", row.seq);
  Int(out, "offsetUs", row.offset);
  String(out, "direction", row.direction);
  String(out, "kind", row.kind);
  OptionalString(out, "action", row.action);
  Key(out, "requestId");
  out->append(row.request_id.has_value() ? *row.request_id : "null");
  AppendPayload(out, row);
  End(out);
  return Status::Ok();
}

Status AppendSnapshotLine(std::string* out, int64_t session_id, const SnapshotRows& snapshot) {
  for (const store::StationRow& row : snapshot.stations) {
    if (!StationIdMatches(row)) {
      return Status::Corruption("session " + std::to_string(session_id) + " tick " +
                                std::to_string(snapshot.tick.tick_index) + ": station '" +
                                EscapedCut(row.station_id) +
                                "' is not a one-line JSON object with that id");
    }
  }
  Begin(out, "snapshot");
  Int(out, "session", session_id);
  Int(out, "tick", snapshot.tick.tick_index);
  Int(out, "takenAtUs", snapshot.tick.taken_at);
  Key(out, "stations");
  out->push_back('[');
  for (size_t i = 0; i < snapshot.stations.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(snapshot.stations[i].station_json);
  }
  out->push_back(']');
  End(out);
  return Status::Ok();
}

Result<Line> ParseLine(std::string_view line) {
  Result<json::JsonPtr> root = json::Parse(line);
  if (!root.ok()) return Status::InvalidArgument("not JSON: " + root.status().message());
  const cJSON* tree = root->get();
  if (!cJSON_IsObject(tree)) return Status::InvalidArgument("a line must be a JSON object");
  const cJSON* type = cJSON_GetObjectItemCaseSensitive(tree, "type");
  if (type == nullptr) return Status::InvalidArgument("field 'type' is missing");
  if (!cJSON_IsString(type)) return Status::InvalidArgument("field 'type' must be a string");
  const std::string_view kind = type->valuestring;
  if (kind == "session") return ParseSession(line, tree);
  if (kind == "connection") return ParseConnection(line, tree);
  if (kind == "message") return ParseMessage(line, tree);
  if (kind == "snapshot") return ParseSnapshot(line, tree);
  return Status::InvalidArgument("field 'type' is \"" + EscapedCut(kind) +
                                 "\", not session, connection, message or snapshot");
}

}  // namespace wsmock::transfer
