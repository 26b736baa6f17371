// The wsmock JSON Lines format (schema/README.md), one line at a time:
// writing a line from stored rows and parsing a line back into rows. Stored
// JSON (options, requestId, JSON payloads, stations) is copied verbatim both
// ways, so export -> import -> export is byte-identical. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/session_store.h"
#include "util/status.h"

namespace wsmock::transfer {

// The "format" of every session line this wsmock writes. Version 1 is the
// first; a newer one is refused, as its lines may mean something else.
inline constexpr int64_t kFormatVersion = 1;

// One stored tick: its rows exactly as stored (all stations at the first
// tick, the changed ones after).
struct SnapshotRows {
  store::TickRow tick;
  std::vector<store::StationRow> stations;
};

struct SnapshotLine {
  int64_t session_id = 0;
  SnapshotRows snapshot;
};

// A parsed line. A message line names no session: MessageRow::session_id is
// 0 and the session is the one whose line came before it.
using Line =
    std::variant<store::SessionInfo, store::ConnectionRow, store::MessageRow, SnapshotLine>;

// Each appends one line with its '\n'. They fail (Corruption) when a stored
// value that the line embeds verbatim is not JSON that fits on one line, or
// a station row's id differs from the id inside its JSON.
Status AppendSessionLine(std::string* out, const store::SessionInfo& info);
void AppendConnectionLine(std::string* out, const store::ConnectionRow& row);
Status AppendMessageLine(std::string* out, const store::MessageRow& row);
Status AppendSnapshotLine(std::string* out, int64_t session_id, const SnapshotRows& snapshot);

// Parses one line (no '\n'). Errors name the line kind and the field:
// "message: field 'seq' must be an integer"; a format newer than
// kFormatVersion is Unsupported, every other problem InvalidArgument.
Result<Line> ParseLine(std::string_view line);

}  // namespace wsmock::transfer
