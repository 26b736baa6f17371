// What `wsmock serve` is asked to do: one plain struct, filled by the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.h"
#include "util/log.h"

namespace wsmock::app {

enum class TlsMode {
  kAuto,        // wss when cert.pem and cert.key are in the working directory
  kFiles,       // --tls-cert / --tls-key
  kSelfSigned,  // --self-signed: a certificate made in memory at start
  kOff,         // --no-ssl
};

struct ServeOptions {
  uint64_t seed = 42;                 // drives generation and every tick
  int stations = 100;                 // 1..100000, ignored with a fixture
  std::string host = "0.0.0.0";       // interface to listen on
  int port = 10009;                   // 0 = any free port
  std::string path = "/ws";           // WebSocket path
  double tick_seconds = 30;           // 0 = no timed updates
  std::optional<Micros> clock_start;  // --clock: virtual time, one tick per tick
  std::string fixture;                // stations from this JSON file instead
  std::string db;                     // snapshots in this SQLite file; "" = memory
  LogLevel log_level = LogLevel::kInfo;
  TlsMode tls = TlsMode::kAuto;
  std::string tls_cert;  // with kFiles
  std::string tls_key;   // with kFiles
  size_t max_message = 1 << 20;       // bytes; a larger message closes with 1009
  int max_connections = 10000;        // handshakes past this get HTTP 503
};

// What `wsmock record` adds to serve.
struct RecordOptions {
  std::string path;        // the session file; a new session is appended
  bool overwrite = false;  // drop the sessions already in the file first
};

}  // namespace wsmock::app
