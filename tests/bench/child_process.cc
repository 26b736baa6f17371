#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wsmock::bench {
namespace {

constexpr int kTermGraceMs = 5000;

// Everything the child needs is prepared before fork(): after it, only
// async-signal-safe calls are allowed.
[[noreturn]] void ExecChild(const std::vector<char*>& args, int dev_null) {
  if (dev_null >= 0) dup2(dev_null, STDOUT_FILENO);
  execvp(args[0], args.data());
  _exit(127);
}

bool Reap(pid_t pid, int* status, int timeout_ms) {
  for (int waited = 0; waited <= timeout_ms; waited += 10) {
    if (waitpid(pid, status, WNOHANG) == pid) return true;
    const timespec ten_ms{0, 10'000'000};
    nanosleep(&ten_ms, nullptr);
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int dev_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const pid_t pid = fork();
  if (pid < 0) {
    if (dev_null >= 0) close(dev_null);
    return Status::IoError(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) ExecChild(args, dev_null);
  if (dev_null >= 0) close(dev_null);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid));
}

int ChildProcess::Stop() {
  if (reaped_) return status_;
  kill(pid_, SIGTERM);
  if (!Reap(pid_, &status_, kTermGraceMs)) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  reaped_ = true;
  return status_;
}

ChildProcess::~ChildProcess() { Stop(); }

}  // namespace wsmock::bench
