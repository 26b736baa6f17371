#include "app/upstream_answers.h"

#include <optional>
#include <utility>
#include <vector>

#include "protocol/codec.h"
#include "proxy/upstream_request.h"

namespace wsmock::app {
namespace {

constexpr int kNormal = 1000;

std::string Id(server::ConnectionId id) { return std::to_string(id); }

}  // namespace

UpstreamAnswers::UpstreamAnswers(server::DialOptions upstream, Logger* log)
    : upstream_(std::move(upstream)), log_(log) {}

void UpstreamAnswers::OnClientOpen(server::ConnectionId client, const server::PeerInfo& peer) {
  // As the proxy does: the upstream sees who asks (their query and Cookie,
  // Authorization and Origin), so a backend that checks them answers.
  clients_[client].dial = proxy::UpstreamDialFor(upstream_, peer);
}

void UpstreamAnswers::OnClientClose(server::ConnectionId client) {
  auto it = clients_.find(client);
  if (it == clients_.end()) return;
  const server::ConnectionId upstream = it->second.upstream;
  clients_.erase(it);  // its waiting Done callbacks go with it, never run
  if (upstream == 0) return;
  client_of_.erase(upstream);
  // Closing an upstream still dialling abandons it; the OnDialFailed that
  // follows finds no client.
  server_->Close(upstream, kNormal, "client closed");
}

void UpstreamAnswers::Ask(server::ConnectionId id, std::string_view frame, Done done) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;  // not open (or gone): nobody to answer
  Client& client = it->second;
  std::string why;
  const server::ConnectionId upstream = UpstreamOf(id, &client, &why);
  if (upstream == 0) return done(Status::IoError(why));
  const uint64_t token = next_token_++;
  client.pending.Add(token, protocol::PeekMessage(frame).request_id.value_or(""));
  client.done.emplace(token, std::move(done));
  // Sent before the upstream opens, the frame waits for it. When the send
  // queue overflows or the upstream is closing, its OnClose fails this
  // request with the others.
  server_->Send(upstream, frame);
}

server::ConnectionId UpstreamAnswers::UpstreamOf(server::ConnectionId id, Client* client,
                                                 std::string* why) {
  if (client->upstream != 0) return client->upstream;
  Result<server::ConnectionId> dialled = server_->Dial(client->dial, this);
  if (!dialled.ok()) {
    *why = "cannot reach upstream " + upstream_.url + ": " + dialled.status().message();
    log_->Error("Cannot reach upstream " + upstream_.url + " for client " + Id(id) + ": " +
                dialled.status().message());
    return 0;
  }
  client->upstream = *dialled;
  client_of_[*dialled] = id;
  return *dialled;
}

void UpstreamAnswers::OnOpen(server::ConnectionId upstream, const server::PeerInfo& /*peer*/) {
  if (!log_->Enabled(LogLevel::kDebug)) return;
  auto link = client_of_.find(upstream);
  if (link != client_of_.end()) log_->Debug("Upstream connected for client " + Id(link->second));
}

void UpstreamAnswers::OnMessage(server::ConnectionId upstream, std::string_view message,
                                bool binary) {
  auto link = client_of_.find(upstream);
  if (link == client_of_.end()) return;
  Client& client = clients_.at(link->second);
  std::optional<uint64_t> token;
  if (!binary) {  // the protocol is text: a binary frame answers nothing
    protocol::Peek peek = protocol::PeekMessage(message);
    token = client.pending.Take(protocol::MessageKindName(peek.kind), peek.request_id.value_or(""));
  }
  if (!token) {
    if (log_->Enabled(LogLevel::kDebug)) {
      log_->Debug("Dropped a frame from the upstream of client " + Id(link->second) +
                  " that answers no waiting request (pushes come from the recording)");
    }
    return;
  }
  auto node = client.done.extract(*token);
  // Run last: it may send, and nothing here is touched after it.
  node.mapped()(std::string(message));
}

void UpstreamAnswers::OnClose(server::ConnectionId upstream, int close_code) {
  auto link = client_of_.find(upstream);
  if (link == client_of_.end()) return;  // its client went first
  const server::ConnectionId client = link->second;
  log_->Warn("Upstream " + upstream_.url + " closed client " + Id(client) + "'s connection (code " +
             std::to_string(close_code) + "); its next unrecorded request dials again");
  FailPending(upstream, "upstream " + upstream_.url + " closed the connection (code " +
                            std::to_string(close_code) + ")");
}

void UpstreamAnswers::OnDialFailed(server::ConnectionId upstream, const std::string& reason) {
  auto link = client_of_.find(upstream);
  if (link == client_of_.end()) return;  // abandoned after its client left
  log_->Error("Cannot reach upstream " + upstream_.url + " for client " + Id(link->second) + ": " +
              reason);
  FailPending(upstream, "cannot reach upstream " + upstream_.url + ": " + reason);
}

void UpstreamAnswers::FailPending(server::ConnectionId upstream, const std::string& why) {
  auto link = client_of_.find(upstream);
  const server::ConnectionId id = link->second;
  client_of_.erase(link);
  Client& client = clients_.at(id);
  client.upstream = 0;
  std::vector<Done> failed;
  for (uint64_t token : client.pending.TakeAll()) {
    auto node = client.done.extract(token);
    failed.push_back(std::move(node.mapped()));
  }
  // Detached first: a callback may send, and none finds this client half-updated.
  for (Done& done : failed) done(Status::IoError(why));
}

}  // namespace wsmock::app
