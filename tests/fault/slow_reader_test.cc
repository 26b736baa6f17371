// A client that stops reading while the server has much to send it: the
// server closes it with 1008 once its send queue passes 8 MiB, keeps its own
// memory bounded, and goes on serving everyone else.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "fault/live_server.h"
#include "fault/process_stats.h"
#include "fault/raw_ws_client.h"
#include "support/server_process.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using testing::RawWsClient;
using testing::ServerProcess;
using testing::WsClient;

constexpr int64_t kMiB = 1 << 20;
constexpr int64_t kSendQueueLimit = 8 * kMiB;  // ServerOptions::max_send_queue
// Replies an unbounded server would hold for the slow client: far more than
// the limit, so a missing bound shows in the server's memory.
constexpr int64_t kAskedFor = 64 * kMiB;
// The server's memory may grow by the queue, a reply being built, and the
// allocator's slack, but by nothing like kAskedFor.
constexpr int64_t kMemoryBound = 24 * kMiB;
// The slow client's receive buffer: its kernel holds next to nothing.
constexpr int kSmallReceiveBuffer = 4096;

std::string PageRequest(int64_t request_id) {
  return R"({"type":"request","action":"getStations","data":{"pagination":{"limit":1000}},"requestId":)" +
         std::to_string(request_id) + "}";
}

std::string SmallRequest(int64_t n) {
  return R"({"type":"request","action":"getStations","data":{"pagination":{"limit":1}},"requestId":"small-)" +
         std::to_string(n) + "\"}";
}

// The most the kernel may buffer on the server's side of one connection.
int64_t MaxSocketSendBuffer() {
  std::ifstream in("/proc/sys/net/ipv4/tcp_wmem");
  int64_t min = 0, initial = 0, max = 0;
  return in >> min >> initial >> max ? max : 4 * kMiB;
}

class FaultSlowReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = ServerProcess::Start(
        testing::OnLoopback({"serve", "--stations", "1000", "--tick", "0"}), &error);
    ASSERT_NE(server_, nullptr) << error;
    reader_ = WsClient::Connect(server_->port(), "/ws", false, &error);
    ASSERT_NE(reader_, nullptr) << error;
    // One big reply first, so the baseline already includes building one.
    std::optional<std::string> page = testing::RoundTrip(reader_.get(), PageRequest(0));
    ASSERT_TRUE(page.has_value());
    const auto reply_size = static_cast<int64_t>(page->size());
    std::optional<int64_t> rss = testing::StatusKb(server_->pid(), "VmRSS");
    ASSERT_TRUE(rss.has_value());
    baseline_kb_ = *rss;
    // Enough requests to pass the limit even if the kernel buffers all it can.
    const int64_t needed = (kSendQueueLimit + MaxSocketSendBuffer() + 2 * kMiB) / reply_size + 2;
    count_ = std::max(needed, kAskedFor / reply_size);
    slow_ = RawWsClient::Connect(server_->port(), &error, kSmallReceiveBuffer);
    ASSERT_NE(slow_, nullptr) << error;
  }

  // Sends the slow client's requests `batch` at a time, each batch followed
  // by a round trip of the reading client. The batch was in the server's
  // socket before that request, and the loop reads every ready socket in a
  // pass before it writes any reply, so after the answer the batch has been
  // taken in (and, between batches, replies have gone into the kernel).
  void SendSlowRequests(int64_t batch) {
    for (int64_t sent = 0; sent < count_; sent += batch) {
      std::string frames;
      for (int64_t i = sent + 1; i <= std::min(count_, sent + batch); ++i) {
        frames += testing::ClientFrame(PageRequest(i));
      }
      // A server that has already closed the connection may reset it.
      if (!slow_->SendRaw(frames)) break;
      ASSERT_TRUE(testing::RoundTrip(reader_.get(), SmallRequest(sent), 2000).has_value())
          << "the reading client was not served while another stopped reading";
    }
    EXPECT_TRUE(testing::MarkLog(server_.get(), reader_.get(), "during"));
  }

  void ExpectMemoryBounded() {
#ifndef __SANITIZE_ADDRESS__
    // (AddressSanitizer's quarantine keeps freed memory resident, so the
    // figure means nothing in that build.)
    const std::optional<int64_t> peak_kb = testing::StatusKb(server_->pid(), "VmHWM");
    ASSERT_TRUE(peak_kb.has_value());
    RecordProperty("server_peak_growth_kb", static_cast<int>(*peak_kb - baseline_kb_));
    EXPECT_LT((*peak_kb - baseline_kb_) * 1024, kMemoryBound)
        << "server peak grew by " << (*peak_kb - baseline_kb_) / 1024 << " MiB for " << count_
        << " requests of large replies";
#endif
  }

  // Reads again, well within the server's 5 s close timeout: whole replies
  // in order, then a close frame, whose code this returns (or 0 if none).
  int ReadUntilClose() {
    int64_t replies = 0;
    int close_code = 0;
    for (int64_t i = 0; i <= count_ && close_code == 0; ++i) {
      std::optional<testing::ServerFrame> frame = slow_->NextFrame(3000);
      if (!frame) {
        ADD_FAILURE() << "no close frame after " << replies << " whole replies; the connection "
                      << (slow_->ended() ? "was ended (reset or FIN)" : "stayed silent");
        break;
      }
      if (frame->opcode == testing::kOpClose) {
        close_code = testing::CloseCodeOf(*frame);
      } else {
        ++replies;
        EXPECT_NE(frame->payload.find("\"requestId\":" + std::to_string(replies) + "}"),
                  std::string::npos)
            << "reply " << replies << " out of order";
      }
    }
    RecordProperty("whole_replies_before_close", static_cast<int>(replies));
    EXPECT_LT(replies, count_);
    return close_code;
  }

  void ExpectOthersServedAfterwards() {
    EXPECT_TRUE(server_->WaitForOutput("Client disconnected (code 1008)")) << server_->Output();
    EXPECT_TRUE(testing::MarkLog(server_.get(), reader_.get(), "after"));
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<WsClient> reader_;
  std::unique_ptr<RawWsClient> slow_;
  int64_t baseline_kb_ = 0;
  int64_t count_ = 0;
};

