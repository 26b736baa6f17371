#include "server/received_frames.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::server {
namespace {

// "seq:client:bytes" of each kept frame, oldest first.
std::vector<std::string> Kept(const ReceivedFrames& frames) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < frames.size(); ++i) {
    const ReceivedFrames::Frame& frame = frames.at(i);
    kept.push_back(std::to_string(frame.seq) + ":" + std::to_string(frame.client) + ":" +
                   frame.bytes);
  }
  return kept;
}

TEST(ReceivedFramesTest, KeepsTheNewestInArrivalOrderOnceFull) {
  ReceivedFrames frames(3);
  frames.Add(1, "a", false);
  frames.Add(2, "b", false);
  EXPECT_EQ(Kept(frames), (std::vector<std::string>{"1:1:a", "2:2:b"}));
  frames.Add(1, "c", false);
  frames.Add(1, "d", false);
  frames.Add(2, "e", false);
  EXPECT_EQ(Kept(frames), (std::vector<std::string>{"3:1:c", "4:1:d", "5:2:e"}));
  EXPECT_EQ(frames.size(), 3u);
}

TEST(ReceivedFramesTest, ClearForgetsTheFramesButNotTheCount) {
  ReceivedFrames frames(3);
  for (const char* text : {"a", "b", "c", "d"}) frames.Add(1, text, false);
  frames.Clear();
  EXPECT_EQ(frames.size(), 0u);
  frames.Add(1, "e", false);
  EXPECT_EQ(Kept(frames), (std::vector<std::string>{"5:1:e"}));
  // Fills the slots it has, then wraps as before.
  for (const char* text : {"f", "g", "h"}) frames.Add(1, text, false);
  EXPECT_EQ(Kept(frames), (std::vector<std::string>{"6:1:f", "7:1:g", "8:1:h"}));
}

TEST(ReceivedFramesTest, AClearBeforeTheRingIsFullKeepsItsOrder) {
  ReceivedFrames frames(4);
  frames.Add(1, "a", false);
  frames.Add(1, "b", false);
  frames.Clear();
  for (const char* text : {"c", "d", "e", "f", "g"}) frames.Add(1, text, false);
  EXPECT_EQ(Kept(frames), (std::vector<std::string>{"4:1:d", "5:1:e", "6:1:f", "7:1:g"}));
}

TEST(ReceivedFramesTest, ACapacityOfNoneKeepsNothingButCounts) {
  ReceivedFrames frames(0);
  frames.Add(1, "a", false);
  EXPECT_EQ(frames.size(), 0u);
  ReceivedFrames other(1);
  other.Add(1, "a", false);
  other.Add(1, "b", false);
  EXPECT_EQ(Kept(other), (std::vector<std::string>{"2:1:b"}));
}

TEST(ReceivedFramesTest, ALongTextFrameIsCutBeforeACharacterItWouldSplit) {
  ReceivedFrames frames(2);
  const size_t max = ReceivedFrames::kMaxKeptFrame;
  // A three-byte character starting one byte before the limit.
  const std::string text = std::string(max - 1, 'a') + "\xE2\x82\xAC" + "tail";
  frames.Add(1, text, false);
  EXPECT_EQ(frames.at(0).bytes, std::string(max - 1, 'a'));
  EXPECT_EQ(frames.at(0).size, text.size());
  EXPECT_TRUE(frames.at(0).cut());
  const std::string binary = std::string(max - 1, 'a') + "\xE2\x82\xAC";
  frames.Add(1, binary, true);
  EXPECT_EQ(frames.at(1).bytes, binary.substr(0, max));  // bytes, not characters
  EXPECT_TRUE(frames.at(1).binary);
  frames.Add(1, std::string(max, 'x'), false);
  EXPECT_FALSE(frames.at(1).cut());
}

}  // namespace
}  // namespace wsmock::server
