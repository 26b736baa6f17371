#include "handler/station_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "handler/test_stations.h"
#include "util/json.h"

namespace wsmock::handler {
namespace {

StationFilter FilterOf(const std::string& data_json) {
  auto data = json::Parse(data_json);
  EXPECT_TRUE(data.ok()) << data_json;
  auto filter = StationFilter::FromData(data->get());
  EXPECT_TRUE(filter.ok()) << filter.status().message();
  return filter.ok() ? *filter : StationFilter();
}

bool AnyOf(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

TEST(StationFilterTest, TheSnapshotsKeysSelectWhatTheStringsSelect) {
  const model::Snapshot snapshot = testing::ManyStations(300);
  struct Case {
    std::string data;
    std::vector<std::string> cities, owners, statuses;
  };
  const Case cases[] = {
      {R"({"filters":{"city":"Москва"}})", {"Москва"}, {}, {}},
      {R"({"filters":{"city":"Москва","status":"active"}})", {"Москва"}, {}, {"active"}},
      {R"({"filters":{"owner":["PowerNet","РосЭнерго"],"status":["error","offline"]}})",
       {},
       {"PowerNet", "РосЭнерго"},
       {"error", "offline"}},
      {R"({"filters":{"city":"Atlantis"}})", {"Atlantis"}, {}, {}},
      {R"({"filters":{"city":["Москва"],"owner":"РосЭнерго","status":"active"}})",
       {"Москва"},
       {"РосЭнерго"},
       {"active"}},
      {R"({"filters":{"owner":"РосЭнерго","status":["error","offline"]}})",
       {},
       {"РосЭнерго"},
       {"error", "offline"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.data);
    const StationFilter filter = FilterOf(c.data);
    int matched = 0;
    for (size_t i = 0; i < snapshot.size(); ++i) {
      const model::Station& s = snapshot.station(i);
      const bool expected =
          AnyOf(c.cities, s.city) && AnyOf(c.owners, s.owner) && AnyOf(c.statuses, s.status);
      // No two of these few values share a hash, so the keys alone decide.
      ASSERT_EQ(filter.MayMatch(snapshot.filter_key(i)), expected) << s.id;
      ASSERT_EQ(filter.Matches(snapshot.filter_key(i), s), expected) << s.id;
      ASSERT_EQ(filter.Matches(s), expected) << s.id;
      matched += expected;
    }
    if (c.cities != std::vector<std::string>{"Atlantis"}) {
      EXPECT_GT(matched, 0);
    }
  }
}

TEST(StationFilterTest, AnEmptyListSelectsNothingWhateverTheOtherKeysSay) {
  const model::Snapshot snapshot = testing::ManyStations(50);
  for (const char* data :
       {R"({"filters":{"city":[]}})", R"({"filters":{"city":"Москва","status":[]}})"}) {
    SCOPED_TRACE(data);
    const StationFilter filter = FilterOf(data);
    for (size_t i = 0; i < snapshot.size(); ++i) {
      EXPECT_FALSE(filter.Matches(snapshot.filter_key(i), snapshot.station(i)));
    }
  }
}

TEST(StationFilterTest, AHashThatAgreesWithOtherBytesIsNoMatch) {
  // A key as a hash collision would make it: the hash of the city asked for,
  // on a station in another city. The strings decide.
  model::Station station = testing::MakeStation({1, "Казань", "PowerNet", "active", 0, 0, 0});
  model::FilterKey key = model::FilterKey::Of(station);
  key.city = model::FilterHash("Москва");
  const StationFilter filter = FilterOf(R"({"filters":{"city":"Москва"}})");
  EXPECT_FALSE(filter.Matches(key, station));
  station.city = "Москва";
  EXPECT_TRUE(filter.Matches(key, station));
}

}  // namespace
}  // namespace wsmock::handler
