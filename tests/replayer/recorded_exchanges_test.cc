#include "replayer/recorded_exchanges.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/codec.h"

namespace wsmock::replayer {
namespace {

// One connection's rows, kind and requestId read from each payload the way
// the recorder reads them.
class Rows {
 public:
  void In(std::string payload) { Add("in", std::move(payload)); }
  void Out(std::string payload) { Add("out", std::move(payload)); }
  void BinaryIn(std::string payload) {
    Add("in", std::move(payload));
    rows_.back().binary = true;
  }
  void BinaryOut(std::string payload) {
    Add("out", std::move(payload));
    rows_.back().binary = true;
  }
  PairedMessages Pair() {
    pointers_.clear();
    for (const auto& r : rows_) pointers_.push_back(&r);
    return PairMessages(pointers_);
  }
  const store::MessageRow& row(size_t seq) const { return rows_[seq - 1]; }

 private:
  void Add(const char* direction, std::string payload) {
    protocol::Peek peek = protocol::PeekMessage(payload);
    store::MessageRow m;
    m.session_id = 1;
    m.connection_id = 1;
    m.seq = static_cast<int64_t>(rows_.size()) + 1;
    m.direction = direction;
    m.kind = std::string(protocol::MessageKindName(peek.kind));
    m.action = peek.action;
    m.request_id = peek.request_id;
    m.payload = std::move(payload);
    rows_.push_back(std::move(m));
  }
  std::vector<store::MessageRow> rows_;
  std::vector<const store::MessageRow*> pointers_;
};

std::string Request(int n, std::string_view id) {
  return R"({"type":"request","action":"a","data":{"n":)" + std::to_string(n) +
         R"(},"requestId":)" + std::string(id) + "}";
}
std::string Response(int n, std::string_view id) {
  return protocol::EncodeResponse("a", R"({"n":)" + std::to_string(n) + "}", id);
}
std::string IdlessResponse(int n) {
  return R"({"type":"response","action":"a","data":{"n":)" + std::to_string(n) + "}}";
}

// seq of each exchange's answer (0 for none), in exchange order.
std::vector<int64_t> AnswerSeqs(const PairedMessages& p) {
  std::vector<int64_t> out;
  for (const auto& e : p.exchanges) out.push_back(e.answer ? e.answer->seq : 0);
  return out;
}

TEST(VerifyPairingTest, EightRequestsInFlightPairByRequestIdHoweverTheyInterleave) {
  Rows rows;
  for (int i = 1; i <= 8; ++i) rows.In(Request(i, "\"r" + std::to_string(i) + "\""));
  // A proxy saw the backend answer in this order.
  for (int i : {3, 1, 8, 2, 7, 4, 6, 5}) rows.Out(Response(i, "\"r" + std::to_string(i) + "\""));
  PairedMessages p = rows.Pair();
  ASSERT_EQ(p.exchanges.size(), 8u);
  for (const auto& e : p.exchanges) {
    ASSERT_NE(e.answer, nullptr);
    EXPECT_EQ(*e.answer->request_id, *e.in->request_id);
  }
  EXPECT_TRUE(p.pushes.empty());
}

TEST(VerifyPairingTest, AnswersWithoutRequestIdPairInOrder) {
  Rows rows;
  rows.In(Request(1, "\"r1\""));  // seq 1
  rows.In(Request(2, "\"r2\""));  // seq 2
  rows.Out(IdlessResponse(1));    // seq 3: a backend that does not echo ids
  rows.In(Request(3, "\"r3\""));  // seq 4
  rows.Out(IdlessResponse(2));    // seq 5
  rows.Out(IdlessResponse(3));    // seq 6
  EXPECT_EQ(AnswerSeqs(rows.Pair()), (std::vector<int64_t>{3, 5, 6}));
}

TEST(VerifyPairingTest, IdlessAnswerPrefersTheIdlessRequest) {
  Rows rows;
  rows.In(Request(1, "\"r1\""));  // 1
  rows.In("{not json");           // 2
  rows.Out(protocol::EncodeError(
      {protocol::ErrorCode::kInvalidJson, "invalid JSON", std::nullopt, std::nullopt}));  // 3
  rows.Out(Response(1, "\"r1\""));                                                        // 4
  EXPECT_EQ(AnswerSeqs(rows.Pair()), (std::vector<int64_t>{4, 3}));
}

TEST(VerifyPairingTest, FramesThatAreNotJsonPairInOrderOrArePushes) {
  Rows rows;
  rows.Out("hello");                // 1: nothing waits: a push
  rows.In("ping 1");                // 2
  rows.In("ping 2");                // 3
  rows.Out("pong 1");               // 4
  rows.Out("pong 2");               // 5
  rows.In(Request(1, "\"r1\""));    // 6
  rows.Out("tick");                 // 7: waits for r1's id, not for this: a push
  rows.Out(Response(1, "\"r1\""));  // 8
  PairedMessages p = rows.Pair();
  EXPECT_EQ(AnswerSeqs(p), (std::vector<int64_t>{4, 5, 8}));
  ASSERT_EQ(p.pushes.size(), 2u);
  EXPECT_EQ(p.pushes[0].row->payload, "hello");
  EXPECT_EQ(p.pushes[0].after, 0u);
  EXPECT_EQ(p.pushes[1].row->payload, "tick");
  EXPECT_EQ(p.pushes[1].after, 3u);
}

// A binary frame has no requestId: a binary answer pairs with the oldest
// request waiting without one, and with none waiting it is a push.
TEST(VerifyPairingTest, StrayAnswersTakeNoPartAndBinaryFramesPairByOrder) {
  Rows rows;
  rows.In(Request(1, "\"r1\""));                // 1
  rows.Out(Response(9, "\"r9\""));              // 2: answers nothing
  rows.BinaryIn("\x01\x02");                    // 3
  rows.Out(protocol::EncodeUpdate("u", "{}"));  // 4
  rows.Out(Response(1, "\"r1\""));              // 5
  rows.BinaryOut("\x03");                       // 6: answers 3
  rows.BinaryOut("\x04");                       // 7: a push
  PairedMessages p = rows.Pair();
  EXPECT_EQ(AnswerSeqs(p), (std::vector<int64_t>{5, 6}));
  ASSERT_EQ(p.pushes.size(), 2u);
  EXPECT_EQ(p.pushes[0].row->seq, 4);
  EXPECT_EQ(p.pushes[1].row->seq, 7);
}

TEST(VerifyPairingTest, GroupingSortsConnectionsAndMessages) {
  std::vector<store::ConnectionRow> connections(2);
  connections[0].id = 2;
  connections[1].id = 1;
  std::vector<store::MessageRow> messages(3);
  messages[0].connection_id = 1, messages[0].seq = 2, messages[0].direction = "out";
  messages[1].connection_id = 2, messages[1].seq = 1, messages[1].direction = "in";
  messages[2].connection_id = 1, messages[2].seq = 1, messages[2].direction = "in";
  auto grouped = GroupByConnection(connections, messages);
  ASSERT_TRUE(grouped.ok());
  ASSERT_EQ(grouped->size(), 2u);
  EXPECT_EQ((*grouped)[0].connection->id, 1);
  ASSERT_EQ((*grouped)[0].messages.size(), 2u);
  EXPECT_EQ((*grouped)[0].messages[0]->seq, 1);
  EXPECT_EQ((*grouped)[1].messages.size(), 1u);
  connections[1].id = 2;
  auto twice = GroupByConnection(connections, messages);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("appears twice"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::replayer
