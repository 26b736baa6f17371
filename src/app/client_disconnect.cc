#include "app/client_disconnect.h"

#include <cjson/cJSON.h>

#include "app/control_answers.h"
#include "util/json.h"

namespace wsmock::app {

namespace {

constexpr char kShape[] = "body must be empty or a JSON object with code and/or reason";
// The most bytes of reason a close frame carries (125 less the code's 2).
constexpr size_t kMaxReason = 123;

// 1002 (protocol error) is lws's own to send; 1004-1006 and 1015 are never
// sent in a frame.
bool Sendable(double code) {
  return code == 1000 || code == 1001 || code == 1003 || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace

Result<DisconnectRequest> ReadDisconnect(std::string_view body) {
  DisconnectRequest request;
  if (body.empty()) return request;
  Result<json::JsonPtr> parsed = json::Parse(body);
  if (!parsed.ok()) {
    return Status::InvalidArgument(std::string(kShape) + ": " + parsed.status().message());
  }
  if (!cJSON_IsObject(parsed->get())) return Status::InvalidArgument(kShape);
  for (const cJSON* member = parsed->get()->child; member != nullptr; member = member->next) {
    const std::string_view name = member->string;
    if (name == "code") {
      if (!cJSON_IsNumber(member) || !Sendable(member->valuedouble) ||
          member->valuedouble != static_cast<int>(member->valuedouble)) {
        return Status::InvalidArgument(
            "code must be a close code a frame may carry: 1000, 1001, 1003, 1007-1014 or "
            "3000-4999");
      }
      request.code = static_cast<int>(member->valuedouble);
    } else if (name == "reason") {
      if (!cJSON_IsString(member) || std::string_view(member->valuestring).size() > kMaxReason) {
        return Status::InvalidArgument("reason must be a string of at most 123 bytes");
      }
      request.reason = member->valuestring;
    } else {
      return Status::InvalidArgument("unknown field '" + std::string(name) +
                                     "': a disconnect takes code and reason");
    }
  }
  return request;
}

server::ControlAnswer DisconnectClients(server::WsServer* server, std::string_view body,
                                        Logger* log) {
  Result<DisconnectRequest> request = ReadDisconnect(body);
  if (!request.ok()) return ControlError(400, request.status().message());
  const size_t closed = server->CloseServed(request->code, request->reason);
  log->Info("Closing " + std::to_string(closed) + " clients with " + std::to_string(request->code) +
            " over the control endpoint");
  return server::ControlAnswer{200, R"({"closed":)" + std::to_string(closed) + R"(,"code":)" +
                                        std::to_string(request->code) + "}"};
}

}  // namespace wsmock::app
