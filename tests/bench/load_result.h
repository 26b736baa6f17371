// LoadResult: the figures of one wsmock_load run, and the one line of JSON
// they are printed as (fixed key order and number formats, so scripts and
// diffs can rely on it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wsmock::bench {

struct LoadResult {
  std::string mode;
  int connections = 0;        // asked for
  int inflight = 0;
  int opened = 0;             // handshakes completed
  int failed_connections = 0; // never opened (refused, HTTP error, timeout)
  int dropped_connections = 0;// opened, then closed before the end
  double open_seconds = 0;    // from the first connect to the last handshake
  double seconds = 0;         // the counted window
  uint64_t responses = 0;     // answers in the window
  uint64_t bytes = 0;         // payload bytes of those answers
  uint64_t messages = 0;      // every whole message received, the whole run
  uint64_t error_frames = 0;  // messages that are protocol errors, the whole run
  int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, max_ns = 0;
  // fanout
  std::vector<int64_t> spreads_ns;  // first-to-last arrival, one per push
  uint64_t push_bytes = 0;
  int push_missing = 0;             // connections that never saw the last push
  // first-handshake
  int64_t handshake_us = -1;
  int attempts = 0;

  double client_cpu = 0;      // our CPU seconds per wall second, the whole run:
                              // near 1.0 means this client may be the limit
  double rate() const { return seconds > 0 ? static_cast<double>(responses) / seconds : 0; }
};

std::string ToJsonLine(const LoadResult& result);

}  // namespace wsmock::bench
