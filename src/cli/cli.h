// The command line: CLI11 definitions for every subcommand and the table
// that maps a parsed subcommand to the app function that runs it.
// Exit codes: 0 ok, 1 run-time failure, 2 usage error.
#pragma once

#include <functional>
#include <string>

#include "util/status.h"

namespace wsmock::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// What the command line asked for: a command to run, or text to print and an
// exit code (help and --version on stdout with 0, a one-line usage error on
// stderr with 2).
struct Invocation {
  std::function<Status()> run;  // set when a command is to run
  int exit_code = kExitOk;
  std::string out;  // for stdout
  std::string err;  // for stderr, one line
};

Invocation ParseCommandLine(int argc, const char* const* argv);

}  // namespace wsmock::cli
