#include "replayer/pending_requests.h"

#include <gtest/gtest.h>

#include <vector>

namespace wsmock::replayer {
namespace {

using Tokens = std::vector<PendingRequests::Token>;

TEST(PendingRequestsTest, AnAnswerTakesTheOldestRequestWithItsId) {
  PendingRequests pending;
  pending.Add(1, R"("a")");
  pending.Add(2, R"("b")");
  pending.Add(3, R"("a")");
  EXPECT_EQ(pending.Take("response", R"("a")"), 1u);
  EXPECT_EQ(pending.Take("error", R"("a")"), 3u);
  EXPECT_EQ(pending.Take("response", R"("a")"), std::nullopt) << "a stray answer";
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.Take("response", R"("b")"), 2u);
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingRequestsTest, AnAnswerWithoutIdTakesAnIdlessRequestFirstThenTheOldest) {
  PendingRequests pending;
  pending.Add(1, "7");
  pending.Add(2, "");
  pending.Add(3, "null");
  EXPECT_EQ(pending.Take("error", "null"), 2u);
  EXPECT_EQ(pending.Take("response", ""), 3u);
  EXPECT_EQ(pending.Take("response", ""), 1u) << "a backend that does not echo ids";
}

TEST(PendingRequestsTest, OtherFramesNeedTheSameIdAndPushesAnswerNothing) {
  PendingRequests pending;
  pending.Add(1, "7");
  EXPECT_EQ(pending.Take("update", ""), std::nullopt);
  EXPECT_EQ(pending.Take("request", "7"), std::nullopt);
  EXPECT_EQ(pending.Take("other", ""), std::nullopt) << "never by age alone";
  EXPECT_EQ(pending.Take("other", "7"), 1u);
  pending.Add(2, "");
  EXPECT_EQ(pending.Take("other", ""), 2u);
}

TEST(PendingRequestsTest, TakeAllReturnsWhatStillWaitsOldestFirst) {
  PendingRequests pending;
  pending.Add(10, "1");
  pending.Add(11, "2");
  pending.Add(12, "3");
  EXPECT_EQ(pending.Take("response", "2"), 11u);
  EXPECT_EQ(pending.TakeAll(), (Tokens{10, 12}));
  EXPECT_EQ(pending.size(), 0u);
  EXPECT_EQ(pending.Take("response", "1"), std::nullopt);
}

TEST(PendingRequestsTest, ALongConversationPairsLikeAFreshOne) {
  // Everything is forgotten whenever nothing waits; pairing must not notice.
  PendingRequests pending;
  for (PendingRequests::Token t = 0; t < 1000; ++t) {
    pending.Add(t, "1");
    pending.Add(t + 5000, "");
    ASSERT_EQ(pending.Take("response", ""), t + 5000);
    ASSERT_EQ(pending.Take("response", "1"), t);
  }
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingRequestsTest, IdsAddedAfterAnOutOfOrderAnswerAreStillFoundInOrder) {
  PendingRequests waiting;
  waiting.Add(0, "\"a\"");
  waiting.Add(1, "\"b\"");
  waiting.Add(2, "\"a\"");
  EXPECT_EQ(waiting.Take("response", "\"a\""), 0u);  // the oldest
  EXPECT_EQ(waiting.Take("response", "\"a\""), 2u);  // not the oldest: looked up by id
  waiting.Add(3, "\"a\"");
  waiting.Add(4, "\"a\"");
  EXPECT_EQ(waiting.Take("other", "\"a\""), 3u);
  EXPECT_EQ(waiting.Take("response", "\"b\""), 1u);
  EXPECT_EQ(waiting.Take("response", "\"a\""), 4u);
  EXPECT_EQ(waiting.size(), 0u);
}

}  // namespace
}  // namespace wsmock::replayer
