#include "tls/certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "tls/openssl_ptr.h"

namespace wsmock::tls {
namespace {

constexpr long kSecondsPerDay = 86'400;
// Peers' clocks drift; a certificate that starts "now" would be rejected by
// a client whose clock is a little behind ours.
constexpr long kBackdateSeconds = 3'600;

// The oldest queued OpenSSL error as text, and an empty queue afterwards so
// later, unrelated OpenSSL calls (lws's) do not report our failures.
std::string TakeOpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

Status ReadWholeFile(const std::string& path, const char* what, std::string* out) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) {
    return Status::IoError("cannot read " + std::string(what) + " '" + path +
                           "': " + std::strerror(errno));
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), file.get())) > 0) out->append(buf, n);
  if (std::ferror(file.get())) {
    return Status::IoError("cannot read " + std::string(what) + " '" + path +
                           "': " + std::strerror(errno));
  }
  return Status::Ok();
}

BioPtr MemoryBio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Never prompt on the terminal for a pass phrase: an encrypted key is
// simply not usable by a mock server.
int NoPassword(char*, int, int, void*) { return 0; }

Result<X509Ptr> ParseCertificate(std::string_view pem, const std::string& name) {
  BioPtr bio = MemoryBio(pem);
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr) : nullptr);
  ERR_clear_error();
  if (cert == nullptr) return Status::InvalidArgument(name + " is not a PEM certificate");
  return cert;
}

Result<EvpPkeyPtr> ParsePrivateKey(std::string_view pem, const std::string& name) {
  BioPtr bio = MemoryBio(pem);
  EvpPkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr) : nullptr);
  ERR_clear_error();
  if (key == nullptr) return Status::InvalidArgument(name + " is not a PEM private key");
  return key;
}

Result<std::string> Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) {
    return Status::Internal("cannot hash certificate: " + TakeOpenSslError());
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    if (i > 0) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

// Shared by the file and memory checks; the names appear in messages.
Result<std::string> CheckPair(std::string_view cert_pem, std::string_view key_pem,
                              const std::string& cert_name, const std::string& key_name) {
  Result<X509Ptr> cert = ParseCertificate(cert_pem, cert_name);
  if (!cert.ok()) return cert.status();
  Result<EvpPkeyPtr> key = ParsePrivateKey(key_pem, key_name);
  if (!key.ok()) return key.status();
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("key " + key_name + " does not match certificate " + cert_name);
  }
  return Fingerprint(cert->get());
}

Status SetSerialAndValidity(X509* cert, int valid_days) {
  BignumPtr serial(BN_new());
  // RFC 5280: a positive serial of at most 20 octets; 63 random bits are
  // unique enough for throwaway certificates.
  if (serial == nullptr || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) == nullptr ||
      X509_gmtime_adj(X509_getm_notBefore(cert), -kBackdateSeconds) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert), valid_days * kSecondsPerDay) == nullptr) {
    return Status::Internal("cannot set certificate serial or validity: " + TakeOpenSslError());
  }
  return Status::Ok();
}

Status SetNames(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert, name) != 1) {
    return Status::InvalidArgument("bad certificate common name '" + common_name +
                                   "': " + TakeOpenSslError());
  }
  return Status::Ok();
}

Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (ext == nullptr || X509_add_ext(cert, ext.get(), -1) != 1) {
    return Status::Internal(std::string("cannot add certificate extension ") + value + ": " +
                            TakeOpenSslError());
  }
  return Status::Ok();
}

Status AddExtensions(X509* cert) {
  WSMOCK_RETURN_IF_ERROR(
      AddExtension(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"));
  WSMOCK_RETURN_IF_ERROR(AddExtension(cert, NID_key_usage, "critical,digitalSignature"));
  WSMOCK_RETURN_IF_ERROR(AddExtension(cert, NID_ext_key_usage, "serverAuth"));
  return AddExtension(cert, NID_subject_key_identifier, "hash");
}

Result<std::string> WritePem(int (*write)(BIO*, void*), void* object) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || write(bio.get(), object) != 1) {
    return Status::Internal("cannot write PEM: " + TakeOpenSslError());
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

int WriteCertificate(BIO* bio, void* cert) {
  return PEM_write_bio_X509(bio, static_cast<X509*>(cert));
}

int WriteKey(BIO* bio, void* key) {
  return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY*>(key), nullptr, nullptr, 0, nullptr,
                                  nullptr);
}

}  // namespace

Result<CertificatePair> GenerateSelfSigned(const std::string& common_name, int valid_days) {
  if (valid_days <= 0) return Status::InvalidArgument("certificate validity must be positive");
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  if (key == nullptr || cert == nullptr || X509_set_version(cert.get(), 2) != 1) {
    return Status::Internal("cannot create key or certificate: " + TakeOpenSslError());
  }
  WSMOCK_RETURN_IF_ERROR(SetSerialAndValidity(cert.get(), valid_days));
  WSMOCK_RETURN_IF_ERROR(SetNames(cert.get(), common_name));
  if (X509_set_pubkey(cert.get(), key.get()) != 1) {
    return Status::Internal("cannot set certificate key: " + TakeOpenSslError());
  }
  WSMOCK_RETURN_IF_ERROR(AddExtensions(cert.get()));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Status::Internal("cannot sign certificate: " + TakeOpenSslError());
  }
  CertificatePair pair;
  Result<std::string> cert_pem = WritePem(WriteCertificate, cert.get());
  Result<std::string> key_pem = WritePem(WriteKey, key.get());
  Result<std::string> fingerprint = Fingerprint(cert.get());
  if (!cert_pem.ok()) return cert_pem.status();
  if (!key_pem.ok()) return key_pem.status();
  if (!fingerprint.ok()) return fingerprint.status();
  pair.cert_pem = std::move(cert_pem).value();
  pair.key_pem = std::move(key_pem).value();
  pair.sha256_fingerprint = std::move(fingerprint).value();
  return pair;
}

Result<std::string> CheckCertificateFiles(const std::string& cert_path,
                                          const std::string& key_path) {
  std::string cert_pem, key_pem;
  WSMOCK_RETURN_IF_ERROR(ReadWholeFile(cert_path, "certificate", &cert_pem));
  WSMOCK_RETURN_IF_ERROR(ReadWholeFile(key_path, "key", &key_pem));
  return CheckPair(cert_pem, key_pem, "'" + cert_path + "'", "'" + key_path + "'");
}

Result<std::string> CheckCertificatePem(std::string_view cert_pem, std::string_view key_pem) {
  return CheckPair(cert_pem, key_pem, "the in-memory certificate", "the in-memory key");
}

}  // namespace wsmock::tls
