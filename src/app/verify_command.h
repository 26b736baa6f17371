// `wsmock verify SESSION.db --target URL`: plays each recorded connection's
// client messages against a live server, in recorded order with new
// requestIds, and compares every answer (and, if asked, every push) with the
// recorded one. Prints a diff per mismatch and "N matched, N differed,
// N failed"; the run fails unless everything matched. The file is opened
// read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace wsmock::app {

struct VerifyOptions {
  std::string path;                 // the session file, opened read-only
  std::optional<int64_t> session;   // default: the latest
  std::string target;               // ws://host:port/path or wss://...
  std::vector<std::string> ignore;  // JSON Pointers left out of the comparison
  bool compare_updates = false;     // compare pushes too, in order per connection
  bool only_schema = false;         // fail only on added/removed/type-changed fields
  double timeout = 5;               // seconds to wait for each answer, push or connection
  int connections = 1;              // live copies of each recorded connection, run at once
  std::string report_json;          // write the report here as JSON
  std::string junit;                // and here as JUnit XML
  std::string ca_file;              // wss: trust this PEM CA
  bool insecure = false;            // wss: skip certificate checks
  // "Name: value" lines added to every handshake with the target (an
  // Authorization header); only the names are ever printed.
  std::vector<std::string> headers;
  std::string subprotocol;  // Sec-WebSocket-Protocol to ask the target for; "" = none
};

// Ok only when every check matched; otherwise a one-line summary of what
// did not (the details are already printed).
Status RunVerify(const VerifyOptions& options);

}  // namespace wsmock::app
