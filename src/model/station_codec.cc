#include "model/station_codec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>
#include <string_view>

#include "util/json.h"
#include "util/printable_text.h"

namespace wsmock::model {
namespace {

Status FieldError(std::string_view path, std::string_view problem) {
  return Status::InvalidArgument("field '" + std::string(path) + "' " + std::string(problem));
}

const cJSON* Member(const cJSON* object, std::string_view key) {
  return cJSON_GetObjectItemCaseSensitive(object, std::string(key).c_str());
}

std::string_view Name(Field field) { return kFieldNames[static_cast<int>(field)]; }

constexpr std::array<std::string_view, 2> kCoordinateNames = {"lat", "lng"};
// Member names come from the file: one line, and short.
constexpr size_t kMaxNameInMessage = 64;

std::string Join(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// Every member of `object` must be one of `names`, given once. cJSON keeps
// every member, but a lookup finds the first, so a second "status" or a
// misspelt "curentPower" would otherwise be dropped without a word.
// `prefix` is "" or "coordinates.".
Status CheckMembers(const cJSON* object, std::span<const std::string_view> names,
                    std::string_view prefix) {
  uint32_t seen = 0;  // bit i: names[i] was given
  for (const cJSON* member = object->child; member != nullptr; member = member->next) {
    const std::string_view key = member->string != nullptr ? member->string : "";
    const auto known = std::find(names.begin(), names.end(), key);
    const std::string path = std::string(prefix) + EscapedCut(key, kMaxNameInMessage);
    if (known == names.end()) {
      return Status::InvalidArgument("unknown field '" + path + "' (the fields are " + Join(names) +
                                     ")");
    }
    const uint32_t bit = 1u << (known - names.begin());
    if ((seen & bit) != 0) return FieldError(path, "is given twice");
    seen |= bit;
  }
  return Status::Ok();
}

Status ReadString(const cJSON* object, Field field, std::string* out) {
  const cJSON* node = Member(object, Name(field));
  if (node == nullptr) return FieldError(Name(field), "is missing");
  if (!cJSON_IsString(node) || node->valuestring == nullptr) {
    return FieldError(Name(field), std::string("must be a string, not ") + json::TypeName(node));
  }
  *out = node->valuestring;
  // The message schema says every string a station holds is non-empty, and
  // a blank name or city would render as nothing in the app under test.
  if (out->empty()) return FieldError(Name(field), "must be a non-empty string");
  return Status::Ok();
}

// What a numeric field accepts; `expectation` is the wording of its error.
struct NumberRule {
  double min;
  double max;
  int decimals;       // fixed-point digits of the Station member
  bool whole;         // counts must be integers, not merely rounded to them
  int64_t min_fixed;  // checked after rounding, e.g. maxPower 0.01 -> 0
  const char* expectation;
};
constexpr NumberRule kLatitude = {-90, 90, 6, false, -90'000'000, "a number between -90 and 90"};
constexpr NumberRule kLongitude = {-180,  180,          6,
                                   false, -180'000'000, "a number between -180 and 180"};
constexpr NumberRule kAmount = {
    0, kMaxStationNumber, 1, false, 0, "a number between 0 and 1000000000000"};
constexpr NumberRule kMaxPower = {
    0, kMaxStationNumber, 1, false, 1, "a number between 0.1 and 1000000000000"};
constexpr NumberRule kCount = {
    0, kMaxStationNumber, 0, true, 0, "a whole number between 0 and 1000000000000"};

Status ReadNumber(const cJSON* object, std::string_view key, std::string_view path,
                  const NumberRule& rule, int64_t* out) {
  const cJSON* node = Member(object, key);
  if (node == nullptr) return FieldError(path, "is missing");
  const std::string expected = std::string("must be ") + rule.expectation;
  if (!cJSON_IsNumber(node)) return FieldError(path, expected + ", not " + json::TypeName(node));
  const double value = node->valuedouble;
  // Written as !(in range) so that NaN is refused too.
  if (!(value >= rule.min && value <= rule.max) || (rule.whole && std::floor(value) != value)) {
    return FieldError(path, expected);
  }
  *out = json::ToFixed(value, rule.decimals);
  if (*out < rule.min_fixed) return FieldError(path, expected);
  return Status::Ok();
}

Status ReadNumber(const cJSON* object, Field field, const NumberRule& rule, int64_t* out) {
  return ReadNumber(object, Name(field), Name(field), rule, out);
}

Status ReadCoordinates(const cJSON* object, StationRules rules, Station* s) {
  const cJSON* node = Member(object, Name(Field::kCoordinates));
  if (node == nullptr) return FieldError("coordinates", "is missing");
  if (!cJSON_IsObject(node)) {
    return FieldError("coordinates", std::string("must be an object with lat and lng, not ") +
                                         json::TypeName(node));
  }
  if (rules == StationRules::kFixture) {
    WSMOCK_RETURN_IF_ERROR(CheckMembers(node, kCoordinateNames, "coordinates."));
  }
  WSMOCK_RETURN_IF_ERROR(ReadNumber(node, "lat", "coordinates.lat", kLatitude, &s->lat_e6));
  return ReadNumber(node, "lng", "coordinates.lng", kLongitude, &s->lng_e6);
}

Status CheckStatus(const std::string& status) {
  for (std::string_view known : kStatuses) {
    if (status == known) return Status::Ok();
  }
  return FieldError("status", "must be one of " + Join(kStatuses));
}

// The model's invariants between fields, checked once every field is read.
Status CheckPower(const Station& s) {
  if (s.current_power_d > s.max_power_d) {
    std::string detail = "must not exceed maxPower (";
    json::AppendFixed(&detail, s.current_power_d, 1);
    detail += " > ";
    json::AppendFixed(&detail, s.max_power_d, 1);
    return FieldError("currentPower", detail + ")");
  }
  if (s.current_power_d != 0 && s.status != "active") {
    return FieldError("currentPower", "must be 0 unless status is active");
  }
  return Status::Ok();
}

Status ReadLastUpdate(const cJSON* object, StationRules rules, Station* s) {
  std::string text;
  WSMOCK_RETURN_IF_ERROR(ReadString(object, Field::kLastUpdate, &text));
  Result<Micros> time = ParseIso8601(text);
  if (!time.ok())
    return FieldError("lastUpdate", "must be a UTC time like 2024-01-20T10:30:00.000Z");
  s->last_update = TruncateToMillis(*time);
  // A fixture's lastUpdate is served as the file spells it, so it must be
  // spelt the one way wsmock writes times: the same instant written
  // "...00Z" would otherwise be served as "...00.000Z".
  if (rules == StationRules::kFixture) {
    const std::string served = FormatIso8601(s->last_update);
    if (served != text) {
      return FieldError("lastUpdate", "must be written " + served +
                                          ", UTC with milliseconds as wsmock serves it, not '" +
                                          EscapedCut(text, kMaxNameInMessage) + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Station> StationFromJson(const cJSON* node, StationRules rules) {
  if (!cJSON_IsObject(node)) {
    return Status::InvalidArgument(std::string("expected a station object, not ") +
                                   json::TypeName(node));
  }
  // Before the fields: a misspelt field is better named as such than as
  // the missing field it was meant to be.
  if (rules == StationRules::kFixture) WSMOCK_RETURN_IF_ERROR(CheckMembers(node, kFieldNames, ""));
  Station s;
  WSMOCK_RETURN_IF_ERROR(ReadString(node, Field::kId, &s.id));
  WSMOCK_RETURN_IF_ERROR(ReadString(node, Field::kName, &s.name));
  WSMOCK_RETURN_IF_ERROR(ReadString(node, Field::kCity, &s.city));
  WSMOCK_RETURN_IF_ERROR(ReadString(node, Field::kAddress, &s.address));
  WSMOCK_RETURN_IF_ERROR(ReadCoordinates(node, rules, &s));
  WSMOCK_RETURN_IF_ERROR(ReadString(node, Field::kOwner, &s.owner));
  WSMOCK_RETURN_IF_ERROR(ReadString(node, Field::kApp, &s.app));
  WSMOCK_RETURN_IF_ERROR(ReadString(node, Field::kStatus, &s.status));
  WSMOCK_RETURN_IF_ERROR(CheckStatus(s.status));
  WSMOCK_RETURN_IF_ERROR(ReadNumber(node, Field::kCurrentPower, kAmount, &s.current_power_d));
  WSMOCK_RETURN_IF_ERROR(ReadNumber(node, Field::kMaxPower, kMaxPower, &s.max_power_d));
  WSMOCK_RETURN_IF_ERROR(ReadNumber(node, Field::kTotalEnergy, kAmount, &s.total_energy_d));
  WSMOCK_RETURN_IF_ERROR(ReadNumber(node, Field::kTotalSessions, kCount, &s.total_sessions));
  WSMOCK_RETURN_IF_ERROR(ReadNumber(node, Field::kErrorCount, kCount, &s.error_count));
  WSMOCK_RETURN_IF_ERROR(ReadLastUpdate(node, rules, &s));
  WSMOCK_RETURN_IF_ERROR(CheckPower(s));
  return s;
}

}  // namespace wsmock::model
