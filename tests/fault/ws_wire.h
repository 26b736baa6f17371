// The bytes of the WebSocket wire format (RFC 6455) as a client writes and
// reads them, for tests that drive a socket by hand: the upgrade request,
// masked client frames, and parsing of the server's unmasked frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wsmock::testing {

inline constexpr uint8_t kOpText = 0x1;
inline constexpr uint8_t kOpBinary = 0x2;
inline constexpr uint8_t kOpClose = 0x8;

// "GET <path> HTTP/1.1" with the upgrade headers and a fixed key.
std::string UpgradeRequest(int port, std::string_view path = "/ws");

// One client frame, masked as a client must (with a fixed key: the server
// gains nothing from a random one in a test).
std::string ClientFrame(std::string_view payload, uint8_t opcode = kOpText, bool fin = true);

// Where the HTTP response head ends (just past "\r\n\r\n"), or npos.
size_t ResponseHeadEnd(std::string_view response);
// The status code of "HTTP/1.x NNN ...", or -1 when it is not one.
int HttpStatus(std::string_view response);

struct ServerFrame {
  uint8_t opcode = 0;
  bool fin = false;
  std::string payload;
};

// Parses the frame at the front of `bytes`. Returns it and sets *consumed,
// or nullopt while the frame is still incomplete. A masked frame (servers
// must not send one) is returned with opcode 0xFF.
std::optional<ServerFrame> ParseServerFrame(std::string_view bytes, size_t* consumed);

// A close frame's code: 1005 when it carries none.
int CloseCodeOf(const ServerFrame& frame);

}  // namespace wsmock::testing
