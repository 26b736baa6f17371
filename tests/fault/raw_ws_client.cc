#include "fault/raw_ws_client.h"

#include <chrono>

namespace wsmock::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Parsed bytes are dropped from the front of the buffer only now and then:
// erasing after every frame would copy megabytes per frame in a flood.
constexpr size_t kCompactAfter = 1 << 20;

int MillisLeft(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

std::unique_ptr<RawWsClient> RawWsClient::Connect(int port, std::string* error, int receive_buffer,
                                                  int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_ptr<RawSocket> socket = RawSocket::Connect(port, timeout_ms, receive_buffer);
  if (socket == nullptr) {
    *error = "cannot connect to port " + std::to_string(port);
    return nullptr;
  }
  if (!socket->SendAll(UpgradeRequest(port), MillisLeft(deadline))) {
    *error = "cannot send the upgrade request";
    return nullptr;
  }
  std::string response;
  while (ResponseHeadEnd(response) == std::string::npos) {
    if (socket->ReadSome(&response, MillisLeft(deadline)) != RawSocket::ReadEnd::kData) {
      *error = "no upgrade response; got: " + response;
      return nullptr;
    }
  }
  if (HttpStatus(response) != 101) {
    *error = "upgrade refused: " + response.substr(0, response.find("\r\n"));
    return nullptr;
  }
  std::unique_ptr<RawWsClient> client(new RawWsClient(std::move(socket)));
  // Frames the server sent right behind its 101 are the start of the stream.
  client->buffer_ = response.substr(ResponseHeadEnd(response));
  return client;
}

bool RawWsClient::SendText(std::string_view text, int timeout_ms) {
  return socket_->SendAll(ClientFrame(text), timeout_ms);
}

bool RawWsClient::SendRaw(std::string_view bytes, int timeout_ms) {
  return socket_->SendAll(bytes, timeout_ms);
}

std::optional<ServerFrame> RawWsClient::NextFrame(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    size_t consumed = 0;
    std::optional<ServerFrame> frame =
        ParseServerFrame(std::string_view(buffer_).substr(offset_), &consumed);
    if (frame) {
      offset_ += consumed;
      if (offset_ >= kCompactAfter) {
        buffer_.erase(0, offset_);
        offset_ = 0;
      }
      return frame;
    }
    if (ended_) return std::nullopt;
    const RawSocket::ReadEnd end = socket_->ReadSome(&buffer_, MillisLeft(deadline));
    if (end == RawSocket::ReadEnd::kTimeout) return std::nullopt;
    if (end != RawSocket::ReadEnd::kData) ended_ = true;
  }
}

}  // namespace wsmock::testing
