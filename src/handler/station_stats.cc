#include "handler/station_stats.h"

#include <array>
#include <map>

#include "util/clock.h"
#include "util/json.h"

namespace wsmock::handler {
namespace {

// FNV-1a over the id and the day's eight bytes (written byte by byte so the
// result is the same on every endianness), then a SplitMix64 finaliser
// because FNV's low bits alone are poorly mixed for short inputs.
uint64_t DayHash(std::string_view station_id, int64_t day) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](uint8_t byte) {
    h ^= byte;
    h *= 1099511628211ull;
  };
  for (char c : station_id) mix(static_cast<uint8_t>(c));
  uint64_t d = static_cast<uint64_t>(day);
  for (int i = 0; i < 8; ++i) mix(static_cast<uint8_t>(d >> (8 * i)));
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
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
  size_t Slot(std::string_view name) {
    auto [it, inserted] = index_.emplace(std::string(name), groups_.size());
    if (inserted) groups_.push_back(NamedFigures{std::string(name), Figures{}});
    return it->second;
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
  uint64_t h = DayHash(station_id, day);
  DayFigures f;
  f.day = day;
  f.sessions = static_cast<int64_t>(h % 7);
  f.energy_d = f.sessions * static_cast<int64_t>(80 + (h >> 8) % 321);
  // About one station-day in sixteen with any use sees an error.
  f.errors = (f.sessions > 0 && (h >> 32) % 16 == 0) ? 1 : 0;
  return f;
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
  for (int64_t day = last_day - days + 1; day <= last_day; ++day) {
    DayFigures sum;
    sum.day = day;
    for (const model::Station* s : stations) {
      DayFigures one = SyntheticDay(s->id, day);
      sum.sessions += one.sessions;
      sum.energy_d += one.energy_d;
      sum.errors += one.errors;
    }
    stats.daily.push_back(sum);
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
