// The log: lines in the seed's format on stderr,
//   2024-01-20 10:30:00 - INFO - Server started at ws://0.0.0.0:10009/ws
// buffered so that logging every request stays cheap under load. Lines at
// WARN and above, and Flush(), write the buffer out. Thread-safe.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "util/clock.h"
#include "util/status.h"

namespace wsmock {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

// "debug", "info", "warn"/"warning", "error", "off".
Result<LogLevel> ParseLogLevel(std::string_view name);

class Logger {
 public:
  // `clock` stamps the lines and must outlive the logger; `out` is not owned.
  Logger(const Clock* clock, LogLevel level, std::FILE* out = stderr);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  bool Enabled(LogLevel level) const { return level >= level_; }
  void Log(LogLevel level, std::string_view message);
  void Debug(std::string_view m) { Log(LogLevel::kDebug, m); }
  void Info(std::string_view m) { Log(LogLevel::kInfo, m); }
  void Warn(std::string_view m) { Log(LogLevel::kWarn, m); }
  void Error(std::string_view m) { Log(LogLevel::kError, m); }
  void Flush();

 private:
  void FlushLocked();

  const Clock* clock_;
  const LogLevel level_;
  std::FILE* out_;
  std::mutex mu_;
  std::string buffer_;  // guarded by mu_
};

}  // namespace wsmock
