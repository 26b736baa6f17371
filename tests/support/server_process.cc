#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace wsmock::testing {
namespace {

using Clock = std::chrono::steady_clock;

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// fork + exec of the wsmock binary with the given pipes as stdin/out/err.
pid_t Spawn(const std::vector<std::string>& args, const std::string& cwd, int in_fd, int out_fd,
            int err_fd) {
  std::vector<std::string> argv_store = {WSMOCK_BINARY};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    // The child must not inherit a blocked signal mask from a test thread.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// The port of "Server started at ws[s]://HOST:PORT/PATH" (std::regex trips
// GCC 12's maybe-uninitialized warning under the sanitizers), or 0.
int StartedPort(const std::string& output) {
  static const std::string kStarted = "Server started at ws";
  size_t at = output.find(kStarted);
  if (at == std::string::npos) return 0;
  size_t slashes = output.find("://", at);
  size_t line_end = output.find('\n', at);
  if (slashes == std::string::npos || line_end == std::string::npos) return 0;
  size_t path = output.find('/', slashes + 3);
  size_t colon = output.rfind(':', path);
  if (path == std::string::npos || path > line_end || colon <= slashes) return 0;
  int port = 0;
  for (size_t i = colon + 1; i < path; ++i) {
    if (output[i] < '0' || output[i] > '9') return 0;
    port = port * 10 + (output[i] - '0');
  }
  return port;
}

bool WaitExit(pid_t pid, int timeout_ms, int* exit_code) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      *exit_code = ExitCodeOf(status);
      return true;
    }
    if (Clock::now() >= deadline) return false;
    // waitpid has no timeout; poll the child's state at a short interval.
    poll(nullptr, 0, 5);
  }
}

}  // namespace

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::vector<std::string>& args,
                                                    std::string* error, const std::string& cwd,
                                                    int timeout_ms) {
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return nullptr;
  }
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  p->pid_ = Spawn(args, cwd, devnull, devnull, err_pipe[1]);
  close(err_pipe[1]);
  close(devnull);
  p->reader_ = std::thread([raw = p.get(), fd = err_pipe[0]] { raw->Drain(fd); });

  std::unique_lock<std::mutex> lock(p->mu_);
  int port = 0;
  p->changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    port = StartedPort(p->output_);
    return port > 0 || p->eof_;
  });
  if (port <= 0) {
    *error = "wsmock did not start; stderr:\n" + p->output_;
    lock.unlock();
    return nullptr;
  }
  p->port_ = port;
  return p;
}

void ServerProcess::Drain(int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard<std::mutex> lock(mu_);
    if (n <= 0) {
      eof_ = true;
      changed_.notify_all();
      break;
    }
    output_.append(buf, static_cast<size_t>(n));
    changed_.notify_all();
  }
  close(fd);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    int code;
    WaitExit(pid_, 10000, &code);
  }
  if (reader_.joinable()) reader_.join();
}

int ServerProcess::Stop(int signal, int timeout_ms) {
  if (exited_) return exit_code_;
  kill(pid_, signal);
  return WaitForExit(timeout_ms);
}

int ServerProcess::WaitForExit(int timeout_ms) {
  if (exited_) return exit_code_;
  if (!WaitExit(pid_, timeout_ms, &exit_code_)) return -1;
  exited_ = true;
  if (reader_.joinable()) reader_.join();
  return exit_code_;
}

bool ServerProcess::WaitForOutput(const std::string& text, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return output_.find(text) != std::string::npos || eof_;
  }) && output_.find(text) != std::string::npos;
}

std::string ServerProcess::Output() {
  std::lock_guard<std::mutex> lock(mu_);
  return output_;
}

RunResult RunWsmock(const std::vector<std::string>& args, const std::string& cwd,
                    int timeout_ms, const std::string& stdin_text) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    return {};
  }
  pid_t pid = Spawn(args, cwd, in_pipe[0], out_pipe[1], err_pipe[1]);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // stdin is written by a thread so a child that does not read cannot block us.
  std::thread writer([fd = in_pipe[1], stdin_text] {
    size_t done = 0;
    while (done < stdin_text.size()) {
      ssize_t n = write(fd, stdin_text.data() + done, stdin_text.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fd);
  });
  RunResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  int open_fds = 2;
  while (open_fds > 0 && Clock::now() < deadline) {
    if (poll(fds, 2, 50) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        sinks[i]->append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int remaining = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
  if (!WaitExit(pid, remaining > 0 ? remaining : 1, &result.exit_code)) {
    kill(pid, SIGKILL);
    int ignored;
    WaitExit(pid, 5000, &ignored);
    result.exit_code = -1;
  }
  writer.join();
  return result;
}

}  // namespace wsmock::testing
