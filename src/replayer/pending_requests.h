// PendingRequests: the incoming messages of one connection still waiting for
// an answer, and the rule that says which of them an outgoing frame answers.
// The one place that rule lives: recorded_exchanges.h pairs recorded rows
// with it, and replay --record-missing pairs an upstream's live answers with
// it, so a pair recorded live is the pair replay will read back. Pure; one
// thread at a time.
//
// The rule, for an outgoing frame of `kind` with requestId `id` (JSON text;
// "" or "null" for none):
// - "response" or "error" with an id: the oldest waiting message with that id;
// - "response" or "error" without one: the oldest waiting message without an
//   id, else the oldest of all (a backend that does not echo ids);
// - "other" (not JSON, or an unknown type): the oldest waiting message with
//   the same id, both without one counting as the same; never by age alone;
// - anything else ("update", "request"): nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wsmock::replayer {

class PendingRequests {
 public:
  // Chosen by the caller: an index, a counter; returned by Take.
  using Token = uint64_t;

  // Starts waiting for an answer to the message `token` with requestId `id`.
  void Add(Token token, std::string_view id);
  // The message the frame answers under the rule above, which stops waiting;
  // nullopt when it answers none (a push, or a stray answer).
  std::optional<Token> Take(std::string_view kind, std::string_view id);
  // Every message still waiting, oldest first; afterwards none is.
  std::vector<Token> TakeAll();
  size_t size() const { return waiting_; }

 private:
  struct Entry {
    Token token;
    std::string id;  // normalized: "" for none
    bool answered = false;
  };

  std::optional<size_t> OldestWithId(const std::string& id);
  void IndexIds();
  std::optional<size_t> Oldest();
  Token Answer(size_t index);
  void Reset();

  // Entries are only appended and flagged, so the queues below hold plain
  // indexes; all of it is dropped whenever nothing waits.
  std::vector<Entry> entries_;
  // Lookup only: never iterated, so its order cannot leak into a result.
  // Filled lazily (entries before indexed_): an answer to the oldest waiting
  // message, the usual case, needs no queue at all.
  std::unordered_map<std::string, std::deque<size_t>> by_id_;
  size_t indexed_ = 0;
  size_t oldest_ = 0;   // no unanswered entry before it
  size_t waiting_ = 0;  // unanswered entries
};

}  // namespace wsmock::replayer
