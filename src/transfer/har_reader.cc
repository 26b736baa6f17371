#include "transfer/har_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "protocol/codec.h"
#include "transfer/base64.h"
#include "transfer/raw_json.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/json_scan.h"
#include "util/utf8.h"

namespace wsmock::transfer {
namespace {

// Epoch seconds past this (the year 5138) are a mistake, not a time; it
// also keeps the conversion to microseconds far from overflow.
constexpr double kMaxEpochSeconds = 1e11;

const cJSON* Member(const cJSON* object, const char* key) {
  return cJSON_IsObject(object) ? cJSON_GetObjectItemCaseSensitive(object, key) : nullptr;
}

Status Bad(const std::string& where, const std::string& problem) {
  return Status::InvalidArgument(where + ": " + problem);
}

// The text of a top-level member of the object `object_text`; "" when it
// cannot be found by bytes (absent, or its key spelled with escapes).
std::string_view MemberText(std::string_view object_text, std::string_view key) {
  json::Span span = json::FindTopLevelValue(object_text, key);
  if (span.begin == std::string_view::npos) return {};
  return object_text.substr(span.begin, span.end - span.begin);
}

std::vector<std::string_view> ElementTexts(std::string_view array_text) {
  std::vector<std::string_view> texts;
  for (const json::Span& span : ArrayElementSpans(array_text)) {
    texts.push_back(array_text.substr(span.begin, span.end - span.begin));
  }
  return texts;
}

// "/ws?x=1" from "wss://host:8080/ws?x=1#f"; "/" when the URL has no path.
std::optional<std::string> PathOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    if (!url.empty() && url[0] == '/') return std::string(url.substr(0, url.find('#')));
    return std::nullopt;
  }
  size_t start = url.find_first_of("/?#", scheme + 3);
  if (start == std::string_view::npos) return "/";
  std::string_view rest = url.substr(start);
  rest = rest.substr(0, rest.find('#'));
  if (rest.empty() || rest[0] != '/') return "/" + std::string(rest);
  return std::string(rest);
}

// Everything one entry's messages need from the file as a whole.
struct EntryContext {
  std::string where;  // "log.entries[3]"
  // cJSON's strings end at a \u0000, silently. When the file spells one, the
  // raw text of each message is kept so that `data` can be checked; else
  // empty, as no string can have been cut short.
  bool spells_nul = false;
  std::vector<std::string_view> raw_messages;
};

Status ReadData(const cJSON* message, const std::string& where, int opcode,
                std::string_view raw_message, bool spells_nul, store::MessageRow* row) {
  const cJSON* data = Member(message, "data");
  if (!cJSON_IsString(data)) return Bad(where + ".data", "must be a string");
  if (spells_nul) {
    std::string_view literal = MemberText(raw_message, "data");
    if (literal.empty() || json::FirstNulEscape(literal) != std::string_view::npos) {
      return Bad(where + ".data", "must not contain \\u0000, which cJSON would cut short");
    }
  }
  const cJSON* encoding = Member(message, "encoding");
  bool base64 = opcode == 2;
  if (encoding != nullptr) {
    if (!cJSON_IsString(encoding) || std::string_view(encoding->valuestring) != "base64") {
      return Bad(where + ".encoding", "must be \"base64\" when present");
    }
    base64 = true;
  }
  row->binary = opcode == 2;
  if (!base64) {
    row->payload = data->valuestring;
    return Status::Ok();
  }
  Result<std::string> bytes = Base64Decode(data->valuestring);
  if (!bytes.ok()) return Bad(where + ".data", "is not valid base64: " + bytes.status().message());
  row->payload = std::move(*bytes);
  return Status::Ok();
}

