#include "handler/station_stats.h"

#include <array>
#include <map>

#include "util/clock.h"
#include "util/json.h"

namespace wsmock::handler {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

constexpr uint64_t Power(uint64_t base, int exponent) {
  uint64_t result = 1;
  for (int i = 0; i < exponent; ++i) result *= base;
  return result;
}
constexpr uint64_t kFnvPrimeTo6 = Power(kFnvPrime, 6);  // modulo 2^64

uint64_t FnvMix(uint64_t h, uint8_t byte) { return (h ^ byte) * kFnvPrime; }

// The FNV-1a state after the id's bytes: the prefix of DayHash, shared by
// every day of one station.
uint64_t IdState(std::string_view station_id) {
  uint64_t h = kFnvOffset;
  for (char c : station_id) h = FnvMix(h, static_cast<uint8_t>(c));
  return h;
}

// SplitMix64's finaliser, because FNV's low bits alone are poorly mixed for
// short inputs.
uint64_t Finalise(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

// FNV-1a over the id and the day's eight bytes, low byte first (written byte
// by byte so the result is the same on every endianness), then Finalise.
// `id_state` is IdState(id). The reference definition of the series.
uint64_t DayHash(uint64_t id_state, int64_t day) {
  uint64_t h = id_state;
  uint64_t d = static_cast<uint64_t>(day);
  for (int i = 0; i < 8; ++i) h = FnvMix(h, static_cast<uint8_t>(d >> (8 * i)));
  return Finalise(h);
}

// Days 0..65535 (1970-01-01 to 2149-06-06) have six zero upper bytes.
bool IsShortDay(int64_t day) { return day >= 0 && day < 65536; }

// DayHash for an IsShortDay day in three FNV multiplies instead of eight:
// mixing a zero byte is a bare multiply by the prime (x ^ 0 == x), and six
// such multiplies are exactly one multiply by prime^6, modulo 2^64.
uint64_t ShortDayHash(uint64_t id_state, int64_t day) {
  uint64_t d = static_cast<uint64_t>(day);
  uint64_t h = FnvMix(FnvMix(id_state, static_cast<uint8_t>(d)), static_cast<uint8_t>(d >> 8));
  return Finalise(h * kFnvPrimeTo6);
}

DayFigures FiguresOf(uint64_t day_hash, int64_t day) {
  DayFigures f;
  f.day = day;
  f.sessions = static_cast<int64_t>(day_hash % 7);
  f.energy_d = f.sessions * static_cast<int64_t>(80 + (day_hash >> 8) % 321);
  // About one station-day in sixteen with any use sees an error. `&`, not
  // `&&`: no sessions is a 1-in-7 coin toss, a costly branch in ComputeStats.
  f.errors =
      static_cast<int64_t>(f.sessions > 0) & static_cast<int64_t>((day_hash >> 32) % 16 == 0);
  return f;
}

void AddStation(Figures* sum, const model::Station& s) {
  sum->stations += 1;
  sum->sessions += s.total_sessions;
  sum->energy_d += s.total_energy_d;
  sum->errors += s.error_count;
}

// Groups keep a fixed order: the seed vocabulary first, then strangers in
// the order met. The map is only an index into `groups`, never iterated.
class Grouper {
 public:
  template <size_t N>
  Grouper(const std::array<std::string_view, N>& vocabulary, bool keep_empty)
      : keep_empty_(keep_empty) {
    for (std::string_view name : vocabulary) Slot(name);
  }

  void Add(std::string_view name, const model::Station& s) {
    AddStation(&groups_[Slot(name)].figures, s);
  }

  std::vector<NamedFigures> Take() && {
    std::vector<NamedFigures> out;
    for (NamedFigures& g : groups_) {
      if (keep_empty_ || g.figures.stations > 0) out.push_back(std::move(g));
    }
    return out;
  }

 private:
  // Finds before inserting: emplace would build a std::string (a heap block
  // for most Cyrillic names) for every station.
  size_t Slot(std::string_view name) {
    auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    index_.emplace(std::string(name), groups_.size());
    groups_.push_back(NamedFigures{std::string(name), Figures{}});
    return groups_.size() - 1;
  }

  bool keep_empty_;
  std::vector<NamedFigures> groups_;
  std::map<std::string, size_t, std::less<>> index_;
};

void AppendFigures(std::string* out, const Figures& f) {
  out->append("{\"stations\":");
  out->append(std::to_string(f.stations));
  out->append(",\"sessions\":");
  out->append(std::to_string(f.sessions));
  out->append(",\"energy\":");
  json::AppendFixed(out, f.energy_d, 1);
  out->append(",\"errors\":");
  out->append(std::to_string(f.errors));
  out->push_back('}');
}

void AppendGroups(std::string* out, const std::vector<NamedFigures>& groups, bool count_only) {
  out->push_back('{');
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) out->push_back(',');
    json::AppendString(out, groups[i].name);
    out->push_back(':');
    if (count_only) {
      out->append(std::to_string(groups[i].figures.stations));
    } else {
      AppendFigures(out, groups[i].figures);
    }
  }
  out->push_back('}');
}

