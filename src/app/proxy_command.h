// `wsmock record SESSION.db --upstream URL`: listens as serve does, relays
// every client to its own connection to the upstream, and records both
// directions into a new session (mode "proxy"). Returns when SIGINT or
// SIGTERM arrives (ok), or when start-up fails (a one-line error).
#pragma once

#include <string>

#include "app/serve_options.h"
#include "util/status.h"

namespace wsmock::app {

// Only options.listen is used: there are no stations in proxy mode.
Status RunProxyRecord(const ServeOptions& options, const RecordOptions& record,
                      const UpstreamOptions& upstream);

// The session's options: the upstream URL, its CA file and insecure flag,
// and the --upstream-header lines, whole with record_headers, else only
// their names (a header often carries a secret).
std::string ProxyOptionsJson(const UpstreamOptions& upstream);

}  // namespace wsmock::app
