#include "store/message_journal.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "util/short_copy.h"

namespace wsmock::store {
namespace {

// Codes in the flags byte; on disk, so never renumbered.
constexpr std::array<std::string_view, 5> kKinds = {"request", "response", "error", "update",
                                                    "other"};
constexpr uint8_t kOut = 1, kBinary = 2, kHasAction = 4, kHasRequestId = 8, kDelta = 0x80;
constexpr int kKindShift = 4;
constexpr uint8_t kKindMask = 0x70;
// A delta is written only when it saves at least this many bytes.
constexpr size_t kMinDeltaSaving = 32;

int KindCode(std::string_view kind) {
  // The kinds differ in length but for two: one fixed-size compare, which
  // the compiler inlines, rather than a loop of memcmp calls.
  switch (kind.size()) {
    case 7:
      return kind == kKinds[0] ? 0 : -1;
    case 8:
      return kind == kKinds[1] ? 1 : -1;
    case 5:
      return kind == kKinds[2] ? 2 : kind == kKinds[4] ? 4 : -1;
    case 6:
      return kind == kKinds[3] ? 3 : -1;
    default:
      return -1;
  }
}

// The longest varint: 64 bits in 7-bit groups.
constexpr size_t kMaxVarint = 10;

// Writes `value` at `out`, which has room for kMaxVarint bytes; returns the
// end. Packing writes to the buffer directly: it runs on the event loop for
// every recorded message.
char* PutVarint(uint64_t value, char* out) {
  while (value >= 0x80) {
    *out++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

// Offsets are never negative when clocks behave; zigzag keeps a clock step
// backwards representable and short.
uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// Writes the size of `bytes` and then `bytes` at `out`, which has room for
// both; returns the end.
char* PutBytes(std::string_view bytes, char* out) {
  return CopyShort(PutVarint(bytes.size(), out), bytes);
}

// A payload as `back` messages earlier in the row's payload, with its first
// `prefix` and last `suffix` bytes and `middle` between them.
struct Delta {
  uint64_t back = 0;
  uint64_t prefix = 0;
  uint64_t suffix = 0;
  std::string_view middle;
};

uint64_t Load64(const char* p) {
  uint64_t value;
  std::memcpy(&value, p, 8);
  return value;
}

// Bytes `a` and `b` share at their start, given a `guess` of it: replies to
// a repeated request share as many bytes with their base as the last reply
// did, and one memcmp (the C library's widest) tests that many at once.
size_t CommonPrefix(std::string_view a, std::string_view b, size_t guess) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  if (guess >= 32 && guess <= n && std::memcmp(a.data(), b.data(), guess) == 0) i = guess;
  // A fixed-size equality test compiles to vector compares.
  while (i + 32 <= n && std::memcmp(a.data() + i, b.data() + i, 32) == 0) i += 32;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      const uint64_t x = Load64(a.data() + i) ^ Load64(b.data() + i);
      if (x != 0) return i + static_cast<size_t>(std::countr_zero(x) / 8);
    }
    // The last 8 bytes at once, overlapping those already known equal.
    if (i < n && n >= 8) {
      const uint64_t x = Load64(a.data() + n - 8) ^ Load64(b.data() + n - 8);
      return x == 0 ? n : n - 8 + static_cast<size_t>(std::countr_zero(x) / 8);
    }
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Bytes `a` and `b` share at their end, at most `limit`.
size_t CommonSuffix(std::string_view a, std::string_view b, size_t limit) {
  const size_t shorter = std::min(a.size(), b.size());
  const size_t n = std::min(shorter, limit);
  const char* a_end = a.data() + a.size();
  const char* b_end = b.data() + b.size();
  size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      const uint64_t x = Load64(a_end - i - 8) ^ Load64(b_end - i - 8);
      if (x != 0) return i + static_cast<size_t>(std::countl_zero(x) / 8);
    }
    // The rest in one 8-byte step, reading before it where both have bytes.
    if (i < n && i + 8 <= shorter) {
      const uint64_t x = Load64(a_end - i - 8) ^ Load64(b_end - i - 8);
      return std::min(n, i + static_cast<size_t>(std::countl_zero(x) / 8));
    }
  }
  while (i < n && *(a_end - 1 - i) == *(b_end - 1 - i)) ++i;
  return i;
}

// Writes `message`, its payload as `delta` when not null, at `out`, which has
// room for PackedBound(message) bytes; returns the end. Plain stores into a
// buffer made ready ahead: this runs on the event loop for every recorded
// message, and growing a string twice a message (its zero fill and its
// checks) cost about 85 instructions of the 600 a message takes.
char* Pack(const FlaggedMessage& message, const Delta* delta, char* out) {
  out = PutVarint(static_cast<uint64_t>(message.connection_id), out);
  out = PutVarint(static_cast<uint64_t>(message.seq), out);
  out = PutVarint(ZigZag(message.offset), out);
  *out++ = static_cast<char>(delta == nullptr ? message.flags : message.flags | kDelta);
  if ((message.flags & kHasAction) != 0) out = PutBytes(message.action, out);
  if ((message.flags & kHasRequestId) != 0) out = PutBytes(message.request_id, out);
  if (delta == nullptr) return PutBytes(message.payload, out);
  out = PutVarint(delta->back, out);
  out = PutVarint(delta->prefix, out);
  out = PutVarint(delta->suffix, out);
  return PutBytes(delta->middle, out);
}

// Appends what `pack(out)` writes, at most `bound` bytes, to `packed`.
template <typename PackAt>
void AppendPacked(size_t bound, std::string* packed, PackAt pack) {
  const size_t start = packed->size();
  packed->resize(start + bound);
  char* end = pack(packed->data() + start);
  packed->resize(static_cast<size_t>(end - packed->data()));
}

// Reads `packed` front to back; every Get fails once past the end.
class Reader {
 public:
  explicit Reader(std::string_view packed) : packed_(packed) {}

