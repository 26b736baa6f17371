#include "server/received_frames.h"

namespace wsmock::server {

namespace {

// How much of `message` to keep: all of it when it fits; else at most
// kMaxKeptFrame bytes, ending before a UTF-8 sequence's continuation bytes
// for text, so what is kept is still valid text.
size_t KeptLength(std::string_view message, bool binary) {
  size_t length = message.size();
  if (length <= ReceivedFrames::kMaxKeptFrame) return length;
  length = ReceivedFrames::kMaxKeptFrame;
  if (binary) return length;
  while (length > 0 && (static_cast<unsigned char>(message[length]) & 0xC0) == 0x80) --length;
  return length;
}

}  // namespace

void ReceivedFrames::Add(ConnectionId client, std::string_view message, bool binary) {
  const uint64_t seq = next_seq_++;
  if (capacity_ == 0) return;
  Frame* slot;
  if (kept_ < slots_.size()) {
    slot = &slots_[(first_ + kept_) % slots_.size()];
    ++kept_;
  } else if (slots_.size() < capacity_) {
    // Not full and never wrapped: slots_ holds exactly the kept frames.
    slot = &slots_.emplace_back();
    ++kept_;
  } else {
    slot = &slots_[first_];  // the oldest makes way
    first_ = (first_ + 1) % slots_.size();
  }
  slot->seq = seq;
  slot->client = client;
  slot->binary = binary;
  slot->size = message.size();
  slot->bytes.assign(message.data(), KeptLength(message, binary));
}

void ReceivedFrames::Clear() {
  first_ = 0;
  kept_ = 0;
}

}  // namespace wsmock::server
