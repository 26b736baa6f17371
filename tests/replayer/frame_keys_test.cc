#include "replayer/frame_keys.h"

#include <gtest/gtest.h>

#include <string>

namespace wsmock::replayer {
namespace {

KeyMaker Keys() { return std::move(KeyMaker::Create({})).value(); }

std::string ById(const std::string& station, const std::string& id_json) {
  return R"({"type":"request","action":"getStationById","data":{"stationId":")" + station +
         R"("},"requestId":)" + id_json + "}";
}

TEST(FrameKeysTest, AFrameIsUnknownUntilOneOfItsShapeWasKeyed) {
  KeyMaker keys = Keys();
  FrameKeys frames(keys);
  std::string_view id;
  EXPECT_EQ(frames.Known(ById("s1", R"("a")"), &id), nullptr);
  const std::string* key = frames.KeyOf(ById("s1", R"("a")"));
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(*key, *keys.KeyOfFrame(ById("s1", R"("a")")));
  EXPECT_EQ(frames.Known(ById("s2", R"("a")"), &id), nullptr);  // other data: another shape
}

TEST(FrameKeysTest, AFrameThatDiffersOnlyInAPlainIdTakesTheKeyAndGivesItsIdText) {
  KeyMaker keys = Keys();
  FrameKeys frames(keys);
  const std::string* key = frames.KeyOf(ById("s1", R"("req_1")"));
  for (const std::string id_json : {R"("req_2")", R"("x y/z")", "7", "123456789012345"}) {
    const std::string frame = ById("s1", id_json);
    std::string_view id;
    EXPECT_EQ(frames.Known(frame, &id), key) << frame;
    EXPECT_EQ(id, id_json);
    EXPECT_EQ(*keys.KeyOfFrame(frame), *key) << frame;
  }
}

TEST(FrameKeysTest, IdsThatDecodeToOtherTextAreNeverKnown) {
  KeyMaker keys = Keys();
  FrameKeys frames(keys);
  frames.KeyOf(ById("s1", R"("req_1")"));
  for (const std::string id_json : {R"("a\"b")", R"("\u0041")", "07", "1.5", "-1", "1e3",
                                    "1234567890123456", "null", "[1]"}) {
    std::string_view id;
    EXPECT_EQ(frames.Known(ById("s1", id_json), &id), nullptr) << id_json;
  }
}

// Known() skips the scan for a frame that ends in a plain value after the
// bytes of a known shape; a frame that ends in another plain value (here the
// action) is still scanned and gives its own requestId.
TEST(FrameKeysTest, AFrameThatEndsInAPlainValueOtherThanItsIdGivesItsId) {
  KeyMaker keys = Keys();
  FrameKeys frames(keys);
  auto stations = [](const std::string& id_json) {
    return R"({"type":"request","data":{},"requestId":)" + id_json + R"(,"action":"getStations"})";
  };
  const std::string* key = frames.KeyOf(stations(R"("r1")"));
  ASSERT_NE(key, nullptr);
  std::string_view id;  // a view into the frame
  const std::string second = stations(R"("r2")");
  EXPECT_EQ(frames.Known(second, &id), key);
  EXPECT_EQ(id, R"("r2")");
  // Ending in the id: the first is scanned, the second takes the shortcut.
  const std::string* by_id = frames.KeyOf(ById("s1", "1"));
  const std::string by_id_22 = ById("s1", "22");
  EXPECT_EQ(frames.Known(by_id_22, &id), by_id);
  EXPECT_EQ(id, "22");
  EXPECT_EQ(frames.Known(ById("s1", R"("a"b")"), &id), nullptr) << "the tail is a string's end";
}

TEST(FrameKeysTest, RawKeysAreNotShared) {
  KeyMaker keys = Keys();
  FrameKeys frames(keys);
  // Not a request (no type), but it has a plain requestId.
  const std::string* key = frames.KeyOf(R"({"requestId":"a","x":1})");
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(key->starts_with(kRawKeyPrefix));
  std::string_view id;
  EXPECT_EQ(frames.Known(R"({"requestId":"b","x":1})", &id), nullptr);
  EXPECT_EQ(frames.shapes(), 0u);
}

TEST(FrameKeysTest, RememberFilesAKeyForTheShapeUpToTheLimit) {
  KeyMaker keys = Keys();
  FrameKeys frames(keys, 1);
  frames.Remember(ById("s1", "1"), *keys.KeyOfFrame(ById("s1", "1")));
  frames.Remember(ById("s2", "1"), *keys.KeyOfFrame(ById("s2", "1")));
  std::string_view id;
  const std::string* key = frames.Known(ById("s1", "2"), &id);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(*key, *keys.KeyOfFrame(ById("s1", "2")));
  EXPECT_EQ(frames.Known(ById("s2", "2"), &id), nullptr);  // over the limit: not kept
  EXPECT_EQ(frames.shapes(), 1u);
}

}  // namespace
}  // namespace wsmock::replayer