  bool done() const { return pos_ == packed_.size(); }
  size_t pos() const { return pos_; }

  bool GetVarint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && pos_ < packed_.size(); shift += 7) {
      const auto byte = static_cast<uint8_t>(packed_[pos_++]);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  bool GetByte(uint8_t* value) {
    if (pos_ == packed_.size()) return false;
    *value = static_cast<uint8_t>(packed_[pos_++]);
    return true;
  }
  bool GetBytes(std::string_view* value) {
    uint64_t size = 0;
    if (!GetVarint(&size) || size > packed_.size() - pos_) return false;
    *value = packed_.substr(pos_, size);
    pos_ += size;
    return true;
  }

 private:
  std::string_view packed_;
  size_t pos_ = 0;
};

bool GetInt(Reader* in, int64_t* value) {
  uint64_t raw = 0;
  if (!in->GetVarint(&raw) || raw > static_cast<uint64_t>(INT64_MAX)) return false;
  *value = static_cast<int64_t>(raw);
  return true;
}

// Reads one message; false when `in` does not hold a whole, valid one.
bool GetMessage(Reader* in, JournalMessage* message, std::optional<Delta>* delta) {
  uint64_t offset = 0;
  uint8_t flags = 0;
  if (!GetInt(in, &message->connection_id) || !GetInt(in, &message->seq) ||
      !in->GetVarint(&offset) || !in->GetByte(&flags)) {
    return false;
  }
  const size_t kind = (flags & kKindMask) >> kKindShift;
  if (kind >= kKinds.size()) return false;
  message->offset = UnZigZag(offset);
  message->direction = (flags & kOut) != 0 ? "out" : "in";
  message->kind = kKinds[kind];
  message->binary = (flags & kBinary) != 0;
  if ((flags & kHasAction) != 0 && !in->GetBytes(&message->action.emplace())) return false;
  if ((flags & kHasRequestId) != 0 && !in->GetBytes(&message->request_id.emplace())) return false;
  if ((flags & kDelta) == 0) return in->GetBytes(&message->payload);
  Delta& d = delta->emplace();
  return in->GetVarint(&d.back) && in->GetVarint(&d.prefix) && in->GetVarint(&d.suffix) &&
         in->GetBytes(&d.middle);
}

// Rebuilds the payload of messages[index] from `delta` into `rebuilt`;
// false when the delta does not fit the row or the row's budget.
bool Rebuild(const Delta& delta, size_t first, size_t index, std::vector<JournalMessage>* messages,
             std::deque<std::string>* rebuilt, size_t* rebuilt_bytes) {
  if (delta.back == 0 || delta.back > index - first) return false;
  const std::string_view base = (*messages)[index - delta.back].payload;
  if (delta.prefix > base.size() || delta.suffix > base.size() - delta.prefix) return false;
  const size_t size = delta.prefix + delta.middle.size() + delta.suffix;
  if (size > kMaxRebuiltBytesPerRow - *rebuilt_bytes) return false;
  *rebuilt_bytes += size;
  std::string& payload = rebuilt->emplace_back();
  payload.reserve(size);
  payload.append(base.substr(0, delta.prefix));
  payload.append(delta.middle);
  payload.append(base.substr(base.size() - delta.suffix));
  (*messages)[index].payload = payload;
  return true;
}

std::optional<std::string> Copy(const std::optional<std::string_view>& view) {
  if (!view) return std::nullopt;
  return std::string(*view);
}

}  // namespace

