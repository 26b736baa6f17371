#include "util/log.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "util/printable_text.h"
#include "util/short_copy.h"

namespace wsmock {
namespace {

// Past this many buffered bytes the writer thread is woken early. Large
// writes are what keep logging cheap: with every request logged at 180,000
// a second, the writer's kernel time per request was 0.25 us at 64 KiB and
// 0.14 us at 512 KiB (2 MiB: 0.10, at four times the memory).
constexpr size_t kWakeThreshold = 512 * 1024;
// Past this many, lines are dropped (and counted) instead of buffered.
constexpr size_t kMaxBuffered = 8 * 1024 * 1024;
// A buffer larger than this is freed once written rather than kept.
constexpr size_t kKeepCapacity = 4 * kWakeThreshold;

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARNING";
    case LogLevel::kError: return "ERROR";
    case LogLevel::kOff: break;
  }
  return "OFF";
}

// Starts `fn` on a thread with every signal blocked, so that a process-wide
// SIGINT or SIGTERM is never delivered to it (they belong to the thread the
// serving commands wait for signals on).
template <class Fn>
std::thread StartWithSignalsBlocked(Fn fn) {
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  std::thread thread(std::move(fn));
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return thread;
}

// Escapes the control bytes (\n, \r, \t, \xNN) of `line`, the text from
// `start` on, so that text a client sent (an action, a station id) can
// neither end a line nor forge the next one. One scan of the whole line:
// nearly always it finds nothing.
void EscapeControlBytes(std::string* line, size_t start) {
  const size_t first = FirstControlByte(std::string_view(*line).substr(start));
  if (first == std::string_view::npos) return;
  const std::string tail = line->substr(start + first);
  line->resize(start + first);
  constexpr char kHex[] = "0123456789abcdef";
  const std::string_view rest(tail);
  size_t clean = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    const auto c = static_cast<unsigned char>(rest[i]);
    if (c >= 0x20) continue;
    line->append(rest.substr(clean, i - clean));
    clean = i + 1;
    if (c == '\n') {
      line->append("\\n");
    } else if (c == '\r') {
      line->append("\\r");
    } else if (c == '\t') {
      line->append("\\t");
    } else {
      const char escaped[] = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
      line->append(escaped, sizeof(escaped));
    }
  }
  line->append(rest.substr(clean));
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

Logger::Logger(const Clock* clock, LogLevel level, std::FILE* out, Micros flush_every)
    : clock_(clock), level_(level), out_(out) {
  if (flush_every > 0 && level != LogLevel::kOff) {
    writer_ = StartWithSignalsBlocked([this, flush_every] { WriterLoop(flush_every); });
  }
}

Logger::~Logger() {
  if (writer_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
  }
  WriteOut();
}

void Logger::Log(LogLevel level, Line parts) {
  if (Enabled(level)) Append(level, {parts});
}

void Logger::Lines(LogLevel level, std::initializer_list<Line> lines) {
  if (Enabled(level)) Append(level, lines);
}

void Logger::Banner(std::string_view message) {
  if (level_ != LogLevel::kOff) Append(LogLevel::kInfo, {{message}});
}

void Logger::Append(LogLevel level, std::initializer_list<Line> lines) {
  const Micros now = clock_->Now();
  const int64_t second = now >= 0 ? now / kMicrosPerSecond : (now + 1) / kMicrosPerSecond - 1;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (buffer_.size() >= kMaxBuffered && level < LogLevel::kWarn) {
      ++dropped_;
      return;
    }
    // Lines come many per second under load; their prefix, the stamp and
    // the level, changes about once a second.
    if (second != prefix_second_ || level != prefix_level_) {
      prefix_ = FormatLogTime(now);
      prefix_.append(" - ").append(LevelName(level)).append(" - ");
      prefix_second_ = second;
      prefix_level_ = level;
    }
    if (!AppendPlain(lines)) AppendEscaped(lines);
    wake = buffer_.size() >= kWakeThreshold;
  }
  if (level >= LogLevel::kWarn || (wake && !writer_.joinable())) {
    WriteOut();
  } else if (wake) {
    wake_.notify_one();
  }
}

bool Logger::AppendPlain(std::initializer_list<Line> lines) {
  size_t bytes = lines.size() * (prefix_.size() + 1);
  for (Line parts : lines) {
    for (std::string_view part : parts) bytes += part.size();
  }
  // One resize and plain copies: appending part by part checked and
  // terminated the string at every part, half of a request's logging.
  const size_t start = buffer_.size();
  buffer_.resize(start + bytes);
  char* out = buffer_.data() + start;
  for (Line parts : lines) {
    out = CopyShort(out, prefix_);
    const char* text = out;
    for (std::string_view part : parts) out = CopyShort(out, part);
    if (FirstControlByte(std::string_view(text, out - text)) != std::string_view::npos) {
      buffer_.resize(start);
      return false;
    }
    *out++ = '\n';
  }
  return true;
}

void Logger::AppendEscaped(std::initializer_list<Line> lines) {
  for (Line parts : lines) {
    buffer_.append(prefix_);
    const size_t text = buffer_.size();
    for (std::string_view part : parts) buffer_.append(part);
    EscapeControlBytes(&buffer_, text);
    buffer_.push_back('\n');
  }
}

void Logger::Flush() { WriteOut(); }

void Logger::WriteOut() {
  std::lock_guard<std::mutex> writing(write_mu_);
  uint64_t dropped = 0;
  {
    // The two buffers trade places, so the one lines go into next already
    // has its room: under load a fresh buffer regrew to kWakeThreshold (and past
    // malloc's mmap threshold) several times a second on the loop thread.
    std::lock_guard<std::mutex> lock(mu_);
    writing_.swap(buffer_);
    std::swap(dropped, dropped_);
  }
  if (dropped > 0) {
    std::string note = std::to_string(dropped) + " log lines dropped: the output is too slow\n";
    std::fwrite(note.data(), 1, note.size(), out_);
  }
  if (writing_.empty() && dropped == 0) return;
  std::fwrite(writing_.data(), 1, writing_.size(), out_);
  std::fflush(out_);
  writing_.clear();
  // After a burst (up to kMaxBuffered) keep only the usual room.
  if (writing_.capacity() > kKeepCapacity) std::string().swap(writing_);
}

void Logger::WriterLoop(Micros flush_every) {
  const auto interval = std::chrono::microseconds(flush_every);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, interval, [this] { return stopping_ || buffer_.size() >= kWakeThreshold; });
    lock.unlock();
    WriteOut();
    lock.lock();
  }
}

}  // namespace wsmock
