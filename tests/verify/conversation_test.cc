#include "verify/conversation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/codec.h"
#include "util/json_scan.h"

namespace wsmock::verify {
namespace {

// Records what the conversation asked of its connection.
class FakeWire : public Wire {
 public:
  bool Send(std::string_view text) override {
    if (gone) return false;
    sent.emplace_back(text);
    return true;
  }
  void StartTimer() override { timer = true; }
  void StopTimer() override { timer = false; }
  void Finish() override { finished = true; }

  bool gone = false;
  bool timer = false;
  bool finished = false;
  std::vector<std::string> sent;
};

std::string Request(std::string_view id, int n = 1) {
  return R"({"type":"request","action":"getStationById","data":{"n":)" + std::to_string(n) +
         R"(},"requestId":)" + std::string(id) + "}";
}
std::string Answer(std::string_view id, std::string_view status) {
  return protocol::EncodeResponse("getStationById",
                                  R"({"status":")" + std::string(status) + R"(","power":7})", id);
}

Step MakeStep(const std::string& payload, std::optional<std::string> answer) {
  Step s;
  s.payload = payload;
  s.description = "getStationById {}";
  s.answer = std::move(answer);
  json::Span span = json::FindTopLevelValue(payload, "requestId");
  if (span.begin != std::string::npos && payload.compare(span.begin, 4, "null") != 0) {
    s.id_begin = span.begin;
    s.id_end = span.end;
    s.numeric_id = payload[span.begin] != '"';
  }
  return s;
}

class VerifyConversationTest : public ::testing::Test {
 protected:
  VerifyConversationTest() : differ_(*JsonDiffer::Create({"/requestId"})) {
    plan_.connection_id = 3;
  }
  Conversation& Start(ConversationOptions options = {}, int copy = 1, int copies = 1) {
    conversation_ = std::make_unique<Conversation>(&plan_, copy, copies, &differ_, options, &wire_);
    conversation_->OnDialing();
    conversation_->OnOpen();
    return *conversation_;
  }

  ConnectionPlan plan_;
  JsonDiffer differ_;
  FakeWire wire_;
  std::unique_ptr<Conversation> conversation_;
};

TEST_F(VerifyConversationTest, SendsOneRequestAtATimeWithNewIdsOfTheSameType) {
  plan_.steps = {MakeStep(Request(R"("req_1")", 1), Answer(R"("req_1")", "active")),
                 MakeStep(Request("17", 2), Answer("17", "active"))};
  Conversation& c = Start();
  ASSERT_EQ(wire_.sent.size(), 1u);
  EXPECT_EQ(wire_.sent[0], Request(R"("verify-3-1")", 1));
  EXPECT_TRUE(wire_.timer);
  c.OnMessage(Answer(R"("verify-3-1")", "active"), false);
  ASSERT_EQ(wire_.sent.size(), 2u);
  EXPECT_EQ(wire_.sent[1], Request("2", 2));  // a number stays a number
  c.OnMessage(Answer("2", "active"), false);
  EXPECT_TRUE(c.done());
  EXPECT_TRUE(wire_.finished);
  EXPECT_FALSE(wire_.timer);
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].outcome, Check::Outcome::kMatched);
  EXPECT_EQ(checks[1].outcome, Check::Outcome::kMatched);
  EXPECT_EQ(checks[1].index, 2u);
  EXPECT_EQ(checks[1].connection, 3);
}

TEST_F(VerifyConversationTest, CopiesGetTheirOwnStringIds) {
  plan_.steps = {MakeStep(Request(R"("a")"), Answer(R"("a")", "active"))};
  Start({}, 2, 4);
  ASSERT_EQ(wire_.sent.size(), 1u);
  EXPECT_EQ(wire_.sent[0], Request(R"("verify-3.2-1")"));
}

TEST_F(VerifyConversationTest, ADifferentAnswerIsDifferedWithItsDifferences) {
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active"))};
  Conversation& c = Start();
  c.OnMessage(Answer(R"("verify-3-1")", "error"), false);
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].outcome, Check::Outcome::kDiffered);
  ASSERT_EQ(checks[0].differences.size(), 1u);
  EXPECT_EQ(checks[0].differences[0].path, "/data/status");
  EXPECT_EQ(checks[0].differences[0].kind, DiffKind::kValueChanged);
}

