// Moves SessionRecords out of and into a wsmock file through SessionStore.
// Used by one thread at a time, like the store it is given.
#pragma once

#include <cstdint>
#include <vector>

#include "store/database.h"
#include "store/session_store.h"
#include "transfer/session_records.h"
#include "util/status.h"

namespace wsmock::transfer {

// Reads every row of the session `info` describes (an entry of ListSessions).
Result<SessionRecord> ReadSessionRecord(store::SessionStore* store, const store::SessionInfo& info);

// Writes each record as a new session (the file's next ids; record ids are
// not kept) with its rows, all in one transaction: on error nothing is
// written. Returns the new ids in record order.
// REQUIRES: `db` is open read-write and in no transaction.
Result<std::vector<int64_t>> WriteSessionRecords(store::Database* db,
                                                 const std::vector<SessionRecord>& records);

}  // namespace wsmock::transfer
