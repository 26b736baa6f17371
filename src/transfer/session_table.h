// The table `wsmock sessions` prints: a header line, then one line per
// session with id, start (ISO 8601 UTC), mode, connections and messages in
// fixed-width columns. Pure.
#pragma once

#include <string>
#include <vector>

#include "store/session_store.h"

namespace wsmock::transfer {

std::string FormatSessionTable(const std::vector<store::SessionInfo>& sessions);

}  // namespace wsmock::transfer
