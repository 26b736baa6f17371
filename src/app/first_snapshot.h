// The stations a mock server starts from: a snapshot recorded in a session
// file (--from), a fixture file, or the seeded generator, chosen by the
// serve options. Shared by serve/record and replay --record-missing.
#pragma once

#include "app/serve_options.h"
#include "model/snapshot.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::app {

// Tick 0 at `now` (a recorded snapshot keeps its own tick and time), with
// one log line saying where the stations came from. Errors name the file.
// With --from, sets options->from_session and options->tick_index to the
// session and tick taken, so that stored options name them: the file may
// gain sessions before a replay --record-missing starts from it again.
Result<model::SnapshotPtr> FirstSnapshot(ServeOptions* options, Micros now, Logger* log);

}  // namespace wsmock::app
