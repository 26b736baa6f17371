// One charging station, as the seed's frontend sees it. Numbers are kept as
// fixed-point integers so that every machine prints the same bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.h"

namespace wsmock::model {

struct Station {
  std::string id;       // "station_001", zero-padded to the width of the count
  std::string name;
  std::string city;
  std::string address;
  int64_t lat_e6 = 0;   // latitude in millionths of a degree
  int64_t lng_e6 = 0;   // longitude in millionths of a degree
  std::string owner;
  std::string app;
  std::string status;   // one of kStatuses
  int64_t current_power_d = 0;  // kW, tenths; 0 unless status is "active"
  int64_t max_power_d = 0;      // kW, tenths
  int64_t total_energy_d = 0;   // kWh, tenths
  int64_t total_sessions = 0;
  int64_t error_count = 0;
  Micros last_update = 0;

  bool operator==(const Station&) const = default;
};

// The station fields in the order every reply writes them.
enum class Field : uint8_t {
  kId, kName, kCity, kAddress, kCoordinates, kOwner, kApp, kStatus, kCurrentPower,
  kMaxPower, kTotalEnergy, kTotalSessions, kErrorCount, kLastUpdate,
};
inline constexpr int kFieldCount = 14;
inline constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "id", "name", "city", "address", "coordinates", "owner", "app", "status",
    "currentPower", "maxPower", "totalEnergy", "totalSessions", "errorCount", "lastUpdate"};

// A set of fields as a bit mask; bit i is Field(i).
using FieldMask = uint16_t;
inline constexpr FieldMask kAllFields = (1u << kFieldCount) - 1;
inline constexpr FieldMask Bit(Field f) { return static_cast<FieldMask>(1u << static_cast<int>(f)); }
std::optional<Field> FieldByName(std::string_view name);

// The seed's vocabularies, in the seed's order.
inline constexpr std::array<std::string_view, 6> kCities = {
    "Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Нижний Новгород"};
inline constexpr std::array<std::string_view, 6> kOwners = {
    "РосЭнерго", "ЭлектроСеть", "GreenCharge", "PowerNet", "EcoStation", "ChargeMaster"};
inline constexpr std::array<std::string_view, 5> kApps = {
    "ChargeApp", "EcoDriver", "PowerGO", "ElectricWay", "GreenRoute"};
inline constexpr std::array<std::string_view, 5> kStatuses = {
    "active", "inactive", "maintenance", "error", "offline"};

// City centres in millionths of a degree, index-aligned with kCities.
struct CityCentre {
  int64_t lat_e6;
  int64_t lng_e6;
};
inline constexpr std::array<CityCentre, 6> kCityCentres = {{
    {55755800, 37617300}, {59934300, 30335100}, {55008400, 82935700},
    {56838900, 60605700}, {55796300, 49108800}, {56296500, 43936100}}};

}  // namespace wsmock::model