TEST_F(VerifyConversationTest, OnlySchemaLetsValueChangesPass) {
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active")),
                 MakeStep(Request(R"("s")"), Answer(R"("s")", "active"))};
  ConversationOptions options;
  options.only_schema = true;
  Conversation& c = Start(options);
  c.OnMessage(Answer(R"("verify-3-1")", "error"), false);
  c.OnMessage(R"({"type":"response","action":"getStationById","data":{"status":"x"},)"
              R"("requestId":"verify-3-2"})",
              false);
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].outcome, Check::Outcome::kMatched);
  EXPECT_EQ(checks[1].outcome, Check::Outcome::kDiffered);
  ASSERT_EQ(checks[1].differences.size(), 1u);
  EXPECT_EQ(checks[1].differences[0].kind, DiffKind::kFieldRemoved);
}

TEST_F(VerifyConversationTest, AnswersPairByRequestIdAndStrayOnesAreIgnored) {
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active"))};
  Conversation& c = Start();
  c.OnMessage(Answer(R"("someone-else")", "error"), false);  // stray
  c.OnMessage(protocol::EncodeUpdate("stationsUpdated", "{}"), false);
  c.OnMessage("\x01", true);
  EXPECT_FALSE(c.done());
  c.OnMessage(Answer(R"("verify-3-1")", "active"), false);
  ASSERT_TRUE(c.done());
  EXPECT_EQ(c.TakeChecks()[0].outcome, Check::Outcome::kMatched);
}

TEST_F(VerifyConversationTest, AnAnswerWithoutRequestIdPairsInOrder) {
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active"))};
  Conversation& c = Start();
  c.OnMessage(R"({"type":"response","action":"getStationById","data":{"status":"active",)"
              R"("power":7}})",
              false);
  ASSERT_TRUE(c.done());
  EXPECT_EQ(c.TakeChecks()[0].outcome, Check::Outcome::kMatched);
}

TEST_F(VerifyConversationTest, FramesThatAreNotJsonAnswerFramesThatAreNotJson) {
  plan_.steps = {MakeStep("ping", std::string("pong"))};
  Conversation& c = Start();
  EXPECT_EQ(wire_.sent, std::vector<std::string>{"ping"});
  c.OnMessage("pang", false);
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].outcome, Check::Outcome::kDiffered);
  EXPECT_EQ(checks[0].differences[0].path, "");
}

TEST_F(VerifyConversationTest, ATimeoutFailsThatRequestAndMovesOn) {
  plan_.steps = {MakeStep(Request(R"("r")", 1), Answer(R"("r")", "active")),
                 MakeStep(Request(R"("s")", 2), Answer(R"("s")", "active"))};
  ConversationOptions options;
  options.timeout_text = "0.5 s";
  Conversation& c = Start(options);
  c.OnTimeout();
  ASSERT_EQ(wire_.sent.size(), 2u);
  c.OnMessage(Answer(R"("verify-3-1")", "active"), false);  // too late: stray
  EXPECT_FALSE(c.done());
  c.OnMessage(Answer(R"("verify-3-2")", "active"), false);
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].outcome, Check::Outcome::kFailed);
  EXPECT_EQ(checks[0].failure, "no answer within 0.5 s");
  EXPECT_EQ(checks[1].outcome, Check::Outcome::kMatched);
}

TEST_F(VerifyConversationTest, ANoAnswerFailureNamesTheFirstFrameThatCameInstead) {
  plan_.steps = {MakeStep(Request(R"("r")", 1), Answer(R"("r")", "active")),
                 MakeStep(Request(R"("s")", 2), Answer(R"("s")", "active")),
                 MakeStep(Request(R"("t")", 3), Answer(R"("t")", "active"))};
  ConversationOptions options;
  options.timeout_text = "2 s";
  Conversation& c = Start(options);
  c.OnMessage(protocol::EncodeUpdate("stationsUpdated", "{}"), false);  // routine: not named
  c.OnMessage("oops: " + std::string(70, 'x'), false);
  c.OnMessage("later", false);
  c.OnTimeout();
  c.OnMessage(std::string("\x00\x01\x02", 3), true);
  c.OnTimeout();
  c.OnTimeout();
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].failure, "no answer within 2 s (came instead: \"oops: " +
                                   std::string(54, 'x') + "...\")");
  EXPECT_EQ(checks[1].failure, "no answer within 2 s (came instead: a binary frame of 3 bytes)");
  EXPECT_EQ(checks[2].failure, "no answer within 2 s");
}

TEST_F(VerifyConversationTest, UnansweredRecordedRequestsAreSentButNotChecked) {
  plan_.steps = {MakeStep(Request(R"("r")", 1), std::nullopt),
                 MakeStep(Request(R"("s")", 2), Answer(R"("s")", "active"))};
  Conversation& c = Start();
  ASSERT_EQ(wire_.sent.size(), 2u);
  c.OnMessage(Answer(R"("verify-3-2")", "active"), false);
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].index, 2u);
}

