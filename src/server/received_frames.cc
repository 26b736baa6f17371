#include "server/received_frames.h"

#include <algorithm>

namespace wsmock::server {

namespace {

// What a slot takes at least once it allocates: a typical request's size.
constexpr size_t kMinSlotBytes = 256;

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
    if (slots_.empty()) slots_.reserve(capacity_);  // no moves as it grows
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
  const size_t kept = KeptLength(message, binary);
  // Room for a slightly longer frame next time round (a requestId with one
  // more digit), so that a steady load does not reallocate slot by slot.
  if (slot->bytes.capacity() < kept) slot->bytes.reserve(std::max(kept + kept / 4, kMinSlotBytes));
  slot->bytes.assign(message.data(), kept);
}

void ReceivedFrames::Clear() {
  first_ = 0;
  kept_ = 0;
}

}  // namespace wsmock::server
