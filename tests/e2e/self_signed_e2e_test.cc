// End-to-end tests of --self-signed-cert-out: the real binary on port 0
// writes its generated certificate, and a real lws client that trusts only
// that file (no insecure flag) verifies the server by name and address.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "tls/certificate.h"

namespace wsmock {
namespace {

using testing::ClientOptions;
using testing::OnLoopback;
using testing::RunWsmock;
using testing::ServerProcess;
using testing::TempDir;
using testing::WsClient;

const char kByIdRequest[] =
    R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"r1"})";

std::vector<std::string> SelfSignedArgs(const std::string& cert_out) {
  return OnLoopback({"serve", "--self-signed", "--self-signed-cert-out", cert_out, "--tick", "0"},
                    /*tls=*/true);
}

// A wss client of `server` that trusts only `ca_file` and checks `host`.
std::unique_ptr<WsClient> VerifyingClient(const ServerProcess& server, const std::string& ca_file,
                                          const std::string& host, std::string* error) {
  ClientOptions options;
  options.tls = true;
  options.ca_file = ca_file;
  options.host = host;
  return WsClient::Connect(server.port(), options, error);
}

TEST(SelfSignedE2eTest, AClientTrustingTheWrittenCertificateVerifiesTheServer) {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  auto server = testing::StartOrFail(SelfSignedArgs(cert));
  ASSERT_NE(server, nullptr);
  // Written before serving: the start line means the file is complete.
  const std::string pem = testing::ReadFile(cert);
  EXPECT_EQ(pem.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u) << pem;
  EXPECT_EQ(pem.find("PRIVATE KEY"), std::string::npos) << "the key must not be written";
  EXPECT_NE(server->Output().find("Self-signed TLS certificate written to " + cert),
            std::string::npos)
      << server->Output();
  for (const char* host : {"localhost", "127.0.0.1"}) {
    std::string error;
    auto client = VerifyingClient(*server, cert, host, &error);
    ASSERT_NE(client, nullptr) << host << ": " << error;
    ASSERT_TRUE(client->SendText(kByIdRequest));
    std::optional<std::string> reply = client->Receive(5000);
    ASSERT_TRUE(reply.has_value()) << host;
    EXPECT_NE(reply->find("\"type\":\"response\""), std::string::npos) << *reply;
  }
}

// The other half of the proof: the client above really verifies, so a
// certificate it was not given is refused.
TEST(SelfSignedE2eTest, AClientTrustingAnotherCertificateIsRefused) {
  TempDir dir;
  auto server = testing::StartOrFail(SelfSignedArgs(dir.File("cert.pem")));
  ASSERT_NE(server, nullptr);
  Result<tls::CertificatePair> other = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(other.ok()) << other.status().message();
  testing::WriteFile(dir.File("other.pem"), other->cert_pem);
  std::string error;
  EXPECT_EQ(VerifyingClient(*server, dir.File("other.pem"), "localhost", &error), nullptr);
  EXPECT_FALSE(error.empty());
}

// The certificate names localhost, 127.0.0.1 and ::1, and nothing else.
TEST(SelfSignedE2eTest, AClientExpectingAnotherNameIsRefused) {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  auto server = testing::StartOrFail(SelfSignedArgs(cert));
  ASSERT_NE(server, nullptr);
  std::string error;
  EXPECT_EQ(VerifyingClient(*server, cert, "example.com", &error), nullptr);
}

TEST(SelfSignedE2eTest, TheFileIsReplacedWholeAndReadableByAll) {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  testing::WriteFile(cert, "an old certificate from an earlier run");
  auto server = testing::StartOrFail(SelfSignedArgs(cert));
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(testing::ReadFile(cert).rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  struct stat st {};
  ASSERT_EQ(stat(cert.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  std::string error;
  EXPECT_NE(VerifyingClient(*server, cert, "localhost", &error), nullptr) << error;
}

TEST(SelfSignedE2eTest, AnUnwritablePathIsAOneLineErrorBeforeListening) {
  TempDir dir;
  const std::string cert = dir.File("missing/cert.pem");
  testing::RunResult run = RunWsmock(SelfSignedArgs(cert));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("wsmock: --self-signed-cert-out: cannot write " + cert +
                         ": No such file or directory\n"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("Server started"), std::string::npos) << run.err;
}

// A second server that cannot bind leaves the running one's file alone,
// so its clients still trust it.
TEST(SelfSignedE2eTest, AStartThatCannotListenLeavesTheFileAsItWas) {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  auto server = testing::StartOrFail(SelfSignedArgs(cert));
  ASSERT_NE(server, nullptr);
  const std::string pem = testing::ReadFile(cert);
  testing::RunResult second =
      RunWsmock({"serve", "--self-signed", "--self-signed-cert-out", cert, "--tick", "0", "--host",
                 "127.0.0.1", "--port", std::to_string(server->port())});
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_EQ(testing::ReadFile(cert), pem);
  std::string error;
  EXPECT_NE(VerifyingClient(*server, cert, "localhost", &error), nullptr) << error;
}

TEST(SelfSignedE2eTest, WithoutSelfSignedTheFlagIsAUsageError) {
  TempDir dir;
  testing::RunResult run =
      RunWsmock(OnLoopback({"serve", "--self-signed-cert-out", dir.File("c.pem")}));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--self-signed-cert-out requires --self-signed"), std::string::npos)
      << run.err;
  struct stat st {};
  EXPECT_NE(stat(dir.File("c.pem").c_str(), &st), 0);
}

}  // namespace
}  // namespace wsmock
