#include "model/station_json.h"

#include <bit>
#include <charconv>
#include <cstring>

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

namespace {

// Room for everything in a station but its strings: keys, punctuation, six
// numbers of at most 21 characters each, and the time.
constexpr size_t kFixedPartMax = 512;
// Stations whose strings fit in this many bytes (all of the generator's, and
// any sensible fixture's) are written in place on the stack.
constexpr size_t kInPlaceMax = 2048;

// The `"key":` in front of each member, index-aligned with kFieldNames.
constexpr std::array<std::string_view, kFieldCount> kKeys = {
    "\"id\":",          "\"name\":",        "\"city\":",          "\"address\":",
    "\"coordinates\":", "\"owner\":",       "\"app\":",           "\"status\":",
    "\"currentPower\":", "\"maxPower\":",   "\"totalEnergy\":",   "\"totalSessions\":",
    "\"errorCount\":",  "\"lastUpdate\":"};

// True when `s` holds nothing JSON must escape (json::AppendString's rule:
// control characters, '"' and '\\').
bool IsPlain(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\') return false;
  }
  return true;
}

char* Put(char* o, std::string_view s) {
  std::memcpy(o, s.data(), s.size());
  return o + s.size();
}

char* PutString(char* o, std::string_view s) {
  *o++ = '"';
  o = Put(o, s);
  *o++ = '"';
  return o;
}

char* PutInt(char* o, int64_t v) { return std::to_chars(o, o + 24, v).ptr; }

// As json::AppendFixed.
char* PutFixed(char* o, int64_t scaled, int decimals) {
  uint64_t magnitude = scaled < 0 ? 0 - static_cast<uint64_t>(scaled) : static_cast<uint64_t>(scaled);
  if (scaled < 0) *o++ = '-';
  uint64_t divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  o = std::to_chars(o, o + 24, magnitude / divisor).ptr;
  if (decimals == 0) return o;
  *o++ = '.';
  uint64_t frac = magnitude % divisor;
  for (int i = decimals - 1; i >= 0; --i) {
    o[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  return o + decimals;
}

char* PutValue(char* o, const Station& s, Field field) {
  switch (field) {
    case Field::kId: return PutString(o, s.id);
    case Field::kName: return PutString(o, s.name);
    case Field::kCity: return PutString(o, s.city);
    case Field::kAddress: return PutString(o, s.address);
    case Field::kCoordinates:
      o = Put(o, "{\"lat\":");
      o = PutFixed(o, s.lat_e6, 6);
      o = Put(o, ",\"lng\":");
      o = PutFixed(o, s.lng_e6, 6);
      *o++ = '}';
      return o;
    case Field::kOwner: return PutString(o, s.owner);
    case Field::kApp: return PutString(o, s.app);
    case Field::kStatus: return PutString(o, s.status);
    case Field::kCurrentPower: return PutFixed(o, s.current_power_d, 1);
    case Field::kMaxPower: return PutFixed(o, s.max_power_d, 1);
    case Field::kTotalEnergy: return PutFixed(o, s.total_energy_d, 1);
    case Field::kTotalSessions: return PutInt(o, s.total_sessions);
    case Field::kErrorCount: return PutInt(o, s.error_count);
    case Field::kLastUpdate:
      *o++ = '"';
      o = WriteIso8601(o, s.last_update);
      *o++ = '"';
      return o;
  }
  return o;
}

// Whether the station can be written by PutValue: strings short enough for
// the stack buffer and none that needs escaping.
bool FitsInPlace(const Station& s) {
  const std::string_view strings[] = {s.id, s.name, s.city, s.address, s.owner, s.app, s.status};
  size_t total = 0;
  for (std::string_view v : strings) {
    total += v.size();
    if (total > kInPlaceMax - kFixedPartMax || !IsPlain(v)) return false;
  }
  return true;
}

}  // namespace

StationJson::StationJson(const Station& station) {
  // With 100000 stations this is most of start-up, so the common case is
  // written with plain stores into a stack buffer and copied once at its
  // exact size (a snapshot keeps 100000 of these; slack would add up).
  // Anything unusual takes the general path below, which gives the same
  // bytes (a unit test holds the two together).
  if (FitsInPlace(station)) {
    char buf[kInPlaceMax];
    char* o = buf;
    *o++ = '{';
    for (int i = 0; i < kFieldCount; ++i) {
      if (i > 0) *o++ = ',';
      begin_[i] = static_cast<uint32_t>(o - buf);
      o = Put(o, kKeys[i]);
      o = PutValue(o, station, static_cast<Field>(i));
      end_[i] = static_cast<uint32_t>(o - buf);
    }
    *o++ = '}';
    text_.assign(buf, static_cast<size_t>(o - buf));
    return;
  }
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
  // Members of neighbouring fields sit in text_ with one comma between them,
  // as the reply has them: each run of selected fields is one copy.
  unsigned rest = mask & kAllFields;
  bool first = true;
  while (rest != 0) {
    const int begin = std::countr_zero(rest);
    const int end = begin + std::countr_one(rest >> begin);  // one past the run
    if (!first) out->push_back(',');
    first = false;
    out->append(text_.data() + begin_[begin], end_[end - 1] - begin_[begin]);
    rest &= ~0u << end;
  }
  out->push_back('}');
}

}  // namespace wsmock::model
