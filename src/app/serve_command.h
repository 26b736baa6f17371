// `wsmock serve`: generate (or load) the stations, listen, answer, tick.
// Returns when SIGINT or SIGTERM arrives (ok) or when start-up fails (the
// error names the problem in one line).
#pragma once

#include "app/serve_options.h"
#include "util/status.h"

namespace wsmock::app {

Status RunServe(const ServeOptions& options);

// `wsmock record`: serves exactly as RunServe and records the session, every
// connection, message, push and snapshot into record.path.
Status RunRecord(const ServeOptions& options, const RecordOptions& record);

}  // namespace wsmock::app
