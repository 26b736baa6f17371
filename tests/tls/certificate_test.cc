#include "tls/certificate.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string_view>

#include "support/temp_dir.h"
#include "tls/openssl_ptr.h"

namespace wsmock::tls {
namespace {

using testing::TempDir;
using testing::WriteFile;

// "AB:CD:...": 32 upper-case hex pairs joined by colons.
bool IsSha256Fingerprint(const std::string& s) {
  if (s.size() != 32 * 3 - 1) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = i % 3 == 2 ? c == ':' : (std::isdigit(c) || (c >= 'A' && c <= 'F'));
    if (!ok) return false;
  }
  return true;
}

const CertificatePair& SharedPair() {
  static const CertificatePair pair = [] {
    Result<CertificatePair> made = GenerateSelfSigned("localhost");
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? *made : CertificatePair{};
  }();
  return pair;
}

TEST(CertificateTest, SelfSignedPairHasPemTextAndSha256Fingerprint) {
  const CertificatePair& pair = SharedPair();
  EXPECT_EQ(pair.cert_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  EXPECT_EQ(pair.key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_TRUE(IsSha256Fingerprint(pair.sha256_fingerprint)) << pair.sha256_fingerprint;
}

X509Ptr ParsePem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

using StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr =
    std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

// What a TLS client does with the certificate as its only CA file: the
// chain and the server's name (a DNS name or an IP address) checked as for
// a TLS server, with OpenSSL's default flags. X509_V_OK when it verifies.
int VerifyAsItsOwnCa(const std::string& pem, const std::string& name, bool is_ip) {
  X509Ptr cert = ParsePem(pem);
  StorePtr store(X509_STORE_new());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!cert || !store || !ctx || X509_STORE_add_cert(store.get(), cert.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    return -1;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  const int set = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
  if (set != 1) return -1;
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

TEST(CertificateTest, TrustedAsItsOwnCaItVerifiesForEveryLoopbackName) {
  const std::string& pem = SharedPair().cert_pem;
  EXPECT_EQ(VerifyAsItsOwnCa(pem, "localhost", false), X509_V_OK);
  EXPECT_EQ(VerifyAsItsOwnCa(pem, "127.0.0.1", true), X509_V_OK);
  EXPECT_EQ(VerifyAsItsOwnCa(pem, "::1", true), X509_V_OK);
}

TEST(CertificateTest, ItNamesNoOtherHost) {
  const std::string& pem = SharedPair().cert_pem;
  EXPECT_EQ(VerifyAsItsOwnCa(pem, "example.com", false), X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(VerifyAsItsOwnCa(pem, "127.0.0.2", true), X509_V_ERR_IP_ADDRESS_MISMATCH);
}

TEST(CertificateTest, TwoGeneratedPairsDiffer) {
  Result<CertificatePair> other = GenerateSelfSigned("localhost");
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_NE(other->sha256_fingerprint, SharedPair().sha256_fingerprint);
  EXPECT_NE(other->key_pem, SharedPair().key_pem);
}

TEST(CertificateTest, NonPositiveValidityIsRejected) {
  EXPECT_FALSE(GenerateSelfSigned("localhost", 0).ok());
}

TEST(CertificateTest, WrittenFilesCheckOutWithTheSameFingerprint) {
  TempDir dir;
  WriteFile(dir.File("cert.pem"), SharedPair().cert_pem);
  WriteFile(dir.File("cert.key"), SharedPair().key_pem);
  Result<std::string> fingerprint =
      CheckCertificateFiles(dir.File("cert.pem"), dir.File("cert.key"));
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().message();
  EXPECT_EQ(*fingerprint, SharedPair().sha256_fingerprint);
}

TEST(CertificateTest, InMemoryPairChecksOut) {
  Result<std::string> fingerprint =
      CheckCertificatePem(SharedPair().cert_pem, SharedPair().key_pem);
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().message();
  EXPECT_EQ(*fingerprint, SharedPair().sha256_fingerprint);
}

TEST(CertificateTest, KeyOfAnotherPairIsAMismatch) {
  Result<CertificatePair> other = GenerateSelfSigned("localhost");
  ASSERT_TRUE(other.ok());
  TempDir dir;
  const std::string cert = dir.File("cert.pem"), key = dir.File("cert.key");
  WriteFile(cert, SharedPair().cert_pem);
  WriteFile(key, other->key_pem);
  Result<std::string> checked = CheckCertificateFiles(cert, key);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().message(),
            "key '" + key + "' does not match certificate '" + cert + "'");
}

TEST(CertificateTest, GarbageCertificateFileIsNotPem) {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  WriteFile(cert, "this is not a certificate\n");
  WriteFile(dir.File("cert.key"), SharedPair().key_pem);
  Result<std::string> checked = CheckCertificateFiles(cert, dir.File("cert.key"));
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().message(), "'" + cert + "' is not a PEM certificate");
}

TEST(CertificateTest, CertificateGivenAsKeyIsNotAPrivateKey) {
  TempDir dir;
  const std::string key = dir.File("cert.key");
  WriteFile(dir.File("cert.pem"), SharedPair().cert_pem);
  WriteFile(key, SharedPair().cert_pem);
  Result<std::string> checked = CheckCertificateFiles(dir.File("cert.pem"), key);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().message(), "'" + key + "' is not a PEM private key");
}

TEST(CertificateTest, MissingFileNamesTheFileAndTheReason) {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  Result<std::string> checked = CheckCertificateFiles(cert, dir.File("cert.key"));
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().message(),
            "cannot read certificate '" + cert + "': No such file or directory");
}

TEST(CertificateTest, MissingKeyFileIsReportedAsKey) {
  TempDir dir;
  WriteFile(dir.File("cert.pem"), SharedPair().cert_pem);
  const std::string key = dir.File("cert.key");
  Result<std::string> checked = CheckCertificateFiles(dir.File("cert.pem"), key);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().message(), "cannot read key '" + key + "': No such file or directory");
}

}  // namespace
}  // namespace wsmock::tls
