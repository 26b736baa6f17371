// `wsmock export`, `wsmock import` and `wsmock sessions`: a recording as
// JSON Lines (schema/README.md) for git and code review, and back. Export and
// sessions open the file read-only and never change it; a missing file is
// NotFound "SESSION.db: no such file".
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "util/status.h"

namespace wsmock::app {

// Writes every session of `db_path` in id order, or only `session`
// (NotFound when there is no such session), to `out`.
Status RunExport(const std::string& db_path, std::optional<int64_t> session, std::FILE* out);

// Reads `jsonl_path` ("-": stdin) whole, checks every line, then appends its
// sessions to `db_path` (created when missing) as new sessions in one
// transaction. A bad line changes nothing, and names its line and field.
Status RunImport(const std::string& jsonl_path, const std::string& db_path);

// Prints the table of transfer/session_table.h.
Status RunSessions(const std::string& db_path, std::FILE* out);

}  // namespace wsmock::app
