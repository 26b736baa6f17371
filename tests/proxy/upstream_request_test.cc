#include "proxy/upstream_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::proxy {
namespace {

server::DialOptions Upstream(std::vector<std::string> headers) {
  server::DialOptions upstream;
  upstream.url = "wss://backend.example/ws?v=2";
  upstream.ca_file = "ca.pem";
  upstream.insecure = true;
  upstream.headers = std::move(headers);
  upstream.subprotocol = "ignored";
  return upstream;
}

server::PeerInfo Client() {
  server::PeerInfo client;
  client.address = "127.0.0.1";
  client.path = "/ws";
  client.subprotocol = "graphql-ws";
  client.query = "token=abc";
  client.identity_headers = {"Cookie: sid=1", "Authorization: Bearer client",
                             "Origin: http://app.example"};
  return client;
}

TEST(UpstreamRequestTest, TheClientsQueryHeadersAndSubprotocolArePassedOn) {
  const server::DialOptions dial = UpstreamDialFor(Upstream({"X-Trace: 1"}), Client());
  EXPECT_EQ(dial.url, "wss://backend.example/ws?v=2");  // the query goes apart
  EXPECT_EQ(dial.query, "token=abc");
  EXPECT_EQ(dial.ca_file, "ca.pem");
  EXPECT_TRUE(dial.insecure);
  EXPECT_EQ(dial.subprotocol, "graphql-ws");
  EXPECT_EQ(dial.headers,
            (std::vector<std::string>{"X-Trace: 1", "Cookie: sid=1", "Authorization: Bearer client",
                                      "Origin: http://app.example"}));
}

TEST(UpstreamRequestTest, AnUpstreamHeaderOfTheSameNameInAnyCaseWins) {
  const server::DialOptions dial = UpstreamDialFor(
      Upstream({"authorization: Bearer flag", "ORIGIN: https://flag.example"}), Client());
  EXPECT_EQ(dial.headers,
            (std::vector<std::string>{"authorization: Bearer flag", "ORIGIN: https://flag.example",
                                      "Cookie: sid=1"}));
}

TEST(UpstreamRequestTest, AClientWithoutQueryOrHeadersAddsNothing) {
  const server::DialOptions dial = UpstreamDialFor(Upstream({"X-Trace: 1"}), server::PeerInfo{});
  EXPECT_EQ(dial.query, "");
  EXPECT_EQ(dial.subprotocol, "");
  EXPECT_EQ(dial.headers, std::vector<std::string>{"X-Trace: 1"});
}

}  // namespace
}  // namespace wsmock::proxy
