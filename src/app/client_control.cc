#include "app/client_control.h"

#include <cjson/cJSON.h>

#include <charconv>
#include <vector>

#include "app/stubbed_answer.h"
#include "app/stubs.h"
#include "transfer/base64.h"
#include "util/json.h"
#include "util/printable_text.h"
#include "util/utf8.h"

namespace wsmock::app {

namespace {

constexpr char kShape[] =
    "body must be empty or a JSON object with code and/or reason, or with drop";
// The most bytes of reason a close frame carries (125 less the code's 2).
constexpr size_t kMaxReason = 123;

// 1002 (protocol error) is lws's own to send; 1004-1006 and 1015 are never
// sent in a frame.
bool Sendable(double code) {
  return code == 1000 || code == 1001 || code == 1003 || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

// The served client `id` names (decimal, as GET /__wsmock/clients gives
// it), or the 404 that says there is none.
std::variant<server::ConnectionId, server::ControlAnswer> FindClient(server::WsServer* server,
                                                                     std::string_view id) {
  server::ConnectionId number = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
  if (error == std::errc() && end == id.data() + id.size()) {
    for (const server::ClientInfo& client : server->ServedClients()) {
      if (client.id == number) return number;
    }
  }
  return ControlError(404, "no client '" + PrintableCut(id, 40) + "' is connected; GET " +
                               std::string(server::kControlPrefix) + "clients lists them");
}

server::ControlAnswer ListClients(server::WsServer* server) {
  std::string json = R"({"clients":[)";
  bool first = true;
  for (const server::ClientInfo& client : server->ServedClients()) {
    if (!first) json += ',';
    first = false;
    json += R"({"id":)" + std::to_string(client.id) + R"(,"address":)";
    json::AppendString(&json, client.peer.address);
    json += R"(,"path":)";
    json::AppendString(&json, client.peer.path);
    json += '}';
  }
  json += "]}";
  return server::ControlAnswer{200, std::move(json)};
}

// {"requests":[{"seq":N,"client":C,"frame":"...","size":B},...]}: a text
// frame as its text, a binary one in base64 with "binary":true, and a cut
// one (ReceivedFrames::kMaxKeptFrame) with "cut":true.
server::ControlAnswer ListRequests(const server::ReceivedFrames& frames) {
  std::string json = R"({"requests":[)";
  for (size_t i = 0; i < frames.size(); ++i) {
    const server::ReceivedFrames::Frame& frame = frames.at(i);
    if (i > 0) json += ',';
    json += R"({"seq":)" + std::to_string(frame.seq) + R"(,"client":)" +
            std::to_string(frame.client) + R"(,"frame":)";
    json::AppendString(&json, frame.binary ? transfer::Base64Encode(frame.bytes) : frame.bytes);
    json += R"(,"size":)" + std::to_string(frame.size);
    if (frame.binary) json += R"(,"binary":true)";
    if (frame.cut()) json += R"(,"cut":true)";
    json += '}';
  }
  json += "]}";
  return server::ControlAnswer{200, std::move(json)};
}

server::ControlAnswer ForgetRequests(const ClientControl& clients) {
  const size_t kept = clients.server->received().size();
  clients.server->received().Clear();
  clients.log->Info("Request journal cleared over the control endpoint");
  return server::ControlAnswer{200, R"({"cleared":)" + std::to_string(kept) + "}"};
}

server::ControlAnswer AnswerStubs(const ClientControl& clients, const ControlTarget& target,
                                  std::string_view body) {
  StubTable* stubs = clients.stubs;
  switch (target.route) {
    case ControlRoute::kStubs:
      return server::ControlAnswer{200, stubs->ListJson()};
    case ControlRoute::kAddStub: {
      Result<Stub> stub = ParseStub(body);
      if (!stub.ok()) return ControlError(400, stub.status().message());
      const int64_t id = stubs->Add(std::move(*stub));
      if (id == 0) {
        return ControlError(409, "at most " + std::to_string(StubTable::kMaxStubs) +
                                     " stubs at once; DELETE some first");
      }
      clients.log->Info("Stub " + std::to_string(id) + " set over the control endpoint");
      return server::ControlAnswer{200, R"({"id":)" + std::to_string(id) + "}"};
    }
    case ControlRoute::kRemoveStubs: {
      const size_t removed = RemoveStubs(clients, std::nullopt).stubs;
      clients.log->Info("Stubs removed over the control endpoint: " + std::to_string(removed));
      return server::ControlAnswer{200, R"({"removed":)" + std::to_string(removed) + "}"};
    }
    default:
      break;
  }
  int64_t id = 0;
  const auto [end, error] =
      std::from_chars(target.id.data(), target.id.data() + target.id.size(), id);
  StubsRemoved removed;
  if (error == std::errc() && end == target.id.data() + target.id.size()) {
    removed = RemoveStubs(clients, id);
  }
  if (removed.stubs == 0 && removed.answers == 0) {
    return ControlError(404, "no stub '" + PrintableCut(target.id, 40) + "'; GET " +
                                 std::string(server::kControlPrefix) + "stubs lists them");
  }
  clients.log->Info("Stub " + std::to_string(id) + " removed over the control endpoint");
  // A stub used up by its times is no longer listed: only its answers went.
  return server::ControlAnswer{200, R"({"removed":)" + std::to_string(removed.stubs) + "}"};
}

// Sends `body` to client `one`, or to every client when it is null.
server::ControlAnswer Push(const ClientControl& clients, const server::ConnectionId* one,
                           std::string_view body) {
  if (body.empty()) return ControlError(400, "the body is the message to push, and it is empty");
  if (!IsValidUtf8(body)) {
    return ControlError(400, "the body is not valid UTF-8, so it cannot be a text frame");
  }
  const recorder::PeekedMeta peeked(body);
  size_t sent = 1;
  if (one != nullptr) {
    if (clients.server->Send(*one, body) != server::SendResult::kQueued) {
      return ControlError(409, "client " + std::to_string(*one) +
                                   " has too much queued and is being closed with 1008");
    }
    if (clients.recorder != nullptr) {
      clients.recorder->OnMessage(*one, recorder::Direction::kOut, body, false, peeked.meta());
    }
  } else {
    sent = clients.server->ServedClients().size();
    clients.server->Broadcast(body);
    if (clients.recorder != nullptr) clients.recorder->OnBroadcast(body, peeked.meta());
  }
  clients.log->Info("Pushed " + std::to_string(body.size()) + " bytes to " + std::to_string(sent) +
                    " clients over the control endpoint");
  return server::ControlAnswer{200, R"({"sent":)" + std::to_string(sent) + "}"};
}

// Closes (or drops) client `one`, or every client when it is null.
server::ControlAnswer Disconnect(const ClientControl& clients, const server::ConnectionId* one,
                                 std::string_view body) {
  Result<DisconnectRequest> request = ReadDisconnect(body);
  if (!request.ok()) return ControlError(400, request.status().message());
  std::vector<server::ConnectionId> ids;
  if (one != nullptr) {
    ids.push_back(*one);
  } else {
    for (const server::ClientInfo& client : clients.server->ServedClients()) {
      ids.push_back(client.id);
    }
  }
  for (server::ConnectionId id : ids) {
    if (request->drop) {
      clients.server->Drop(id);
    } else {
      clients.server->Close(id, request->code, request->reason);
    }
  }
  const int code = request->drop ? server::kDropCode : request->code;
  clients.log->Info(std::string(request->drop ? "Dropping " : "Closing ") +
                    std::to_string(ids.size()) + " clients with " + std::to_string(code) +
                    " over the control endpoint");
  return server::ControlAnswer{200, R"({"closed":)" + std::to_string(ids.size()) + R"(,"code":)" +
                                        std::to_string(code) + "}"};
}

}  // namespace

Result<DisconnectRequest> ReadDisconnect(std::string_view body) {
  DisconnectRequest request;
  if (body.empty()) return request;
  Result<json::JsonPtr> parsed = ParseControlBody(body);
  if (!parsed.ok()) {
    return Status::InvalidArgument(std::string(kShape) + ": " + parsed.status().message());
  }
  if (!cJSON_IsObject(parsed->get())) return Status::InvalidArgument(kShape);
  bool closes = false;  // a code or a reason was given
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
      closes = true;
    } else if (name == "reason") {
      // A peer fails the connection on a close reason that is not UTF-8.
      if (!cJSON_IsString(member) || std::string_view(member->valuestring).size() > kMaxReason ||
          !IsValidUtf8(member->valuestring)) {
        return Status::InvalidArgument("reason must be UTF-8 text of at most 123 bytes");
      }
      request.reason = member->valuestring;
      closes = true;
    } else if (name == "drop") {
      if (!cJSON_IsBool(member)) return Status::InvalidArgument("drop must be true or false");
      request.drop = cJSON_IsTrue(member);
    } else {
      return Status::InvalidArgument("unknown field '" + PrintableCut(name, 40) +
                                     "': a disconnect takes code, reason or drop");
    }
  }
  if (request.drop && closes) {
    return Status::InvalidArgument("a drop sends no close frame, so it takes no code or reason");
  }
  return request;
}

