// Plain TCP on 127.0.0.1 for server tests that need to see or send bytes
// lws would not: a listener that captures one HTTP request, and a client
// socket that can stall mid-handshake. Every call is bounded by a timeout.
#pragma once

#include <string>

namespace wsmock::server::testing {

// An owned socket descriptor; -1 when empty.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Listens on 127.0.0.1 on a free port.
class RawListener {
 public:
  RawListener();
  bool ok() const { return fd_.valid(); }
  int port() const { return port_; }
  // Accepts one connection and reads until the blank line that ends an
  // HTTP request head; returns the head, or "" on timeout. The connection
  // is then closed without an answer.
  std::string AcceptRequestHead(int timeout_ms = 5000);

 private:
  Fd fd_;
  int port_ = 0;
};

// A connected TCP socket to 127.0.0.1:port, or an invalid Fd.
Fd ConnectTcp(int port);
bool SendAll(const Fd& fd, const std::string& bytes);
// True once the peer has closed (read returns 0 or an error) within the time;
// whatever it sent before is discarded.
bool WaitForPeerClose(const Fd& fd, int timeout_ms);

// Upgrades a raw socket to a WebSocket on `path` and returns the code of the
// first close frame the server sends (1005 when it carries none), skipping
// other frames; -1 if the upgrade fails or nothing comes in time. Unlike an
// lws 4.1.6 client, it reports 1012-1014 as sent (lws turns them into 1002).
int ReadCloseCode(int port, const std::string& path, int timeout_ms = 5000);

// Completes a TLS handshake (certificate not checked) offering the ALPN
// protocols `offered` in their wire form ("\x02h2\x08http/1.1") and returns
// the one the server picked, "" for none, or "handshake failed".
std::string NegotiatedAlpn(int port, const std::string& offered, int timeout_ms = 5000);

}  // namespace wsmock::server::testing
