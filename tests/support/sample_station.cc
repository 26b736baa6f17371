#include "support/sample_station.h"

namespace wsmock::testing {

model::Station SampleStation(Micros last_update) {
  model::Station s;
  s.id = "station_001";
  s.name = "ЭЗС РосЭнерго №1";
  s.city = "Москва";
  s.address = "Москва, ул. Тверская, 7";
  s.lat_e6 = 55760100;
  s.lng_e6 = 37610500;
  s.owner = "РосЭнерго";
  s.app = "ChargeApp";
  s.status = "active";
  s.current_power_d = 185;
  s.max_power_d = 220;
  s.total_energy_d = 31204;
  s.total_sessions = 214;
  s.error_count = 2;
  s.last_update = last_update;
  return s;
}

}  // namespace wsmock::testing
