// The process's open-file limit (RLIMIT_NOFILE), which caps how many
// connections a server can hold. Raising it is process-wide but only ever
// upward, so servers in one process cannot undo each other. Any thread.
#pragma once

#include <cstdint>
#include <string>

namespace wsmock::server {

// File descriptors a server needs besides its connections' sockets: the
// listen socket, lws's wake-up pipe, the session file, stdio, a margin.
inline constexpr uint64_t kFdMargin = 64;

struct FdLimit {
  uint64_t soft = 0;  // in force after the call
  uint64_t hard = 0;
};

// Raises the soft limit toward `wanted`, never beyond the hard limit and
// never down. Not straight to the hard limit: lws sizes two per-descriptor
// tables by the soft limit when a context starts (16 bytes per descriptor,
// 16 MB for a hard limit of a million).
FdLimit RaiseFdLimit(uint64_t wanted);

// The descriptors to ask RaiseFdLimit for: every served connection and, for
// a proxy, its upstream, plus the margin.
uint64_t WantedFds(int max_connections);

// One warning line when `limit` cannot hold `max_connections` clients plus
// the margin, naming both numbers and the remedy; empty otherwise.
std::string FdLimitWarning(const FdLimit& limit, int max_connections);

}  // namespace wsmock::server
