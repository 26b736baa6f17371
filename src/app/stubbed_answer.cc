#include "app/stubbed_answer.h"

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
  Continuation go_on;
  std::string request;  // the frame, kept for go_on only

  void operator()() const {
    if (hit.answer.kind == StubAnswer::Kind::kContinue) {
      if (!server->IsServing(client)) return;  // it left during the delay
      go_on(client, request);
    }
    const std::optional<std::string> frame = StubFrame(hit.answer, action, request_id);
    if (frame && server->Send(client, *frame) == server::SendResult::kQueued &&
        recorder != nullptr) {
      if (hit.answer.kind == StubAnswer::Kind::kFrame) {
        // Any text: kind, action and requestId as they read from it.
        const recorder::PeekedMeta peeked(*frame);
        recorder->OnMessage(client, recorder::Direction::kOut, *frame, false, peeked.meta());
      } else {
        const protocol::MessageKind kind = hit.answer.kind == StubAnswer::Kind::kError
                                               ? protocol::MessageKind::kError
                                               : protocol::MessageKind::kResponse;
        recorder->OnMessage(client, recorder::Direction::kOut, *frame, false,
                            {kind, action, IdOf(request_id)});
      }
    }
    if (!hit.answer.close) return;
    if (hit.answer.close->drop) {
      server->Drop(client);
    } else {
      server->Close(client, hit.answer.close->code, hit.answer.close->reason);
    }
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
                    const Continuation& go_on) {
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
  Delivery delivery{clients.server,
                    clients.log,
                    clients.recorder,
                    request.client,
                    std::string(request.action),
                    std::string(request.request_id_json),
                    std::move(hit),
                    continues ? go_on : Continuation(),
                    continues ? std::string(request.frame) : std::string()};
  if (delay == 0) {
    delivery();
  } else {
    clients.server->After(delay, std::move(delivery));
  }
}

StubOutcome AnswerIfStubbed(const ClientControl& clients, server::ConnectionId client,
                            std::string_view frame, const Continuation& go_on) {
  if (clients.stubs->empty()) return StubOutcome::kNone;
  protocol::Decoded decoded = protocol::DecodeRequest(frame);
  const auto* request = std::get_if<protocol::Request>(&decoded);
  if (request == nullptr) return StubOutcome::kNone;
  std::optional<StubTable::Hit> hit = clients.stubs->Take(request->action, request->data);
  if (!hit) return StubOutcome::kNone;
  const bool continues = hit->answer.kind == StubAnswer::Kind::kContinue;
  AnswerWithStub(clients, {client, frame, request->action, request->request_id}, std::move(*hit),
                 go_on);
  return continues ? StubOutcome::kContinues : StubOutcome::kAnswered;
}

}  // namespace wsmock::app
