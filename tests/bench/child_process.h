// ChildProcess: a server command started by the load client, so that a
// start-to-first-handshake time can be taken from the moment of fork().
// Its stdout goes to /dev/null (ours carries the result line); stderr is
// shared. The destructor stops it (SIGTERM, then SIGKILL after 5 s).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "util/status.h"

namespace wsmock::bench {

class ChildProcess {
 public:
  // REQUIRES: !argv.empty(). Looks the program up on PATH.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Stops it and returns its wait status (see waitpid(2)); once only.
  int Stop();

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace wsmock::bench
