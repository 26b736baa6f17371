#include "app/replay_handler.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <variant>

#include "app/client_control.h"
#include "app/control_answers.h"
#include "app/stubbed_answer.h"
#include "protocol/codec.h"

namespace wsmock::app {
namespace {

std::string IdForLog(const std::string& request_id) {
  return request_id.empty() ? "" : " (ID: " + request_id + ")";
}

}  // namespace

ReplayHandler::ReplayHandler(replayer::ReplayIndex* index, const replayer::KeyMaker* keys,
                             double speed, bool per_connection, const Clock* clock, Logger* log)
    : index_(index),
      keys_(keys),
      frame_keys_(*keys, kMaxShapes),
      speed_(speed),
      per_connection_(per_connection),
      clock_(clock),
      log_(log) {}

void ReplayHandler::RecordMissing(MissingAnswers* source, recorder::Recorder* recorder,
                                  Micros session_end) {
  missing_ = source;
  recorder_ = recorder;
  session_end_ = session_end;
}

void ReplayHandler::OnOpen(server::ConnectionId id, const server::PeerInfo& peer) {
  Client& client = clients_[id];
  client.pushes = &index_->PushesFor(clients_seen_++);
  client.opened_at = clock_->Now();
  client.peer = peer;
  if (missing_ != nullptr) missing_->OnClientOpen(id, peer);
  // clients_, not the server's count: that one includes upstream connections.
  log_->Info("Client connected from " + peer.address +
             ". Total clients: " + std::to_string(clients_.size()));
  if (speed_ == 0) {
    SendDuePushes(id, &client);
  } else {
    ScheduleNextPush(id, &client);
  }
}

server::ControlAnswer ReplayHandler::OnControl(std::string_view method, std::string_view path,
                                               std::string_view body) {
  std::variant<ControlTarget, server::ControlAnswer> route = RouteControl(method, path);
  if (auto* refused = std::get_if<server::ControlAnswer>(&route)) return std::move(*refused);
  const ControlTarget target = std::get<ControlTarget>(route);
  // A test's pushes are not the recording's, so they are not recorded.
  if (IsClientRoute(target.route))
    return AnswerClientControl({server_, log_, nullptr, &stubs_}, target, body);
  if (target.route == ControlRoute::kTick) {
    return ControlError(409, "replay has no ticks: its pushes come from the recording");
  }
  if (target.route == ControlRoute::kStation) {
    return ControlError(409, "replay cannot change a station: its answers are recorded");
  }
  if (target.route == ControlRoute::kReset) Rewind();
  return HealthAnswer("replay", server_->connection_count(), std::nullopt);
}

void ReplayHandler::Rewind() {
  index_->Rewind();
  RemoveStubs({server_, log_, nullptr, &stubs_}, std::nullopt);
  for (auto& [id, client] : clients_) client.cursor.Rewind();
  clients_seen_ = 0;
  server_->received().Clear();
  log_->Info("Replay rewound to the recording's start over the control endpoint");
}

void ReplayHandler::OnClose(server::ConnectionId id, int close_code) {
  auto it = clients_.find(id);
  if (it != clients_.end()) {
    if (it->second.timer) server_->Cancel(*it->second.timer);
    if (it->second.recording) recorder_->OnClose(id, close_code);
    clients_.erase(it);
  }
  if (missing_ != nullptr) missing_->OnClientClose(id);
  log_->Info("Client disconnected (code " + std::to_string(close_code) +
             "). Total clients: " + std::to_string(clients_.size()));
}

bool ReplayHandler::AnswerStubbed(server::ConnectionId id, std::string_view message) {
  // Counted when its answer is sent, or, when it continues, replayed.
  const StubOutcome outcome =
      AnswerIfStubbed({server_, log_, nullptr, &stubs_}, id, message,
                      {[this](server::ConnectionId client, std::string_view frame) {
                         Replay(client, frame, /*binary=*/false);
                       },
                       [this] {
                         if (on_request_) on_request_(++requests_);
                       }});
  return outcome != StubOutcome::kNone;
}

void ReplayHandler::OnMessage(server::ConnectionId id, std::string_view message, bool binary) {
  // Stubs cost nothing while there are none.
  if (!binary && !stubs_.empty() && AnswerStubbed(id, message)) return;
  Replay(id, message, binary);
}

void ReplayHandler::Replay(server::ConnectionId id, std::string_view message, bool binary) {
  if (!binary && AnswerKnown(id, message)) return;
  std::string key, request_id;
  std::optional<std::string> error_action, error_id;
  if (binary) {
    key = keys_->BinaryKey(message);
  } else {
    protocol::Decoded decoded = protocol::DecodeRequest(message);
    // Keyed as recorded (redacted, with the session's --redact pointers);
    // the frame as sent goes only back to its client and to --record-missing.
    key = keys_->KeyOfText(message, decoded);
    if (const auto* request = std::get_if<protocol::Request>(&decoded)) {
      request_id = request->request_id;
      error_action = request->action;
      error_id = request->request_id;
      if (!replayer::SplitKey(key).raw) frame_keys_.Remember(message, key);
    } else {
      const auto& error = std::get<protocol::ErrorReply>(decoded);
      error_action = error.action;
      error_id = error.request_id;
    }
  }
  std::string frame(server::WsServer::kSendHeadroom, '\0');
  bool binary_answer = false;
  const Found found = index_->AnswerInto(key, request_id, &frame, &binary_answer, CursorOf(id));
  if (found != Found::kNothing) {
    if (found == Found::kAnswer) SendAnswer(id, std::move(frame), binary_answer);
    Replayed(id, key, request_id, found);
    return;
  }
  if (missing_ != nullptr && !binary) {
    // Answered (and counted) when the source answers.
    Miss miss{id, key, std::string(message), request_id, error_action, error_id, clock_->Now()};
    missing_->Ask(id, message, [this, miss = std::move(miss)](Result<std::string> answer) {
      OnMissingAnswer(miss, std::move(answer));
    });
    return;
  }
  NoRecording(id, index_->NoteUnmatched(key), error_action, error_id);
  if (on_request_) on_request_(++requests_);
}

// Most requests repeat a recorded one but for their requestId: those of a
// shape seen before are answered without a parse, the reply built once,
// straight into the send buffer. False (nothing done, nothing counted) for
// any other frame, and for a known one nothing answers: OnMessage's full
// path words the NO_RECORDING error or asks the MissingAnswers source.
bool ReplayHandler::AnswerKnown(server::ConnectionId id, std::string_view message) {
  std::string_view request_id;
  const std::string* key = frame_keys_.Known(message, &request_id);
  if (key == nullptr) return false;
  std::string frame(server::WsServer::kSendHeadroom, '\0');
  bool binary = false;
  const Found found = index_->AnswerInto(*key, request_id, &frame, &binary, CursorOf(id));
  if (found == Found::kNothing) return false;
  if (found == Found::kAnswer) SendAnswer(id, std::move(frame), binary);
  Replayed(id, *key, request_id, found);
  return true;
}

replayer::ReplayIndex::Cursor* ReplayHandler::CursorOf(server::ConnectionId id) {
  if (!per_connection_) return nullptr;
  auto it = clients_.find(id);
  return it != clients_.end() ? &it->second.cursor : nullptr;
}

void ReplayHandler::SendAnswer(server::ConnectionId id, std::string&& frame, bool binary) {
  constexpr size_t kHeadroom = server::WsServer::kSendHeadroom;
  if (binary) {
    server_->Send(id, std::string_view(frame).substr(kHeadroom), /*binary=*/true);
  } else {
    server_->Send(id, std::move(frame), kHeadroom);
  }
}

void ReplayHandler::Replayed(server::ConnectionId id, const std::string& key,
                             std::string_view request_id, Found found) {
  if (log_->Enabled(LogLevel::kInfo)) {
    const bool has_id = !request_id.empty();
    log_->Info({"Replayed ", Described(key), has_id ? " (ID: " : "", request_id, has_id ? ")" : "",
                found == Found::kSilence ? ": no answer, as recorded" : ""});
  }
  if (speed_ == 0) {
    auto it = clients_.find(id);
    if (it != clients_.end()) {
      it->second.answered.insert(key);
      SendDuePushes(id, &it->second);
    }
  }
  if (on_request_) on_request_(++requests_);
}

// Only recorded keys come here, so the cache holds at most the
// index's keys.
const std::string& ReplayHandler::Described(const std::string& key) {
  auto it = described_.find(key);
  if (it == described_.end()) it = described_.emplace(key, replayer::DescribeKey(key)).first;
  return it->second;
}

void ReplayHandler::NoRecording(server::ConnectionId id, const std::string& why,
                                std::optional<std::string> action,
                                std::optional<std::string> request_id) {
  log_->Warn("NO_RECORDING: " + why);
  protocol::ErrorReply error{protocol::ErrorCode::kNoRecording, why, std::move(action),
                             std::move(request_id)};
  server_->Send(id, protocol::EncodeError(error));
}

void ReplayHandler::OnMissingAnswer(const Miss& miss, Result<std::string> answer) {
  auto it = clients_.find(miss.client);
  if (it == clients_.end()) return;  // gone: no one to answer, nothing to record
  if (!answer.ok()) {
    // Still missing: counted and answered as without --record-missing, and
    // the reason joins the message.
    NoRecording(miss.client, index_->NoteUnmatched(miss.key) + "; " + answer.status().message(),
                miss.error_action, miss.error_id);
  } else {
    server_->Send(miss.client, *answer);
    RecordExchange(&it->second, miss, *answer);
    index_->Record(miss.key, std::move(*answer));
    if (log_->Enabled(LogLevel::kInfo)) {
      log_->Info("Recorded " + replayer::DescribeKey(miss.key) + IdForLog(miss.request_id) +
                 " from " + missing_->Describe());
    }
  }
  if (on_request_) on_request_(++requests_);
}

// The request and its answer are written together, once the answer is
// known, so a request that never got one leaves no trace in the file, and
// the pair sits next to each other as replay's pairing expects.
void ReplayHandler::RecordExchange(Client* client, const Miss& miss, const std::string& answer) {
  const Micros after_end = session_end_ + 1;
  if (!client->recording) {
    recorder_->OnOpenAt(miss.client, client->peer.address, client->peer.path,
                        std::max(client->opened_at, after_end));
    client->recording = true;
  }
  recorder_->OnMessageAt(miss.client, recorder::Direction::kIn, miss.frame, false,
                         recorder::PeekedMeta(miss.frame).meta(),
                         std::max(miss.asked_at, after_end));
  recorder_->OnMessageAt(miss.client, recorder::Direction::kOut, answer, false,
                         recorder::PeekedMeta(answer).meta(), std::max(clock_->Now(), after_end));
}

// --speed 0: pushes go out in recorded order as soon as the request that
// preceded each one in the recording has been answered on this connection.
void ReplayHandler::SendDuePushes(server::ConnectionId id, Client* client) {
  const auto& pushes = *client->pushes;
  while (client->next_push < pushes.size()) {
    const auto& push = pushes[client->next_push];
    if (!push.after_key.empty() && client->answered.count(push.after_key) == 0) return;
    server_->Send(id, push.payload, push.binary);
    ++client->next_push;
  }
}

// --speed X: the next push at its recorded offset divided by X, measured
// from this connection's start; pushes that are due go out in order.
void ReplayHandler::ScheduleNextPush(server::ConnectionId id, Client* client) {
  client->timer.reset();
  const auto& pushes = *client->pushes;
  if (client->next_push >= pushes.size()) return;
  const std::optional<Micros> after = AtSpeed(pushes[client->next_push].offset, speed_);
  if (!after) return;  // not within a century at this speed: never
  Micros delay = client->opened_at + *after - clock_->Now();
  client->timer = server_->After(delay > 0 ? delay : 0, [this, id] {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    Client& c = it->second;
    const replayer::ReplayIndex::Push& push = (*c.pushes)[c.next_push];
    server_->Send(id, push.payload, push.binary);
    ++c.next_push;
    ScheduleNextPush(id, &c);
  });
}

}  // namespace wsmock::app
