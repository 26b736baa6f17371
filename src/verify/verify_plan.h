// What `wsmock verify` sends and expects: per recorded connection, the
// client's messages in recorded order, each with the answer paired to it in
// the recording (replayer/recorded_exchanges.h), and the recorded pushes.
// Plain values built once; const afterwards, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/session_store.h"
#include "util/status.h"

namespace wsmock::verify {

struct Step {
  int64_t seq = 0;                    // the recorded message's seq
  std::string payload;                // its exact bytes
  std::string description;            // "getStations {...}" or "raw frame \"...\""
  std::optional<std::string> answer;  // the recorded answer; none: sent, not checked
  // Where the top-level requestId value sits in `payload`, and whether it is
  // a number; id_begin is npos when there is no string or number id.
  size_t id_begin = std::string::npos, id_end = std::string::npos;
  bool numeric_id = false;

  bool has_id() const { return id_begin != std::string::npos; }
};

struct ConnectionPlan {
  int64_t connection_id = 0;
  std::vector<Step> steps;          // in recorded order
  std::vector<std::string> pushes;  // recorded pushes, in order
  size_t checked_steps() const;     // steps that have an answer
};

// Connections by id. Corruption as in replayer::GroupByConnection.
Result<std::vector<ConnectionPlan>> MakePlan(const std::vector<store::ConnectionRow>& connections,
                                             const std::vector<store::MessageRow>& messages);

// The requestId verify gives step `n` (1-based) of a copy of a recorded
// connection, as JSON text of the recorded id's type: "\"verify-3-7\"" (with
// several copies "\"verify-3.2-7\"") or 7. "" when the step has no id.
std::string NewRequestId(const Step& step, int64_t connection_id, int copy, int copies, size_t n);

// `step.payload` with its requestId value replaced by `id_json`, every other
// byte as recorded; the payload itself when the step has no id.
std::string WithRequestId(const Step& step, std::string_view id_json);

}  // namespace wsmock::verify
