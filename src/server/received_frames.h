// The last frames served clients sent, oldest first: the control endpoint's
// request journal (GET /__wsmock/requests), so a test can check what the
// app under test asked. A ring of at most `capacity` frames, each kept to
// its first kMaxKeptFrame bytes, so memory stays bounded, and a steady load
// allocates nothing once every slot has held a frame. Loop thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wsmock::server {

using ConnectionId = uint64_t;

class ReceivedFrames {
 public:
  // A longer frame is kept cut (at a UTF-8 sequence's start when it is
  // text): 1000 frames hold at most 4 MiB.
  static constexpr size_t kMaxKeptFrame = 4096;

  struct Frame {
    uint64_t seq = 0;  // 1, 2, ... per server, in arrival order; never reused
    ConnectionId client = 0;
    bool binary = false;
    size_t size = 0;    // the whole frame's bytes
    std::string bytes;  // its first kMaxKeptFrame bytes at most
    bool cut() const { return bytes.size() < size; }
  };

  // capacity 0: nothing is kept, and Add costs a counter.
  explicit ReceivedFrames(size_t capacity) : capacity_(capacity) {}

  void Add(ConnectionId client, std::string_view message, bool binary);
  // Forgets every frame kept; seq goes on counting.
  void Clear();

  size_t size() const { return kept_; }
  size_t capacity() const { return capacity_; }
  // The kept frames, oldest first; `index` < size().
  const Frame& at(size_t index) const { return slots_[(first_ + index) % slots_.size()]; }

 private:
  size_t capacity_;
  std::vector<Frame> slots_;  // grows to capacity_, then is reused in turn
  size_t first_ = 0;          // the oldest kept frame's slot
  size_t kept_ = 0;
  uint64_t next_seq_ = 1;
};

}  // namespace wsmock::server
