// A real Chromium, headless, for end-to-end tests of what a frontend sees:
// driven over the DevTools protocol on a pipe (--remote-debugging-pipe), so
// no npm package and no debugging port are needed. Evaluate() runs
// JavaScript in a blank page and waits, with a deadline, for its promise.
// Certificate errors are ignored, so wss with --self-signed works.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "support/temp_dir.h"

namespace wsmock::testing {

class HeadlessBrowser {
 public:
  // $WSMOCK_CHROMIUM when set (Launch says if it is no browser), else
  // /usr/bin/chromium when installed; else nullopt, and the browser tests
  // skip, saying why.
  static std::optional<std::string> Find();
  // Starts `binary` with a fresh profile and opens a blank page. Returns
  // nullptr and sets *error when the browser does not answer in time.
  static std::unique_ptr<HeadlessBrowser> Launch(const std::string& binary, std::string* error,
                                                 int timeout_ms = 30000);
  ~HeadlessBrowser();  // SIGKILL and reap
  HeadlessBrowser(const HeadlessBrowser&) = delete;
  HeadlessBrowser& operator=(const HeadlessBrowser&) = delete;

  // Evaluates `expression` in the page; a promise is awaited. The value must
  // be a string (JSON.stringify what you need). Returns nullopt and sets
  // *error on an exception, a non-string value or the deadline.
  std::optional<std::string> Evaluate(const std::string& expression, std::string* error,
                                      int timeout_ms = 20000);

 private:
  HeadlessBrowser() = default;
  // Sends one command (`params` is a JSON object's text) to the page's
  // session, or to the browser when `to_page` is false, and returns the
  // "result" object's text of its reply.
  std::optional<std::string> Call(const std::string& method, const std::string& params,
                                  bool to_page, std::string* error, int timeout_ms);

  TempDir profile_;  // the browser's profile, TMPDIR and stderr log
  std::string log_path_;
  pid_t pid_ = -1;         // also its process group
  int to_browser_ = -1;    // a socket: the browser reads commands from its fd 3
  int from_browser_ = -1;  // and writes replies and events to its fd 4
  bool gone_ = false;      // a send failed or the replies ended
  std::string pending_;    // bytes read past the last whole message
  int next_id_ = 1;
  std::string session_id_;  // of the page
};

}  // namespace wsmock::testing
