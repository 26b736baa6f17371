// The options that shape a mock session's data (seed, stations, tick, clock,
// fixture, from) as the JSON object stored with each session
// (sessions.options_json), and read back from it, so that replay
// --record-missing can generate the answers a recording lacks as the server
// that made it would have. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "app/serve_options.h"
#include "util/status.h"

namespace wsmock::app {

// {"seed":42,"stations":100,"tick":30,"clock":"2024-...Z"|null,
//  "fixture":"f.json"|null,"from":"s.db"|null}; "stations" only for
// generated stations, not with a fixture or from.
std::string ServeOptionsJson(const ServeOptions& options);

// Sets each member of `*options` that `json` holds, leaving the others as
// they were; members it does not know (those of proxy or import sessions)
// are ignored. InvalidArgument naming the member when one has the wrong type
// or value; `*options` is then partly set.
Status ReadServeOptionsJson(std::string_view json, ServeOptions* options);

}  // namespace wsmock::app
