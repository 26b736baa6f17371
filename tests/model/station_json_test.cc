#include "model/station_json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "generator/station_generator.h"

namespace wsmock::model {
namespace {

constexpr Micros kStart = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

// The object as AppendFieldValue writes it, member by member: the general
// path every reply's bytes are defined by.
std::string Reference(const Station& s) {
  std::string out = "{";
  for (int i = 0; i < kFieldCount; ++i) {
    if (i > 0) out.push_back(',');
    out.append("\"").append(kFieldNames[i]).append("\":");
    AppendFieldValue(&out, s, static_cast<Field>(i));
  }
  out.push_back('}');
  return out;
}

// Every single-field object too, which checks each member's byte range.
void ExpectSameAsReference(const Station& s) {
  const StationJson json(s);
  ASSERT_EQ(json.full(), Reference(s));
  for (int i = 0; i < kFieldCount; ++i) {
    std::string one;
    json.AppendObject(&one, Bit(static_cast<Field>(i)));
    std::string expected = "{\"" + std::string(kFieldNames[i]) + "\":";
    AppendFieldValue(&expected, s, static_cast<Field>(i));
    EXPECT_EQ(one, expected + "}") << kFieldNames[i];
  }
}

Station Sample() {
  return generator::GenerateStations(42, 1, kStart)[0];
}

// The object with the fields of `mask`, member by member.
std::string Reference(const Station& s, FieldMask mask) {
  std::string out = "{";
  for (int i = 0; i < kFieldCount; ++i) {
    if ((mask & Bit(static_cast<Field>(i))) == 0) continue;
    if (out.size() > 1) out.push_back(',');
    out.append("\"").append(kFieldNames[i]).append("\":");
    AppendFieldValue(&out, s, static_cast<Field>(i));
  }
  out.push_back('}');
  return out;
}

// AppendObject copies runs of neighbouring fields at once; every mask checks
// where runs begin and end.
TEST(StationJsonTest, EveryFieldSelectionMatchesTheFieldByFieldBytes) {
  Station escaped = Sample();
  escaped.name = "say \"hi\"";
  for (const Station& s : {Sample(), escaped}) {
    const StationJson json(s);
    for (unsigned mask = 0; mask <= kAllFields; ++mask) {
      std::string out = "[";
      json.AppendObject(&out, static_cast<FieldMask>(mask));
      ASSERT_EQ(out, "[" + Reference(s, static_cast<FieldMask>(mask))) << "mask " << mask;
    }
  }
}

TEST(StationJsonTest, GeneratedStationsMatchTheFieldByFieldBytes) {
  for (const Station& s : generator::GenerateStations(7, 3000, kStart)) {
    ExpectSameAsReference(s);
    if (HasFatalFailure()) return;
  }
}

TEST(StationJsonTest, StringsThatNeedEscapingMatchTheFieldByFieldBytes) {
  Station s = Sample();
  s.name = "say \"hi\"\\ \n\t\x01 end";
  s.address = std::string("nul\0inside", 10);
  ExpectSameAsReference(s);
  EXPECT_NE(StationJson(s).full().find(R"(say \"hi\"\\ \n\t\u0001 end)"), std::string::npos);
}

TEST(StationJsonTest, LongStringsMatchTheFieldByFieldBytes) {
  Station s = Sample();
  s.address = std::string(5000, 'a');
  s.owner = std::string(1800, 'b');
  ExpectSameAsReference(s);
  s.address = "";
  s.name = "";
  ExpectSameAsReference(s);
}

TEST(StationJsonTest, ExtremeNumbersAndTimesMatchTheFieldByFieldBytes) {
  Station s = Sample();
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{-5}, int64_t{9}, int64_t{-999999},
                    std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    s.lat_e6 = v;
    s.lng_e6 = static_cast<int64_t>(0 - static_cast<uint64_t>(v));  // -v, wrapping at min
    s.current_power_d = v;
    s.max_power_d = v;
    s.total_energy_d = v;
    s.total_sessions = v;
    s.error_count = v;
    ExpectSameAsReference(s);
  }
  for (Micros t : {Micros{0}, Micros{-1}, kStart + 999, Micros{-62167219200000001},
                   Micros{253402300800000000}, std::numeric_limits<Micros>::min() / 2}) {
    s.last_update = t;
    ExpectSameAsReference(s);
  }
}

}  // namespace
}  // namespace wsmock::model
