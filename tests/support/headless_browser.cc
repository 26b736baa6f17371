#include "support/headless_browser.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

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

// Starts `args` with the pipe ends as its fds 3 and 4 and TMPDIR=`tmp`, so
// that what the browser leaves in its temporary directory goes with it.
pid_t Spawn(const std::vector<std::string>& args, int command_fd, int reply_fd,
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
    // Moved above 4 first, so that neither dup2 below closes the other's source.
    const int command = fcntl(command_fd, F_DUPFD, 10);
    const int reply = fcntl(reply_fd, F_DUPFD, 10);
    if (command < 0 || reply < 0 || dup2(command, kCommandFd) < 0 || dup2(reply, kReplyFd) < 0) {
      _exit(126);
    }
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);  // Chromium's D-Bus and GPU complaints
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

bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<std::string> HeadlessBrowser::Find() {
  const char* env = std::getenv("WSMOCK_CHROMIUM");
  const std::string path = env != nullptr && *env != '\0' ? env : "/usr/bin/chromium";
  if (access(path.c_str(), X_OK) != 0) return std::nullopt;
  return path;
}

std::unique_ptr<HeadlessBrowser> HeadlessBrowser::Launch(const std::string& binary,
                                                         std::string* error, int timeout_ms) {
  std::unique_ptr<HeadlessBrowser> browser(new HeadlessBrowser());
  int commands[2], replies[2];
  if (pipe2(commands, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return nullptr;
  }
  if (pipe2(replies, O_CLOEXEC) != 0) {
    close(commands[0]);
    close(commands[1]);
    *error = "pipe failed";
    return nullptr;
  }
  browser->pid_ =
      Spawn({binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--ignore-certificate-errors", "--remote-debugging-pipe",
             "--user-data-dir=" + browser->profile_.File("profile"), "about:blank"},
            commands[0], replies[1], browser->profile_.path());
  close(commands[0]);
  close(replies[1]);
  browser->to_browser_ = commands[1];
  browser->from_browser_ = replies[0];
  if (browser->pid_ < 0) {
    *error = "fork failed";
    return nullptr;
  }
  std::optional<std::string> target =
      browser->Call("Target.createTarget", R"({"url":"about:blank"})", false, error, timeout_ms);
  if (!target) return nullptr;
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
  if (pid_ > 0 && to_browser_ >= 0) {
    // Asked to close, the browser tidies up after itself; killed, it may not.
    std::string ignored;
    Call("Browser.close", "{}", false, &ignored, 5000);
  }
  if (to_browser_ >= 0) close(to_browser_);
  if (from_browser_ >= 0) close(from_browser_);
  if (pid_ <= 0) return;
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (waitpid(pid_, nullptr, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      return;
    }
    // waitpid has no timeout; poll the child's state at a short interval.
    poll(nullptr, 0, 10);
  }
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
  if (!WriteAll(to_browser_, command)) {
    *error = method + ": the browser is gone";
    return std::nullopt;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
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
    pollfd fd{from_browser_, POLLIN, 0};
    const int ready = poll(&fd, 1, RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      *error = method + ": no reply within " + std::to_string(timeout_ms) + " ms";
      return std::nullopt;
    }
    char buffer[65536];
    const ssize_t n = read(from_browser_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = method + ": the browser closed its pipe";
      return std::nullopt;
    }
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace wsmock::testing
