// `wsmock replay SESSION.db`: serves a recorded session back, byte for byte
// but for requestId, or (--snapshots) answers live from its recorded station
// snapshots. The file is opened read-only and never changed. With --strict
// the run fails (after the report) when any request had no recording.
#pragma once

#include "app/serve_options.h"
#include "util/status.h"

namespace wsmock::app {

Status RunReplay(const ReplayOptions& options);

}  // namespace wsmock::app
