#include "generator/station_generator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <numeric>
#include <string>
#include <string_view>

#include "generator/rng.h"
#include "generator/station_rules.h"
#include "model/station_codec.h"

namespace wsmock::generator {
namespace {

using model::Station;

constexpr std::array<std::string_view, 12> kStreets = {
    "Ленина",  "Тверская",    "Гагарина",   "Мира",   "Советская", "Садовая",
    "Пушкина", "Октябрьская", "Набережная", "Лесная", "Заводская", "Молодёжная"};
constexpr std::array<int64_t, 6> kMaxPowersD = {74, 110, 220, 500, 1000, 1500};
// Percent per status, index-aligned with model::kStatuses: a live network is
// mostly charging or idle, with a few stations down.
constexpr std::array<uint64_t, 5> kStatusPercent = {45, 35, 8, 7, 5};
static_assert(kStatusPercent.size() == model::kStatuses.size());
static_assert(std::accumulate(kStatusPercent.begin(), kStatusPercent.end(), uint64_t{0}) == 100);

// Keeps the per-station streams apart from the per-tick streams (1, 2, ...)
// the ticker derives from the same seed.
constexpr uint64_t kStationStreams = 0x73746174696f6e73;  // "stations"

constexpr int64_t kRadiusDm = 50'000;           // 5 km, in decimetres
constexpr int64_t kDmPerDegreeLat = 1'111'950;  // 111.195 km on a 6371 km sphere
constexpr int64_t kE9 = 1'000'000'000;
constexpr int kMaxDiscTries = 16;

int IdWidth(int count) {
  int width = 1;
  for (int rest = count; rest >= 10; rest /= 10) ++width;
  return std::max(width, 3);
}

std::string StationId(int number, int width) {
  char digits[16];
  const size_t count = static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, number).ptr - digits);
  std::string id = "station_";
  id.append(static_cast<size_t>(width) - std::min(count, static_cast<size_t>(width)), '0');
  id.append(digits, count);
  return id;
}

// Appends the decimal digits of `n`.
void AppendInt(std::string* out, int64_t n) {
  char digits[24];
  out->append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

template <size_t N>
std::string Pick(Rng& rng, const std::array<std::string_view, N>& words) {
  return std::string(words[rng.Below(N)]);
}

std::string PickStatus(Rng& rng) {
  uint64_t roll = rng.Below(100);
  for (size_t i = 0; i < kStatusPercent.size(); ++i) {
    if (roll < kStatusPercent[i]) return std::string(model::kStatuses[i]);
    roll -= kStatusPercent[i];
  }
  return std::string(model::kStatuses[0]);
}

// cos(latitude) scaled by 1e9, by a Taylor series in integers: libm's cos may
// differ in the last bit between machines, integer arithmetic does not.
int64_t CosE9(int64_t lat_e6) {
  const int64_t x = lat_e6 * 3'141'592'654 / 180'000'000;  // radians * 1e9
  const int64_t x2 = x * x / kE9;
  int64_t term = kE9;
  for (int64_t k : {90, 56, 30, 12, 2}) term = kE9 - x2 * term / (k * kE9);
  return term;
}

struct OffsetDm {
  int64_t north;
  int64_t east;
};

// A uniform point in the disc by rejection from the square; after a bounded
// number of misses (rare) the last point is halved, which lands inside.
OffsetDm OffsetInDisc(Rng& rng) {
  OffsetDm p{0, 0};
  for (int i = 0; i < kMaxDiscTries; ++i) {
    p = {rng.Between(-kRadiusDm, kRadiusDm), rng.Between(-kRadiusDm, kRadiusDm)};
    if (p.north * p.north + p.east * p.east <= kRadiusDm * kRadiusDm) return p;
  }
  return {p.north / 2, p.east / 2};
}

void PlaceNearCentre(Rng& rng, size_t city, Station* s) {
  const model::CityCentre centre = model::kCityCentres[city];
  const OffsetDm offset = OffsetInDisc(rng);
  s->lat_e6 = centre.lat_e6 + offset.north * 1'000'000 / kDmPerDegreeLat;
  // A degree of longitude shrinks with cos(latitude).
  const int64_t east_e6_at_equator = offset.east * 1'000'000 / kDmPerDegreeLat;
  s->lng_e6 = centre.lng_e6 + east_e6_at_equator * kE9 / CosE9(centre.lat_e6);
}

void SetPowerAndCounters(Rng& rng, Station* s) {
  s->max_power_d = kMaxPowersD[rng.Below(kMaxPowersD.size())];
  s->current_power_d =
      s->status == "active" ? rng.Between(MinActivePowerD(s->max_power_d), s->max_power_d) : 0;
  s->total_sessions = rng.Between(0, 5000);
  s->total_energy_d = s->total_sessions * rng.Between(kMinSessionEnergyD, kMaxSessionEnergyD);
  s->error_count = s->status == "error" ? rng.Between(5, 20) : rng.Between(0, 8);
}

// Each station draws from its own stream, so station i is the same whatever
// the count. The order of draws is part of the output: do not reorder.
Station MakeStation(uint64_t seed, int index, int width, Micros now) {
  Rng rng(MixSeed(MixSeed(seed, kStationStreams), static_cast<uint64_t>(index)));
  Station s;
  s.id = StationId(index + 1, width);
  const size_t city = rng.Below(model::kCities.size());
  s.city = std::string(model::kCities[city]);
  s.owner = Pick(rng, model::kOwners);
  s.app = Pick(rng, model::kApps);
  // Built in place: 100,000 stations' worth of temporaries showed up at start-up.
  s.name.reserve(s.owner.size() + 24);
  s.name.append("ЭЗС ").append(s.owner).append(" №");
  AppendInt(&s.name, index + 1);
  // The house number is drawn before the street: the order the first
  // generator's expression happened to evaluate them in, which every seed's
  // output has kept since.
  const int64_t house = rng.Between(1, 150);
  const std::string_view street = kStreets[rng.Below(kStreets.size())];
  s.address.reserve(s.city.size() + street.size() + 16);
  s.address.append(s.city).append(", ул. ").append(street).append(", ");
  AppendInt(&s.address, house);
  PlaceNearCentre(rng, city, &s);
  s.status = PickStatus(rng);
  SetPowerAndCounters(rng, &s);
  s.last_update = model::TruncateToMillis(now) - rng.Between(0, 3'600'000) * 1000;
  return s;
}

}  // namespace

std::vector<Station> GenerateStations(uint64_t seed, int count, Micros now) {
  count = std::clamp(count, 0, kMaxGeneratedStations);
  const int width = IdWidth(count);
  std::vector<Station> stations;
  stations.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) stations.push_back(MakeStation(seed, i, width, now));
  return stations;
}

}  // namespace wsmock::generator
