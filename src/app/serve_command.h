// `wsmock serve`: generate (or load) the stations, listen, answer, tick.
// Returns when SIGINT or SIGTERM arrives (ok) or when start-up fails (the
// error names the problem in one line).
#pragma once

#include "app/serve_options.h"
#include "util/status.h"

namespace wsmock::app {

Status RunServe(const ServeOptions& options);

// `wsmock record`: serves exactly as RunServe and records the session, every
// connection, message, push and snapshot into record.path; with
// upstream.url set it relays to that backend instead (proxy mode) and
// records the real traffic.
Status RunRecord(const ServeOptions& options, const RecordOptions& record,
                 const UpstreamOptions& upstream);

}  // namespace wsmock::app
