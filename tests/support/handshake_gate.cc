#include "support/handshake_gate.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace wsmock::testing {
namespace {

using server::testing::Fd;

// Short, so the destructor's stop is seen soon; the sockets are loopback.
constexpr int kPollMs = 50;
constexpr int kHeadTimeoutMs = 5000;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The bytes up to and including the blank line that ends the request head
// (and any that came with them), or "" if none came in time.
std::string ReadHead(const Fd& fd, const std::atomic<bool>& stop) {
  std::string head;
  char buf[4096];
  for (int waited = 0; head.find("\r\n\r\n") == std::string::npos && waited < kHeadTimeoutMs;) {
    pollfd p{fd.get(), POLLIN, 0};
    if (stop || poll(&p, 1, kPollMs) < 0) return "";
    if (p.revents == 0) {
      waited += kPollMs;
      continue;
    }
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n <= 0) return "";
    head.append(buf, static_cast<size_t>(n));
  }
  return head.find("\r\n\r\n") == std::string::npos ? "" : head;
}

}  // namespace

HandshakeGate::HandshakeGate(int backend_port, std::vector<std::string> required)
    : backend_port_(backend_port), required_(std::move(required)) {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (!fd.valid() || bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(fd.get(), 16) != 0 ||
      getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return;
  }
  port_ = ntohs(addr.sin_port);
  listener_ = std::move(fd);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

HandshakeGate::~HandshakeGate() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  for (std::thread& t : connections_) t.join();
}

void HandshakeGate::AcceptLoop() {
  while (!stop_) {
    pollfd p{listener_.get(), POLLIN, 0};
    if (poll(&p, 1, kPollMs) <= 0) continue;
    Fd client(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!client.valid()) continue;
    connections_.emplace_back([this, c = std::move(client)]() mutable { Serve(std::move(c)); });
  }
}

void HandshakeGate::Serve(Fd client) {
  const std::string head = ReadHead(client, stop_);
  if (head.empty()) return;
  {
    std::lock_guard<std::mutex> lock(heads_mu_);
    heads_.push_back(head.substr(0, head.find("\r\n\r\n") + 4));
  }
  if (!Admits(head)) {
    ++refused_;
    server::testing::SendAll(
        client, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  Fd backend = server::testing::ConnectTcp(backend_port_);
  if (!backend.valid() || !server::testing::SendAll(backend, head)) return;
  Relay(client, backend);
}

std::vector<std::string> HandshakeGate::heads() const {
  std::lock_guard<std::mutex> lock(heads_mu_);
  return heads_;
}

bool HandshakeGate::Admits(const std::string& head) const {
  const std::string lines = Lower("\r\n" + head);  // the request line too
  for (const std::string& line : required_) {
    if (lines.find("\r\n" + Lower(line) + "\r\n") == std::string::npos) return false;
  }
  return true;
}

// Copies bytes both ways until either side ends or the gate stops.
void HandshakeGate::Relay(const Fd& a, const Fd& b) {
  char buf[16384];
  while (!stop_) {
    pollfd p[2] = {{a.get(), POLLIN, 0}, {b.get(), POLLIN, 0}};
    if (poll(p, 2, kPollMs) < 0) return;
    for (int i = 0; i < 2; ++i) {
      if (p[i].revents == 0) continue;
      const ssize_t n = read(p[i].fd, buf, sizeof buf);
      if (n <= 0 ||
          !server::testing::SendAll(i == 0 ? b : a, std::string(buf, static_cast<size_t>(n))))
        return;
    }
  }
}

}  // namespace wsmock::testing
