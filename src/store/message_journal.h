// The packed form of recorded messages, the row format of the
// message_journal table (schema/README.md, "Message journal"). Recording
// packs each message here at the cost of one copy of its bytes; the writer
// thread moves packed rows into `messages` when the load allows, so a
// recording under load costs the server little more than serving.
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
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
};

// Whether `message` can be packed: a direction and kind the schema allows.
bool CanJournal(const JournalMessage& message);

// Appends `message` to `packed`.
// REQUIRES: CanJournal(message).
void AppendToJournal(const JournalMessage& message, std::string* packed);

// Appends every message of `packed` to `messages`, in the order they were
// packed, as views into `packed` (which must outlive them). A malformed row
// gives a Corruption error that names the byte offset; `messages` then holds
// the messages before it.
Status ReadJournal(std::string_view packed, std::vector<JournalMessage>* messages);
// The same, copied into rows of `session_id`.
Status ReadJournal(std::string_view packed, int64_t session_id, std::vector<MessageRow>* rows);

}  // namespace wsmock::store
