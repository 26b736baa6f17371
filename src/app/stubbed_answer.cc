#include "app/stubbed_answer.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "protocol/codec.h"

namespace wsmock::app {

namespace {

std::optional<std::string_view> IdOf(std::string_view request_id_json) {
  if (request_id_json.empty()) return std::nullopt;
  return request_id_json;
}

// Sends and records the answer (or lets the handler give its own), then
// closes: what the stub does once its delay is over. Everything it needs
// is its own, as it may run from a timer.
struct Delivery {
  server::WsServer* server;
  Logger* log;
  recorder::Recorder* recorder;
  server::ConnectionId client;
  std::string action, request_id;
  StubTable::Hit hit;
  StubFollowUp follow_up;
  std::string request;  // the frame, kept for go_on only

  void operator()() const {
    if (!server->IsServing(client)) return;  // it left during the delay
    if (hit.answer.kind == StubAnswer::Kind::kContinue) {
      follow_up.go_on(client, request);
    } else {
      SendAndRecord();
      if (follow_up.answered) follow_up.answered();
    }
    if (!hit.answer.close) return;
    if (hit.answer.close->drop) {
      server->Drop(client);
    } else {
      server->Close(client, hit.answer.close->code, hit.answer.close->reason);
    }
  }

  void SendAndRecord() const {
    const std::optional<std::string> frame = StubFrame(hit.answer, action, request_id);
    if (!frame || server->Send(client, *frame) != server::SendResult::kQueued ||
        recorder == nullptr) {
      return;
    }
    if (hit.answer.kind == StubAnswer::Kind::kFrame) {
      // Any text: kind, action and requestId as they read from it.
      const recorder::PeekedMeta peeked(*frame);
      recorder->OnMessage(client, recorder::Direction::kOut, *frame, false, peeked.meta());
      return;
    }
    const protocol::MessageKind kind = hit.answer.kind == StubAnswer::Kind::kError
                                           ? protocol::MessageKind::kError
                                           : protocol::MessageKind::kResponse;
    recorder->OnMessage(client, recorder::Direction::kOut, *frame, false,
                        {kind, action, IdOf(request_id)});
  }
};

std::string_view Telling(StubAnswer::Kind kind) {
  switch (kind) {
    case StubAnswer::Kind::kData:
      return "a response";
    case StubAnswer::Kind::kError:
      return "an error";
    case StubAnswer::Kind::kFrame:
      return "its frame";
    case StubAnswer::Kind::kContinue:
      return "the server's answer";
    case StubAnswer::Kind::kNothing:
      break;
  }
  return "no answer";
}

}  // namespace

void AnswerWithStub(const ClientControl& clients, const StubbedRequest& request, StubTable::Hit hit,
                    const StubFollowUp& follow_up) {
  const bool continues = hit.answer.kind == StubAnswer::Kind::kContinue;
  // A request that continues is recorded with the answer it gets.
  if (clients.recorder != nullptr && !continues) {
    clients.recorder->OnMessage(
        request.client, recorder::Direction::kIn, request.frame, false,
        {protocol::MessageKind::kRequest, request.action, IdOf(request.request_id_json)});
  }
  if (clients.log->Enabled(LogLevel::kInfo)) {
    std::string line = "Stub " + std::to_string(hit.id) + " gives " +
                       std::string(Telling(hit.answer.kind)) + " to " + std::string(request.action);
    if (hit.answer.delay > 0) line += " after " + std::to_string(hit.answer.delay / 1000) + " ms";
    if (hit.answer.close) {
      line += hit.answer.close->drop
                  ? ", then drops the client"
                  : ", then closes the client with " + std::to_string(hit.answer.close->code);
    }
    clients.log->Info(line);
  }
  const Micros delay = hit.answer.delay;
  const int64_t stub_id = hit.id;
  auto delivery = std::make_shared<Delivery>(
      Delivery{clients.server, clients.log, clients.recorder, request.client,
               std::string(request.action), std::string(request.request_id_json), std::move(hit),
               follow_up, continues ? std::string(request.frame) : std::string()});
  if (delay == 0) return (*delivery)();
  // The timer's id is known only once it is set; it cannot fire before.
  auto timer = std::make_shared<server::WsServer::TimerId>(0);
  *timer = clients.server->After(delay, [stubs = clients.stubs, delivery, timer] {
    stubs->Done(*timer);
    (*delivery)();
  });
  clients.stubs->Wait(stub_id, *timer);
}

StubsRemoved RemoveStubs(const ClientControl& clients, std::optional<int64_t> id) {
  StubsRemoved removed;
  if (id) {
    removed.stubs = clients.stubs->Remove(*id) ? 1 : 0;
  } else {
    removed.stubs = clients.stubs->Clear();
  }
  // A stub used up by its `times` is gone from the table, but what it has
  // still to send is cancelled all the same.
  for (server::WsServer::TimerId timer : clients.stubs->TakeWaiting(id)) {
    clients.server->Cancel(timer);
    ++removed.answers;
  }
  return removed;
}

StubOutcome AnswerIfStubbed(const ClientControl& clients, server::ConnectionId client,
                            std::string_view frame, const StubFollowUp& follow_up) {
  if (clients.stubs->empty()) return StubOutcome::kNone;
  protocol::Decoded decoded = protocol::DecodeRequest(frame);
  const auto* request = std::get_if<protocol::Request>(&decoded);
  if (request == nullptr) return StubOutcome::kNone;
  std::optional<StubTable::Hit> hit = clients.stubs->Take(request->action, request->data);
  if (!hit) return StubOutcome::kNone;
  const bool continues = hit->answer.kind == StubAnswer::Kind::kContinue;
  AnswerWithStub(clients, {client, frame, request->action, request->request_id}, std::move(*hit),
                 follow_up);
  return continues ? StubOutcome::kContinues : StubOutcome::kAnswered;
}

}  // namespace wsmock::app
