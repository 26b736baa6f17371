// A session file opened for recording: a new session row in it, and the
// file handed to a BackgroundWriter so the loop never touches the disk.
// Shared by serve/record (mock) and record --upstream (proxy).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/server_runner.h"
#include "store/background_writer.h"
#include "util/clock.h"
#include "util/json_redact.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::app {

struct SessionStorage {
  std::unique_ptr<store::BackgroundWriter> writer;
  int64_t session_id = 0;
  std::string path;
  // The file's identity at open (0, 0 when it has none, ":memory:"): a
  // file deleted or replaced while recording keeps the rows from anyone.
  uint64_t device = 0, inode = 0;
};

// Opens (or creates) `path` read-write (":memory:" for none), drops every
// session in it first when `overwrite`, starts a session with `mode`,
// `options_json` and `upstream` (empty: none) at `now`, and starts the
// writer thread. Errors name the file.
Result<SessionStorage> OpenSessionStorage(const std::string& path, bool overwrite,
                                          std::string_view mode, std::string_view options_json,
                                          std::string_view upstream, Micros now);

// The --redact pointers as a shared redactor; null when there are none.
// Errors name the flag.
Result<std::shared_ptr<const json::Redactor>> RedactorFor(const std::vector<std::string>& pointers);

// Checks `writer` on the loop every half second from now on; at its first
// error, logs it as `what` ("The recording") and stops the server. A file
// that can no longer take rows (a full disk, a damaged page) ends the run
// at once, rather than serving on into a recording that silently misses
// part of it. REQUIRES: writer outlives runner's Run().
void StopOnStorageError(ServerRunner* runner, const store::BackgroundWriter* writer,
                        std::string_view what, Logger* log);

// Pauses reading from clients (WsServer::PauseReading) while `writer`
// holds more than 32 MiB of recorded messages not yet on disk, until it is
// back under 8 MiB: when the disk is slower than the traffic, the traffic
// slows, rather than memory growing without end and a kill -9 losing
// seconds of it. The first pause is logged. REQUIRES: server outlives
// writer.
void ThrottleToStorage(server::WsServer* server, store::BackgroundWriter* writer, Logger* log);

// Commits everything submitted to the writer and moves the message journal
// into `messages` (store/background_writer.h), logging first when that is
// a large amount of work, so that a long stop is explained. Returns the
// writer's first error, or an error when the file at the path is no longer
// the one opened (deleted or replaced while recording).
Status FinishSessionStorage(const SessionStorage& storage, Logger* log);

}  // namespace wsmock::app