// Fills direction, payload, kind, action and requestId of `row`, and the
// message's instant in `*at`.
Status ReadMessage(const cJSON* message, const std::string& where, std::string_view raw_message,
                   bool spells_nul, store::MessageRow* row, Micros* at) {
  if (!cJSON_IsObject(message)) return Bad(where, "must be an object");
  const cJSON* type = Member(message, "type");
  const std::string_view type_name = cJSON_IsString(type) ? type->valuestring : "";
  if (type_name != "send" && type_name != "receive") {
    return Bad(where + ".type", "must be \"send\" or \"receive\"");
  }
  row->direction = type_name == "send" ? "in" : "out";
  const cJSON* time = Member(message, "time");
  if (!cJSON_IsNumber(time) || !std::isfinite(time->valuedouble) || time->valuedouble < 0 ||
      time->valuedouble > kMaxEpochSeconds) {
    return Bad(where + ".time", "must be a number of seconds since 1970");
  }
  *at = json::ToFixed(time->valuedouble, 6);
  const cJSON* opcode = Member(message, "opcode");
  if (!cJSON_IsNumber(opcode) || (opcode->valuedouble != 1 && opcode->valuedouble != 2)) {
    return Bad(where + ".opcode", "must be 1 (text) or 2 (binary)");
  }
  const int op = static_cast<int>(opcode->valuedouble);
  WSMOCK_RETURN_IF_ERROR(ReadData(message, where, op, raw_message, spells_nul, row));
  // As the recorder files them: binary frames are "other", text is peeked.
  row->kind = "other";
  if (!row->binary) {
    protocol::Peek peek = protocol::PeekMessage(row->payload);
    row->kind = std::string(protocol::MessageKindName(peek.kind));
    row->action = std::move(peek.action);
    row->request_id = std::move(peek.request_id);
  }
  return Status::Ok();
}

// The startedDateTime of `object` (an entry or a page) at `where`;
// `missing` is the problem when it is not a string.
Result<Micros> StartedDateTime(const cJSON* object, const std::string& where,
                               const std::string& missing) {
  const cJSON* started = Member(object, "startedDateTime");
  if (!cJSON_IsString(started)) return Bad(where + ".startedDateTime", missing);
  Result<Micros> at = ParseIso8601(started->valuestring);
  // The parser's message quotes the text, which may hold a line break.
  if (!at.ok()) {
    return Bad(where + ".startedDateTime", "must be a UTC time like 2024-01-20T10:30:00.000Z");
  }
  return at;
}

// When the connection opened: the first (earliest) message, so offsets start
// at 0; an entry without messages falls back on its startedDateTime.
Result<Micros> OpenedAt(const cJSON* entry, const std::string& where,
                        const std::vector<Micros>& instants) {
  if (!instants.empty()) return *std::min_element(instants.begin(), instants.end());
  return StartedDateTime(entry, where, "must be a UTC time when there are no messages");
}

// When a file without WebSocket entries started. One without any entries is
// a session no client connected to, as wsmock exports it, dated by its first
// page. Entries that are all something else are refused: most likely the
// capture missed the socket.
Result<Micros> EmptySessionStart(const cJSON* log, const cJSON* entries) {
  const cJSON* pages = Member(log, "pages");
  if (cJSON_GetArraySize(entries) > 0 || !cJSON_IsArray(pages) || pages->child == nullptr) {
    return Bad("log.entries", "no WebSocket entry (response status 101 with _webSocketMessages)");
  }
  return StartedDateTime(pages->child, "log.pages[0]",
                         "must be a UTC time like 2024-01-20T10:30:00.000Z");
}

Status ReadConnection(const cJSON* entry, const EntryContext& context, SessionRecord* record) {
  const std::string& where = context.where;
  store::ConnectionRow connection;
  connection.id = static_cast<int64_t>(record->connections.size()) + 1;
  const cJSON* url = Member(Member(entry, "request"), "url");
  std::optional<std::string> path;
  if (cJSON_IsString(url)) path = PathOf(url->valuestring);
  if (!path) return Bad(where + ".request.url", "must be a URL like ws://host/path");
  connection.path = std::move(*path);
  const cJSON* server = Member(entry, "serverIPAddress");
  if (server != nullptr && !cJSON_IsString(server)) {
    return Bad(where + ".serverIPAddress", "must be a string");
  }
  if (server != nullptr) connection.peer = server->valuestring;

  const cJSON* messages = Member(entry, "_webSocketMessages");
  std::vector<store::MessageRow> rows;
  std::vector<Micros> instants;
  int index = 0;
  for (const cJSON* message = messages->child; message != nullptr; message = message->next) {
    std::string at_where = where + "._webSocketMessages[" + std::to_string(index) + "]";
    std::string_view raw = static_cast<size_t>(index) < context.raw_messages.size()
                               ? context.raw_messages[index]
                               : std::string_view();
    store::MessageRow row;
    Micros at = 0;
    WSMOCK_RETURN_IF_ERROR(ReadMessage(message, at_where, raw, context.spells_nul, &row, &at));
    row.connection_id = connection.id;
    row.seq = ++index;
    rows.push_back(std::move(row));
    instants.push_back(at);
  }
  Result<Micros> opened = OpenedAt(entry, where, instants);
  if (!opened.ok()) return opened.status();
  connection.opened_at = *opened;
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].offset = instants[i] - connection.opened_at;
    record->messages.push_back(std::move(rows[i]));
  }
  record->connections.push_back(std::move(connection));
  return Status::Ok();
}

