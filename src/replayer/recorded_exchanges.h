// A recorded session read as conversations: its messages grouped per
// connection, and on each connection every outgoing answer paired with the
// incoming message it answers. Shared by replay and verify. Pure; any thread.
//
// Pairing, per connection in seq order (outgoing "request" frames take no
// part; a binary frame has no requestId and kind "other", or "error" for
// the mock's answer to one): each outgoing frame answers the waiting
// incoming message that PendingRequests (pending_requests.h) picks for it:
// - a "response" or "error" with a requestId R answers the oldest unanswered
//   incoming message with requestId R, or nothing (a stray answer);
// - one with no (or a null) requestId answers the oldest unanswered incoming
//   message without a requestId, else the oldest unanswered of all, so a
//   backend that does not echo ids is paired by order;
// - an "other" frame (not JSON, or an unknown type) answers like that too,
//   but only an incoming message that carries its requestId, or none when it
//   has none; when nothing is waiting for it, it is a push;
// - an "update" is a push.
// Request ids are compared as the JSON text the recorder stored.
#pragma once

#include <cstddef>
#include <vector>

#include "store/session_store.h"
#include "util/status.h"

namespace wsmock::replayer {

// One recorded connection and its messages in seq order. Points into the
// rows it was made from, which must outlive it.
struct RecordedConnection {
  const store::ConnectionRow* connection = nullptr;
  std::vector<const store::MessageRow*> messages;
};

// Connections by id, each with its messages by seq; rows may come in any
// order. Corruption when a connection id repeats, a message names a
// connection that is not there, or a direction is not "in"/"out".
Result<std::vector<RecordedConnection>> GroupByConnection(
    const std::vector<store::ConnectionRow>& connections,
    const std::vector<store::MessageRow>& messages);

struct PairedMessages {
  struct Exchange {
    const store::MessageRow* in = nullptr;
    const store::MessageRow* answer = nullptr;  // nullptr when nothing answered it
  };
  std::vector<Exchange> exchanges;  // every text incoming message, in seq order
  struct Push {
    const store::MessageRow* row = nullptr;
    size_t after = 0;  // how many incoming messages came before it
  };
  std::vector<Push> pushes;  // in seq order
};

// Pairs one connection's messages as described above.
// REQUIRES: `messages` are one connection's, in seq order; they outlive the result.
PairedMessages PairMessages(const std::vector<const store::MessageRow*>& messages);

}  // namespace wsmock::replayer
