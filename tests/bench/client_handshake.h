// The WebSocket opening handshake from the client's side (RFC 6455 4.1):
// the HTTP upgrade request, and the check of the server's answer. The key
// is the RFC's own example, so the expected Sec-WebSocket-Accept is a
// constant and no hashing is needed; a load client needs no secrecy.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wsmock::bench {

std::string UpgradeRequest(std::string_view host, int port, std::string_view path);

struct UpgradeAnswer {
  enum class State { kIncomplete, kAccepted, kRefused } state = State::kIncomplete;
  size_t header_bytes = 0;  // kAccepted: bytes of `received` that were the HTTP answer
  int http_status = 0;      // once the status line is in
};

// Looks at everything received so far on a connection that sent
// UpgradeRequest(). Accepted means 101 with our Sec-WebSocket-Accept;
// bytes after the header are already WebSocket frames.
UpgradeAnswer CheckUpgradeAnswer(std::string_view received);

}  // namespace wsmock::bench
