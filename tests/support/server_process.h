// Runs the real wsmock binary as a child process for end-to-end tests:
// its stderr is drained by a thread (so a chatty server never blocks) and
// can be waited on for a line; every wait has a deadline.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wsmock::testing {

class ServerProcess {
 public:
  // Starts `wsmock <args>` (in `cwd` when not empty) and waits for the line
  // "Server started at ws[s]://HOST:PORT/PATH". Returns nullptr and sets
  // *error (with the stderr seen so far) when it does not come in time.
  static std::unique_ptr<ServerProcess> Start(const std::vector<std::string>& args,
                                              std::string* error, const std::string& cwd = "",
                                              int timeout_ms = 15000);
  ~ServerProcess();  // SIGKILL if still running

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit code, 128+signal
  // when killed by a signal, or -1 on timeout.
  int Stop(int signal = 15 /* SIGTERM */, int timeout_ms = 15000);
  // Waits for the process to exit by itself; the exit code as Stop() gives it.
  int WaitForExit(int timeout_ms = 15000);
  // Waits until stderr contains `text`; true when it does within the time.
  bool WaitForOutput(const std::string& text, int timeout_ms = 10000);
  std::string Output();  // all stderr so far

 private:
  ServerProcess() = default;
  void Drain(int fd);

  pid_t pid_ = -1;
  int port_ = 0;
  bool exited_ = false;
  int exit_code_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::string output_;  // guarded by mu_
  bool eof_ = false;    // guarded by mu_
};

struct RunResult {
  int exit_code = -1;  // 128+signal when killed, -1 on timeout
  std::string out;
  std::string err;
};

// Runs `wsmock <args>` to completion (killed after timeout_ms).
RunResult RunWsmock(const std::vector<std::string>& args, const std::string& cwd = "",
                    int timeout_ms = 30000, const std::string& stdin_text = "");

}  // namespace wsmock::testing
