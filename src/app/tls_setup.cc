#include "app/tls_setup.h"

#include <unistd.h>

#include "tls/certificate.h"

namespace wsmock::app {
namespace {

Result<server::TlsConfig> FromFiles(const std::string& cert, const std::string& key,
                                    Logger* log) {
  Result<std::string> fingerprint = tls::CheckCertificateFiles(cert, key);
  if (!fingerprint.ok()) return fingerprint.status();
  log->Info("TLS certificate " + cert + " (SHA-256 " + *fingerprint + ")");
  server::TlsConfig config;
  config.cert_path = cert;
  config.key_path = key;
  return config;
}

Result<server::TlsConfig> SelfSigned(Logger* log) {
  Result<tls::CertificatePair> pair = tls::GenerateSelfSigned("localhost");
  if (!pair.ok()) return pair.status();
  log->Info("Self-signed TLS certificate for localhost, 127.0.0.1 and ::1 (SHA-256 " +
            pair->sha256_fingerprint + ")");
  server::TlsConfig config;
  config.cert_pem = pair->cert_pem;
  config.key_pem = pair->key_pem;
  return config;
}

}  // namespace

Result<server::TlsConfig> ResolveTls(TlsMode mode, const std::string& cert, const std::string& key,
                                     Logger* log) {
  switch (mode) {
    case TlsMode::kOff: return server::TlsConfig{};
    case TlsMode::kFiles: return FromFiles(cert, key, log);
    case TlsMode::kSelfSigned:
      return SelfSigned(log);
    case TlsMode::kAuto: break;
  }
  if (access("cert.pem", F_OK) == 0 && access("cert.key", F_OK) == 0) {
    return FromFiles("cert.pem", "cert.key", log);
  }
  log->Info(
      "No cert.pem and cert.key in the working directory: serving plain ws "
      "(use --self-signed or --tls-cert/--tls-key for wss, --no-ssl to silence this)");
  return server::TlsConfig{};
}

}  // namespace wsmock::app
