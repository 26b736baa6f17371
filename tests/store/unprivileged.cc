#include "store/unprivileged.h"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace wsmock::testing {

namespace {

constexpr uid_t kNobody = 65534;

// In the child: the first byte of the report says how to read the rest.
constexpr char kRan = 'R';
constexpr char kSkipped = 'S';

void WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

std::string ReadAll(int fd) {
  std::string out;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;  // EOF: the child has exited or closed the pipe
    out.append(buffer, static_cast<size_t>(n));
  }
}

std::string ChildReport(const std::vector<std::string>& needed,
                        const std::function<std::string()>& fn) {
  if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
    return std::string(1, kSkipped) + "cannot switch to user 65534";
  }
  for (const std::string& path : needed) {
    if (::access(path.c_str(), X_OK) != 0) {
      return std::string(1, kSkipped) + "user 65534 cannot reach " + path;
    }
  }
  return std::string(1, kRan) + fn();
}

}  // namespace

Result<std::string> RunUnprivileged(const std::vector<std::string>& needed,
                                    const std::function<std::string()>& fn) {
  if (::geteuid() != 0) return fn();
  int fds[2];
  if (::pipe(fds) != 0) return Status::Unsupported("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::Unsupported("fork failed");
  }
  if (pid == 0) {
    ::close(fds[0]);
    WriteAll(fds[1], ChildReport(needed, fn));
    ::_exit(0);  // skip atexit handlers and gtest's teardown: they belong to the parent
  }
  ::close(fds[1]);
  std::string report = ReadAll(fds[0]);
  ::close(fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (report.empty() || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::Internal("the unprivileged child failed");
  }
  if (report[0] == kSkipped) return Status::Unsupported(report.substr(1));
  return report.substr(1);
}

}  // namespace wsmock::testing
