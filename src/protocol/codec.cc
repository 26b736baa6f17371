#include "protocol/codec.h"

#include <cmath>
#include <string>

#include "util/json_document.h"
#include "util/json_scan.h"

namespace wsmock::protocol {
namespace {

const cJSON* Member(const cJSON* object, const char* key) {
  return cJSON_GetObjectItemCaseSensitive(object, key);
}

// A non-empty string action, or nothing.
std::optional<std::string> ReadAction(const cJSON* root) {
  const cJSON* action = Member(root, "action");
  if (!cJSON_IsString(action) || action->valuestring[0] == '\0') return std::nullopt;
  return std::string(action->valuestring);
}

// A number within a double's range: 1e400 parses to infinity, and its echo
// (1e999) would not be the id the client sent.
bool IsFiniteNumber(const cJSON* node) {
  return cJSON_IsNumber(node) && std::isfinite(node->valuedouble);
}

// requestId re-written as JSON text, or nothing when absent, of another type
// or a number out of range. Re-writing (rather than slicing the input) gives
// one spelling per value, so a replay index can compare request ids as bytes.
std::optional<std::string> ReadRequestId(const cJSON* root) {
  const cJSON* id = Member(root, "requestId");
  std::string text;
  if (cJSON_IsString(id)) {
    json::AppendString(&text, id->valuestring);
  } else if (IsFiniteNumber(id)) {
    json::AppendNumber(&text, id->valuedouble);
  } else {
    return std::nullopt;
  }
  return text;
}

ErrorReply Error(ErrorCode code, std::string message, const cJSON* root) {
  ErrorReply e{code, std::move(message), std::nullopt, std::nullopt};
  if (root != nullptr) {
    e.action = ReadAction(root);
    e.request_id = ReadRequestId(root);
  }
  return e;
}

// The envelope's first fault, or an empty string when it is well-formed.
// Checked in reading order so the message names the first thing to fix.
std::string EnvelopeFault(const cJSON* root) {
  const cJSON* type = Member(root, "type");
  if (type == nullptr) return "type is missing; expected \"request\"";
  if (!cJSON_IsString(type) || std::string_view(type->valuestring) != "request") {
    return "type must be \"request\"";
  }
  const cJSON* action = Member(root, "action");
  if (action == nullptr) return "action is missing";
  if (!cJSON_IsString(action) || action->valuestring[0] == '\0') {
    return "action must be a non-empty string";
  }
  const cJSON* id = Member(root, "requestId");
  if (id == nullptr) return "requestId is missing";
  if (!cJSON_IsString(id) && !cJSON_IsNumber(id)) return "requestId must be a string or a number";
  if (cJSON_IsNumber(id) && !IsFiniteNumber(id)) {
    return "requestId must be a number within the range of a double";
  }
  return {};
}

MessageKind KindOf(const cJSON* type) {
  if (!cJSON_IsString(type)) return MessageKind::kOther;
  std::string_view t = type->valuestring;
  if (t == "request") return MessageKind::kRequest;
  if (t == "response") return MessageKind::kResponse;
  if (t == "error") return MessageKind::kError;
  if (t == "update") return MessageKind::kUpdate;
  return MessageKind::kOther;
}

}  // namespace

Decoded DecodeRequest(std::string_view text) {
  auto parsed = json::Document::Parse(text);
  if (!parsed.ok()) {
    return Error(ErrorCode::kInvalidJson, "invalid JSON: " + parsed.status().message(), nullptr);
  }
  json::Document document = std::move(parsed).value();
  if (!cJSON_IsObject(document.root())) {
    return Error(ErrorCode::kInvalidRequest, "request must be a JSON object", nullptr);
  }
  std::string fault = EnvelopeFault(document.root());
  if (!fault.empty()) return Error(ErrorCode::kInvalidRequest, std::move(fault), document.root());
  // Valid JSON, but cJSON's strings end at a NUL: "station_001\u0000x" would
  // be read as "station_001". Refused rather than misread.
  if (const size_t nul = json::FirstNulEscape(text); nul != std::string_view::npos) {
    const json::Span id = json::FindTopLevelValue(text, "requestId");
    const bool id_is_cut = id.begin != std::string_view::npos && id.begin < nul && nul < id.end;
    return Error(
        ErrorCode::kInvalidRequest,
        "\\u0000 inside a string is not supported (byte offset " + std::to_string(nul) + ")",
        id_is_cut ? nullptr : document.root());
  }
  const cJSON* data = Member(document.root(), "data");
  if (data != nullptr && !cJSON_IsObject(data)) {
    return Error(ErrorCode::kInvalidParams,
                 std::string("data must be an object, got ") + json::TypeName(data),
                 document.root());
  }
  Request request;
  request.action = *ReadAction(document.root());
  request.request_id = *ReadRequestId(document.root());
  request.data = data;
  request.document = std::move(document);
  return request;
}

std::string EncodeResponse(std::string_view action, std::string_view data_json,
                           std::string_view request_id_json) {
  std::string out;
  out.reserve(64 + action.size() + data_json.size() + request_id_json.size());
  AppendResponseHead(&out, action);
  out.append(data_json);
  AppendResponseTail(&out, request_id_json);
  return out;
}

void AppendResponseHead(std::string* out, std::string_view action) {
  out->append("{\"type\":\"response\",\"action\":");
  json::AppendString(out, action);
  out->append(",\"data\":");
}

void AppendResponseTail(std::string* out, std::string_view request_id_json) {
  out->append(",\"requestId\":");
  out->append(request_id_json);
  out->push_back('}');
}

std::string EncodeError(const ErrorReply& error) {
  std::string out = "{\"type\":\"error\",\"action\":";
  if (error.action) {
    json::AppendString(&out, *error.action);
  } else {
    out.append("null");
  }
  out.append(",\"requestId\":");
  out.append(error.request_id ? *error.request_id : "null");
  out.append(",\"error\":{\"code\":\"");
  out.append(ErrorCodeName(error.code));
  out.append("\",\"message\":");
  json::AppendString(&out, error.message);
  out.append("}}");
  return out;
}

std::string EncodeUpdate(std::string_view action, std::string_view data_json) {
  std::string out;
  out.reserve(48 + action.size() + data_json.size());
  out.append("{\"type\":\"update\",\"action\":");
  json::AppendString(&out, action);
  out.append(",\"data\":");
  out.append(data_json);
  out.push_back('}');
  return out;
}

Peek PeekMessage(std::string_view text) {
  auto parsed = json::Document::Parse(text);
  if (!parsed.ok() || !cJSON_IsObject(parsed->root())) return Peek{};
  const cJSON* root = parsed->root();
  Peek peek;
  peek.kind = KindOf(Member(root, "type"));
  // The recorder files responses by action too, and those may carry any
  // string, so Peek keeps empty actions that a request would reject.
  const cJSON* action = Member(root, "action");
  if (cJSON_IsString(action)) peek.action = action->valuestring;
  peek.request_id = ReadRequestId(root);
  return peek;
}

}  // namespace wsmock::protocol