JournalMessage JournalMessage::Of(const MessageRow& row) {
  JournalMessage message{row.connection_id, row.seq,     row.offset,    row.direction, row.kind,
                         std::nullopt,      std::nullopt, row.payload, row.binary};
  if (row.action) message.action = *row.action;
  if (row.request_id) message.request_id = *row.request_id;
  return message;
}

MessageRow JournalMessage::ToRow(int64_t session_id) const {
  return MessageRow{session_id,   connection_id,          seq,
                    offset,       std::string(direction), std::string(kind),
                    Copy(action), Copy(request_id),       std::string(payload),
                    binary};
}

bool CanJournal(const JournalMessage& message) {
  return (message.direction == "in" || message.direction == "out") &&
         KindCode(message.kind) >= 0 && message.connection_id >= 0 && message.seq >= 0;
}

uint8_t FlaggedMessage::Flags(bool out, JournalKind kind, bool binary, bool has_action,
                              bool has_request_id) {
  return static_cast<uint8_t>((static_cast<unsigned>(kind) << kKindShift) | (out ? kOut : 0) |
                              (binary ? kBinary : 0) | (has_action ? kHasAction : 0) |
                              (has_request_id ? kHasRequestId : 0));
}

FlaggedMessage FlaggedMessage::Of(const JournalMessage& message) {
  const auto kind = static_cast<JournalKind>(KindCode(message.kind));
  return FlaggedMessage{message.connection_id,
                        message.seq,
                        message.offset,
                        Flags(message.direction == "out", kind, message.binary,
                              message.action.has_value(), message.request_id.has_value()),
                        message.action.value_or(""),
                        message.request_id.value_or(""),
                        message.payload};
}

size_t PackedBound(const FlaggedMessage& message) {
  return 9 * kMaxVarint + 1 + message.action.size() + message.request_id.size() +
         message.payload.size();
}

void AppendToJournal(const JournalMessage& message, std::string* packed) {
  const FlaggedMessage flagged = FlaggedMessage::Of(message);
  AppendPacked(PackedBound(flagged), packed,
               [&](char* out) { return Pack(flagged, nullptr, out); });
}

