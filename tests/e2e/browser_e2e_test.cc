// End-to-end tests with a real browser: headless Chromium's own WebSocket
// (what a frontend under test uses) against the real wsmock binary, over ws
// and wss, serving, recording and replaying. They skip, saying so, only when
// no Chromium is installed (scripts/install-deps.sh --tests installs it).
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/headless_browser.h"
#include "support/live_wsmock.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "util/json.h"

namespace wsmock {
namespace {

using testing::HeadlessBrowser;
using testing::kSeedRequests;
using testing::OnLoopback;
using testing::StartOrFail;
using testing::TempDir;
using testing::WsClient;

// The seed's requests and one more, with a number for its requestId.
std::vector<std::string> SeedRequests() {
  std::vector<std::string> requests = kSeedRequests;
  requests.push_back(
      R"({"type":"request","action":"getStationStats","data":{"days":7},"requestId":7})");
  return requests;
}

// Replies that are the same on every run.
constexpr const char* kClock = "2024-01-20T10:30:00Z";

// A JavaScript array literal of `texts`.
std::string JsArray(const std::vector<std::string>& texts) {
  std::string out = "[";
  for (const std::string& text : texts) {
    if (out.size() > 1) out += ",";
    json::AppendString(&out, text);
  }
  return out + "]";
}

// Script: opens `url`, sends `requests` at once, and resolves to the JSON
// array of the first `replies` messages that are not updates (or of the
// first update, when `replies` is 0); rejects after 10 s or on an error.
std::string ExchangeScript(const std::string& url, const std::vector<std::string>& requests,
                           size_t replies) {
  std::string script = "(async () => { const url = ";
  json::AppendString(&script, url);
  script += "; const requests = " + JsArray(requests) +
            "; const wanted = " + std::to_string(replies) + R"(;
  const ws = new WebSocket(url);
  const got = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out with ' + got.length)), 10000);
    ws.onopen = () => { for (const r of requests) ws.send(r); };
    ws.onmessage = (e) => {
      let isUpdate;
      try { isUpdate = JSON.parse(e.data).type === 'update'; } catch (err) {
        clearTimeout(timer); reject(new Error('not JSON: ' + e.data)); return;
      }
      if (isUpdate !== (wanted === 0)) return;
      got.push(e.data);
      if (got.length === Math.max(wanted, 1)) { clearTimeout(timer); resolve(); }
    };
    ws.onerror = () => { clearTimeout(timer); reject(new Error('websocket error')); };
    ws.onclose = (e) => { clearTimeout(timer); reject(new Error('closed ' + e.code)); };
  });
  ws.onclose = null;
  ws.close(1000);
  return JSON.stringify(got);
})())";
  return script;
}

// What the browser received, as a list of message texts.
std::vector<std::string> Messages(const std::string& json_array) {
  std::vector<std::string> out;
  Result<json::JsonPtr> parsed = json::Parse(json_array);
  EXPECT_TRUE(parsed.ok()) << json_array;
  if (!parsed.ok()) return out;
  for (const cJSON* item = parsed->get()->child; item != nullptr; item = item->next) {
    out.push_back(cJSON_IsString(item) ? item->valuestring : "<not a string>");
  }
  return out;
}

class BrowserE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> binary = HeadlessBrowser::Find();
    if (!binary) {
      GTEST_SKIP() << "no Chromium (/usr/bin/chromium or $WSMOCK_CHROMIUM); "
                      "scripts/install-deps.sh --tests installs it";
    }
    std::string error;
    browser_ = HeadlessBrowser::Launch(*binary, &error);
    ASSERT_NE(browser_, nullptr) << error;
  }

  // The browser's replies to `requests` on ws[s]://127.0.0.1:port/ws.
  std::vector<std::string> Exchange(int port, bool tls, const std::vector<std::string>& requests,
                                    size_t replies) {
    const std::string url =
        std::string(tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port) + "/ws";
    std::string error;
    std::optional<std::string> got =
        browser_->Evaluate(ExchangeScript(url, requests, replies), &error);
    EXPECT_TRUE(got.has_value()) << error;
    return got ? Messages(*got) : std::vector<std::string>{};
  }

  std::unique_ptr<HeadlessBrowser> browser_;
};

// What our own libwebsockets client gets for `requests`, one at a time.
std::vector<std::string> AskEach(int port, bool tls, const std::vector<std::string>& requests) {
  std::string error;
  auto client = WsClient::Connect(port, "/ws", tls, &error);
  EXPECT_NE(client, nullptr) << error;
  std::vector<std::string> replies;
  if (client == nullptr) return replies;
  for (const std::string& request : requests) {
    EXPECT_TRUE(client->SendText(request));
    replies.push_back(client->Receive(5000).value_or("<no reply>"));
  }
  return replies;
}

TEST_F(BrowserE2eTest, ABrowserGetsTheSeedRepliesByteForByteAsOurClientDoes) {
  auto server = StartOrFail(OnLoopback({"serve", "--tick", "0", "--clock", kClock}));
  ASSERT_NE(server, nullptr);
  const std::vector<std::string> got = Exchange(server->port(), false, SeedRequests(), 4);
  ASSERT_EQ(got.size(), 4u);
  for (const std::string& reply : got) {
    EXPECT_EQ(reply.rfind(R"({"type":"response")", 0), 0u) << reply;
  }
  EXPECT_EQ(got, AskEach(server->port(), false, SeedRequests()));
  EXPECT_NE(got[2].find(R"("id":"station_001")"), std::string::npos) << got[2];
  EXPECT_NE(got[3].find(R"("requestId":7)"), std::string::npos) << got[3];
}

