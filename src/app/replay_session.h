// The rows replay needs of one recorded session, read the cheap way for a
// large recording: the session's own row only (no per-session message
// counts, which scan the messages index), and its messages as stored,
// unsorted (replayer::GroupByConnection orders them per connection, which
// costs a sort of pointers, not of rows), a large session's on two
// connections and threads at once. Any thread; errors name the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/session_store.h"
#include "util/status.h"

namespace wsmock::app {

struct ReplaySession {
  store::SessionInfo info;  // connection_count and message_count are left 0
  std::vector<store::ConnectionRow> connections;  // ascending id
  std::vector<store::MessageRow> messages;        // file order: not by connection, seq
  // When the latest session was taken (no session asked for) and it holds
  // no message: the latest earlier session that does, if any. A recording
  // followed by an aborted one (or a serve --db run) is the usual cause.
  std::optional<store::SessionInfo> earlier_with_messages;
};

// Opens `path` read-only and reads session `session` (default: the latest).
// NotFound: "x.db: holds no session", "x.db: no session 7 (see wsmock
// sessions x.db)".
Result<ReplaySession> LoadReplaySession(const std::string& path, std::optional<int64_t> session);

}  // namespace wsmock::app
