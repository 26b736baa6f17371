#include "model/station_json.h"

#include "util/json.h"

namespace wsmock::model {

std::optional<Field> FieldByName(std::string_view name) {
  for (int i = 0; i < kFieldCount; ++i) {
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

void AppendFieldValue(std::string* out, const Station& s, Field field) {
  switch (field) {
    case Field::kId: json::AppendString(out, s.id); break;
    case Field::kName: json::AppendString(out, s.name); break;
    case Field::kCity: json::AppendString(out, s.city); break;
    case Field::kAddress: json::AppendString(out, s.address); break;
    case Field::kCoordinates:
      out->append("{\"lat\":");
      json::AppendFixed(out, s.lat_e6, 6);
      out->append(",\"lng\":");
      json::AppendFixed(out, s.lng_e6, 6);
      out->push_back('}');
      break;
    case Field::kOwner: json::AppendString(out, s.owner); break;
    case Field::kApp: json::AppendString(out, s.app); break;
    case Field::kStatus: json::AppendString(out, s.status); break;
    case Field::kCurrentPower: json::AppendFixed(out, s.current_power_d, 1); break;
    case Field::kMaxPower: json::AppendFixed(out, s.max_power_d, 1); break;
    case Field::kTotalEnergy: json::AppendFixed(out, s.total_energy_d, 1); break;
    case Field::kTotalSessions: out->append(std::to_string(s.total_sessions)); break;
    case Field::kErrorCount: out->append(std::to_string(s.error_count)); break;
    case Field::kLastUpdate: json::AppendString(out, FormatIso8601(s.last_update)); break;
  }
}

StationJson::StationJson(const Station& station) {
  // Built in a roomy scratch buffer and then copied once at its exact size:
  // a snapshot of 100000 stations keeps 100000 of these, so neither the
  // regrowth nor the slack of building in place is worth keeping.
  std::string scratch;
  scratch.reserve(1024);
  scratch.push_back('{');
  for (int i = 0; i < kFieldCount; ++i) {
    if (i > 0) scratch.push_back(',');
    begin_[i] = static_cast<uint32_t>(scratch.size());
    scratch.push_back('"');
    scratch.append(kFieldNames[i]);
    scratch.append("\":");
    AppendFieldValue(&scratch, station, static_cast<Field>(i));
    end_[i] = static_cast<uint32_t>(scratch.size());
  }
  scratch.push_back('}');
  text_.assign(scratch);
}

void StationJson::AppendObject(std::string* out, FieldMask mask) const {
  if (mask == kAllFields) {
    out->append(text_);
    return;
  }
  out->push_back('{');
  bool first = true;
  for (int i = 0; i < kFieldCount; ++i) {
    if ((mask & (1u << i)) == 0) continue;
    if (!first) out->push_back(',');
    first = false;
    out->append(text_, begin_[i], end_[i] - begin_[i]);
  }
  out->push_back('}');
}

}  // namespace wsmock::model
