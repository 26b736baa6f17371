// A small recording for the transfer tests, written with SessionStore: every
// payload form the JSON Lines format has, two sessions, two ticks.
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "support/temp_dir.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::transfer::testing {

inline constexpr Micros kStart = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

// Session 1 (record, ended): connection 1 (closed 1000) with a request, its
// response, an update, a text that is not JSON and an error with a null
// requestId; connection 2 (open) with a numeric requestId, a binary frame
// with NUL bytes, Cyrillic text, JSON with a leading space, invalid UTF-8;
// snapshots at tick 0 (3 stations) and tick 1 (1 station).
// Session 2 (proxy, upstream, not ended): one connection, one message.
// Asserts on failure.
void WriteSampleRecording(const std::string& db_path);

// What `run` wrote to the FILE* it was given (a file in `dir`); its status
// goes to `*status`.
std::string CaptureOutput(const wsmock::testing::TempDir& dir,
                          const std::function<Status(std::FILE*)>& run, Status* status);

}  // namespace wsmock::transfer::testing
