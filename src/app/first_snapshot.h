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
Result<model::SnapshotPtr> FirstSnapshot(const ServeOptions& options, Micros now, Logger* log);

}  // namespace wsmock::app