// Reads entry `context.where` when it is a WebSocket connection; any other
// entry (an ordinary request, a failed upgrade) is skipped.
Status ReadEntry(const cJSON* entry, const EntryContext& context, SessionRecord* record) {
  if (!cJSON_IsObject(entry)) return Bad(context.where, "must be an object");
  const cJSON* messages = Member(entry, "_webSocketMessages");
  if (messages == nullptr) return Status::Ok();
  const cJSON* status = Member(Member(entry, "response"), "status");
  if (!cJSON_IsNumber(status)) return Bad(context.where + ".response.status", "must be a number");
  if (status->valuedouble != 101) return Status::Ok();
  if (!cJSON_IsArray(messages))
    return Bad(context.where + "._webSocketMessages", "must be an array");
  return ReadConnection(entry, context, record);
}

// The session around the connections: it spans them (without any, it
// starts and ends at `empty_start`), and its options say where it came from.
void FillSessionInfo(const cJSON* log, Micros empty_start, SessionRecord* record) {
  store::SessionInfo& info = record->info;
  info.id = 1;
  info.mode = "import";
  info.wsmock_version = WSMOCK_VERSION;
  Micros first = record->connections.empty() ? empty_start : record->connections.front().opened_at;
  Micros last = first;
  for (const store::ConnectionRow& c : record->connections) {
    first = std::min(first, c.opened_at);
    last = std::max(last, c.opened_at);
  }
  for (const store::MessageRow& m : record->messages) {
    last = std::max(last, record->connections[m.connection_id - 1].opened_at + m.offset);
  }
  info.started_at = first;
  info.ended_at = last;
  std::string creator;
  const cJSON* name = Member(Member(log, "creator"), "name");
  const cJSON* version = Member(Member(log, "creator"), "version");
  if (cJSON_IsString(name)) creator = name->valuestring;
  if (cJSON_IsString(version))
    creator += (creator.empty() ? "" : " ") + std::string(version->valuestring);
  info.options_json = "{\"import\":\"har\",\"creator\":";
  if (creator.empty() || !IsValidUtf8(creator)) {
    info.options_json += "null";
  } else {
    json::AppendString(&info.options_json, creator);
  }
  info.options_json += "}";
}

}  // namespace

bool LooksLikeHar(std::string_view text, std::string_view path) {
  if (path.size() >= 4) {
    std::string ext(path.substr(path.size() - 4));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".har") return true;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return json::FindTopLevelValue(text, "log").begin != std::string_view::npos;
}

Result<SessionRecord> ParseHar(std::string_view text, std::string_view source) {
  const std::string name(source);
  Result<json::JsonPtr> root = json::Parse(text);
  if (!root.ok()) return Status::InvalidArgument(name + ": not JSON: " + root.status().message());
  const cJSON* log = Member(root->get(), "log");
  if (!cJSON_IsObject(log)) return Bad(name + ": log", "must be an object (is this a HAR file?)");
  const cJSON* entries = Member(log, "entries");
  if (!cJSON_IsArray(entries)) return Bad(name + ": log.entries", "must be an array");

  const bool spells_nul = text.find("\\u0000") != std::string_view::npos;
  std::vector<std::string_view> raw_entries;
  if (spells_nul) raw_entries = ElementTexts(MemberText(MemberText(text, "log"), "entries"));
  SessionRecord record;
  size_t index = 0;
  for (const cJSON* entry = entries->child; entry != nullptr; entry = entry->next, ++index) {
    EntryContext context;
    context.where = "log.entries[" + std::to_string(index) + "]";
    context.spells_nul = spells_nul;
    if (spells_nul && index < raw_entries.size()) {
      context.raw_messages = ElementTexts(MemberText(raw_entries[index], "_webSocketMessages"));
    }
    Status s = ReadEntry(entry, context, &record);
    if (!s.ok()) return s.WithContext(name);
  }
  Micros empty_start = 0;
  if (record.connections.empty()) {
    Result<Micros> start = EmptySessionStart(log, entries);
    if (!start.ok()) return start.status().WithContext(name);
    empty_start = *start;
  }
  FillSessionInfo(log, empty_start, &record);
  return record;
}

}  // namespace wsmock::transfer
