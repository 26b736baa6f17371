#include "support/headless_browser.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace wsmock::testing {
namespace {

using Clock = std::chrono::steady_clock;

// The DevTools pipe: fd 3 carries commands to the browser, fd 4 its replies
// and events, each message a JSON text ended by a NUL.
constexpr int kCommandFd = 3;
constexpr int kReplyFd = 4;

// Starts `args` in a process group of its own, with `command_fd` and
// `reply_fd` as its fds 3 and 4, stderr into `log_fd`, and TMPDIR=`tmp`, so
// that what the browser leaves in its temporary directory goes with it.
pid_t Spawn(const std::vector<std::string>& args, int command_fd, int reply_fd, int log_fd,
            const std::string& tmp) {
  std::vector<std::string> argv_store = args;
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_store = {"TMPDIR=" + tmp};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("TMPDIR=", 0) != 0) env_store.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec. A group of its own,
    // so that the browser's helper processes can be killed with it.
    setpgid(0, 0);
    // Moved above 4 first, so that no dup2 below closes another's source;
    // the copies close at exec.
    const int command = fcntl(command_fd, F_DUPFD_CLOEXEC, 10);
    const int reply = fcntl(reply_fd, F_DUPFD_CLOEXEC, 10);
    const int log = fcntl(log_fd, F_DUPFD_CLOEXEC, 10);
    if (command < 0 || reply < 0 || log < 0 || dup2(command, kCommandFd) < 0 ||
        dup2(reply, kReplyFd) < 0 || dup2(log, 2) < 0) {
      _exit(126);
    }
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      if (devnull > 2) close(devnull);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Sends all of `bytes` on the socket `fd` by `deadline`. MSG_NOSIGNAL: a
// browser that died makes this false, not a SIGPIPE that ends the tests.
bool SendAll(int fd, const std::string& bytes, Clock::time_point deadline) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;
    pollfd out{fd, POLLOUT, 0};
    if (Clock::now() >= deadline || poll(&out, 1, RemainingMs(deadline)) == 0) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> HeadlessBrowser::Find() {
  // A path given is taken as it is: Launch says what is wrong with it.
  const char* env = std::getenv("WSMOCK_CHROMIUM");
  if (env != nullptr && *env != '\0') return std::string(env);
  if (access("/usr/bin/chromium", X_OK) != 0) return std::nullopt;
  return "/usr/bin/chromium";
}

std::unique_ptr<HeadlessBrowser> HeadlessBrowser::Launch(const std::string& binary,
                                                         std::string* error, int timeout_ms) {
  std::unique_ptr<HeadlessBrowser> browser(new HeadlessBrowser());
  browser->log_path_ = browser->profile_.File("chromium.log");
  int commands[2], replies[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, commands) != 0) {
    *error = "socketpair failed";
    return nullptr;
  }
  browser->to_browser_ = commands[1];
  if (pipe2(replies, O_CLOEXEC) != 0) {
    close(commands[0]);
    *error = "pipe failed";
    return nullptr;
  }
  browser->from_browser_ = replies[0];
  const int log = open(browser->log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  // Only loopback: no background fetches, and no name resolves (tests dial
  // 127.0.0.1 by address).
  browser->pid_ =
      log < 0 ? -1
              : Spawn({binary, "--headless", "--no-sandbox", "--disable-gpu",
                       "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                       "--disable-background-networking", "--disable-component-update",
                       "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                       "--ignore-certificate-errors", "--remote-debugging-pipe",
                       "--user-data-dir=" + browser->profile_.File("profile"), "about:blank"},
                      commands[0], replies[1], log, browser->profile_.path());
  close(commands[0]);
  close(replies[1]);
  if (log >= 0) close(log);
  if (browser->pid_ < 0) {
    *error = log < 0 ? "cannot create " + browser->log_path_ : "fork failed";
    return nullptr;
  }
  std::optional<std::string> target =
      browser->Call("Target.createTarget", R"({"url":"about:blank"})", false, error, timeout_ms);
  if (!target) {
    // The end of the browser's stderr says why it did not answer.
    const std::string said = ReadFile(browser->log_path_);
    *error +=
        "; " + binary + " said: " + said.substr(said.size() - std::min<size_t>(said.size(), 600));
    return nullptr;
  }
  Result<json::JsonPtr> parsed = json::Parse(*target);
  const cJSON* id = parsed.ok() ? cJSON_GetObjectItem(parsed->get(), "targetId") : nullptr;
  if (!cJSON_IsString(id)) {
    *error = "no targetId in " + *target;
    return nullptr;
  }
  std::string params = R"({"flatten":true,"targetId":)";
  json::AppendString(&params, id->valuestring);
  params += "}";
  std::optional<std::string> attached =
      browser->Call("Target.attachToTarget", params, false, error, timeout_ms);
  if (!attached) return nullptr;
  parsed = json::Parse(*attached);
  const cJSON* session = parsed.ok() ? cJSON_GetObjectItem(parsed->get(), "sessionId") : nullptr;
  if (!cJSON_IsString(session)) {
    *error = "no sessionId in " + *attached;
    return nullptr;
  }
  browser->session_id_ = session->valuestring;
  return browser;
}

HeadlessBrowser::~HeadlessBrowser() {
  if (pid_ > 0 && !gone_) {
    // Asked to close, the browser tidies up after itself; killed, it may not.
    std::string ignored;
    Call("Browser.close", "{}", false, &ignored, 5000);
  }
  if (to_browser_ >= 0) close(to_browser_);
  if (from_browser_ >= 0) close(from_browser_);
  if (pid_ <= 0) return;
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (waitpid(pid_, nullptr, WNOHANG) == 0 && Clock::now() < deadline) {
    // waitpid has no timeout; poll the child's state at a short interval.
    poll(nullptr, 0, 10);
  }
  // Whatever is left of its group (helper processes, or all of it).
  kill(-pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::optional<std::string> HeadlessBrowser::Evaluate(const std::string& expression,
                                                     std::string* error, int timeout_ms) {
  std::string params = R"({"awaitPromise":true,"returnByValue":true,"expression":)";
  json::AppendString(&params, expression);
  params += "}";
  std::optional<std::string> result = Call("Runtime.evaluate", params, true, error, timeout_ms);
  if (!result) return std::nullopt;
  Result<json::JsonPtr> parsed = json::Parse(*result);
  if (!parsed.ok()) {
    *error = "unreadable result: " + *result;
    return std::nullopt;
  }
  if (cJSON_GetObjectItem(parsed->get(), "exceptionDetails") != nullptr) {
    *error = "the script threw: " + *result;
    return std::nullopt;
  }
  const cJSON* value = cJSON_GetObjectItem(cJSON_GetObjectItem(parsed->get(), "result"), "value");
  if (!cJSON_IsString(value)) {
    *error = "the script's value is not a string: " + *result;
    return std::nullopt;
  }
  return std::string(value->valuestring);
}

std::optional<std::string> HeadlessBrowser::Call(const std::string& method,
                                                 const std::string& params, bool to_page,
                                                 std::string* error, int timeout_ms) {
  const int id = next_id_++;
  std::string command = "{\"id\":" + std::to_string(id) + ",\"method\":";
  json::AppendString(&command, method);
  if (to_page) {
    command += ",\"sessionId\":";
    json::AppendString(&command, session_id_);
  }
  command += ",\"params\":" + params + "}";
  command.push_back('\0');
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  if (gone_ || !SendAll(to_browser_, command, deadline)) {
    gone_ = true;
    *error = method + ": the browser is gone";
    return std::nullopt;
  }
  for (;;) {
    // Events come between replies; only the reply to `id` ends the wait.
    for (size_t end; (end = pending_.find('\0')) != std::string::npos;) {
      const std::string message = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      Result<json::JsonPtr> parsed = json::Parse(message);
      if (!parsed.ok()) continue;
      const cJSON* reply_id = cJSON_GetObjectItem(parsed->get(), "id");
      if (!cJSON_IsNumber(reply_id) || reply_id->valueint != id) continue;
      const cJSON* result = cJSON_GetObjectItem(parsed->get(), "result");
      if (result == nullptr) {
        *error = method + " failed: " + message;
        return std::nullopt;
      }
      return json::Write(result);
    }
    // Checked here too: a stream of events keeps poll from timing out.
    pollfd fd{from_browser_, POLLIN, 0};
    const int ready = Clock::now() >= deadline ? 0 : poll(&fd, 1, RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      *error = method + ": no reply within " + std::to_string(timeout_ms) + " ms";
      return std::nullopt;
    }
    char buffer[65536];
    const ssize_t n = read(from_browser_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      gone_ = true;
      *error = method + ": the browser closed its pipe";
      return std::nullopt;
    }
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace wsmock::testing
