// End-to-end tests of `wsmock verify`: a session recorded by the real binary
// is verified against `wsmock serve` subprocesses (same seed, another seed,
// wss) and against small in-process targets that misbehave on purpose.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/ws_server.h"
#include "support/handshake_gate.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "tls/certificate.h"
#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock {
namespace {

using testing::OnLoopback;
using testing::RunResult;
using testing::RunWsmock;
using testing::ServerProcess;
using testing::TempDir;

const char kClock[] = "2024-01-20T10:30:00Z";
const std::string kFixture = std::string(WSMOCK_SOURCE_DIR) + "/fixtures/seed42-session.jsonl";

// The seed README's requests, an unknown station and a frame that is not JSON.
const std::vector<std::string> kRequests = {
    R"({"type":"request","action":"getStations","data":{"fields":["id","name","city","status","coordinates","owner"]},"requestId":"req_123"})",
    R"({"type":"request","action":"getStations","data":{"fields":["id","name","city","owner","status","totalEnergy","currentPower"],"filters":{"city":"Москва","status":"active"},"pagination":{"page":1,"limit":20}},"requestId":"req_124"})",
    R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":125})",
    R"({"type":"request","action":"getStationById","data":{"stationId":"nope"},"requestId":"req_126"})",
    "{not json",
};

std::string Target(const ServerProcess& p, const char* scheme = "ws") {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(p.port()) + "/ws";
}

std::unique_ptr<ServerProcess> Serve(const std::string& seed,
                                     std::vector<std::string> extra = {"--no-ssl"}) {
  std::vector<std::string> args = {"serve", "--seed", seed, "--clock", kClock, "--tick", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string error;
  auto p = ServerProcess::Start(OnLoopback(args, /*tls=*/true), &error);  // `extra` picks ws or wss
  EXPECT_NE(p, nullptr) << error;
  return p;
}

// Records kRequests on one connection with `wsmock record`; true when every
// request got its answer.
bool Record(const std::string& db) {
  std::string error;
  auto recorder = ServerProcess::Start(
      OnLoopback({"record", db, "--seed", "42", "--clock", kClock, "--tick", "0"}), &error);
  if (recorder == nullptr) {
    ADD_FAILURE() << error;
    return false;
  }
  auto client = testing::WsClient::Connect(recorder->port(), "/ws", false, &error);
  if (client == nullptr) {
    ADD_FAILURE() << error;
    return false;
  }
  size_t answers = 0;
  for (const std::string& request : kRequests) {
    if (!client->SendText(request)) break;
    answers += client->Receive(5000).has_value();
  }
  client->Close();
  return recorder->Stop() == 0 && answers == kRequests.size();
}

RunResult Verify(const std::string& db, const std::string& target,
                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"verify", db, "--target", target};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunWsmock(args, "", 60000);
}

// A recorded session shared by the tests of this file (recording is the slow part).
class VerifyE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    recorded_ = Record(dir_->File("s.db"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(recorded_) << "recording the session failed"; }
  static std::string Db() { return dir_->File("s.db"); }

  static TempDir* dir_;
  static bool recorded_;
};
TempDir* VerifyE2eTest::dir_ = nullptr;
bool VerifyE2eTest::recorded_ = false;

TEST_F(VerifyE2eTest, TheSameSeedMatchesEverythingAndWritesBothReports) {
  auto target = Serve("42");
  ASSERT_NE(target, nullptr);
  TempDir out;
  RunResult r =
      Verify(Db(), Target(*target), {"--report", out.File("r.json"), "--junit", out.File("r.xml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "5 matched, 0 differed, 0 failed\n") << r.err;
  std::string report = testing::ReadFile(out.File("r.json"));
  auto parsed = json::Parse(report);
  ASSERT_TRUE(parsed.ok()) << report;
  EXPECT_EQ(cJSON_GetObjectItem(parsed->get(), "matched")->valuedouble, 5);
  EXPECT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(parsed->get(), "checks")), 5);
  std::string xml = testing::ReadFile(out.File("r.xml"));
  EXPECT_NE(xml.find(R"(tests="5" failures="0")"), std::string::npos) << xml;
}

TEST_F(VerifyE2eTest, AnotherSeedDiffersAndEachDifferenceIsClassed) {
  auto target = Serve("43");
  ASSERT_NE(target, nullptr);
  RunResult r = Verify(Db(), Target(*target));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(R"(connection 1, request 3: getStationById {"stationId":"station_001"})"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    /data/station/name: value changed: recorded \"ЭЗС EcoStation №1\""),
            std::string::npos)
      << r.out;
  // The unknown station and the bad frame get the same errors from any seed.
  EXPECT_NE(r.out.find("2 matched, 3 differed, 0 failed\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("wsmock: verify failed: 3 of 5 checks did not match"), std::string::npos)
      << r.err;
}

TEST_F(VerifyE2eTest, IgnoredPointersMakeOnlyIgnoredDifferencesPass) {
  auto target = Serve("43");
  ASSERT_NE(target, nullptr);
  RunResult r =
      Verify(Db(), Target(*target), {"--ignore", "/data/stations", "--ignore", "/data/total"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("/data/stations"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/data/station/"), std::string::npos) << r.out;
  r = Verify(Db(), Target(*target), {"--ignore", "/data/*"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "5 matched, 0 differed, 0 failed\n");
}

TEST_F(VerifyE2eTest, SeveralCopiesRunAtOnce) {
  auto target = Serve("42");
  ASSERT_NE(target, nullptr);
  RunResult r = Verify(Db(), Target(*target), {"--connections", "4"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "20 matched, 0 differed, 0 failed\n");
}

// A port nothing listens on: bound, never listened, then closed.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(VerifyE2eTest, ATargetThatRefusesFailsEveryCheckWithAClearMessage) {
  const std::string url = "ws://127.0.0.1:" + std::to_string(ClosedPort()) + "/ws";
  TempDir out;
  RunResult r = Verify(Db(), url, {"--junit", out.File("r.xml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("    failed: cannot connect to " + url), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 matched, 0 differed, 5 failed\n"), std::string::npos) << r.out;
  std::string xml = testing::ReadFile(out.File("r.xml"));
  EXPECT_NE(xml.find(R"(failures="5")"), std::string::npos) << xml;
}

TEST(VerifyFixtureE2eTest, TheImportedSeed42FixtureMatchesServeSeed42) {
  TempDir dir;
  const std::string db = dir.File("fixture.db");
  RunResult imported = RunWsmock({"import", kFixture, db});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto target = Serve("42");
  ASSERT_NE(target, nullptr);
  RunResult r = Verify(db, Target(*target));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "4 matched, 0 differed, 0 failed\n");
  // The fixture has two recorded updates; serve --tick 0 sends none.
  r = Verify(db, Target(*target), {"--compare-updates", "--timeout", "0.3"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("connection 1, update 1: update stationsUpdated\n"
                       "    failed: no update within 0.3 s (got 0 of 2)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("4 matched, 0 differed, 2 failed\n"), std::string::npos) << r.out;
}

// Replaces the number after "name": in a fixture line's envelope.
void SetNumber(std::string* line, const std::string& name, int64_t value) {
  size_t at = line->find("\"" + name + "\":") + name.size() + 3;
  size_t end = line->find(',', at);
  line->replace(at, end - at, std::to_string(value));
}

// An answer line as a backend that does not echo requestId would have
// sent it: no id in the envelope or in the payload.
std::string WithoutEchoedId(const std::string& line) {
  const std::string key = R"("requestId":)";
  size_t envelope = line.find(key) + key.size();
  size_t envelope_end = line.find(',', envelope);
  std::string id = line.substr(envelope, envelope_end - envelope);
  std::string out = line.substr(0, envelope) + "null" + line.substr(envelope_end);
  size_t payload = out.rfind("," + key + id + "}");
  return out.substr(0, payload) + out.substr(payload + key.size() + id.size() + 1);
}

// The fixture rewritten as a proxy sees 4 requests in flight: all requests
// first, then the answers (in reverse order when they echo their requestId,
// else in order), then the updates.
std::string InterleavedFixture(bool echo_ids) {
  std::istringstream lines(testing::ReadFile(kFixture));
  std::vector<std::string> head, ins, outs, updates;
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(R"({"type":"message")") != 0) {
      head.push_back(line);
    } else if (line.find(R"("direction":"in")") != std::string::npos) {
      ins.push_back(line);
    } else if (line.find(R"("kind":"update")") != std::string::npos) {
      updates.push_back(line);
    } else if (echo_ids) {
      outs.insert(outs.begin(), line);
    } else {
      outs.push_back(WithoutEchoedId(line));
    }
  }
  std::string out;
  for (const std::string& h : head) out += h + "\n";
  int64_t seq = 0;
  for (auto* group : {&ins, &outs, &updates}) {
    for (std::string m : *group) {
      // Only seq and (but for updates) offsetUs change; payloads stay byte for byte.
      ++seq;
      SetNumber(&m, "seq", seq);
      if (group != &updates) SetNumber(&m, "offsetUs", seq * 1000);
      out += m + "\n";
    }
  }
  return out;
}

// Canonical JSON of an answer without its requestId.
std::string CanonicalWithoutId(const std::string& message) {
  auto parsed = json::Parse(message);
  if (!parsed.ok()) return "not JSON: " + message;
  cJSON_DeleteItemFromObjectCaseSensitive(parsed->get(), "requestId");
  return json::Canonical(parsed->get());
}

// Imports the interleaved fixture, verifies it against serve --seed 42, and
// checks that replay answers each request as that server does.
void CheckInterleaved(bool echo_ids) {
  TempDir dir;
  testing::WriteFile(dir.File("interleaved.jsonl"), InterleavedFixture(echo_ids));
  const std::string db = dir.File("interleaved.db");
  RunResult imported = RunWsmock({"import", dir.File("interleaved.jsonl"), db});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  auto target = Serve("42");
  ASSERT_NE(target, nullptr);
  RunResult verified = Verify(db, Target(*target));
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_EQ(verified.out, "4 matched, 0 differed, 0 failed\n");

  // Replay answers each request with its own recorded answer, which the
  // same seed's server gives too.
  std::string error;
  auto replay = ServerProcess::Start(OnLoopback({"replay", db, "--strict"}), &error);
  ASSERT_NE(replay, nullptr) << error;
  auto from_replay = testing::WsClient::Connect(replay->port(), "/ws", false, &error);
  auto from_serve = testing::WsClient::Connect(target->port(), "/ws", false, &error);
  ASSERT_NE(from_replay, nullptr) << error;
  ASSERT_NE(from_serve, nullptr) << error;
  std::istringstream lines(testing::ReadFile(kFixture));
  std::string line;
  int asked = 0;
  while (std::getline(lines, line)) {
    if (line.find(R"("direction":"in")") == std::string::npos) continue;
    json::Span span = json::FindTopLevelValue(line, "json");
    ASSERT_NE(span.begin, std::string::npos);
    const std::string request = line.substr(span.begin, span.end - span.begin);
    ASSERT_TRUE(from_replay->SendText(request));
    ASSERT_TRUE(from_serve->SendText(request));
    auto replayed = from_replay->Receive(5000);
    auto served = from_serve->Receive(5000);
    ASSERT_TRUE(replayed.has_value() && served.has_value());
    EXPECT_EQ(CanonicalWithoutId(*replayed), CanonicalWithoutId(*served)) << request;
    ++asked;
  }
  EXPECT_EQ(asked, 4);
  from_replay->Close();
  from_serve->Close();
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

TEST(VerifyInterleavedE2eTest, RequestsInFlightPairByRequestIdInReplayAndVerify) {
  CheckInterleaved(/*echo_ids=*/true);
}

TEST(VerifyInterleavedE2eTest, AnswersWithoutRequestIdPairInOrderInReplayAndVerify) {
  CheckInterleaved(/*echo_ids=*/false);
}

TEST_F(VerifyE2eTest, WssTargetsVerifyWithTheirCaOrInsecure) {
  auto pair = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  TempDir tls_dir;
  testing::WriteFile(tls_dir.File("cert.pem"), pair->cert_pem);
  testing::WriteFile(tls_dir.File("key.pem"), pair->key_pem);
  auto target =
      Serve("42", {"--tls-cert", tls_dir.File("cert.pem"), "--tls-key", tls_dir.File("key.pem")});
  ASSERT_NE(target, nullptr);
  RunResult with_ca = Verify(Db(), Target(*target, "wss"), {"--ca", tls_dir.File("cert.pem")});
  EXPECT_EQ(with_ca.exit_code, 0) << with_ca.out << with_ca.err;
  EXPECT_EQ(with_ca.out, "5 matched, 0 differed, 0 failed\n");
  RunResult insecure = Verify(Db(), Target(*target, "wss"), {"--insecure"});
  EXPECT_EQ(insecure.exit_code, 0) << insecure.out << insecure.err;
  RunResult untrusted = Verify(Db(), Target(*target, "wss"), {"--timeout", "2"});
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_NE(untrusted.out.find("failed: cannot connect to wss://"), std::string::npos)
      << untrusted.out;
  // OpenSSL's reason, not lws 4.1.6's "error:00000001:lib(0)::reason(1)".
  EXPECT_NE(untrusted.out.find("certificate verify failed: self-signed certificate"),
            std::string::npos)
      << untrusted.out;
}

// A staging backend as the README's capture-replay-verify workflow has it:
// `wsmock serve --seed 42 --subprotocol v1.json` behind a gate that answers
// 401 to a handshake without the token or without the subprotocol.
class GatedTarget {
 public:
  static constexpr char kToken[] = "Bearer t0ken-s3cret";
  GatedTarget() {
    backend_ = Serve("42", {"--no-ssl", "--subprotocol", "v1.json"});
    if (backend_ == nullptr) return;
    gate_ = std::make_unique<testing::HandshakeGate>(
        backend_->port(), std::vector<std::string>{std::string("Authorization: ") + kToken,
                                                   "Sec-WebSocket-Protocol: v1.json"});
  }
  bool ok() const { return gate_ != nullptr && gate_->ok(); }
  std::string url() const { return gate_->url(); }
  int refused() const { return gate_->refused(); }

 private:
  std::unique_ptr<ServerProcess> backend_;
  std::unique_ptr<testing::HandshakeGate> gate_;  // after backend_, so it goes first
};

TEST_F(VerifyE2eTest, TargetHeaderAndSubprotocolGetPastAGateButTheValueIsNeverPrinted) {
  GatedTarget target;
  ASSERT_TRUE(target.ok());
  TempDir out;
  RunResult r = Verify(Db(), target.url(),
                       {"--target-header", std::string("Authorization: ") + GatedTarget::kToken,
                        "--target-subprotocol", "v1.json", "--report", out.File("r.json"),
                        "--junit", out.File("r.xml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "5 matched, 0 differed, 0 failed\n") << r.err;
  EXPECT_EQ(target.refused(), 0);
  // The log names the header, never its value.
  EXPECT_NE(r.err.find("(headers Authorization; subprotocol v1.json): 5 checks"), std::string::npos)
      << r.err;
  for (const std::string& text : {r.out, r.err, testing::ReadFile(out.File("r.json")),
                                  testing::ReadFile(out.File("r.xml"))}) {
    EXPECT_EQ(text.find("t0ken"), std::string::npos) << text;
  }
}

TEST_F(VerifyE2eTest, AGateFailsEveryCheckWithoutTheTargetHeaderOrSubprotocol) {
  GatedTarget target;
  ASSERT_TRUE(target.ok());
  const std::string header = std::string("Authorization: ") + GatedTarget::kToken;
  for (std::vector<std::string> flags :
       {std::vector<std::string>{"--target-subprotocol", "v1.json"},
        {"--target-header", header},
        {"--target-header", "Authorization: Bearer wrong", "--target-subprotocol", "v1.json"}}) {
    RunResult r = Verify(Db(), target.url(), flags);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("    failed: cannot connect to " + target.url()), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("(HTTP 401)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("0 matched, 0 differed, 5 failed\n"), std::string::npos) << r.out;
  }
  EXPECT_EQ(target.refused(), 3);
}

// An in-process target: a WsServer on its own thread whose handler is a
// function of (server, connection, message). Loop thread only inside `reply`.
class FakeTarget final : public server::Handler {
 public:
  using Reply = std::function<void(server::WsServer*, server::ConnectionId, std::string_view)>;
  explicit FakeTarget(Reply reply) : reply_(std::move(reply)) {
    server::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    auto created = server::WsServer::Create(options, this);
    EXPECT_TRUE(created.ok()) << created.status().message();
    server_ = std::move(*created);
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  ~FakeTarget() override {
    server_->Stop();
    thread_.join();
  }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(server_->port()) + "/ws"; }

  void OnOpen(server::ConnectionId, const server::PeerInfo&) override {}
  void OnMessage(server::ConnectionId id, std::string_view message, bool) override {
    reply_(server_.get(), id, message);
  }
  void OnClose(server::ConnectionId, int) override {}

 private:
  Reply reply_;
  std::unique_ptr<server::WsServer> server_;
  std::thread thread_;
};

TEST_F(VerifyE2eTest, ATargetThatNeverAnswersTimesOutPerRequest) {
  FakeTarget silent([](server::WsServer*, server::ConnectionId, std::string_view) {});
  RunResult r = Verify(Db(), silent.url(), {"--timeout", "0.2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("    failed: no answer within 0.2 s\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 matched, 0 differed, 5 failed\n"), std::string::npos) << r.out;
}

TEST_F(VerifyE2eTest, ATargetThatClosesMidSessionFailsTheRestWithItsCode) {
  FakeTarget closer([](server::WsServer* s, server::ConnectionId id, std::string_view) {
    s->Close(id, 1011, "going away");
  });
  RunResult r = Verify(Db(), closer.url());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("failed: the target closed the connection (code 1011)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("0 matched, 0 differed, 5 failed\n"), std::string::npos) << r.out;
}

TEST(VerifyCliTest, UsageErrorsAreOneLineWithExitCode2) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  testing::WriteFile(db, "");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"verify", db}, "--target is required"},
      {{"verify", db, "--target", "http://x/ws"}, "--target must be a ws:// or wss:// URL"},
      {{"verify", db, "--target", "ws://x/ws", "--insecure"}, "need a wss:// target"},
      {{"verify", db, "--target", "ws://x/ws", "--timeout", "0"}, "--timeout must be"},
      {{"verify", db, "--target", "ws://x/ws", "--connections", "0"}, "--connections must be"},
      {{"verify", db, "--target", "ws://x/ws", "--ignore", "data"}, "--ignore: JSON pointer"},
  };
  for (const Case& c : cases) {
    RunResult r = RunWsmock(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
  RunResult help = RunWsmock({"verify", "--help"});
  EXPECT_NE(help.out.find("--target-header"), std::string::npos);
  EXPECT_NE(help.out.find("--target-subprotocol"), std::string::npos);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--compare-updates"), std::string::npos);
}

TEST(VerifyCliTest, BadTargetHeadersAndSubprotocolsAreUsageErrorsNamingTheFlag) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  testing::WriteFile(db, "");
  struct Case {
    std::vector<std::string> flags;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--target-header", "Authorization"}, "--target-header: header 'Authorization...' does not"},
      {{"--target-header", ": s3cret"}, "--target-header: header with no name before ':'"},
      {{"--target-header", "Bad Name: s3cret"},
       "--target-header: header name 'Bad Name' is not a valid HTTP header name"},
      {{"--target-header", "X-Ok: 1", "--target-header", "X-Token: s3cret\r\nX-Evil: 1"},
       "--target-header: header 'X-Token' has a line break or NUL in its value"},
      {{"--target-subprotocol", "v1 json"},
       "--target-subprotocol 'v1 json' is not a subprotocol name"},
      {{"--target-subprotocol", "a,b"}, "--target-subprotocol 'a,b' is not a subprotocol name"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"verify", db, "--target", "ws://127.0.0.1:1/ws"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    RunResult r = RunWsmock(args);
    EXPECT_EQ(r.exit_code, 2) << c.message << ": " << r.err;
    EXPECT_NE(r.err.find("wsmock verify: " + c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    if (c.message.find("s3cret") == std::string::npos) {
      EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << r.err;  // the name, not the value
    }
  }
}

}  // namespace
}  // namespace wsmock
