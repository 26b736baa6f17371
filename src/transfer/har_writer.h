// Writes one SessionRecord as a HAR 1.2 log (creator wsmock) in the shape
// Chrome DevTools saves WebSocket traffic: one entry per connection with
// `_webSocketMessages`, so browsers' tools and `wsmock import` read it.
// Deterministic (fixed key order, layout and number formats). Pure.
#pragma once

#include <string>

#include "transfer/session_records.h"

namespace wsmock::transfer {

// REQUIRES: record.messages ordered by connection id, then seq (as
// ReadSessionRecord gives them). Messages without a connection are left out;
// snapshots have no place in HAR and are left out too. A session without
// connections gets one page, dated at its start, and no entries.
std::string FormatHar(const SessionRecord& record);

}  // namespace wsmock::transfer
