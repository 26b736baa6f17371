#include "fault/client_swarm.h"

#include <poll.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fault/raw_socket.h"
#include "fault/ws_wire.h"

namespace wsmock::testing {
namespace {

using Clock = std::chrono::steady_clock;

enum class Phase { kConnecting, kUpgrading, kOpen, kAwaitingAnswer, kGone };

struct SwarmClient {
  std::unique_ptr<RawSocket> socket;
  Phase phase = Phase::kConnecting;
  std::string received;
};

// The swarm's state, advanced one poll() at a time.
class Swarm {
 public:
  Swarm(int port, std::string request) : port_(port), request_(std::move(request)) {}

  bool Start(int count);
  // Polls until every client has left `phase` (or failed); false on timeout.
  bool RunWhileAny(Phase phase, Clock::time_point deadline);
  void SendRequestsAndVanish();

  SwarmResult result;

 private:
  void Advance(size_t i, short revents);
  void OnConnected(SwarmClient* client);
  void OnReadable(size_t i);
  void Vanish(size_t i);
  void Fail(const std::string& why);

  const int port_;
  const std::string request_;
  std::vector<SwarmClient> clients_;
};

bool Swarm::Start(int count) {
  clients_.resize(static_cast<size_t>(count));
  for (SwarmClient& client : clients_) {
    client.socket = RawSocket::StartConnect(port_);
    if (client.socket == nullptr) {
      Fail("cannot create socket " + std::to_string(&client - clients_.data()));
      return false;
    }
  }
  return true;
}

bool Swarm::RunWhileAny(Phase phase, Clock::time_point deadline) {
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<size_t> owners;
    for (size_t i = 0; i < clients_.size(); ++i) {
      const Phase p = clients_[i].phase;
      if (p != phase) continue;
      const short events = p == Phase::kConnecting ? POLLOUT : POLLIN;
      fds.push_back({clients_[i].socket->fd(), events, 0});
      owners.push_back(i);
    }
    if (fds.empty() || !result.failure.empty()) return true;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    for (size_t k = 0; ready > 0 && k < fds.size(); ++k) {
      if (fds[k].revents != 0) Advance(owners[k], fds[k].revents);
    }
  }
}

void Swarm::Advance(size_t i, short revents) {
  SwarmClient& client = clients_[i];
  if (client.phase == Phase::kConnecting) {
    const int error = client.socket->ConnectError();
    if (error != 0 || (revents & (POLLERR | POLLHUP)) != 0) {
      Fail("client " + std::to_string(i) + " could not connect (errno " + std::to_string(error) +
           ")");
      return;
    }
    OnConnected(&client);
    return;
  }
  OnReadable(i);
}

void Swarm::OnConnected(SwarmClient* client) {
  // A few hundred bytes into a fresh socket's empty buffer: never partial.
  if (!client->socket->SendAll(UpgradeRequest(port_), 1000)) {
    Fail("cannot send an upgrade request");
    return;
  }
  client->phase = Phase::kUpgrading;
}

void Swarm::OnReadable(size_t i) {
  SwarmClient& client = clients_[i];
  const RawSocket::ReadEnd end = client.socket->ReadSome(&client.received, 0);
  if (end == RawSocket::ReadEnd::kTimeout) return;  // woken for nothing
  if (end != RawSocket::ReadEnd::kData) {
    Fail("server ended client " + std::to_string(i) +
         " early; it had: " + client.received.substr(0, 80));
    return;
  }
  if (client.phase == Phase::kUpgrading) {
    const size_t head_end = ResponseHeadEnd(client.received);
    if (head_end == std::string::npos) return;
    if (HttpStatus(client.received) != 101) {
      Fail("client " + std::to_string(i) +
           " refused: " + client.received.substr(0, client.received.find('\r')));
      return;
    }
    client.received.erase(0, head_end);
    client.phase = Phase::kOpen;
    ++result.upgraded;
    return;
  }
  // kAwaitingAnswer: the first response frame ends it.
  size_t consumed = 0;
  for (auto frame = ParseServerFrame(client.received, &consumed); frame;
       frame = ParseServerFrame(client.received, &consumed)) {
    client.received.erase(0, consumed);
    if (frame->payload.find("\"type\":\"response\"") != std::string::npos) {
      ++result.answered;
      Vanish(i);
      return;
    }
  }
}

void Swarm::SendRequestsAndVanish() {
  const std::string frame = ClientFrame(request_);
  for (size_t i = 0; i < clients_.size() && result.failure.empty(); ++i) {
    if (!clients_[i].socket->SendAll(frame, 1000)) {
      Fail("client " + std::to_string(i) + " cannot send its request");
      return;
    }
    if (i % 4 < 2) {
      clients_[i].phase = Phase::kAwaitingAnswer;
      ++result.waited;
    } else {
      Vanish(i);
    }
  }
}

void Swarm::Vanish(size_t i) {
  SwarmClient& client = clients_[i];
  if (i % 2 == 0) {
    client.socket->Abort();
  } else {
    client.socket->CloseNow();
  }
  client.phase = Phase::kGone;
}

void Swarm::Fail(const std::string& why) {
  if (result.failure.empty()) result.failure = why;
}

}  // namespace

SwarmResult RunVanishingSwarm(int port, int clients, const std::string& request, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  Swarm swarm(port, request);
  if (!swarm.Start(clients)) return swarm.result;
  // Everyone is connected and upgraded before anyone sends: all are open at
  // the same time, which is the load being tested.
  if (!swarm.RunWhileAny(Phase::kConnecting, deadline) ||
      !swarm.RunWhileAny(Phase::kUpgrading, deadline)) {
    swarm.result.failure = "timed out with " + std::to_string(swarm.result.upgraded) + " of " +
                           std::to_string(clients) + " clients upgraded";
    return swarm.result;
  }
  if (!swarm.result.failure.empty()) return swarm.result;
  swarm.SendRequestsAndVanish();
  if (!swarm.RunWhileAny(Phase::kAwaitingAnswer, deadline)) {
    swarm.result.failure = "timed out with " + std::to_string(swarm.result.answered) + " of " +
                           std::to_string(swarm.result.waited) + " answers";
  }
  return swarm.result;
}

}  // namespace wsmock::testing
