// `wsmock replay SESSION.db`: serves a recorded session back, byte for byte
// but for requestId, or (--snapshots) answers live from its recorded station
// snapshots. The file is opened read-only and never changed, except with
// --record-missing: then what the recording cannot answer is answered by the
// upstream or the generator and appended to the replayed session. With
// --strict the run fails (after the report) when any request had no answer.
#pragma once

#include "app/serve_options.h"
#include "util/status.h"

namespace wsmock::app {

Status RunReplay(const ReplayOptions& options);

}  // namespace wsmock::app
