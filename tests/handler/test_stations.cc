#include "handler/test_stations.h"

#include <cstdio>
#include <vector>

namespace wsmock::testing {
namespace {

size_t CityIndex(const std::string& city) {
  for (size_t i = 0; i < model::kCities.size(); ++i) {
    if (model::kCities[i] == city) return i;
  }
  return 0;
}

}  // namespace

model::Station MakeStation(const StationSpec& spec) {
  char id[32];
  std::snprintf(id, sizeof id, "station_%03d", spec.number);
  model::Station s;
  s.id = id;
  s.name = "Станция " + std::to_string(spec.number);
  s.city = spec.city;
  s.address = "ул. Ленина, " + std::to_string(spec.number);
  s.lat_e6 = model::kCityCentres[CityIndex(spec.city)].lat_e6;
  s.lng_e6 = model::kCityCentres[CityIndex(spec.city)].lng_e6;
  s.owner = spec.owner;
  s.app = "ChargeApp";
  s.status = spec.status;
  s.current_power_d = spec.status == "active" ? 225 : 0;
  s.max_power_d = 500;
  s.total_energy_d = spec.energy_d;
  s.total_sessions = spec.sessions;
  s.error_count = spec.errors;
  s.last_update = kSeedNow;
  return s;
}

model::Snapshot SixStations() {
  std::vector<model::Station> v = {
      MakeStation({1, "Москва", "РосЭнерго", "active", 12345, 100, 2}),
      MakeStation({2, "Москва", "GreenCharge", "inactive", 5000, 40, 0}),
      MakeStation({3, "Санкт-Петербург", "РосЭнерго", "error", 101, 3, 7}),
      MakeStation({4, "Казань", "PowerNet", "active", 9999, 80, 1}),
      MakeStation({5, "Москва", "PowerNet", "offline", 0, 0, 0}),
      MakeStation({6, "Новосибирск", "ChargeMaster", "maintenance", 2505, 25, 3}),
  };
  return model::Snapshot(std::move(v), 0, kSeedNow);
}

model::Snapshot ManyStations(int count) {
  std::vector<model::Station> v;
  for (int i = 1; i <= count; ++i) {
    size_t k = static_cast<size_t>(i);
    v.push_back(MakeStation({i, std::string(model::kCities[k % model::kCities.size()]),
                             std::string(model::kOwners[k % model::kOwners.size()]),
                             std::string(model::kStatuses[k % model::kStatuses.size()]),
                             static_cast<int64_t>(i) * 10, i, i % 3}));
  }
  return model::Snapshot(std::move(v), 0, kSeedNow);
}

}  // namespace wsmock::testing
