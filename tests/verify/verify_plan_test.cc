#include "verify/verify_plan.h"

#include <gtest/gtest.h>

#include "protocol/codec.h"

namespace wsmock::verify {
namespace {

store::MessageRow Row(int64_t connection, int64_t seq, const char* direction, std::string payload) {
  protocol::Peek peek = protocol::PeekMessage(payload);
  store::MessageRow m;
  m.connection_id = connection;
  m.seq = seq;
  m.direction = direction;
  m.kind = std::string(protocol::MessageKindName(peek.kind));
  m.action = peek.action;
  m.request_id = peek.request_id;
  m.payload = std::move(payload);
  return m;
}

const char kById[] =
    R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"req_1"})";

TEST(VerifyPlanTest, EachConnectionListsItsRequestsAnswersAndPushes) {
  std::vector<store::ConnectionRow> connections(2);
  connections[0].id = 2;
  connections[1].id = 1;
  const std::string answer = protocol::EncodeResponse("getStationById", "{}", R"("req_1")");
  const std::string update = protocol::EncodeUpdate("stationsUpdated", "{}");
  std::vector<store::MessageRow> messages = {
      Row(1, 1, "in", kById), Row(1, 2, "out", answer), Row(1, 3, "out", update),
      Row(2, 1, "in", "{bad"),  // never answered
  };
  auto plan = MakePlan(connections, messages);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->size(), 2u);
  const ConnectionPlan& first = (*plan)[0];
  EXPECT_EQ(first.connection_id, 1);
  ASSERT_EQ(first.steps.size(), 1u);
  EXPECT_EQ(first.steps[0].description, R"(getStationById {"stationId":"station_001"})");
  EXPECT_EQ(first.steps[0].answer, answer);
  EXPECT_EQ(first.pushes, std::vector<std::string>{update});
  EXPECT_EQ(first.checked_steps(), 1u);
  const ConnectionPlan& second = (*plan)[1];
  ASSERT_EQ(second.steps.size(), 1u);
  EXPECT_FALSE(second.steps[0].answer.has_value());
  EXPECT_FALSE(second.steps[0].has_id());
  EXPECT_EQ(second.checked_steps(), 0u);
}

TEST(VerifyPlanTest, NewIdsKeepTheTypeAndEveryOtherByte) {
  std::vector<store::ConnectionRow> connections(1);
  connections[0].id = 4;
  const std::string spaced = R"({ "type":"request", "requestId" : 12 , "action":"a"})";
  const std::string null_id = R"({"type":"request","action":"a","requestId":null})";
  auto plan = MakePlan(connections,
                       {Row(4, 1, "in", kById), Row(4, 2, "in", spaced), Row(4, 3, "in", null_id)});
  ASSERT_TRUE(plan.ok());
  const auto& steps = (*plan)[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  std::string id = NewRequestId(steps[0], 4, 1, 1, 1);
  EXPECT_EQ(id, R"("verify-4-1")");
  EXPECT_EQ(
      WithRequestId(steps[0], id),
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"verify-4-1"})");
  EXPECT_EQ(NewRequestId(steps[0], 4, 3, 5, 9), R"("verify-4.3-9")");
  EXPECT_TRUE(steps[1].numeric_id);
  EXPECT_EQ(WithRequestId(steps[1], NewRequestId(steps[1], 4, 1, 1, 2)),
            R"({ "type":"request", "requestId" : 2 , "action":"a"})");
  EXPECT_EQ(NewRequestId(steps[2], 4, 1, 1, 3), "");
  EXPECT_EQ(WithRequestId(steps[2], ""), null_id);
}

}  // namespace
}  // namespace wsmock::verify
