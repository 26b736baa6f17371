#include "transfer/har_writer.h"

#include <algorithm>
#include <span>

#include "transfer/base64.h"
#include "transfer/raw_json.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/utf8.h"

namespace wsmock::transfer {
namespace {

using Messages = std::span<const store::MessageRow>;

// What HAR 1.2 requires of an entry but a WebSocket recording does not
// know: no headers, no body, no timings.
constexpr std::string_view kRequestTail =
    ", \"httpVersion\": \"HTTP/1.1\", \"cookies\": [], \"headers\": [], \"queryString\": [], "
    "\"headersSize\": -1, \"bodySize\": 0}";
constexpr std::string_view kResponse =
    "{\"status\": 101, \"statusText\": \"Switching Protocols\", \"httpVersion\": \"HTTP/1.1\", "
    "\"cookies\": [], \"headers\": [], \"content\": {\"size\": 0, \"mimeType\": \"x-unknown\"}, "
    "\"redirectURL\": \"\", \"headersSize\": -1, \"bodySize\": 0}";
constexpr std::string_view kTimings =
    "{\"blocked\": -1, \"dns\": -1, \"connect\": -1, \"send\": 0, \"wait\": 0, \"receive\": 0, "
    "\"ssl\": -1}";

// One message on one line. A text frame HAR cannot hold as a JSON string
// (not UTF-8, or a NUL that most readers would cut) goes as base64 with
// "encoding", which `wsmock import` reads back to the same bytes.
void AppendMessage(std::string* out, const store::MessageRow& row, Micros opened_at) {
  *out += "{\"type\": ";
  *out += row.direction == "in" ? "\"send\"" : "\"receive\"";
  *out += ", \"time\": ";
  json::AppendFixed(out, opened_at + row.offset, 6);
  *out += ", \"opcode\": ";
  *out += row.binary ? "2" : "1";
  *out += ", \"data\": ";
  const bool plain =
      !row.binary && IsValidUtf8(row.payload) && row.payload.find('\0') == std::string::npos;
  if (plain) {
    json::AppendString(out, row.payload);
  } else {
    json::AppendString(out, Base64Encode(row.payload));
    if (!row.binary) *out += ", \"encoding\": \"base64\"";
  }
  *out += "}";
}

// The entry starts at the first message, as import takes the first message
// as the opening: so export -> import -> export gives the same bytes.
void AppendEntry(std::string* out, const store::ConnectionRow& connection, Messages messages) {
  Micros first = connection.opened_at, last = connection.opened_at;
  if (!messages.empty()) {
    auto [lo, hi] = std::minmax_element(
        messages.begin(), messages.end(),
        [](const store::MessageRow& a, const store::MessageRow& b) { return a.offset < b.offset; });
    first = connection.opened_at + lo->offset;
    last = connection.opened_at + hi->offset;
  }
  *out += "      {\n        \"startedDateTime\": ";
  json::AppendString(out, FormatIso8601(first));
  *out += ",\n        \"time\": ";
  json::AppendFixed(out, last - first, 3);  // milliseconds
  *out += ",\n        \"request\": {\"method\": \"GET\", \"url\": ";
  const bool rooted = !connection.path.empty() && connection.path[0] == '/';
  json::AppendString(out, "ws://localhost" + std::string(rooted ? "" : "/") + connection.path);
  *out += kRequestTail;
  *out += ",\n        \"response\": ";
  *out += kResponse;
  *out += ",\n        \"cache\": {},\n        \"timings\": ";
  *out += kTimings;
  if (!connection.peer.empty()) {
    *out += ",\n        \"serverIPAddress\": ";
    json::AppendString(out, connection.peer);
  }
  *out += ",\n        \"_resourceType\": \"websocket\",\n        \"_webSocketMessages\": [";
  for (size_t i = 0; i < messages.size(); ++i) {
    *out += i == 0 ? "\n          " : ",\n          ";
    AppendMessage(out, messages[i], connection.opened_at);
  }
  *out += messages.empty() ? "]\n      }" : "\n        ]\n      }";
}

}  // namespace

std::string FormatHar(const SessionRecord& record) {
  std::string out = "{\n  \"log\": {\n    \"version\": \"1.2\",\n";
  out += "    \"creator\": {\"name\": \"wsmock\", \"version\": ";
  json::AppendString(&out, WSMOCK_VERSION);
  out += "},\n";
  // No connection dates the session, so a page does: import reads a file
  // without entries as an empty session starting at its first page.
  if (record.connections.empty()) {
    out += "    \"pages\": [{\"startedDateTime\": ";
    json::AppendString(&out, FormatIso8601(record.info.started_at));
    out += ", \"id\": \"session\", \"title\": \"\", \"pageTimings\": {}}],\n";
  }
  out += "    \"entries\": [";
  const Messages all(record.messages);
  size_t m = 0;
  for (size_t c = 0; c < record.connections.size(); ++c) {
    const store::ConnectionRow& connection = record.connections[c];
    while (m < all.size() && all[m].connection_id < connection.id) ++m;  // no connection
    size_t end = m;
    while (end < all.size() && all[end].connection_id == connection.id) ++end;
    out += c == 0 ? "\n" : ",\n";
    AppendEntry(&out, connection, all.subspan(m, end - m));
    m = end;
  }
  out += record.connections.empty() ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n";
  return out;
}

}  // namespace wsmock::transfer
