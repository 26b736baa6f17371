// main(): parse the command line, run the chosen command, map its outcome
// to an exit code (0 ok, 1 run-time failure, 2 usage error).
#include <cstdio>

#include "cli/cli.h"

int main(int argc, char** argv) {
  wsmock::cli::Invocation invocation = wsmock::cli::ParseCommandLine(argc, argv);
  if (!invocation.out.empty()) std::fputs(invocation.out.c_str(), stdout);
  if (!invocation.err.empty()) std::fprintf(stderr, "%s\n", invocation.err.c_str());
  if (!invocation.run) return invocation.exit_code;
  wsmock::Status status = invocation.run();
  if (!status.ok()) {
    std::fprintf(stderr, "wsmock: %s\n", status.message().c_str());
    return wsmock::cli::kExitFailure;
  }
  return wsmock::cli::kExitOk;
}
