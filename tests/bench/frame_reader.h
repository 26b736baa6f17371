// FrameReader: splits the byte stream a WebSocket server sends (RFC 6455
// section 5) into messages without copying the payload: each piece of a data
// frame goes to the Sink as it arrives, and the Sink hears when a message
// (data frames up to FIN) ends. Control frames (close, ping, pong) are
// handed over whole. One connection, one thread; allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wsmock::bench {

class FrameReader {
 public:
  static constexpr uint8_t kClose = 0x8;
  static constexpr uint8_t kPing = 0x9;
  static constexpr uint8_t kPong = 0xa;

  class Sink {
   public:
    virtual ~Sink() = default;
    // A piece of a text or binary message's payload; valid during the call.
    virtual void OnData(const uint8_t* data, size_t len) = 0;
    virtual void OnMessageEnd() = 0;
    // A whole control frame (payload <= 125 bytes); valid during the call.
    virtual void OnControl(uint8_t opcode, const uint8_t* payload, size_t len) = 0;
  };

  // Consumes all of `data`. Returns false at the first protocol violation a
  // client must reject (a masked frame, reserved bits or opcodes, a control
  // frame that is fragmented or longer than 125 bytes); the stream is then
  // unusable.
  bool Feed(const uint8_t* data, size_t len, Sink* sink);

 private:
  size_t HeaderSize() const;
  bool StartFrame();
  void EndFrame(Sink* sink);

  uint8_t header_[10] = {};
  size_t header_len_ = 0;
  bool in_payload_ = false;
  uint64_t remaining_ = 0;  // payload bytes of the current frame still to come
  bool fin_ = false;
  uint8_t opcode_ = 0;
  uint8_t control_[125] = {};
  size_t control_len_ = 0;
};

}  // namespace wsmock::bench
