// Time as microseconds since the Unix epoch (UTC), a Clock interface that is
// injected everywhere time is read, and exact UTC formatting/parsing that
// depends on neither the time zone nor the C library's locale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock {

using Micros = int64_t;
inline constexpr Micros kMicrosPerSecond = 1'000'000;

// Any thread may call Now() on the clocks here.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Micros Now() const override;
};

// A clock that moves only when told: `--clock` and tests.
// Not thread-safe for Set/Advance; the owner's thread moves it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start) : now_(start) {}
  Micros Now() const override { return now_; }
  void Set(Micros t) { now_ = t; }
  void Advance(Micros delta) { now_ += delta; }

 private:
  Micros now_;
};

// "2024-01-20T10:30:00.000Z" (milliseconds, as JavaScript's toISOString).
// `span` played at `speed` (2: twice as fast): span / speed, rounded; nullopt
// ("never") past a century, so a tiny --speed or a huge recorded offset
// cannot overflow. REQUIRES: speed > 0.
std::optional<Micros> AtSpeed(Micros span, double speed);

std::string FormatIso8601(Micros t);
// The same bytes written at `out`, which must have room for kIso8601Max;
// returns one past the last. For callers that build text in place.
inline constexpr size_t kIso8601Max = 48;
char* WriteIso8601(char* out, Micros t);
// "2024-01-20 10:30:00" (the seed's log format).
std::string FormatLogTime(Micros t);
// "2024-01-20".
std::string FormatDate(Micros t);
// Days since 1970-01-01 for `t` (floor), and back.
int64_t DaysSinceEpoch(Micros t);
std::string FormatDay(int64_t days_since_epoch);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (also "+00:00" for Z).
Result<Micros> ParseIso8601(std::string_view text);

}  // namespace wsmock
