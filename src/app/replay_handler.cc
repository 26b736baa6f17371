#include "app/replay_handler.h"

#include <cmath>

#include "protocol/codec.h"

namespace wsmock::app {

ReplayHandler::ReplayHandler(replayer::ReplayIndex* index, const replayer::KeyMaker* keys,
                             double speed, const Clock* clock, Logger* log)
    : index_(index), keys_(keys), speed_(speed), clock_(clock), log_(log) {}

void ReplayHandler::OnOpen(server::ConnectionId id, const server::PeerInfo& peer) {
  Client& client = clients_[id];
  client.pushes = &index_->PushesFor(clients_seen_++);
  client.opened_at = clock_->Now();
  log_->Info("Client connected from " + peer.address +
             ". Total clients: " + std::to_string(server_->connection_count()));
  if (speed_ == 0) {
    SendDuePushes(id, &client);
  } else {
    ScheduleNextPush(id, &client);
  }
}

void ReplayHandler::OnClose(server::ConnectionId id, int close_code) {
  auto it = clients_.find(id);
  if (it != clients_.end()) {
    if (it->second.timer) server_->Cancel(*it->second.timer);
    clients_.erase(it);
  }
  log_->Info("Client disconnected (code " + std::to_string(close_code) +
             "). Total clients: " + std::to_string(server_->connection_count()));
}

void ReplayHandler::OnMessage(server::ConnectionId id, std::string_view message, bool binary) {
  std::string key, request_id, action;
  std::optional<std::string> error_action, error_id;
  if (binary) {
    key = keys_->RawKey(message);
  } else {
    protocol::Decoded decoded = protocol::DecodeRequest(message);
    if (const auto* request = std::get_if<protocol::Request>(&decoded)) {
      key = keys_->KeyOf(*request);
      request_id = request->request_id;
      action = request->action;
      error_action = request->action;
      error_id = request->request_id;
    } else {
      const auto& error = std::get<protocol::ErrorReply>(decoded);
      key = keys_->RawKey(message);
      error_action = error.action;
      error_id = error.request_id;
    }
  }
  std::optional<std::string> answer = index_->Answer(key, request_id);
  if (answer) {
    server_->Send(id, *answer);
    if (log_->Enabled(LogLevel::kInfo)) {
      log_->Info("Replayed " + replayer::DescribeKey(key) +
                 (request_id.empty() ? "" : " (ID: " + request_id + ")"));
    }
  } else {
    std::string why = index_->NoteUnmatched(key);
    log_->Warn("NO_RECORDING: " + why);
    protocol::ErrorReply error{protocol::ErrorCode::kNoRecording, why, error_action, error_id};
    server_->Send(id, protocol::EncodeError(error));
  }
  auto it = clients_.find(id);
  if (answer && it != clients_.end() && speed_ == 0) {
    it->second.answered.insert(key);
    SendDuePushes(id, &it->second);
  }
  if (on_request_) on_request_(++requests_);
}

// --speed 0: pushes go out in recorded order as soon as the request that
// preceded each one in the recording has been answered on this connection.
void ReplayHandler::SendDuePushes(server::ConnectionId id, Client* client) {
  const auto& pushes = *client->pushes;
  while (client->next_push < pushes.size()) {
    const auto& push = pushes[client->next_push];
    if (!push.after_key.empty() && client->answered.count(push.after_key) == 0) return;
    server_->Send(id, push.payload);
    ++client->next_push;
  }
}

// --speed X: the next push at its recorded offset divided by X, measured
// from this connection's start; pushes that are due go out in order.
void ReplayHandler::ScheduleNextPush(server::ConnectionId id, Client* client) {
  client->timer.reset();
  const auto& pushes = *client->pushes;
  if (client->next_push >= pushes.size()) return;
  Micros due = client->opened_at + static_cast<Micros>(std::llround(
                                        static_cast<double>(pushes[client->next_push].offset) /
                                        speed_));
  Micros delay = due - clock_->Now();
  client->timer = server_->After(delay > 0 ? delay : 0, [this, id] {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    Client& c = it->second;
    server_->Send(id, (*c.pushes)[c.next_push].payload);
    ++c.next_push;
    ScheduleNextPush(id, &c);
  });
}

}  // namespace wsmock::app
