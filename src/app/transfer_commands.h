// `wsmock export`, `wsmock import` and `wsmock sessions`: a recording as
// JSON Lines (schema/README.md) for git and code review, or as HAR for
// browsers' tools, and back. Export and sessions open the file read-only and
// never change it; a missing file is NotFound "SESSION.db: no such file".
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace wsmock::app {

enum class ExportFormat {
  kJsonl,  // every session, or the one asked for
  kHar,    // one session: the one asked for, else the latest
};

// Writes every session of `db_path` in id order, or only `session`
// (NotFound when there is no such session), to `out`. As HAR, one session.
Status RunExport(const std::string& db_path, std::optional<int64_t> session, std::FILE* out,
                 ExportFormat format = ExportFormat::kJsonl);

// Reads `path` ("-": stdin) whole, checks all of it, then appends its
// sessions to `db_path` (created when missing) as new sessions in one
// transaction. A HAR file (transfer/har_reader.h: by its .har name or its
// content) gives one session; anything else is read as JSON Lines. `redact`
// pointers (util/json_redact.h) apply to every message before it is written.
// A bad file changes nothing, and the error names the line or entry and field.
// With `report`, one line per session tells its new id there: "Imported
// session 3 into x.db (1 connection, 3 messages)".
Status RunImport(const std::string& path, const std::string& db_path,
                 const std::vector<std::string>& redact = {}, std::FILE* report = nullptr);

// Prints the table of transfer/session_table.h.
Status RunSessions(const std::string& db_path, std::FILE* out);

}  // namespace wsmock::app
