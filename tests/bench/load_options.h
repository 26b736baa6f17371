// LoadOptions: what wsmock_load was asked to do, parsed from its command
// line. Parsing never throws; a usage error is one line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace wsmock::bench {

enum class Mode {
  kRate,            // N connections x K in flight, requests per second
  kLatency,         // 1 connection, 1 in flight, percentiles
  kIdle,            // open N connections and hold them
  kFanout,          // first-to-last arrival of one push on N connections
  kFirstHandshake,  // time from a start until the first handshake completes
};

struct LoadOptions {
  Mode mode = Mode::kRate;
  std::string host = "127.0.0.1";  // from --url
  int port = 0;
  std::string path = "/ws";
  int connections = 1;
  int inflight = 1;                    // requests outstanding per connection
  double warmup = 1.0;                 // seconds before counting starts
  double duration = 5.0;               // counted seconds; idle: 0 = until a signal
  uint64_t requests = 0;               // > 0: send exactly this many, then stop
  std::vector<std::string> messages;   // requests, used round robin per connection
  std::string save_reply;              // file for the first measured message
  int pushes = 1;                      // fanout: pushes to time
  double timeout = 30.0;               // seconds to open everything or see a push
  int connect_window = 256;            // handshakes in progress at once
  int64_t start_us = 0;                // first-handshake: CLOCK_REALTIME start; 0 = ours
  std::vector<std::string> command;    // first-handshake: started by us after "--"
};

// Returns the options, or a Status whose message is the text to print:
// kInvalidArgument for a usage error, kNotFound carrying the --help text.
Result<LoadOptions> ParseLoadOptions(int argc, char** argv);

}  // namespace wsmock::bench
