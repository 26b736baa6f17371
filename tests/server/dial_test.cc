// WsServer::Dial: client connections from a server's own loop, to another
// WsServer (ws and wss) or to a raw socket that shows the handshake bytes.
#include <gtest/gtest.h>

#include <string>

#include "server/event_log.h"
#include "server/ws_server.h"
#include "support/raw_tcp.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "tls/certificate.h"

namespace wsmock::server {
namespace {

using testing::LocalServerOptions;
using testing::LoopServer;

DialOptions To(const std::string& url) {
  DialOptions options;
  options.url = url;
  return options;
}

// A loop with no listener, as verify uses.
ServerOptions DialerOptions() {
  ServerOptions options = LocalServerOptions();
  options.port = -1;
  return options;
}

std::string UrlOf(const LoopServer& target, bool tls = false) {
  return std::string(tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(target.port()) + "/ws";
}

// A port nothing listens on: one a server just gave back.
int ClosedPort() {
  LoopServer gone(LocalServerOptions());
  return gone.ok() ? gone.port() : 1;
}

TEST(WsServerDialTest, DialedConnectionCarriesMessagesBothWays) {
  LoopServer target(LocalServerOptions(), /*echo=*/true);
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(target.ok() && dialer.ok()) << dialer.create_status().message();
  Result<ConnectionId> id = dialer.Dial(To(UrlOf(target)));
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(dialer.events().WaitForOpens(1));
  EXPECT_EQ(dialer.events().opens()[0].id, *id);
  EXPECT_EQ(dialer.events().opens()[0].peer.address, UrlOf(target));
  EXPECT_EQ(dialer.events().opens()[0].peer.path, "/ws");

  EXPECT_EQ(dialer.Send(*id, "hello"), SendResult::kQueued);
  EXPECT_EQ(dialer.Send(*id, std::string("\x00\x01", 2), /*binary=*/true), SendResult::kQueued);
  ASSERT_TRUE(dialer.events().WaitForMessages(2));
  std::vector<testing::MessageEvent> echoed = dialer.events().messages();
  EXPECT_EQ(echoed[0].text, "hello");
  EXPECT_FALSE(echoed[0].binary);
  EXPECT_EQ(echoed[1].text, std::string("\x00\x01", 2));
  EXPECT_TRUE(echoed[1].binary);

  // The served side sees a client like any other.
  ASSERT_TRUE(target.events().WaitForOpens(1));
  EXPECT_EQ(target.events().opens()[0].peer.address, "127.0.0.1");
}

TEST(WsServerDialTest, MessagesSentBeforeTheHandshakeGoOutInOrderOnceOpen) {
  LoopServer target(LocalServerOptions(), /*echo=*/true);
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(target.ok() && dialer.ok());
  std::vector<SendResult> results;
  ConnectionId id = 0;
  // Dial and send in one loop turn, so the handshake cannot have finished.
  ASSERT_TRUE(dialer.OnLoop([&] {
    id = *dialer.server().Dial(To(UrlOf(target)), &dialer.events());
    for (int i = 0; i < 3; ++i)
      results.push_back(dialer.server().Send(id, "m" + std::to_string(i)));
  }));
  EXPECT_EQ(results, std::vector<SendResult>(3, SendResult::kQueued));
  ASSERT_TRUE(dialer.events().WaitForMessages(3));
  std::vector<testing::MessageEvent> echoed = dialer.events().messages();
  EXPECT_EQ(echoed[0].text, "m0");
  EXPECT_EQ(echoed[1].text, "m1");
  EXPECT_EQ(echoed[2].text, "m2");
}

TEST(WsServerDialTest, RefusedPortReportsDialFailedWithAReason) {
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(dialer.ok());
  Result<ConnectionId> id =
      dialer.Dial(To("ws://127.0.0.1:" + std::to_string(ClosedPort()) + "/ws"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(dialer.events().WaitForDialFailures(1));
  EXPECT_EQ(dialer.events().failures()[0].id, *id);
  EXPECT_FALSE(dialer.events().failures()[0].reason.empty());
  EXPECT_TRUE(dialer.events().opens().empty());
  EXPECT_TRUE(dialer.events().closes().empty());
  EXPECT_EQ(dialer.server().connection_count(), 0u);
}

TEST(WsServerDialTest, WrongPathReportsTheHttpStatus) {
  LoopServer target(LocalServerOptions());
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(target.ok() && dialer.ok());
  ASSERT_TRUE(dialer.Dial(To("ws://127.0.0.1:" + std::to_string(target.port()) + "/nope")).ok());
  ASSERT_TRUE(dialer.events().WaitForDialFailures(1));
  EXPECT_NE(dialer.events().failures()[0].reason.find("404"), std::string::npos)
      << dialer.events().failures()[0].reason;
}

TEST(WsServerDialTest, HeadersAndSubprotocolAreSentInTheHandshake) {
  testing::RawListener listener;
  ASSERT_TRUE(listener.ok());
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(dialer.ok());
  DialOptions options;
  options.url = "ws://127.0.0.1:" + std::to_string(listener.port()) + "/feed?x=1";
  options.headers = {"Authorization: Bearer abc", "X-Trace:  42  "};
  options.subprotocol = "wsmock";
  ASSERT_TRUE(dialer.Dial(options).ok());
  const std::string head = listener.AcceptRequestHead();
  EXPECT_EQ(head.rfind("GET /feed?x=1 HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nAuthorization: Bearer abc\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nX-Trace: 42\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nSec-WebSocket-Protocol: wsmock\r\n"), std::string::npos) << head;
  // The listener hung up without an answer.
  ASSERT_TRUE(dialer.events().WaitForDialFailures(1));
}

TEST(WsServerDialTest, QueryIsAddedToTheUrlsOwnInTheRequestLine) {
  testing::RawListener listener;
  ASSERT_TRUE(listener.ok());
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(dialer.ok());
  DialOptions options = To("ws://127.0.0.1:" + std::to_string(listener.port()) + "/feed?x=1");
  options.query = "token=abc&note=a%20b";
  ASSERT_TRUE(dialer.Dial(options).ok());
  const std::string head = listener.AcceptRequestHead();
  EXPECT_EQ(head.rfind("GET /feed?x=1&token=abc&note=a%20b HTTP/1.1\r\n", 0), 0u) << head;
  ASSERT_TRUE(dialer.events().WaitForDialFailures(1));
}

// The query may carry a token; only the url (the user's own) is named.
TEST(WsServerDialTest, TheQueryIsNeverQuotedInADialError) {
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(dialer.ok());
  DialOptions refused = To("ws://127.0.0.1:" + std::to_string(ClosedPort()) + "/ws");
  refused.query = "token=s3cret";
  ASSERT_TRUE(dialer.Dial(refused).ok());
  ASSERT_TRUE(dialer.events().WaitForDialFailures(1));
  EXPECT_EQ(dialer.events().failures()[0].reason.find("s3cret"), std::string::npos)
      << dialer.events().failures()[0].reason;
  DialOptions spaced = To("ws://127.0.0.1:1/ws");
  spaced.query = "token=s3cret x";
  Result<ConnectionId> id = dialer.Dial(spaced);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message().find("s3cret"), std::string::npos) << id.status().message();
  EXPECT_FALSE(CheckDialOptions(spaced).ok());
}

TEST(WsServerDialTest, ServedSideSeesTheSubprotocolTheDialAskedFor) {
  LoopServer target(LocalServerOptions());
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(target.ok() && dialer.ok());
  DialOptions options = To(UrlOf(target));
  options.subprotocol = "wsmock";
  ASSERT_TRUE(dialer.Dial(options).ok());
  ASSERT_TRUE(target.events().WaitForOpens(1));
  EXPECT_EQ(target.events().opens()[0].peer.subprotocol, "wsmock");
  ASSERT_TRUE(dialer.events().WaitForOpens(1));
  EXPECT_EQ(dialer.events().opens()[0].peer.subprotocol, "wsmock");
}

TEST(WsServerDialTest, BadUrlHeaderOrCaFileIsAnErrorAtOnce) {
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(dialer.ok());
  EXPECT_FALSE(dialer.Dial(To("http://127.0.0.1/ws")).ok());
  DialOptions bad_header = To("ws://127.0.0.1:1/ws");
  bad_header.headers = {"X-Evil: a\r\nInjected: b"};
  EXPECT_FALSE(dialer.Dial(bad_header).ok());
  wsmock::testing::TempDir dir;
  DialOptions missing_ca = To("wss://127.0.0.1:1/ws");
  missing_ca.ca_file = dir.File("missing.pem");
  Result<ConnectionId> id = dialer.Dial(missing_ca);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message().rfind("cannot read CA file '" + missing_ca.ca_file + "'", 0), 0u)
      << id.status().message();
  EXPECT_TRUE(dialer.events().failures().empty());
}

TEST(WsServerDialTest, WithoutDialTlsAPlainServerDialsWsAndRefusesWss) {
  LoopServer target(LocalServerOptions(), /*echo=*/true);
  ServerOptions plain = LocalServerOptions();
  plain.dial_tls = false;
  LoopServer dialer(plain);
  ASSERT_TRUE(target.ok() && dialer.ok()) << dialer.create_status().message();
  Result<ConnectionId> refused = dialer.Dial(To(UrlOf(target, /*tls=*/true)));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("without TLS"), std::string::npos)
      << refused.status().message();
  Result<ConnectionId> id = dialer.Dial(To(UrlOf(target)));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(dialer.Send(*id, "hello"), SendResult::kQueued);
  ASSERT_TRUE(dialer.events().WaitForMessages(1));
  EXPECT_EQ(dialer.events().messages()[0].text, "hello");
  EXPECT_TRUE(dialer.events().failures().empty());
}

TEST(WsServerDialTest, ClosingEitherSideReportsTheCodeToTheOther) {
  LoopServer target(LocalServerOptions());
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(target.ok() && dialer.ok());
  Result<ConnectionId> first = dialer.Dial(To(UrlOf(target)));
  Result<ConnectionId> second = dialer.Dial(To(UrlOf(target)));
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(dialer.events().WaitForOpens(2));
  ASSERT_TRUE(target.events().WaitForOpens(2));

  dialer.Close(*first, 4001, "dialer leaves");
  ASSERT_TRUE(target.events().WaitForCloses(1));
  EXPECT_EQ(target.events().closes()[0].code, 4001);
  ASSERT_TRUE(dialer.events().WaitForCloses(1));
  EXPECT_EQ(dialer.events().closes()[0].id, *first);
  EXPECT_EQ(dialer.events().closes()[0].code, 4001);

  // The served side closes the other one.
  const ConnectionId served = target.events().opens()[1].id;
  target.Close(served, 4002, "target leaves");
  ASSERT_TRUE(dialer.events().WaitForCloses(2));
  EXPECT_EQ(dialer.events().closes()[1].id, *second);
  EXPECT_EQ(dialer.events().closes()[1].code, 4002);
}

TEST(WsServerDialTest, ClosingADialStillConnectingReportsItFailed) {
  testing::RawListener silent;  // accepts but never answers the handshake
  ASSERT_TRUE(silent.ok());
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(dialer.ok());
  Result<ConnectionId> id =
      dialer.Dial(To("ws://127.0.0.1:" + std::to_string(silent.port()) + "/"));
  ASSERT_TRUE(id.ok());
  dialer.Close(*id, 1000);
  ASSERT_TRUE(dialer.events().WaitForDialFailures(1));
  EXPECT_EQ(dialer.events().failures()[0].reason, "closed before it opened");
  EXPECT_EQ(dialer.Send(*id, "late"), SendResult::kNoConnection);
  EXPECT_TRUE(dialer.events().opens().empty());
}

TEST(WsServerDialTest, DialThatGetsNoAnswerFailsAtTheHandshakeTimeout) {
  testing::RawListener silent;  // the kernel completes the TCP handshake; nothing answers
  ASSERT_TRUE(silent.ok());
  ServerOptions options = DialerOptions();
  options.handshake_timeout = 1;
  LoopServer dialer(options);
  ASSERT_TRUE(dialer.ok());
  ASSERT_TRUE(dialer.Dial(To("ws://127.0.0.1:" + std::to_string(silent.port()) + "/")).ok());
  EXPECT_FALSE(dialer.events().WaitForDialFailures(1, 500));
  ASSERT_TRUE(dialer.events().WaitForDialFailures(1, 4000));
  EXPECT_EQ(dialer.events().failures()[0].reason, "no WebSocket handshake within 1 s");
  EXPECT_TRUE(dialer.events().opens().empty());
}

// lws 4.1.6 leaves its connect timer running on a connection that opened;
// it must not end the connection once it fires.
TEST(WsServerDialTest, DialedConnectionOutlivesTheHandshakeTimeout) {
  LoopServer target(LocalServerOptions(), /*echo=*/true);
  ServerOptions options = DialerOptions();
  options.handshake_timeout = 1;
  LoopServer dialer(options);
  ASSERT_TRUE(target.ok() && dialer.ok());
  Result<ConnectionId> id = dialer.Dial(To(UrlOf(target)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(dialer.events().WaitForOpens(1));
  EXPECT_FALSE(dialer.events().WaitForCloses(1, 2500));
  dialer.Send(*id, "still open");
  ASSERT_TRUE(dialer.events().WaitForMessages(1));
  EXPECT_EQ(dialer.events().messages()[0].text, "still open");
}

TEST(WsServerDialTest, StopClosesDialedConnectionsWith1001) {
  LoopServer target(LocalServerOptions());
  LoopServer dialer(DialerOptions());
  ASSERT_TRUE(target.ok() && dialer.ok());
  ASSERT_TRUE(dialer.Dial(To(UrlOf(target))).ok());
  ASSERT_TRUE(dialer.events().WaitForOpens(1));
  dialer.StopAndJoin();
  ASSERT_EQ(dialer.events().closes().size(), 1u);
  EXPECT_EQ(dialer.events().closes()[0].code, 1001);
  ASSERT_TRUE(target.events().WaitForCloses(1));
  EXPECT_EQ(target.events().closes()[0].code, 1001);
}

TEST(WsServerDialTest, DialedConnectionsHonourTheMessageLimit) {
  LoopServer target(LocalServerOptions());
  ServerOptions options = DialerOptions();
  options.max_message = 100;
  LoopServer dialer(options);
  ASSERT_TRUE(target.ok() && dialer.ok());
  ASSERT_TRUE(dialer.Dial(To(UrlOf(target))).ok());
  ASSERT_TRUE(target.events().WaitForOpens(1));
  target.Send(target.events().opens()[0].id, std::string(101, 'x'));
  ASSERT_TRUE(dialer.events().WaitForCloses(1));
  EXPECT_EQ(dialer.events().closes()[0].code, 1009);
}

TEST(WsServerDialTest, DialedConnectionsTakeNoServedPlaceAndGetNoBroadcasts) {
  LoopServer target(LocalServerOptions(), /*echo=*/true);
  ServerOptions options = LocalServerOptions();
  options.max_connections = 1;
  LoopServer both(options);  // listens and dials
  ASSERT_TRUE(target.ok() && both.ok());
  Result<ConnectionId> id = both.Dial(To(UrlOf(target)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(both.events().WaitForOpens(1));
  EXPECT_EQ(wsmock::testing::UpgradeStatus(both.port(), "/ws"), 101);
  ASSERT_TRUE(both.OnLoop([&] {
    both.server().Broadcast("to served clients only");
    both.server().Send(*id, "marker");
  }));
  ASSERT_TRUE(target.events().WaitForMessages(1));
  ASSERT_TRUE(both.events().WaitForMessages(1));  // the echo: all before it has arrived
  std::vector<testing::MessageEvent> seen = target.events().messages();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].text, "marker");
}

// --- wss, with a certificate made now and written to files.

class WsServerDialTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<tls::CertificatePair> pair = tls::GenerateSelfSigned("localhost");
    ASSERT_TRUE(pair.ok()) << pair.status().message();
    wsmock::testing::WriteFile(dir_.File("cert.pem"), pair->cert_pem);
    wsmock::testing::WriteFile(dir_.File("cert.key"), pair->key_pem);
    ServerOptions options = LocalServerOptions();
    options.tls.cert_path = dir_.File("cert.pem");
    options.tls.key_path = dir_.File("cert.key");
    // A wss listener sets OpenSSL up whether or not it may dial wss.
    options.dial_tls = false;
    target_ = std::make_unique<LoopServer>(options, /*echo=*/true);
    ASSERT_TRUE(target_->ok()) << target_->create_status().message();
    dialer_ = std::make_unique<LoopServer>(DialerOptions());
    ASSERT_TRUE(dialer_->ok());
  }

  // Dials with `options` (url filled in) and says whether an echo came back.
  bool EchoesThrough(DialOptions options) {
    options.url = UrlOf(*target_, /*tls=*/true);
    Result<ConnectionId> id = dialer_->Dial(options);
    if (!id.ok() || !dialer_->events().WaitForDialOutcomes(1)) return false;
    if (dialer_->events().opens().empty()) return false;
    dialer_->Send(*id, "secure");
    return dialer_->events().WaitForMessages(1) && dialer_->events().messages()[0].text == "secure";
  }

  wsmock::testing::TempDir dir_;
  std::unique_ptr<LoopServer> target_;
  std::unique_ptr<LoopServer> dialer_;
};

TEST_F(WsServerDialTlsTest, TrustsTheGivenCaFile) {
  DialOptions options;
  options.ca_file = dir_.File("cert.pem");
  EXPECT_TRUE(EchoesThrough(options));
}

TEST_F(WsServerDialTlsTest, InsecureAcceptsTheSelfSignedCertificate) {
  DialOptions options;
  options.insecure = true;
  EXPECT_TRUE(EchoesThrough(options));
}

TEST_F(WsServerDialTlsTest, NeitherCaNorInsecureFailsTheDial) {
  EXPECT_FALSE(EchoesThrough(DialOptions()));
  ASSERT_TRUE(dialer_->events().WaitForDialFailures(1));
  EXPECT_FALSE(dialer_->events().failures()[0].reason.empty());
  EXPECT_TRUE(target_->events().opens().empty());
}

TEST_F(WsServerDialTlsTest, APlainDialToTheWssPortFails) {
  Result<ConnectionId> id = dialer_->Dial(To(UrlOf(*target_, /*tls=*/false)));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(dialer_->events().WaitForDialFailures(1));
  EXPECT_TRUE(dialer_->events().opens().empty());
}

}  // namespace
}  // namespace wsmock::server
