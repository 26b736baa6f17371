// The committed fixture (fixtures/seed42-session.jsonl, recorded from
// `wsmock serve --seed 42`) imports and replays: the seed's requests get the
// recorded replies, and the recorded updates arrive in order.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock {
namespace {

const std::string kFixture = std::string(WSMOCK_SOURCE_DIR) + "/fixtures/seed42-session.jsonl";

struct Recorded {
  std::vector<std::string> requests;   // incoming payloads, in order
  std::vector<std::string> responses;  // outgoing replies, in order
  std::vector<std::string> updates;    // outgoing pushes, in order
};

// Reads the message lines of the fixture, taking each payload byte-exact.
Recorded ReadFixture() {
  Recorded r;
  std::istringstream lines(testing::ReadFile(kFixture));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("{\"type\":\"message\"") != 0) continue;
    json::Span span = json::FindTopLevelValue(line, "json");
    if (span.begin == std::string::npos) continue;
    std::string payload = line.substr(span.begin, span.end - span.begin);
    if (line.find("\"direction\":\"in\"") != std::string::npos) {
      r.requests.push_back(payload);
    } else if (line.find("\"kind\":\"update\"") != std::string::npos) {
      r.updates.push_back(payload);
    } else {
      r.responses.push_back(payload);
    }
  }
  return r;
}

TEST(FixtureReplayE2eTest, TheSeed42FixtureReplaysItsRecordedBytes) {
  Recorded recorded = ReadFixture();
  ASSERT_EQ(recorded.requests.size(), 4u);
  ASSERT_EQ(recorded.responses.size(), 4u);
  ASSERT_EQ(recorded.updates.size(), 2u);

  testing::TempDir dir;
  const std::string db = dir.File("seed42.db");
  auto imported = testing::RunWsmock({"import", kFixture, db});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  // The import is faithful: exporting gives the fixture back byte for byte.
  auto exported = testing::RunWsmock({"export", db});
  EXPECT_EQ(exported.out, testing::ReadFile(kFixture));

  std::string error;
  auto replay = testing::ServerProcess::Start(
      {"replay", db, "--speed", "0", "--strict", "--port", "0", "--host", "127.0.0.1", "--no-ssl"},
      &error);
  ASSERT_NE(replay, nullptr) << error;
  auto client = testing::WsClient::Connect(replay->port(), "/ws", false, &error);
  ASSERT_NE(client, nullptr) << error;
  std::vector<std::string> replies, updates;
  for (const std::string& request : recorded.requests) {
    ASSERT_TRUE(client->SendText(request));
  }
  for (int i = 0; i < 20 && (replies.size() < 4 || updates.size() < 2); ++i) {
    auto m = client->Receive(5000);
    ASSERT_TRUE(m.has_value());
    (m->find("\"type\":\"update\"") != std::string::npos ? updates : replies).push_back(*m);
  }
  EXPECT_EQ(replies, recorded.responses);
  EXPECT_EQ(updates, recorded.updates);
  client->Close();
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

}  // namespace
}  // namespace wsmock
