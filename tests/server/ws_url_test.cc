#include "server/ws_url.h"

#include <gtest/gtest.h>

#include "server/handshake_headers.h"

namespace wsmock::server {
namespace {

TEST(WsUrlTest, SplitsSchemeHostPortAndPath) {
  Result<WsUrl> url = ParseWsUrl("ws://127.0.0.1:9000/ws?x=1");
  ASSERT_TRUE(url.ok()) << url.status().message();
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->path, "/ws?x=1");
}

TEST(WsUrlTest, DefaultsPortAndPath) {
  Result<WsUrl> plain = ParseWsUrl("ws://example.com");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->path, "/");
  Result<WsUrl> secure = ParseWsUrl("wss://example.com?token=a");
  ASSERT_TRUE(secure.ok());
  EXPECT_TRUE(secure->tls);
  EXPECT_EQ(secure->port, 443);
  EXPECT_EQ(secure->path, "/?token=a");
}

TEST(WsUrlTest, ReadsBracketedIpv6) {
  Result<WsUrl> url = ParseWsUrl("ws://[::1]:8080/ws");
  ASSERT_TRUE(url.ok()) << url.status().message();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8080);
}

TEST(WsUrlTest, HostAndPortBracketsAnIpv6Host) {
  EXPECT_EQ(HostAndPort("::1", 8080), "[::1]:8080");
  EXPECT_EQ(HostAndPort("fe80::1%lo", 80), "[fe80::1%lo]:80");
  EXPECT_EQ(HostAndPort("127.0.0.1", 0), "127.0.0.1:0");
  EXPECT_EQ(HostAndPort("localhost", 10009), "localhost:10009");
}

TEST(WsUrlTest, RefusesWhatIsNotAWebSocketUrl) {
  EXPECT_EQ(ParseWsUrl("http://x/ws").status().message(),
            "'http://x/ws' is not a ws:// or wss:// URL");
  EXPECT_EQ(ParseWsUrl("ws://:80/ws").status().message(), "'ws://:80/ws' names no host");
  EXPECT_EQ(ParseWsUrl("ws://h:99999/").status().message(), "'ws://h:99999/' has a bad port");
  EXPECT_FALSE(ParseWsUrl("ws://h:0/").ok());
  EXPECT_FALSE(ParseWsUrl("ws://h:/").ok());
  EXPECT_FALSE(ParseWsUrl("ws://h/a#frag").ok());
  EXPECT_FALSE(ParseWsUrl("ws://h/a b").ok());
  EXPECT_FALSE(ParseWsUrl("ws://user@h/").ok());
  EXPECT_FALSE(ParseWsUrl("ws://[::1/").ok());
}

TEST(WsUrlTest, AppendQueryAddsAfterQuestionMarkOrAmpersand) {
  EXPECT_EQ(AppendQuery("/ws", "t=1"), "/ws?t=1");
  EXPECT_EQ(AppendQuery("/ws?v=2", "t=1"), "/ws?v=2&t=1");
  EXPECT_EQ(AppendQuery("ws://h/ws?", "t=1"), "ws://h/ws?t=1");
  EXPECT_EQ(AppendQuery("/ws?v=2&", "t=1"), "/ws?v=2&t=1");
  EXPECT_EQ(AppendQuery("/ws?v=2", ""), "/ws?v=2");
}

TEST(WsUrlTest, CheckQueryRefusesSpacesControlsAndFragmentsWithoutQuotingThem) {
  EXPECT_TRUE(CheckQuery("").ok());
  EXPECT_TRUE(CheckQuery("token=abc&note=a%20b").ok());
  for (const char* bad : {"token=s3cret x", "token=s3cret\r\nX: y", "token=s3cret#f"}) {
    Status status = CheckQuery(bad);
    EXPECT_FALSE(status.ok()) << bad;
    EXPECT_EQ(status.message().find("s3cret"), std::string::npos) << status.message();
  }
}

TEST(HandshakeHeadersTest, AcceptsNameValueLinesAndRefusesInjection) {
  EXPECT_TRUE(CheckHandshakeHeader("Authorization: Bearer abc").ok());
  EXPECT_TRUE(CheckHandshakeHeader("X-Empty:").ok());
  EXPECT_FALSE(CheckHandshakeHeader("no colon").ok());
  EXPECT_FALSE(CheckHandshakeHeader(": value").ok());
  EXPECT_FALSE(CheckHandshakeHeader("Bad Name: v").ok());
  EXPECT_FALSE(CheckHandshakeHeader("X-A: 1\r\nX-B: 2").ok());
  EXPECT_FALSE(CheckHandshakeHeader(std::string("X-A: 1\0", 7)).ok());
}

TEST(HandshakeHeadersTest, WritesNormalisedLinesOnlyWhenAllFit) {
  char buffer[64];
  char* p = buffer;
  ASSERT_TRUE(AppendHandshakeHeaders({"A:1", "B-c:   two  "}, &p, buffer + sizeof(buffer)));
  EXPECT_EQ(std::string(buffer, p), "A: 1\r\nB-c: two\r\n");
  char small[8];
  char* q = small;
  EXPECT_FALSE(AppendHandshakeHeaders({"Long-Name: value"}, &q, small + sizeof(small)));
  EXPECT_EQ(q, small);
}

}  // namespace
}  // namespace wsmock::server
