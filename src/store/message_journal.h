// The packed form of recorded messages, the row format of the
// message_journal table (schema/README.md, "Message journal"). Recording
// packs each message here at the cost of one copy of its bytes; the writer
// thread moves packed rows into `messages` when the load allows, so a
// recording under load costs the server little more than serving.
// The functions are pure and safe from any thread; a JournalPacker belongs
// to one caller at a time.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/session_store.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::store {

// One message as the journal takes it: views that need only live for the call.
struct JournalMessage {
  int64_t connection_id = 0;
  int64_t seq = 0;
  Micros offset = 0;
  std::string_view direction;  // "in" or "out"
  std::string_view kind;       // request, response, error, update or other
  std::optional<std::string_view> action;
  std::optional<std::string_view> request_id;
  std::string_view payload;
  bool binary = false;

  static JournalMessage Of(const MessageRow& row);
  // A copy of the message as a row of `session_id`.
  MessageRow ToRow(int64_t session_id) const;
};

// Whether `message` can be packed: a direction and kind the schema allows.
bool CanJournal(const JournalMessage& message);

// The kinds of message as a journal row codes them (on disk: never renumbered).
enum class JournalKind : uint8_t { kRequest, kResponse, kError, kUpdate, kOther };

// A message as the packer takes it: its direction, kind, binary and which
// of action and request_id it has are already its flags byte, so packing it
// takes no string compares. Views that need only live for the call.
struct FlaggedMessage {
  int64_t connection_id = 0;
  int64_t seq = 0;
  Micros offset = 0;
  uint8_t flags = 0;            // as a journal row holds it (schema/README.md), no delta bit
  std::string_view action;      // empty unless the flags say there is one
  std::string_view request_id;  // the same
  std::string_view payload;

  static uint8_t Flags(bool out, JournalKind kind, bool binary, bool has_action,
                       bool has_request_id);
  // REQUIRES: CanJournal(message).
  static FlaggedMessage Of(const JournalMessage& message);
};

// The most bytes packing `message` writes, its payload whole or as a delta.
size_t PackedBound(const FlaggedMessage& message);

// Appends `message` to `packed`.
// REQUIRES: CanJournal(message).
void AppendToJournal(const JournalMessage& message, std::string* packed);

// A row rebuilds at most this many payload bytes from deltas; more is a
// malformed row, not an allocation (JournalPacker stays far below it).
inline constexpr size_t kMaxRebuiltBytesPerRow = 64u << 20;
// Writers start a new row once a row's deltas rebuild this many bytes, so
// that one more message written as a delta still keeps it under the limit.
inline constexpr size_t kRowRebuiltBytes = 4u << 20;

// Packs the messages of one row as AppendToJournal does, except that a
// payload is written as a delta of the last payload written whole with the
// same direction and action earlier in the row (a shared prefix and suffix,
// and the bytes between) when that is much shorter: replies to a repeated
// request differ only in their requestId. It keeps copies of a few such
// payloads, so the bytes handed to the writer shrink at the cost of reading
// bytes still in cache. Reset() before each row: a row must read on its own.
class JournalPacker {
 public:
  // Payloads longer than this are written whole and not kept.
  static constexpr size_t kMaxDeltaPayload = 64 * 1024;

  void Append(const JournalMessage& message, std::string* packed);
  void Append(const FlaggedMessage& message, std::string* packed);
  // The same, written at `out`, which has room for PackedBound(message)
  // bytes; returns the end. For a buffer made ready ahead.
  char* Append(const FlaggedMessage& message, char* out);
  void Reset();
  // Payload bytes of this row's messages written as deltas.
  size_t rebuilt_bytes() const { return rebuilt_bytes_; }

 private:
  struct Recent {
    int64_t index = -1;  // in the row; -1 for none
    size_t last_prefix = 0;  // shared with the last payload written as its delta
    uint64_t key = 0;        // Key() of its direction and action
    std::string payload;
  };
  // A hash of a direction and an action that picks a base: a payload is a
  // delta only of one with the same key. Equal keys of different actions
  // only make a worse base, never a wrong row: a delta reads against any.
  static uint64_t Key(const FlaggedMessage& message);

  std::array<Recent, 8> recent_;  // by the high half of Key()
  int64_t count_ = 0;             // messages in the row
  size_t rebuilt_bytes_ = 0;
};

// Appends every message of `packed` to `messages`, in the order they were
// packed, as views into `packed` and into `rebuilt` (payloads written as
// deltas), which must both outlive them. A malformed row gives a Corruption
// error that names the byte offset; `messages` then holds the messages
// before it.
Status ReadJournal(std::string_view packed, std::vector<JournalMessage>* messages,
                   std::deque<std::string>* rebuilt);
// The same, copied into rows of `session_id`.
Status ReadJournal(std::string_view packed, int64_t session_id, std::vector<MessageRow>* rows);

}  // namespace wsmock::store