TEST_F(VerifyConversationTest, ACloseFailsEveryOpenCheckWithTheCode) {
  plan_.steps = {MakeStep(Request(R"("r")", 1), Answer(R"("r")", "active")),
                 MakeStep(Request(R"("s")", 2), Answer(R"("s")", "active"))};
  Conversation& c = Start();
  c.OnClose(1006);
  ASSERT_TRUE(c.done());
  EXPECT_FALSE(wire_.timer);
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 2u);
  for (const Check& check : checks) {
    EXPECT_EQ(check.outcome, Check::Outcome::kFailed);
    EXPECT_EQ(check.failure, "the target closed the connection (code 1006)");
  }
}

TEST_F(VerifyConversationTest, ADialFailureFailsEverythingWithTheReason) {
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active"))};
  plan_.pushes = {protocol::EncodeUpdate("stationsUpdated", "{}")};
  ConversationOptions options;
  options.compare_updates = true;
  conversation_ = std::make_unique<Conversation>(&plan_, 1, 1, &differ_, options, &wire_);
  conversation_->OnDialing();
  conversation_->OnDialFailed("cannot connect to ws://x/ws: connection refused");
  auto checks = conversation_->TakeChecks();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].failure, "cannot connect to ws://x/ws: connection refused");
  EXPECT_TRUE(checks[1].update);
  EXPECT_EQ(checks[1].failure, "cannot connect to ws://x/ws: connection refused");
  EXPECT_TRUE(wire_.sent.empty());
}

TEST_F(VerifyConversationTest, AConnectTimeoutFailsAndClosesTheAttempt) {
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active"))};
  conversation_ =
      std::make_unique<Conversation>(&plan_, 1, 1, &differ_, ConversationOptions{}, &wire_);
  conversation_->OnDialing();
  EXPECT_TRUE(wire_.timer);
  conversation_->OnTimeout();
  EXPECT_TRUE(conversation_->done());
  EXPECT_TRUE(wire_.finished);
  conversation_->OnOpen();  // late: nothing is sent
  EXPECT_TRUE(wire_.sent.empty());
  EXPECT_EQ(conversation_->TakeChecks()[0].failure, "could not connect within 5 s");
}

TEST_F(VerifyConversationTest, UpdatesAreComparedInOrderOnlyWhenAsked) {
  const std::string u1 = protocol::EncodeUpdate("stationsUpdated", R"({"n":1})");
  const std::string u2 = protocol::EncodeUpdate("stationsUpdated", R"({"n":2})");
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active"))};
  plan_.pushes = {u1, u2};
  {
    Conversation& c = Start();
    c.OnMessage(u2, false);
    c.OnMessage(Answer(R"("verify-3-1")", "active"), false);
    EXPECT_TRUE(c.done());  // pushes were not asked for
    EXPECT_EQ(c.TakeChecks().size(), 1u);
  }
  ConversationOptions options;
  options.compare_updates = true;
  Conversation& c = Start(options);
  c.OnMessage(u1, false);  // before the answer: still counted, in order
  c.OnMessage(Answer(R"("verify-3-1")", "active"), false);
  EXPECT_FALSE(c.done());
  EXPECT_TRUE(wire_.timer);
  c.OnMessage(protocol::EncodeUpdate("stationsUpdated", R"({"n":3})"), false);
  ASSERT_TRUE(c.done());
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_FALSE(checks[0].update);
  EXPECT_TRUE(checks[1].update);
  EXPECT_EQ(checks[1].outcome, Check::Outcome::kMatched);
  EXPECT_EQ(checks[1].request, "update stationsUpdated");
  EXPECT_EQ(checks[2].outcome, Check::Outcome::kDiffered);
  EXPECT_EQ(checks[2].index, 2u);
}

TEST_F(VerifyConversationTest, MissingUpdatesFailAfterTheTimeout) {
  plan_.pushes = {protocol::EncodeUpdate("u", "{}"), protocol::EncodeUpdate("u", "{}")};
  ConversationOptions options;
  options.compare_updates = true;
  Conversation& c = Start(options);
  c.OnMessage(protocol::EncodeUpdate("u", "{}"), false);
  c.OnTimeout();
  ASSERT_TRUE(c.done());
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].outcome, Check::Outcome::kMatched);
  EXPECT_EQ(checks[1].failure, "no update within 5 s (got 1 of 2)");
}

TEST_F(VerifyConversationTest, ALostConnectionBeforeSendingFailsTheRest) {
  plan_.steps = {MakeStep(Request(R"("r")"), Answer(R"("r")", "active"))};
  wire_.gone = true;
  Conversation& c = Start();
  ASSERT_TRUE(c.done());
  auto checks = c.TakeChecks();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].outcome, Check::Outcome::kFailed);
}

}  // namespace
}  // namespace wsmock::verify
