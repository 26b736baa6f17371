#include "frame_reader.h"

#include <algorithm>
#include <cstring>

namespace wsmock::bench {

// 2 bytes, then 2 or 8 of extended length once the second byte says so.
// Servers never mask, so there is no key.
size_t FrameReader::HeaderSize() const {
  if (header_len_ < 2) return 2;
  const uint8_t len7 = header_[1] & 0x7f;
  return len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
}

bool FrameReader::StartFrame() {
  fin_ = (header_[0] & 0x80) != 0;
  opcode_ = header_[0] & 0x0f;
  if ((header_[0] & 0x70) != 0 || (header_[1] & 0x80) != 0) return false;  // RSV, masked
  const bool control = (opcode_ & 0x8) != 0;
  if (opcode_ > 0xa || (opcode_ > 0x2 && opcode_ < 0x8)) return false;
  const uint8_t len7 = header_[1] & 0x7f;
  uint64_t length = len7;
  if (len7 == 126) {
    length = (uint64_t{header_[2]} << 8) | header_[3];
  } else if (len7 == 127) {
    length = 0;
    for (size_t i = 2; i < 10; ++i) length = (length << 8) | header_[i];
    if ((length >> 63) != 0) return false;
  }
  if (control && (!fin_ || length > sizeof(control_))) return false;
  remaining_ = length;
  control_len_ = 0;
  in_payload_ = true;
  return true;
}

void FrameReader::EndFrame(Sink* sink) {
  in_payload_ = false;
  header_len_ = 0;
  if ((opcode_ & 0x8) != 0) {
    sink->OnControl(opcode_, control_, control_len_);
  } else if (fin_) {
    sink->OnMessageEnd();
  }
}

bool FrameReader::Feed(const uint8_t* data, size_t len, Sink* sink) {
  while (len > 0) {
    if (!in_payload_) {
      header_[header_len_++] = *data++;
      --len;
      if (header_len_ < HeaderSize()) continue;
      if (!StartFrame()) return false;
      if (remaining_ == 0) EndFrame(sink);
      continue;
    }
    const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, len));
    if ((opcode_ & 0x8) != 0) {
      std::memcpy(control_ + control_len_, data, take);
      control_len_ += take;
    } else {
      sink->OnData(data, take);
    }
    data += take;
    len -= take;
    remaining_ -= take;
    if (remaining_ == 0) EndFrame(sink);
  }
  return true;
}

}  // namespace wsmock::bench
