// RawWsClient: a WebSocket client written by hand over a RawSocket, for the
// clients lws would not let a test be: one that pipelines without reading,
// stops reading, or vanishes without a close frame. One thread at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "fault/raw_socket.h"
#include "fault/ws_wire.h"

namespace wsmock::testing {

class RawWsClient {
 public:
  // Connects to 127.0.0.1:port and completes the upgrade (HTTP 101), or
  // returns null and says why in *error. `receive_buffer`: see RawSocket.
  static std::unique_ptr<RawWsClient> Connect(int port, std::string* error, int receive_buffer = 0,
                                              int timeout_ms = 5000);
  RawWsClient(const RawWsClient&) = delete;
  RawWsClient& operator=(const RawWsClient&) = delete;

  // Sends `text` as one masked text frame.
  bool SendText(std::string_view text, int timeout_ms = 5000);
  // Sends bytes as they are: several frames at once, or anything else.
  bool SendRaw(std::string_view bytes, int timeout_ms = 5000);
  // The next frame from the server, or nullopt after timeout_ms, or once
  // the connection has ended with no whole frame left.
  std::optional<ServerFrame> NextFrame(int timeout_ms = 5000);
  // Whether the connection has ended (seen by NextFrame).
  bool ended() const { return ended_; }

  RawSocket& socket() { return *socket_; }

 private:
  explicit RawWsClient(std::unique_ptr<RawSocket> socket) : socket_(std::move(socket)) {}

  std::unique_ptr<RawSocket> socket_;
  std::string buffer_;  // bytes received and not yet returned, from offset_
  size_t offset_ = 0;
  bool ended_ = false;
};

}  // namespace wsmock::testing