void AppendDay(std::string* out, const DayFigures& d) {
  out->append("{\"date\":\"");
  out->append(FormatDay(d.day));
  out->append("\",\"sessions\":");
  out->append(std::to_string(d.sessions));
  out->append(",\"energy\":");
  json::AppendFixed(out, d.energy_d, 1);
  out->append(",\"errors\":");
  out->append(std::to_string(d.errors));
  out->push_back('}');
}

}  // namespace

DayFigures SyntheticDay(std::string_view station_id, int64_t day) {
  return FiguresOf(DayHash(IdState(station_id), day), day);
}

StationStats ComputeStats(const std::vector<const model::Station*>& stations, int64_t last_day,
                          int days) {
  StationStats stats;
  Grouper by_status(model::kStatuses, true);
  Grouper by_city(model::kCities, false);
  Grouper by_owner(model::kOwners, false);
  for (const model::Station* s : stations) {
    AddStation(&stats.totals, *s);
    by_status.Add(s->status, *s);
    by_city.Add(s->city, *s);
    by_owner.Add(s->owner, *s);
  }
  stats.by_status = std::move(by_status).Take();
  stats.by_city = std::move(by_city).Take();
  stats.by_owner = std::move(by_owner).Take();
  const int64_t first_day = last_day - days + 1;
  stats.daily.resize(static_cast<size_t>(days));
  for (int i = 0; i < days; ++i) stats.daily[static_cast<size_t>(i)].day = first_day + i;
  // The same sums as adding up SyntheticDay calls, made cheaper: station
  // outer and day inner, so each id is hashed once, not once per day; and
  // the short-day hash whenever the whole range allows it.
  const bool short_days = IsShortDay(first_day) && IsShortDay(last_day);
  for (const model::Station* s : stations) {
    uint64_t id_state = IdState(s->id);
    for (DayFigures& sum : stats.daily) {
      uint64_t h = short_days ? ShortDayHash(id_state, sum.day) : DayHash(id_state, sum.day);
      DayFigures one = FiguresOf(h, sum.day);
      sum.sessions += one.sessions;
      sum.energy_d += one.energy_d;
      sum.errors += one.errors;
    }
  }
  return stats;
}

void AppendStatsJson(std::string* out, const StationStats& stats) {
  out->append("{\"totals\":");
  AppendFigures(out, stats.totals);
  out->append(",\"byStatus\":");
  AppendGroups(out, stats.by_status, true);
  out->append(",\"byCity\":");
  AppendGroups(out, stats.by_city, false);
  out->append(",\"byOwner\":");
  AppendGroups(out, stats.by_owner, false);
  out->append(",\"daily\":[");
  for (size_t i = 0; i < stats.daily.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendDay(out, stats.daily[i]);
  }
  out->append("]}");
}

}  // namespace wsmock::handler
