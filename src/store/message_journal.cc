#include "store/message_journal.h"

#include <array>
#include <cstring>

namespace wsmock::store {
namespace {

// Codes in the flags byte; on disk, so never renumbered.
constexpr std::array<std::string_view, 5> kKinds = {"request", "response", "error", "update",
                                                    "other"};
constexpr uint8_t kOut = 1, kBinary = 2, kHasAction = 4, kHasRequestId = 8;
constexpr int kKindShift = 4;

int KindCode(std::string_view kind) {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i] == kind) return static_cast<int>(i);
  }
  return -1;
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
  out = PutVarint(bytes.size(), out);
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
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
bool GetMessage(Reader* in, JournalMessage* message) {
  uint64_t offset = 0;
  uint8_t flags = 0;
  if (!GetInt(in, &message->connection_id) || !GetInt(in, &message->seq) ||
      !in->GetVarint(&offset) || !in->GetByte(&flags)) {
    return false;
  }
  const size_t kind = flags >> kKindShift;
  if (kind >= kKinds.size()) return false;
  message->offset = UnZigZag(offset);
  message->direction = (flags & kOut) != 0 ? "out" : "in";
  message->kind = kKinds[kind];
  message->binary = (flags & kBinary) != 0;
  if ((flags & kHasAction) != 0 && !in->GetBytes(&message->action.emplace())) return false;
  if ((flags & kHasRequestId) != 0 && !in->GetBytes(&message->request_id.emplace())) return false;
  return in->GetBytes(&message->payload);
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

bool CanJournal(const JournalMessage& message) {
  return (message.direction == "in" || message.direction == "out") &&
         KindCode(message.kind) >= 0 && message.connection_id >= 0 && message.seq >= 0;
}

void AppendToJournal(const JournalMessage& message, std::string* packed) {
  uint8_t flags = static_cast<uint8_t>(KindCode(message.kind) << kKindShift);
  if (message.direction == "out") flags |= kOut;
  if (message.binary) flags |= kBinary;
  if (message.action) flags |= kHasAction;
  if (message.request_id) flags |= kHasRequestId;
  const std::string_view action = message.action.value_or("");
  const std::string_view request_id = message.request_id.value_or("");
  // One resize and plain stores: this runs on the event loop for every
  // recorded message. The zero fill it costs is cheaper than an append per
  // field; `packed` is trimmed to what was written.
  const size_t start = packed->size();
  packed->resize(start + 6 * kMaxVarint + 1 + action.size() + request_id.size() +
                 message.payload.size());
  char* out = packed->data() + start;
  out = PutVarint(static_cast<uint64_t>(message.connection_id), out);
  out = PutVarint(static_cast<uint64_t>(message.seq), out);
  out = PutVarint(ZigZag(message.offset), out);
  *out++ = static_cast<char>(flags);
  if (message.action) out = PutBytes(action, out);
  if (message.request_id) out = PutBytes(request_id, out);
  out = PutBytes(message.payload, out);
  packed->resize(static_cast<size_t>(out - packed->data()));
}

Status ReadJournal(std::string_view packed, std::vector<JournalMessage>* messages) {
  Reader in(packed);
  while (!in.done()) {
    const size_t start = in.pos();
    JournalMessage message;
    if (!GetMessage(&in, &message)) {
      return Status::Corruption("malformed message at byte " + std::to_string(start) + " of " +
                                std::to_string(packed.size()));
    }
    messages->push_back(message);
  }
  return Status::Ok();
}

Status ReadJournal(std::string_view packed, int64_t session_id, std::vector<MessageRow>* rows) {
  std::vector<JournalMessage> messages;
  Status s = ReadJournal(packed, &messages);
  for (const JournalMessage& m : messages) {
    rows->push_back(MessageRow{session_id, m.connection_id, m.seq, m.offset,
                               std::string(m.direction), std::string(m.kind), Copy(m.action),
                               Copy(m.request_id), std::string(m.payload), m.binary});
  }
  return s;
}

}  // namespace wsmock::store
