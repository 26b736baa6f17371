#include "proxy/proxy_handler.h"

#include <utility>

#include "proxy/upstream_request.h"

namespace wsmock::proxy {
namespace {

constexpr int kNormal = 1000;
constexpr int kPolicyViolation = 1008;
constexpr int kInternalError = 1011;
constexpr int kBadGateway = 1014;

std::string Id(server::ConnectionId id) { return std::to_string(id); }

}  // namespace

int RelayedCloseCode(int code, int fallback) {
  const bool sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                        (code >= 3000 && code <= 4999);
  return sendable ? code : fallback;
}

ProxyHandler::ProxyHandler(server::DialOptions upstream, Logger* log, recorder::Recorder* recorder)
    : upstream_(std::move(upstream)), log_(log), recorder_(recorder) {}

void ProxyHandler::OnOpen(server::ConnectionId id, const server::PeerInfo& peer) {
  auto it = links_.find(id);
  if (it == links_.end()) return OnClientOpen(id, peer);
  // An upstream opened; what its client sent meanwhile was queued for it.
  if (log_->Enabled(LogLevel::kDebug)) {
    log_->Debug("Upstream connected for client " + Id(it->second.peer));
  }
}

void ProxyHandler::OnClientOpen(server::ConnectionId client, const server::PeerInfo& peer) {
  if (recorder_ != nullptr) recorder_->OnOpen(client, peer.address, peer.path);
  ++clients_;
  links_[client] = Link{0, true};
  log_->Info("Client connected from " + peer.address +
             ". Total clients: " + std::to_string(clients_));
  // The dial's errors never quote the client's query or header values.
  Result<server::ConnectionId> upstream = server_->Dial(UpstreamDialFor(upstream_, peer), this);
  if (!upstream.ok()) {
    log_->Error("Cannot reach upstream " + upstream_.url + ": " + upstream.status().message());
    return CloseClient(client, kBadGateway, "upstream unreachable");
  }
  links_[client].peer = *upstream;
  links_[*upstream] = Link{client, false};
}

void ProxyHandler::OnMessage(server::ConnectionId id, std::string_view message, bool binary) {
  auto it = links_.find(id);
  if (it == links_.end()) return;
  if (it->second.client && !binary && intercept_ && intercept_(id, message)) return;
  RecordAndRelay(id, it->second, message, binary);
}

void ProxyHandler::Relayed(server::ConnectionId client, std::string_view message, bool binary) {
  auto it = links_.find(client);
  if (it != links_.end()) RecordAndRelay(client, it->second, message, binary);
}

void ProxyHandler::RecordAndRelay(server::ConnectionId id, Link link, std::string_view message,
                                  bool binary) {
  if (recorder_ != nullptr) {
    const server::ConnectionId client = link.client ? id : link.peer;
    recorder_->OnMessage(client, link.client ? recorder::Direction::kIn : recorder::Direction::kOut,
                         message, binary, recorder::PeekedMeta(message, binary).meta());
  }
  Relay(id, link, message, binary);
}

void ProxyHandler::Relay(server::ConnectionId from, const Link& link, std::string_view message,
                         bool binary) {
  if (link.peer == 0) return;  // the other side is gone; this side is closing
  // kNoConnection means the other side is closing already: its close
  // reaches this side soon.
  if (server_->Send(link.peer, message, binary) == server::SendResult::kOverLimit) {
    OnOverflow(from, link);
  }
}

// The receiving side was too slow: the server has closed it with 1008, and
// its partner goes too, since the relay cannot go on without dropping frames.
// Both are detached first, so neither close is taken for an upstream failure.
void ProxyHandler::OnOverflow(server::ConnectionId from, const Link& link) {
  const server::ConnectionId client = link.client ? from : link.peer;
  const server::ConnectionId upstream = link.client ? link.peer : from;
  log_->Warn(std::string(link.client ? "The upstream" : "The client") + " of client " + Id(client) +
             " reads too slowly (send queue full); closing client and upstream with 1008");
  links_.erase(upstream);
  CloseClient(client, kPolicyViolation, "relay queue full");
  server_->Close(upstream, kPolicyViolation, "relay queue full");
}

void ProxyHandler::OnClose(server::ConnectionId id, int close_code) {
  auto it = links_.find(id);
  if (it == links_.end()) return;
  const Link link = it->second;
  if (link.client) return OnClientClose(id, link.peer, close_code);
  links_.erase(it);
  OnUpstreamClose(id, link.peer, close_code);
}

void ProxyHandler::OnClientClose(server::ConnectionId client, server::ConnectionId upstream,
                                 int code) {
  links_.erase(client);
  --clients_;
  if (recorder_ != nullptr) recorder_->OnClose(client, code);
  log_->Info("Client disconnected (code " + std::to_string(code) +
             "). Total clients: " + std::to_string(clients_));
  if (upstream == 0) return;
  links_.erase(upstream);
  // Closing an upstream still connecting abandons it; no report follows
  // that this handler still cares about.
  server_->Close(upstream, RelayedCloseCode(code, kNormal), "client closed");
}

void ProxyHandler::OnUpstreamClose(server::ConnectionId upstream, server::ConnectionId client,
                                   int code) {
  auto it = links_.find(client);
  if (it == links_.end()) return;  // its client went first
  const int relayed = RelayedCloseCode(code, kInternalError);
  if (relayed == kInternalError) {
    log_->Error("Upstream " + upstream_.url + " dropped client " + Id(client) + "'s connection " +
                Id(upstream) + " (code " + std::to_string(code) + "); closing it with 1011");
    return CloseClient(client, kInternalError, "upstream connection lost");
  }
  log_->Warn("Upstream " + upstream_.url + " closed client " + Id(client) + "'s connection (code " +
             std::to_string(code) + "); closing the client with the same code");
  CloseClient(client, relayed, "upstream closed");
}

server::ControlAnswer ProxyHandler::OnControl(std::string_view method, std::string_view path,
                                              std::string_view body) {
  if (!control_) return Handler::OnControl(method, path, body);
  return control_(method, path, body);
}

void ProxyHandler::OnDialFailed(server::ConnectionId id, const std::string& reason) {
  auto it = links_.find(id);
  if (it == links_.end()) return;  // abandoned after its client left
  const server::ConnectionId client = it->second.peer;
  links_.erase(it);
  log_->Error("Cannot reach upstream " + upstream_.url + " for client " + Id(client) + ": " +
              reason);
  CloseClient(client, kBadGateway, "upstream unreachable: " + reason);
}

void ProxyHandler::CloseClient(server::ConnectionId client, int code, const std::string& reason) {
  auto it = links_.find(client);
  if (it != links_.end()) it->second.peer = 0;
  server_->Close(client, code, reason);
}

}  // namespace wsmock::proxy
