// One recorded session read whole from a wsmock file opened read-only: the
// rows verify (and anything else that reads a session back) starts from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/session_store.h"
#include "util/status.h"

namespace wsmock::verify {

struct RecordedSession {
  int64_t session_id = 0;
  std::vector<store::ConnectionRow> connections;
  std::vector<store::MessageRow> messages;
};

// Session `session`, or the latest when none is given. NotFound names the
// file and points to `wsmock sessions` when there is no such session.
Result<RecordedSession> LoadRecordedSession(const std::string& path,
                                            std::optional<int64_t> session);

}  // namespace wsmock::verify