TEST_F(BrowserE2eTest, ABrowserTrustingNothingButTheFlagTalksWssToASelfSignedServer) {
  auto server =
      StartOrFail(OnLoopback({"serve", "--self-signed", "--tick", "0", "--clock", kClock}, true));
  ASSERT_NE(server, nullptr);
  const std::vector<std::string> requests = {kSeedRequests[2]};
  const std::vector<std::string> got = Exchange(server->port(), true, requests, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got, AskEach(server->port(), true, requests));
}

TEST_F(BrowserE2eTest, ABrowserReceivesTickUpdates) {
  auto server = StartOrFail(OnLoopback({"serve", "--tick", "0.1"}));
  ASSERT_NE(server, nullptr);
  const std::vector<std::string> got = Exchange(server->port(), false, {}, 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].rfind(R"({"type":"update","action":"stationsUpdated")", 0), 0u) << got[0];
}

// The page under test itself sets a station over the control endpoint with
// fetch: a cross-origin POST with a JSON Content-Type, so the browser asks
// first (a CORS preflight) and reads the answer only if allowed. It hears
// the push on its own WebSocket.
TEST_F(BrowserE2eTest, APageSetsAStationWithFetchAndHearsThePush) {
  auto server = StartOrFail(OnLoopback({"serve", "--tick", "0", "--clock", kClock}));
  ASSERT_NE(server, nullptr);
  const std::string base = "http://127.0.0.1:" + std::to_string(server->port());
  std::string script = "(async () => { const base = ";
  json::AppendString(&script, base);
  script += R"(;
  const ws = new WebSocket(base.replace('http', 'ws') + '/ws');
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  const pushed = new Promise((resolve) => { ws.onmessage = (e) => resolve(e.data); });
  const answer = await fetch(base + '/__wsmock/stations/station_042',
                             {method: 'POST', headers: {'Content-Type': 'application/json'},
                              body: '{"status":"maintenance"}'});
  const body = await answer.json();
  const update = await Promise.race([pushed, new Promise((r) => setTimeout(() => r('none'), 5000))]);
  ws.close(1000);
  return JSON.stringify([String(answer.status), body.station.status, update]);
})())";
  std::string error;
  std::optional<std::string> got = browser_->Evaluate(script, &error);
  ASSERT_TRUE(got.has_value()) << error;
  const std::vector<std::string> values = Messages(*got);
  ASSERT_EQ(values.size(), 3u) << *got;
  EXPECT_EQ(values[0], "200");
  EXPECT_EQ(values[1], "maintenance");
  EXPECT_EQ(
      values[2],
      R"({"type":"update","action":"stationsUpdated","data":{"stations":[{"id":"station_042",)"
      R"("status":"maintenance","currentPower":0.0,"lastUpdate":"2024-01-20T10:30:00.000Z"}],)"
      R"("timestamp":"2024-01-20T10:30:00.000Z"}})");
}

// The page asks on its WebSocket, then reads the request journal and empties
// it with fetch: DELETE is not a simple method, so the browser sends a
// preflight first, which must allow it.
TEST_F(BrowserE2eTest, APageReadsAndEmptiesTheRequestJournalWithFetch) {
  auto server = StartOrFail(OnLoopback({"serve", "--tick", "0", "--clock", kClock}));
  ASSERT_NE(server, nullptr);
  const std::string base = "http://127.0.0.1:" + std::to_string(server->port());
  std::string script = "(async () => { const base = ";
  json::AppendString(&script, base);
  script += R"(;
  const ws = new WebSocket(base.replace('http', 'ws') + '/ws');
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  const answered = new Promise((resolve) => { ws.onmessage = (e) => resolve(e.data); });
  ws.send('{"type":"request","action":"getStationStats","requestId":"p1"}');
  await Promise.race([answered, new Promise((r) => setTimeout(r, 5000))]);
  const journal = await (await fetch(base + '/__wsmock/requests')).json();
  const cleared = await fetch(base + '/__wsmock/requests', {method: 'DELETE'});
  const clearedBody = await cleared.json();
  ws.close(1000);
  return JSON.stringify([journal.requests.map((r) => r.frame).join('|'), String(cleared.status),
                         String(clearedBody.cleared)]);
})())";
  std::string error;
  std::optional<std::string> got = browser_->Evaluate(script, &error);
  ASSERT_TRUE(got.has_value()) << error;
  const std::vector<std::string> values = Messages(*got);
  ASSERT_EQ(values.size(), 3u) << *got;
  EXPECT_EQ(values[0], R"({"type":"request","action":"getStationStats","requestId":"p1"})");
  EXPECT_EQ(values[1], "200");
  EXPECT_EQ(values[2], "1");
}

TEST_F(BrowserE2eTest, WhatABrowserRecordedReplaysToItByteForByte) {
  TempDir dir;
  const std::string db = dir.File("session.db");
  auto record = StartOrFail(OnLoopback({"record", db, "--tick", "0", "--clock", kClock}));
  ASSERT_NE(record, nullptr);
  const std::vector<std::string> recorded = Exchange(record->port(), false, SeedRequests(), 4);
  ASSERT_EQ(recorded.size(), 4u);
  for (const std::string& reply : recorded) {
    EXPECT_EQ(reply.rfind(R"({"type":"response")", 0), 0u) << reply;
  }
  ASSERT_EQ(record->Stop(SIGINT), 0) << record->Output();

  auto replay = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(replay, nullptr);
  EXPECT_EQ(Exchange(replay->port(), false, SeedRequests(), 4), recorded);
  EXPECT_EQ(replay->Stop(SIGINT), 0) << replay->Output();
}

}  // namespace
}  // namespace wsmock
