#include "fuzz/request_target.h"

#include <variant>

#include "fuzz/invariant.h"
#include "generator/station_generator.h"
#include "handler/station_service.h"
#include "model/snapshot.h"
#include "protocol/codec.h"
#include "protocol/error_code.h"
#include "util/json.h"

namespace wsmock::fuzz {
namespace {

using protocol::ErrorCode;
using protocol::MessageKind;

// 2024-01-20T10:30:00Z, the seed log's moment: a fixed time keeps replies
// (lastUpdate, daily stats) identical from run to run.
constexpr Micros kNow = 1705746600LL * kMicrosPerSecond;

const model::Snapshot& FixedSnapshot() {
  // Built once and never changed: a fuzzer runs millions of inputs on it.
  static const model::Snapshot snapshot(generator::GenerateStations(42, 20, kNow), 0, kNow);
  return snapshot;
}

const cJSON* Member(const cJSON* object, const char* key) {
  return cJSON_GetObjectItemCaseSensitive(object, key);
}

bool IsKnownCode(std::string_view code) {
  for (ErrorCode c :
       {ErrorCode::kInvalidJson, ErrorCode::kInvalidRequest, ErrorCode::kUnknownAction,
        ErrorCode::kInvalidParams, ErrorCode::kStationNotFound, ErrorCode::kNoRecording}) {
    if (protocol::ErrorCodeName(c) == code) return true;
  }
  return false;
}

Status CheckErrorMember(const cJSON* root) {
  const cJSON* error = Member(root, "error");
  const cJSON* code = Member(error, "code");
  if (!cJSON_IsString(code) || !IsKnownCode(code->valuestring)) {
    return Broken("an error reply must carry a known error.code");
  }
  if (!cJSON_IsString(Member(error, "message"))) return Broken("error.message must be a string");
  return Status::Ok();
}

// The reply on its own: JSON, typed, and an error names a known code.
Status CheckReplyShape(const handler::Reply& reply) {
  auto parsed = json::Parse(reply.payload);
  if (!parsed.ok()) return Broken("reply is not JSON (" + parsed.status().message() + ")");
  const cJSON* root = parsed->get();
  if (!cJSON_IsObject(root)) return Broken("reply is not a JSON object");
  const cJSON* type = Member(root, "type");
  if (!cJSON_IsString(type)) return Broken("reply has no string \"type\"");
  if (reply.kind != MessageKind::kResponse && reply.kind != MessageKind::kError) {
    return Broken("reply kind is neither response nor error");
  }
  if (type->valuestring != protocol::MessageKindName(reply.kind)) {
    return Broken("reply \"type\" differs from its kind");
  }
  if (reply.kind == MessageKind::kError) return CheckErrorMember(root);
  return Status::Ok();
}

// The reply against what the codec makes of the frame.
Status CheckAgainstDecode(std::string_view frame, const handler::Reply& reply) {
  protocol::Decoded decoded = protocol::DecodeRequest(frame);
  if (const auto* error = std::get_if<protocol::ErrorReply>(&decoded)) {
    if (reply.payload != protocol::EncodeError(*error)) {
      return Broken("a frame that does not decode must get exactly its decode error");
    }
    return Status::Ok();
  }
  const auto& request = std::get<protocol::Request>(decoded);
  protocol::Peek frame_peek = protocol::PeekMessage(frame);
  if (frame_peek.kind != MessageKind::kRequest || frame_peek.action != request.action ||
      frame_peek.request_id != request.request_id) {
    return Broken("PeekMessage disagrees with DecodeRequest on the frame");
  }
  protocol::Peek reply_peek = protocol::PeekMessage(reply.payload);
  if (reply_peek.action != request.action) return Broken("reply does not echo the action");
  if (reply_peek.request_id != request.request_id) {
    return Broken("reply does not echo the requestId");
  }
  return Status::Ok();
}

}  // namespace

Status CheckRequestFrame(std::string_view frame) {
  const handler::StationService service;
  const handler::Reply reply = service.HandleText(frame, FixedSnapshot(), kNow);
  WSMOCK_RETURN_IF_ERROR(CheckReplyShape(reply));
  WSMOCK_RETURN_IF_ERROR(CheckAgainstDecode(frame, reply));
  if (IsValidUtf8(frame) && !IsValidUtf8(reply.payload)) {
    return Broken("valid UTF-8 in gave invalid UTF-8 out");
  }
  const handler::Reply again = service.HandleText(frame, FixedSnapshot(), kNow);
  if (again.payload != reply.payload || again.kind != reply.kind ||
      again.summary != reply.summary) {
    return Broken("the same frame twice gave different replies");
  }
  return Status::Ok();
}

void FuzzRequest(const uint8_t* data, size_t size) {
  const std::string_view frame = AsText(data, size);
  AbortIfBroken(CheckRequestFrame(frame), "request", frame);
}

}  // namespace wsmock::fuzz
