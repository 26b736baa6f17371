// TLS certificates for wss: a self-signed pair made in memory, and checks
// that a certificate and its key are readable PEM and belong together.
// Pure functions over OpenSSL; any thread.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock::tls {

struct CertificatePair {
  std::string cert_pem;            // "-----BEGIN CERTIFICATE-----..."
  std::string key_pem;             // PKCS#8 "-----BEGIN PRIVATE KEY-----..."
  std::string sha256_fingerprint;  // "AB:CD:..." (32 upper-case hex pairs)
};

// An EC P-256 key and an X509 v3 certificate for `common_name`, valid from
// an hour ago for `valid_days`, with subjectAltName DNS:localhost,
// IP:127.0.0.1 and IP:::1: a client that trusts the certificate itself (as
// its CA file) verifies a server on loopback by any of the three names.
Result<CertificatePair> GenerateSelfSigned(const std::string& common_name, int valid_days = 365);

// Reads both PEM files and returns the certificate's SHA-256 fingerprint.
// Errors, one line: "cannot read certificate 'c.pem': No such file or directory",
// "'c.pem' is not a PEM certificate", "'k.pem' is not a PEM private key",
// "key 'k.pem' does not match certificate 'c.pem'".
Result<std::string> CheckCertificateFiles(const std::string& cert_path,
                                          const std::string& key_path);

// The same checks for PEM text held in memory.
Result<std::string> CheckCertificatePem(std::string_view cert_pem, std::string_view key_pem);

}  // namespace wsmock::tls
