// What a served client's handshake tells a proxy: its query (turned back
// into URL text from lws's decoded arguments) and its Cookie, Authorization
// and Origin lines.
#include "server/client_identity.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "server/event_log.h"
#include "support/ws_client.h"

namespace wsmock::server {
namespace {

using testing::LocalServerOptions;
using testing::LoopServer;

TEST(EncodeQueryArgsTest, UsualTokensComeBackUnchanged) {
  EXPECT_EQ(EncodeQueryArgs({}), "");
  EXPECT_EQ(EncodeQueryArgs({"token=abc"}), "token=abc");
  EXPECT_EQ(EncodeQueryArgs({"jwt=eyJhbGciOi.J9-x_y~z", "pad=YWJj==", "flag", "next=/a/b?c:d@e"}),
            "jwt=eyJhbGciOi.J9-x_y~z&pad=YWJj==&flag&next=/a/b?c:d@e");
}

TEST(EncodeQueryArgsTest, BytesThatWouldChangeMeaningArePercentEncoded) {
  EXPECT_EQ(EncodeQueryArgs({"q=a b&c;d+e%f#g"}), "q=a%20b%26c%3Bd%2Be%25f%23g");
  EXPECT_EQ(EncodeQueryArgs({"name=\xC3\xA9", std::string("nul=\0\x7f", 6)}),
            "name=%C3%A9&nul=%00%7F");
}

// A served connection: a real lws client asks with `path` and `options`
// and the server's OnOpen is looked at.
PeerInfo PeerOf(const std::string& path, wsmock::testing::ClientOptions options) {
  LoopServer server(LocalServerOptions());
  EXPECT_TRUE(server.ok());
  if (!server.ok()) return {};
  options.path = path;
  std::string error;
  auto client = wsmock::testing::WsClient::Connect(server.port(), options, &error);
  EXPECT_NE(client, nullptr) << error;
  EXPECT_TRUE(server.events().WaitForOpens(1));
  std::vector<testing::OpenEvent> opens = server.events().opens();
  return opens.empty() ? PeerInfo{} : opens[0].peer;
}

TEST(ClientIdentityTest, ServedPeerHasTheQueryAndTheIdentityHeaders) {
  wsmock::testing::ClientOptions options;
  options.origin = "app.example";
  options.headers = {"Cookie: sid=c00kie; theme=dark", "Authorization: Bearer t0ken",
                     "X-Other: not passed on"};
  const PeerInfo peer = PeerOf("/ws?token=abc&pad=YWJj==", options);
  EXPECT_EQ(peer.path, "/ws");
  EXPECT_EQ(peer.query, "token=abc&pad=YWJj==");
  EXPECT_EQ(peer.identity_headers, (std::vector<std::string>{"Cookie: sid=c00kie; theme=dark",
                                                             "Authorization: Bearer t0ken",
                                                             "Origin: http://app.example"}));
}

// lws decodes %XX and '+' and splits at ';' as at '&'; what comes back
// means the same to a server that decodes its query.
TEST(ClientIdentityTest, EscapesInTheQueryMeanTheSameAfterLwsDecodedThem) {
  const PeerInfo peer = PeerOf("/ws?note=a%20b+c&amp=%26%3B%2B;x=%C3%A9", {});
  EXPECT_EQ(peer.query, "note=a%20b%20c&amp=%26%3B%2B&x=%C3%A9");
}

TEST(ClientIdentityTest, NoQueryAndNoHeadersGiveNothing) {
  wsmock::testing::ClientOptions options;
  options.origin = "";
  for (const char* path : {"/ws", "/ws?"}) {
    const PeerInfo peer = PeerOf(path, options);
    EXPECT_EQ(peer.query, "") << path;
    EXPECT_TRUE(peer.identity_headers.empty()) << path;
  }
}

// Only OnOpen gets them: the server does not keep credentials for its life.
TEST(ClientIdentityTest, ServedClientsLeaveThemOut) {
  LoopServer server(LocalServerOptions());
  ASSERT_TRUE(server.ok());
  wsmock::testing::ClientOptions options;
  options.path = "/ws?token=abc";
  options.headers = {"Authorization: Bearer t0ken"};
  auto client = wsmock::testing::WsClient::Connect(server.port(), options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(server.events().WaitForOpens(1));
  EXPECT_EQ(server.events().opens()[0].peer.query, "token=abc");
  std::vector<ClientInfo> clients;
  ASSERT_TRUE(server.OnLoop([&] { clients = server.server().ServedClients(); }));
  ASSERT_EQ(clients.size(), 1u);
  EXPECT_EQ(clients[0].peer.path, "/ws");
  EXPECT_EQ(clients[0].peer.query, "");
  EXPECT_TRUE(clients[0].peer.identity_headers.empty());
}

// lws 4.1.6 would give "a=1  b=2", which no server reads as two cookies.
TEST(ClientIdentityTest, RepeatedLinesAreJoinedAsHttpSays) {
  wsmock::testing::ClientOptions options;
  options.origin = "";
  options.headers = {"Cookie: a=1", "Cookie:  b=2 ", "Authorization: Basic x",
                     "Authorization: Bearer y"};
  const PeerInfo peer = PeerOf("/ws", options);
  EXPECT_EQ(peer.identity_headers,
            (std::vector<std::string>{"Cookie: a=1; b=2", "Authorization: Basic x, Bearer y"}));
}

// lws 4.1.6 writes "/" into an empty last argument; it is left out.
TEST(ClientIdentityTest, AnEmptyLastArgumentIsLeftOut) {
  EXPECT_EQ(PeerOf("/ws?token=abc&", {}).query, "token=abc");
  EXPECT_EQ(PeerOf("/ws?a&&b", {}).query, "a&&b");
}

}  // namespace
}  // namespace wsmock::server
