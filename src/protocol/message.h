// The values the codec produces: a decoded request or the error reply owed to
// the sender, and the kind of any frame. Plain values; movable, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/error_code.h"
#include "util/json_document.h"

namespace wsmock::protocol {

// A well-formed request. `data` points into `document` (so it lives as long as the
// Request) and is either nullptr ("data" absent) or a JSON object.
struct Request {
  std::string action;  // non-empty
  json::Document document;  // the whole parsed frame
  const cJSON* data = nullptr;
  std::string request_id;  // requestId as JSON text: "\"req_1\"" or "42"
};

// An error owed to the sender. action and request_id are set when the frame
// was decodable far enough to read them.
struct ErrorReply {
  ErrorCode code = ErrorCode::kInvalidRequest;
  std::string message;
  std::optional<std::string> action;      // raw action text
  std::optional<std::string> request_id;  // JSON text, as in Request
};

using Decoded = std::variant<Request, ErrorReply>;

enum class MessageKind { kRequest, kResponse, kError, kUpdate, kOther };

// "request", "response", "error", "update", "other".
std::string_view MessageKindName(MessageKind kind);

}  // namespace wsmock::protocol
