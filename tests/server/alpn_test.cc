// What a TLS client is offered: HTTP/1.1 only. The control endpoint answers
// HTTP/1.1 alone, so a client that would speak HTTP/2 (curl, Chromium's
// fetch) got an empty reply from lws's default "h2,http/1.1".
#include <gtest/gtest.h>

#include <string>

#include "server/event_log.h"
#include "support/raw_tcp.h"
#include "tls/certificate.h"

namespace wsmock::server {
namespace {

TEST(AlpnTest, WssPicksHttp11WhenTheClientOffersHttp2First) {
  Result<tls::CertificatePair> pair = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  ServerOptions options = testing::LocalServerOptions();
  options.tls.cert_pem = pair->cert_pem;
  options.tls.key_pem = pair->key_pem;
  testing::LoopServer server(options);
  ASSERT_TRUE(server.ok()) << server.create_status().message();
  EXPECT_EQ(testing::NegotiatedAlpn(server.port(), std::string("\x02h2\x08http/1.1", 12)),
            "http/1.1");
}

}  // namespace
}  // namespace wsmock::server
