// How each subcommand plugs into the command line: a file per command group
// defines its CLI11 flags and returns what to check after parsing and what
// to run. cli.cc only parses and dispatches.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/serve_options.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::cli {

struct Subcommand {
  CLI::App* app;
  std::function<std::string()> finish;  // after parsing: "" or a one-line usage error
  std::function<Status()> run;
};
using SubcommandTable = std::vector<Subcommand>;

// A seed: 0 to 2^64 - 1 in decimal digits. CLI11 alone would wrap -1 and
// clamp a larger number to the largest.
CLI::Validator SeedValue();

// An integer from `min` to `max` in decimal digits. CLI11 2.1.2 reads an
// int64_t with strtoll, which clamps a larger number to the largest, so
// CLI::Range alone let 99999999999999999999 through as 9223372036854775807
// (and read "010" as octal and "0x10" as hex).
CLI::Validator Int64Range(int64_t min, int64_t max);

// Parses --clock TEXT (none when empty) into `start`; "" or a one-line
// usage error. The time must leave room to run on: wsmock itself cannot
// read a time past year 9999.
std::string ParseClockFlag(const std::string& text, std::optional<Micros>* start);

// The longest duration flag accepted, in seconds (30 days).
inline constexpr double kMaxSeconds = 30 * 86400.0;

// Values CLI11 parses as text and we check ourselves, so the error names the
// flag and the accepted form.
struct RawListenFlags {
  std::string log_level = "info";
  bool self_signed = false;
  bool no_ssl = false;
};

// The flags of every listening command (serve, record, replay).
void AddListenOptions(CLI::App* cmd, app::ListenOptions* o, RawListenFlags* raw);
std::string FinishListenOptions(app::ListenOptions* o, const RawListenFlags& raw);

// --upstream URL (described by `url_help`), --upstream-ca,
// --upstream-insecure and --upstream-header: record's proxy mode and
// replay --record-missing. Returns --upstream, for needs() and excludes().
CLI::Option* AddUpstreamOptions(CLI::App* cmd, app::UpstreamOptions* o,
                                const std::string& url_help);
// "" or a one-line usage error: a url that is not ws:// or wss://, a header
// HeaderFlagProblem refuses.
std::string FinishUpstreamOptions(const app::UpstreamOptions& o);

// "" or a one-line usage error naming `flag` (--upstream-header,
// --target-header) for the first line that is not a 'Name: value' header lws
// can send (server::CheckHandshakeHeader): checked before the run, so a bad
// one is exit 2 rather than a failed connection.
std::string HeaderFlagProblem(const std::string& flag, const std::vector<std::string>& headers);

// "" or a one-line usage error naming `flag` (--subprotocol,
// --target-subprotocol) when `name` is not a WebSocket subprotocol name: an
// RFC 2616 token (RFC 6455), at most 64 characters.
std::string SubprotocolFlagProblem(const std::string& flag, const std::string& name);

// "" or a one-line usage error when `report_path`, given to `flag` (--report,
// --junit), cannot be written (checked before a run, not after it), or is
// the session file at `session_path` or its SQLite -wal, -shm or -journal
// file (by name, even before they exist, and by identity), which the report
// would overwrite.
std::string CheckReportTarget(const std::string& session_path, const std::string& flag,
                              const std::string& report_path);

// One group per file: serve_flags.cc, replay_flags.cc, transfer_flags.cc,
// verify_flags.cc.
void AddServeCommands(CLI::App* root, SubcommandTable* table);  // serve, record
void AddReplayCommand(CLI::App* root, SubcommandTable* table);
void AddTransferCommands(CLI::App* root, SubcommandTable* table);  // export, import, sessions
void AddVerifyCommand(CLI::App* root, SubcommandTable* table);

}  // namespace wsmock::cli
