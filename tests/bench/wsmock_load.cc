// wsmock_load: the benchmark load client. main() only: raise the fd limit,
// parse, run one LoadClient, print one JSON line. Exit 0 after a run (the
// figures say how it went), 1 if it could not run, 2 for a usage error.
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>

#include "load_client.h"

namespace {

// The one piece of global state: the flag a signal handler may set.
volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

// 10,000 connections need 10,000 descriptors; the soft limit is often 1024.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

void InstallSignals() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

// Idle and fanout modes tell the script when it may measure the server.
void PrintOpen(const wsmock::bench::LoadResult& so_far) {
  std::printf("{\"event\":\"open\",\"opened\":%d,\"failed_connections\":%d,\"open_s\":%.3f}\n",
              so_far.opened, so_far.failed_connections, so_far.open_seconds);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  using wsmock::Status;
  using namespace wsmock::bench;
  RaiseFileLimit();
  wsmock::Result<LoadOptions> options = ParseLoadOptions(argc, argv);
  if (!options.ok()) {
    const bool help = options.status().code() == Status::Code::kNotFound;
    std::fprintf(help ? stdout : stderr, "%s\n", options.status().message().c_str());
    return help ? 0 : 2;
  }
  InstallSignals();
  wsmock::Result<std::unique_ptr<LoadClient>> client = LoadClient::Create(*options);
  if (!client.ok()) {
    std::fprintf(stderr, "wsmock_load: %s\n", client.status().message().c_str());
    return 1;
  }
  wsmock::Result<LoadResult> result = (*client)->Run(&g_stop, PrintOpen);
  if (!result.ok()) {
    std::fprintf(stderr, "wsmock_load: %s\n", result.status().message().c_str());
    return 1;
  }
  std::printf("%s\n", ToJsonLine(*result).c_str());
  return 0;
}
