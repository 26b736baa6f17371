// The log: lines in the seed's format on stderr,
//   2024-01-20 10:30:00 - INFO - Server started at ws://0.0.0.0:10009/ws
// buffered so that logging every request stays cheap under load: a line is
// one locked append to memory, and a writer thread puts the buffer out
// every `flush_every` (and sooner when it grows), so a slow stderr never
// stalls the caller. WARN and above, and Flush(), write at once. If the
// output falls more than 8 MB behind, lines are dropped and counted rather
// than held. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "util/clock.h"
#include "util/status.h"

namespace wsmock {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

// "debug", "info", "warn"/"warning", "error", "off".
Result<LogLevel> ParseLogLevel(std::string_view name);

class Logger {
 public:
  // `clock` stamps the lines and must outlive the logger; `out` is not owned.
  // flush_every = 0: no writer thread; lines wait for Flush() or a warning.
  Logger(const Clock* clock, LogLevel level, std::FILE* out = stderr,
         Micros flush_every = 200'000);
  ~Logger();  // writes what is left
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // The parts of one line, joined without building a string first.
  using Line = std::initializer_list<std::string_view>;

  bool Enabled(LogLevel level) const { return level >= level_; }
  void Log(LogLevel level, std::string_view message) { Log(level, {message}); }
  void Log(LogLevel level, Line parts);
  // Several lines with one time stamp, in one append: a request's three
  // lines cost one lock and one reading of the clock rather than three.
  void Lines(LogLevel level, std::initializer_list<Line> lines);
  void Debug(std::string_view m) { Log(LogLevel::kDebug, {m}); }
  void Info(std::string_view m) { Log(LogLevel::kInfo, {m}); }
  void Info(Line parts) { Log(LogLevel::kInfo, parts); }
  void Warn(std::string_view m) { Log(LogLevel::kWarn, {m}); }
  void Error(std::string_view m) { Log(LogLevel::kError, {m}); }
  // An INFO line written at every level but off: the start line, from which
  // scripts read the port a --port 0 server got.
  void Banner(std::string_view message);
  void Flush();

 private:
  void Append(LogLevel level, std::initializer_list<Line> lines);
  // Each line after prefix_ and ending in '\n', into buffer_ (mu_ held):
  // Plain copies them and is false, having written nothing, when one holds
  // a control byte; Escaped escapes those.
  bool AppendPlain(std::initializer_list<Line> lines);
  void AppendEscaped(std::initializer_list<Line> lines);
  void WriteOut();  // takes the buffer and writes it, in line order
  void WriterLoop(Micros flush_every);

  const Clock* clock_;
  const LogLevel level_;
  std::FILE* out_;
  std::mutex write_mu_;  // held while writing; taken before mu_, never after
  std::mutex mu_;
  std::condition_variable wake_;
  std::string buffer_;             // guarded by mu_
  std::string writing_;            // guarded by write_mu_: the lines being written; kept
                                   // between writes so neither buffer regrows every time
  // "2024-01-20 10:30:00 - INFO - " for prefix_second_ and prefix_level_.
  std::string prefix_;                 // guarded by mu_
  int64_t prefix_second_ = INT64_MIN;  // guarded by mu_
  LogLevel prefix_level_ = LogLevel::kOff;  // guarded by mu_
  uint64_t dropped_ = 0;           // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
  std::thread writer_;             // last: started when the rest is ready
};

}  // namespace wsmock