// Every request in one write: the server takes them all in within one pass
// of its loop, so the queue passes the limit before anything is written.
TEST_F(FaultSlowReaderTest, QueueOverflowInOneBurstClosesWith1008) {
  SendSlowRequests(count_);
  ExpectMemoryBounded();
  EXPECT_EQ(ReadUntilClose(), 1008);
  ExpectOthersServedAfterwards();
}

// A few requests at a time: the replies first fill the TCP buffers on both
// sides, then the send queue grows past the limit. A client that reads
// again must find the replies that were on their way and then the 1008.
TEST_F(FaultSlowReaderTest, ClientThatFilledTheTcpBuffersGets1008WhenItReadsAgain) {
  SendSlowRequests(4);
  ExpectMemoryBounded();
  EXPECT_EQ(ReadUntilClose(), 1008);
  ExpectOthersServedAfterwards();
}

// The bound is for replies that pile up, not for one reply: a client that
// reads gets a reply several times --max-send-queue, and the connection
// stays open for the next request.
TEST(FaultSendQueueTest, ReplyLargerThanTheQueueLimitReachesAClientThatReads) {
  constexpr int64_t kLimit = 64 * 1024;  // the smallest --max-send-queue
  std::string error;
  auto server =
      ServerProcess::Start(testing::OnLoopback({"serve", "--stations", "2000", "--tick", "0",
                                                "--max-send-queue", std::to_string(kLimit)}),
                           &error);
  ASSERT_NE(server, nullptr) << error;
  auto client = WsClient::Connect(server->port(), "/ws", false, &error);
  ASSERT_NE(client, nullptr) << error;
  const std::optional<std::string> all = testing::RoundTrip(
      client.get(), R"({"type":"request","action":"getStations","requestId":1})");
  ASSERT_TRUE(all.has_value()) << server->Output();
  EXPECT_GT(static_cast<int64_t>(all->size()), 4 * kLimit);
  EXPECT_NE(all->find("\"total\":2000"), std::string::npos);
  EXPECT_TRUE(testing::MarkLog(server.get(), client.get(), "after"));
  EXPECT_EQ(server->Output().find("code 1008"), std::string::npos) << server->Output();
}

}  // namespace
}  // namespace wsmock
