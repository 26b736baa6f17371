#include "util/clock.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace wsmock {
namespace {

constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month, day;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Parts {
  Civil date;
  int hour, minute, second, micros;
};

Parts Split(Micros t) {
  int64_t days = FloorDiv(t, kMicrosPerDay);
  int64_t rest = t - days * kMicrosPerDay;
  Parts p;
  p.date = CivilFromDays(days);
  p.hour = static_cast<int>(rest / (3600 * kMicrosPerSecond));
  p.minute = static_cast<int>(rest / (60 * kMicrosPerSecond) % 60);
  p.second = static_cast<int>(rest / kMicrosPerSecond % 60);
  p.micros = static_cast<int>(rest % kMicrosPerSecond);
  return p;
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Micros SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// Writes `value` as exactly `width` digits at `out`. REQUIRES: it fits.
char* PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

// By hand rather than snprintf: every station's lastUpdate goes through here
// when a snapshot is built, which is most of start-up with 100000 stations.
char* WriteIso8601(char* out, Micros t) {
  Parts p = Split(t);
  if (p.date.year < 0 || p.date.year > 9999) {
    const int n = std::snprintf(out, kIso8601Max, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                                static_cast<long long>(p.date.year), p.date.month, p.date.day,
                                p.hour, p.minute, p.second, p.micros / 1000);
    return out + std::clamp(n, 0, static_cast<int>(kIso8601Max) - 1);
  }
  char* o = PutDigits(out, p.date.year, 4);  // YYYY-MM-DDTHH:MM:SS.mmmZ
  *o++ = '-';
  o = PutDigits(o, p.date.month, 2);
  *o++ = '-';
  o = PutDigits(o, p.date.day, 2);
  *o++ = 'T';
  o = PutDigits(o, p.hour, 2);
  *o++ = ':';
  o = PutDigits(o, p.minute, 2);
  *o++ = ':';
  o = PutDigits(o, p.second, 2);
  *o++ = '.';
  o = PutDigits(o, p.micros / 1000, 3);
  *o++ = 'Z';
  return o;
}

std::optional<Micros> AtSpeed(Micros span, double speed) {
  constexpr double kCentury = 100 * 365.25 * 86400 * 1e6;
  const double scaled = static_cast<double>(span) / speed;
  if (!(std::fabs(scaled) < kCentury)) return std::nullopt;  // NaN included
  return static_cast<Micros>(std::llround(scaled));
}

std::string FormatIso8601(Micros t) {
  char buf[kIso8601Max];
  return std::string(buf, WriteIso8601(buf, t));
}

std::string FormatLogTime(Micros t) {
  Parts p = Split(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02d:%02d:%02d",
                static_cast<long long>(p.date.year), p.date.month, p.date.day, p.hour, p.minute,
                p.second);
  return buf;
}

int64_t DaysSinceEpoch(Micros t) { return FloorDiv(t, kMicrosPerDay); }

std::string FormatDay(int64_t days_since_epoch) {
  Civil c = CivilFromDays(days_since_epoch);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

std::string FormatDate(Micros t) { return FormatDay(DaysSinceEpoch(t)); }

Result<Micros> ParseIso8601(std::string_view s) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(s) +
                                   "' is not a UTC time like 2024-01-20T10:30:00Z");
  };
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != ' ') ||
      !Digits(s, 11, 2, &hour) || s[13] != ':' || !Digits(s, 14, 2, &minute) || s[16] != ':' ||
      !Digits(s, 17, 2, &second)) {
    return bad();
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  std::string_view zone = s.substr(pos);
  if (zone != "Z" && zone != "+00:00") return bad();
  static const unsigned kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > kDaysIn[month - 1] ||
      hour > 23 || minute > 59 || second > 59) {
    return bad();
  }
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return bad();
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * kMicrosPerDay + ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + micros;
}

}  // namespace wsmock
