// Refuses a session file shorter than its SQLite header says it is. SQLite
// reads past a file's end as zeros, so a truncated file would otherwise open
// and read as fewer rows, silently. Any thread; reads the file, changes
// nothing.
#pragma once

#include <string>

#include "util/status.h"

namespace wsmock::store {

// Corruption "truncated: N bytes of the M its header promises" when `path`
// is shorter than its header's page count times its page size. Ok, leaving
// the judgement to SQLite, when the file is missing, is not SQLite, holds no
// valid in-header size, or has a non-empty -wal or -journal beside it: a
// writer killed (or still running) in the middle of a checkpoint or commit
// has written page 1 before the pages that make the file that long, and
// those pages are in the companion file.
Status CheckNotTruncated(const std::string& path);

}  // namespace wsmock::store
