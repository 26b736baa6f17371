// What each serving command is asked to do: plain structs, filled by the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.h"
#include "util/log.h"

namespace wsmock::app {

enum class TlsMode {
  kAuto,        // wss when cert.pem and cert.key are in the working directory
  kFiles,       // --tls-cert / --tls-key
  kSelfSigned,  // --self-signed: a certificate made in memory at start
  kOff,         // --no-ssl
};

// Where and how a command listens: shared by serve, record and replay.
struct ListenOptions {
  std::string host = "0.0.0.0";  // interface to listen on
  int port = 10009;              // 0 = any free port
  std::string path = "/ws";      // WebSocket path
  TlsMode tls = TlsMode::kAuto;
  std::string tls_cert;          // with kFiles
  std::string tls_key;           // with kFiles
  // With kSelfSigned: the certificate (PEM, not the key) is written here
  // before listening, so clients can trust it; "" = not written.
  std::string self_signed_cert_out;
  size_t max_message = 1 << 20;  // bytes; a larger message closes with 1009
  size_t max_send_queue = 8 << 20;  // bytes queued for a client; beyond it: close 1008
  int max_connections = 10000;   // handshakes past this get HTTP 503
  int handshake_timeout = 5;     // seconds to finish the upgrade; slower clients are dropped
  LogLevel log_level = LogLevel::kInfo;
  // Seconds a client may send no message before it is closed with 1001
  // "idle timeout"; 0 = never.
  double client_idle_timeout = 0;
  // Frames from clients kept for GET /__wsmock/requests (the newest).
  size_t request_journal = 1000;
  // WebSocket subprotocols accepted (and answered with) besides "wsmock".
  std::vector<std::string> subprotocols;
};

struct ServeOptions {
  ListenOptions listen;
  uint64_t seed = 42;                 // drives generation and every tick
  int stations = 100;                 // 1..100000, ignored with a fixture
  double tick_seconds = 30;           // 0 = no timed updates
  std::optional<Micros> clock_start;  // --clock: virtual time, one tick per tick
  std::string fixture;                // stations from this JSON file instead
  std::string db;                     // snapshots in this SQLite file; "" = none kept
  std::string from;                   // start from a snapshot recorded in this file
  std::optional<int64_t> from_session;  // which session of `from` (default: the latest)
  std::optional<int64_t> tick_index;    // which snapshot of it (default: the last)
};

// What `wsmock record` adds to serve.
struct RecordOptions {
  std::string path;        // the session file; a new session is appended
  bool overwrite = false;  // drop the sessions already in the file first
  std::vector<std::string> redact;  // JSON Pointers whose values never reach the disk
};

// `wsmock record --upstream URL`: relay to a real backend instead of serving
// generated stations.
struct UpstreamOptions {
  std::string url;                   // ws:// or wss://; empty = no proxy
  std::string ca_file;               // --upstream-ca
  bool insecure = false;             // --upstream-insecure
  std::vector<std::string> headers;  // --upstream-header "Name: value"
  bool record_headers = false;       // keep `headers` in the session's options
};

struct ReplayOptions {
  ListenOptions listen;
  std::string path;                       // the session file; read-only unless record_missing
  std::optional<int64_t> session;         // default: the latest
  std::vector<std::string> match_ignore;  // JSON Pointers left out of match keys
  double speed = 1;                       // push schedule scale; 0 = after the request
  bool strict = false;                    // exit 1 when any request had no recording
  bool per_connection = false;            // each connection's answers from the first
  int64_t exit_after = 0;                 // stop after this many requests; 0 = never
  double idle_timeout = 0;                // stop after this many quiet seconds; 0 = never
  std::string report_json;                // write the report here as JSON
  std::string junit;                      // and here as JUnit XML
  bool snapshots = false;                 // answer live from the recorded snapshots
  // --record-missing: a request nothing recorded answers goes to `upstream`
  // (or, when it has no url, to the generator), and the exchange is appended
  // to the replayed session; the file is opened read-write.
  bool record_missing = false;
  UpstreamOptions upstream;           // record_headers unused
  std::optional<uint64_t> seed;       // the generator's, instead of the session's
  std::optional<int> stations;        // likewise
  std::optional<Micros> clock_start;  // likewise: the data time, standing still
};

}  // namespace wsmock::app
