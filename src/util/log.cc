#include "util/log.h"

namespace wsmock {
namespace {

// Past this many buffered bytes a line is written out at once, so memory
// stays bounded between the loop's periodic flushes.
constexpr size_t kFlushThreshold = 64 * 1024;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARNING";
    case LogLevel::kError: return "ERROR";
    case LogLevel::kOff: break;
  }
  return "OFF";
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn" || name == "warning") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  if (name == "off") return LogLevel::kOff;
  return Status::InvalidArgument("unknown log level '" + std::string(name) +
                                 "'; expected debug, info, warn, error or off");
}

Logger::Logger(const Clock* clock, LogLevel level, std::FILE* out)
    : clock_(clock), level_(level), out_(out) {}

Logger::~Logger() { Flush(); }

void Logger::Log(LogLevel level, std::string_view message) {
  if (!Enabled(level)) return;
  std::string stamp = FormatLogTime(clock_->Now());
  std::lock_guard<std::mutex> lock(mu_);
  buffer_.append(stamp).append(" - ").append(LevelName(level)).append(" - ");
  buffer_.append(message).push_back('\n');
  if (level >= LogLevel::kWarn || buffer_.size() >= kFlushThreshold) FlushLocked();
}

void Logger::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  FlushLocked();
}

void Logger::FlushLocked() {
  if (buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
  std::fflush(out_);
  buffer_.clear();
}

}  // namespace wsmock