bool IsClientRoute(ControlRoute route) {
  return route == ControlRoute::kClients || route == ControlRoute::kPush ||
         route == ControlRoute::kDisconnect || route == ControlRoute::kClientPush ||
         route == ControlRoute::kClientDisconnect || route == ControlRoute::kRequests ||
         route == ControlRoute::kForgetRequests || route == ControlRoute::kStubs ||
         route == ControlRoute::kAddStub || route == ControlRoute::kRemoveStubs ||
         route == ControlRoute::kRemoveStub;
}

server::ControlAnswer AnswerClientControl(const ClientControl& clients, const ControlTarget& target,
                                          std::string_view body) {
  switch (target.route) {
    case ControlRoute::kClients:
      return ListClients(clients.server);
    case ControlRoute::kPush:
      return Push(clients, nullptr, body);
    case ControlRoute::kDisconnect:
      return Disconnect(clients, nullptr, body);
    case ControlRoute::kRequests:
      return ListRequests(clients.server->received());
    case ControlRoute::kForgetRequests:
      return ForgetRequests(clients);
    case ControlRoute::kStubs:
    case ControlRoute::kAddStub:
    case ControlRoute::kRemoveStubs:
    case ControlRoute::kRemoveStub:
      return AnswerStubs(clients, target, body);
    case ControlRoute::kClientPush:
    case ControlRoute::kClientDisconnect:
      break;
    default:
      return ControlError(404, "not a client route");
  }
  std::variant<server::ConnectionId, server::ControlAnswer> found =
      FindClient(clients.server, target.id);
  if (auto* missing = std::get_if<server::ControlAnswer>(&found)) return std::move(*missing);
  const server::ConnectionId id = std::get<server::ConnectionId>(found);
  if (target.route == ControlRoute::kClientPush) return Push(clients, &id, body);
  return Disconnect(clients, &id, body);
}

}  // namespace wsmock::app
