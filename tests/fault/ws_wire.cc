#include "fault/ws_wire.h"

#include <cstdlib>

namespace wsmock::testing {
namespace {

constexpr unsigned char kMask[4] = {0x5a, 0x3c, 0x96, 0x0f};
constexpr int kNoStatus = 1005;

void AppendBigEndian(std::string* out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t ReadBigEndian(std::string_view bytes, size_t at, int count) {
  uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace

std::string UpgradeRequest(int port, std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

std::string ClientFrame(std::string_view payload, uint8_t opcode, bool fin) {
  std::string frame;
  frame.reserve(payload.size() + 14);
  frame.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const uint64_t size = payload.size();
  if (size < 126) {
    frame.push_back(static_cast<char>(0x80 | size));
  } else if (size <= 0xffff) {
    frame.push_back(static_cast<char>(0x80 | 126));
    AppendBigEndian(&frame, size, 2);
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    AppendBigEndian(&frame, size, 8);
  }
  frame.append(reinterpret_cast<const char*>(kMask), sizeof kMask);
  for (size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(static_cast<char>(payload[i] ^ kMask[i % 4]));
  }
  return frame;
}

size_t ResponseHeadEnd(std::string_view response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string_view::npos ? at : at + 4;
}

int HttpStatus(std::string_view response) {
  if (response.substr(0, 7) != "HTTP/1." || response.size() < 12) return -1;
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (response[i] < '0' || response[i] > '9') return -1;
    status = status * 10 + (response[i] - '0');
  }
  return status;
}

std::optional<ServerFrame> ParseServerFrame(std::string_view bytes, size_t* consumed) {
  if (bytes.size() < 2) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(bytes[0]);
  const auto b1 = static_cast<unsigned char>(bytes[1]);
  size_t header = 2;
  uint64_t size = b1 & 0x7f;
  if (size == 126 || size == 127) {
    const int extra = size == 126 ? 2 : 8;
    if (bytes.size() < header + extra) return std::nullopt;
    size = ReadBigEndian(bytes, header, extra);
    header += extra;
  }
  const bool masked = (b1 & 0x80) != 0;
  if (masked) header += 4;
  if (bytes.size() < header || bytes.size() - header < size) return std::nullopt;
  ServerFrame frame;
  frame.opcode = masked ? 0xff : static_cast<uint8_t>(b0 & 0x0f);
  frame.fin = (b0 & 0x80) != 0;
  frame.payload.assign(bytes.substr(header, size));
  *consumed = header + size;
  return frame;
}

int CloseCodeOf(const ServerFrame& frame) {
  if (frame.payload.size() < 2) return kNoStatus;
  return static_cast<int>(ReadBigEndian(frame.payload, 0, 2));
}

}  // namespace wsmock::testing
