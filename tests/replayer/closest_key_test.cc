#include "replayer/closest_key.h"

#include <gtest/gtest.h>

#include <string>

namespace wsmock::replayer {
namespace {

std::string K(std::string_view action, std::string_view data) {
  return std::string(action) + "\x1f" + std::string(data);
}

TEST(ReplayIndexClosestTest, EditDistanceOfKnownPairs) {
  const size_t kNoLimit = 1000;
  EXPECT_EQ(BoundedEditDistance("kitten", "sitting", kNoLimit), 3u);
  EXPECT_EQ(BoundedEditDistance("", "abc", kNoLimit), 3u);
  EXPECT_EQ(BoundedEditDistance("abc", "abc", kNoLimit), 0u);
  EXPECT_EQ(BoundedEditDistance("{\"a\":1}", "{\"a\":12}", kNoLimit), 1u);
}

TEST(ReplayIndexClosestTest, BoundedDistanceStopsAtTheLimit) {
  EXPECT_GE(BoundedEditDistance("aaaaaaaa", "bbbbbbbb", 3), 3u);
  EXPECT_GE(BoundedEditDistance("a", "abcdef", 2), 2u);
  EXPECT_EQ(BoundedEditDistance("kitten", "sitting", 4), 3u);  // under the limit: exact
}

TEST(ReplayIndexClosestTest, OnlyTheFirst512BytesAreCompared) {
  std::string a(kCompareLimit, 'x');
  EXPECT_EQ(BoundedEditDistance(a + "tail one", a + "other tail!", 1000), 0u);
}

TEST(ReplayIndexClosestTest, SameActionIsPreferredOverCloserData) {
  std::vector<std::string> recorded = {K("getStationById", R"({"fields":["id"]})"),
                                       K("getStations", R"({"pagination":{"page":3}})")};
  EXPECT_EQ(ClosestKey(K("getStations", R"({"fields":["id"]})"), recorded), recorded[1]);
}

TEST(ReplayIndexClosestTest, SmallestDistanceWinsWithinTheAction) {
  std::vector<std::string> recorded = {K("a", R"({"x":100000})"), K("a", R"({"x":2})"),
                                       K("a", "{}")};
  EXPECT_EQ(ClosestKey(K("a", R"({"x":1})"), recorded), recorded[1]);
}

TEST(ReplayIndexClosestTest, AnyActionIsUsedWhenNoneMatches) {
  std::vector<std::string> recorded = {K("b", R"({"x":1,"y":2})"), K("c", R"({"x":1})")};
  EXPECT_EQ(ClosestKey(K("a", R"({"x":1})"), recorded), recorded[1]);
}

TEST(ReplayIndexClosestTest, TiesGoToTheSmallerKeyWhateverTheOrder) {
  std::vector<std::string> forward = {K("a", R"({"x":2})"), K("a", R"({"x":3})")};
  std::vector<std::string> backward = {forward[1], forward[0]};
  EXPECT_EQ(ClosestKey(K("a", R"({"x":1})"), forward), forward[0]);
  EXPECT_EQ(ClosestKey(K("a", R"({"x":1})"), backward), forward[0]);
}

TEST(ReplayIndexClosestTest, NothingRecordedHasNoClosest) {
  EXPECT_EQ(ClosestKey(K("a", "{}"), {}), std::nullopt);
}

}  // namespace
}  // namespace wsmock::replayer