// The key: the direction, and the action's length and first and last
// (up to) 8 bytes, mixed by one multiply. A per-byte hash cost the loop more
// than the rest of the choice of a base. Our own function, not std::hash,
// so that the slots, and so the bytes, are the same with every library.
uint64_t JournalPacker::Key(const FlaggedMessage& message) {
  uint64_t key = (message.flags & kOut) | ((message.flags & kHasAction) != 0 ? 2u : 0u);
  if ((message.flags & kHasAction) != 0) {
    const std::string_view action = message.action;
    const size_t size = action.size();
    uint64_t head = 0, tail = 0;  // little-endian on every machine
    if (size >= 8) {
      std::memcpy(&head, action.data(), 8);
      std::memcpy(&tail, action.data() + size - 8, 8);
      if constexpr (std::endian::native == std::endian::big) {
        head = __builtin_bswap64(head);
        tail = __builtin_bswap64(tail);
      }
    } else {
      for (size_t i = 0; i < size; ++i) {
        head |= uint64_t{static_cast<uint8_t>(action[i])} << (8 * i);
      }
      tail = head;
    }
    key ^= (size << 2) ^ head ^ (tail * 31);
  }
  return key * 0x9e3779b97f4a7c15ull;
}

void JournalPacker::Append(const JournalMessage& message, std::string* packed) {
  Append(FlaggedMessage::Of(message), packed);
}

void JournalPacker::Append(const FlaggedMessage& message, std::string* packed) {
  AppendPacked(PackedBound(message), packed, [&](char* out) { return Append(message, out); });
}

char* JournalPacker::Append(const FlaggedMessage& message, char* out) {
  const uint64_t key = Key(message);
  Recent& recent = recent_[(key >> 32) % recent_.size()];
  const int64_t index = count_++;
  const std::string_view payload = message.payload;
  if (payload.size() > kMaxDeltaPayload) {
    recent.index = -1;
    return Pack(message, nullptr, out);
  }
  if (recent.index >= 0 && recent.key == key) {
    Delta delta;
    delta.back = static_cast<uint64_t>(index - recent.index);
    delta.prefix = CommonPrefix(recent.payload, payload, recent.last_prefix);
    recent.last_prefix = delta.prefix;
    const size_t shorter = std::min(recent.payload.size(), payload.size());
    delta.suffix = CommonSuffix(recent.payload, payload, shorter - delta.prefix);
    if (delta.prefix + delta.suffix >= kMinDeltaSaving) {
      delta.middle = payload.substr(delta.prefix, payload.size() - delta.prefix - delta.suffix);
      // The base stays: copying every payload would cost the loop as much
      // as the delta saves it.
      rebuilt_bytes_ += payload.size();
      return Pack(message, &delta, out);
    }
  }
  recent.index = index;
  recent.last_prefix = 0;
  recent.key = key;
  recent.payload.assign(payload);
  return Pack(message, nullptr, out);
}

void JournalPacker::Reset() {
  for (Recent& recent : recent_) recent.index = -1;
  count_ = 0;
  rebuilt_bytes_ = 0;
}

Status ReadJournal(std::string_view packed, std::vector<JournalMessage>* messages,
                   std::deque<std::string>* rebuilt) {
  Reader in(packed);
  const size_t first = messages->size();
  size_t rebuilt_bytes = 0;
  while (!in.done()) {
    const size_t start = in.pos();
    JournalMessage message;
    std::optional<Delta> delta;
    bool ok = GetMessage(&in, &message, &delta);
    if (ok) messages->push_back(message);
    if (ok && delta) {
      ok = Rebuild(*delta, first, messages->size() - 1, messages, rebuilt, &rebuilt_bytes);
      if (!ok) messages->pop_back();
    }
    if (!ok) {
      return Status::Corruption("malformed message at byte " + std::to_string(start) + " of " +
                                std::to_string(packed.size()));
    }
  }
  return Status::Ok();
}

Status ReadJournal(std::string_view packed, int64_t session_id, std::vector<MessageRow>* rows) {
  std::vector<JournalMessage> messages;
  std::deque<std::string> rebuilt;
  Status s = ReadJournal(packed, &messages, &rebuilt);
  for (const JournalMessage& m : messages) rows->push_back(m.ToRow(session_id));
  return s;
}

}  // namespace wsmock::store
