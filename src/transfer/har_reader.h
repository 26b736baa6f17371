// Reads the WebSocket traffic that Chrome DevTools and Playwright save in a
// HAR file (HTTP Archive 1.2) into one SessionRecord (mode "import"): one
// connection per entry whose response status is 101 and that has
// `_webSocketMessages`, in entry order; other entries are skipped. The
// mapping is in schema/README.md ("HAR import and export"). Pure.
#pragma once

#include <string_view>

#include "transfer/session_records.h"
#include "util/status.h"

namespace wsmock::transfer {

// True when `path` ends in ".har" or `text` is a JSON object with a
// top-level "log" member (a JSON Lines file starts with a session line).
bool LooksLikeHar(std::string_view text, std::string_view path);

// The one session of the HAR `text`. Errors are InvalidArgument, one line,
// naming `source` and the field: "s.har: log.entries[2]._webSocketMessages[0]
// .opcode: must be 1 (text) or 2 (binary)"; a file without any WebSocket
// entry is an error too, unless it has no entries at all and a page to date
// it (wsmock's export of a session no client connected to): an empty session.
Result<SessionRecord> ParseHar(std::string_view text, std::string_view source);

}  // namespace wsmock::transfer
