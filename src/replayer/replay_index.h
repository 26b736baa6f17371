// ReplayIndex: a recorded session turned into answers. Built once from the
// store's rows; then, per incoming request key, hands out the recorded
// answers in order (the last repeats), gives each client its recorded
// pushes, and tallies what was and was not matched for the report.
// No I/O. One thread at a time (Answer and NoteUnmatched mutate); movable.
//
// Pairing in a recording follows recorded_exchanges.h (by requestId where
// both sides carry one, else by order). Incoming messages are keyed by
// KeyMaker::KeyOfFrame, so an invalid frame (INVALID_JSON, ...) replays by
// its exact bytes. A key the recording never answered (a fire-and-forget
// message: a subscribe whose effect is the pushes after it, an ack) is
// answered with silence, as recorded; a key answered at least once is
// answered from its answers alone.
//
// replay --record-missing appends connections to a session after it ended
// (schema/README.md, "Appended by replay --record-missing"): their answers
// are indexed like any other, but they hold no pushes and take no client
// slot, so the pushes each client gets stay those of the original recording.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "replayer/match_key.h"
#include "replayer/replay_report.h"
#include "store/session_store.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::replayer {

class ReplayIndex {
 public:
  // A recorded server push ("update") on one connection.
  struct Push {
    Micros offset = 0;         // since that connection opened
    std::string_view payload;  // exact frame bytes, in the rows given to Build
    bool binary = false;       // sent as a binary frame
    std::string after_key;     // key of the last incoming message before it; "" if none
  };

  // Rows in any order; the index points into `messages`' payloads (a large
  // recording is not copied a second time), so they must outlive it. Connections opened after `session_end` (the
  // session's ended_at) are appended ones, as above; with no end, none is.
  // Corruption when a message names a connection that is not in
  // `connections` or has a direction other than "in"/"out".
  static Result<ReplayIndex> Build(const std::vector<store::ConnectionRow>& connections,
                                   const std::vector<store::MessageRow>& messages,
                                   const KeyMaker& keys,
                                   std::optional<Micros> session_end = std::nullopt);
  // Rows that would be gone when Build returns cannot be pointed into.
  static Result<ReplayIndex> Build(const std::vector<store::ConnectionRow>& connections,
                                   std::vector<store::MessageRow>&& messages, const KeyMaker& keys,
                                   std::optional<Micros> session_end = std::nullopt) = delete;

  ReplayIndex(ReplayIndex&&) = default;
  ReplayIndex& operator=(ReplayIndex&&) = default;
  ReplayIndex(const ReplayIndex&) = delete;
  ReplayIndex& operator=(const ReplayIndex&) = delete;

  // What the recording holds for a request's key.
  enum class Found {
    kNothing,  // the key was never recorded
    kAnswer,   // an answer, to send
    kSilence,  // the key was recorded, never answered: send nothing
  };

  // The next recorded answer for `key` (answers in recorded order: absolute
  // time, then connection id, then seq; the last one repeats), counted as a
  // match. When the answer has a top-level requestId and `request_id_json` is
  // not empty, that value is replaced by `request_id_json`; every other byte
  // is as recorded. Pass "" for raw keys to keep the recorded id.
  // "" for a key recorded without an answer (counted as a match); nullopt
  // when nothing recorded `key` (not counted: call NoteUnmatched).
  std::optional<std::string> Answer(const std::string& key, std::string_view request_id_json);
  // One client's place in each key's answers, for AnswerInto. With a cursor
  // per connection, every connection hears a key's recorded answers from
  // the first, whatever other connections asked before: a test suite gets
  // the same answers in any order, and run twice against one replay.
  class Cursor {
   public:
    // Back to each key's first answer.
    void Rewind() { asked_.clear(); }

   private:
    friend class ReplayIndex;
    std::unordered_map<const void*, int64_t> asked_;  // by KeyState; lookup only
  };

  // Back to each key's first answer, as when the index was built: for a
  // test suite that runs again against one replay (POST /__wsmock/reset).
  // The counts for the report go on.
  void Rewind();

  // The same answer appended to `*out` (a send buffer that may already hold
  // its headroom), so a reply is built once, in place. kSilence (counted,
  // `*out` unchanged) for a key recorded without an answer; kNothing
  // (`*out` unchanged, nothing counted) for a key never recorded.
  // *binary (when not null) says whether the answer was a binary frame
  // (its bytes are then as recorded: no requestId is swapped in). With a
  // `cursor`, the answer is the cursor's next for `key` rather than the
  // next of all; the last still repeats, and counts are kept as without.
  Found AnswerInto(const std::string& key, std::string_view request_id_json, std::string* out,
                   bool* binary = nullptr, Cursor* cursor = nullptr);

  // Counts a request that Answer could not answer and returns the message for
  // its NO_RECORDING error: "no recorded answer for getStations {...};
  // closest recorded: getStations {}".
  std::string NoteUnmatched(const std::string& key);

  // Files `payload` as the newest answer for `key` and counts it as recorded
  // now (replay --record-missing got it from the upstream or the generator):
  // later requests for `key` are answered from it, as a later replay of the
  // file will. Its requestId is swapped like any recorded answer's.
  void Record(const std::string& key, std::string payload);

  // The pushes of recorded connection min(client_index, n-1), connections
  // ordered by id; empty when there were no connections.
  const std::vector<Push>& PushesFor(size_t client_index) const;

  size_t recorded_connections() const { return pushes_.size(); }
  size_t recorded_requests() const { return recorded_requests_; }  // indexed exchanges
  size_t recorded_keys() const { return sorted_keys_.size(); }
  int64_t recorded_now() const { return recorded_now_; }  // Record() calls

  // The recorded key closest to `key` (closest_key.h), if any was recorded.
  std::optional<std::string> Closest(std::string_view key) const;

  // Matched keys and unused keys sorted by key, unmatched and recorded by
  // first occurrence.
  ReplayReport MakeReport() const;

 private:
  struct Entry {
    std::string_view payload;  // in Build's rows or in recorded_payloads_
    size_t id_begin, id_end;   // the requestId value's bytes; npos when none
    bool binary = false;       // a binary frame
  };
  struct KeyState {
    std::vector<Entry> answers;  // in replay order; none: recorded, never answered
    size_t next = 0;
    int64_t asked = 0;     // answered from the index
    int64_t recorded = 0;  // answers added by Record()
  };
  struct Miss {
    std::string key, closest;  // closest: a recorded key or ""
    int64_t count = 0;
  };

  ReplayIndex() = default;
  static Entry MakeEntry(std::string_view payload);

  // Lookup only: never iterated, so its order cannot leak into output.
  std::unordered_map<std::string, KeyState> answers_;
  std::vector<std::string> sorted_keys_;
  std::vector<std::vector<Push>> pushes_;  // per connection, ordered by id
  size_t recorded_requests_ = 0;
  std::vector<Miss> misses_;  // by first occurrence
  std::unordered_map<std::string, size_t> miss_index_;
  std::vector<std::string> recorded_keys_;  // keys given to Record(), by first occurrence
  std::deque<std::string> recorded_payloads_;  // Record()'s answers; a deque, so they stay put
  int64_t matched_ = 0;
  int64_t recorded_now_ = 0;
};

}  // namespace wsmock::replayer
