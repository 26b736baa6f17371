// A whole JSON Lines file as sessions: SessionRecord holds one session with
// everything that belongs to it, in the order export writes it. Writing a
// record gives its lines; parsing a file checks every line and how the lines
// refer to each other, naming the line: "s.jsonl:12: message: ...". Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/session_store.h"
#include "transfer/session_jsonl.h"
#include "util/status.h"

namespace wsmock::transfer {

struct SessionRecord {
  store::SessionInfo info;                        // the counts are not used
  std::vector<store::ConnectionRow> connections;  // ascending id
  std::vector<store::MessageRow> messages;        // by connection id, then seq
  std::vector<SnapshotRows> snapshots;            // ascending tick
};

// Appends the session line, each connection line followed by its messages,
// then one line per snapshot. REQUIRES: the vectors are in the order above.
// Corruption when a message has no connection or a stored value cannot be
// embedded (see session_jsonl.h).
Status AppendSessionRecord(std::string* out, const SessionRecord& record);

// Parses a file of lines ('\n'; a '\r' before it and blank lines are
// skipped). Every line after a session line belongs to that session: its
// "session" fields must repeat that line's id and a message's connection
// must have had its line before. Ids, seqs, ticks and stations may not
// repeat. The records come out sorted as AppendSessionRecord requires.
// `source` names the file in errors.
Result<std::vector<SessionRecord>> ParseSessionRecords(std::string_view text,
                                                       std::string_view source);

}  // namespace wsmock::transfer
