// A stand-in for a backend that checks its handshake: a TCP gate on
// 127.0.0.1 in front of a real server, as an auth proxy would stand. A
// connection whose HTTP request head lacks one of the required lines gets
// HTTP 401 and is closed; any other is relayed byte for byte, both ways, to
// the backend. Built and destroyed on the test's thread; it runs its own.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/raw_tcp.h"

namespace wsmock::testing {

class HandshakeGate {
 public:
  // `required`: whole lines of the request head, matched without regard to
  // case: header lines ("Authorization: Bearer x") or the request line
  // ("GET /ws?token=abc HTTP/1.1").
  HandshakeGate(int backend_port, std::vector<std::string> required);
  ~HandshakeGate();  // stops accepting and relaying, and joins every thread
  HandshakeGate(const HandshakeGate&) = delete;
  HandshakeGate& operator=(const HandshakeGate&) = delete;

  bool ok() const { return listener_.valid(); }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/ws"; }
  int refused() const { return refused_; }  // connections answered with 401 so far
  // The request heads received so far, admitted or not, in arrival order.
  std::vector<std::string> heads() const;

 private:
  void AcceptLoop();
  void Serve(server::testing::Fd client);
  bool Admits(const std::string& head) const;
  void Relay(const server::testing::Fd& a, const server::testing::Fd& b);

  const int backend_port_;
  const std::vector<std::string> required_;
  server::testing::Fd listener_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> refused_{0};
  mutable std::mutex heads_mu_;
  std::vector<std::string> heads_;  // guarded by heads_mu_
  std::thread acceptor_;
  // One per accepted connection; only the acceptor adds, and the destructor
  // joins them after the acceptor.
  std::vector<std::thread> connections_;
};

}  // namespace wsmock::testing
