#include "server/client_vhosts.h"

#include <openssl/err.h>

#include <cerrno>
#include <cstring>

namespace wsmock::server {
namespace {

std::string Key(bool tls, const std::string& ca_file) {
  if (!tls) return "ws";
  return ca_file.empty() ? "wss" : "wss:" + ca_file;
}

// OpenSSL's reason for the last failure, or errno's when it gave none
// (a missing file shows up as a system error).
std::string LastSslError() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason;
  if (ERR_GET_LIB(code) == ERR_LIB_SYS) {
    reason = std::strerror(ERR_GET_REASON(code));
  } else if (const char* text = ERR_reason_error_string(code)) {
    reason = text;
  } else {
    reason = errno != 0 ? std::strerror(errno) : "unknown error";
  }
  ERR_clear_error();
  return reason;
}

}  // namespace

Result<tls::SslCtxPtr> MakeClientSslCtx(bool tls, const std::string& ca_file) {
  tls::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr) return Status::Internal("cannot create a TLS context");
  if (!tls) return ctx;  // never used: plain connections need no TLS
  if (!ca_file.empty()) {
    errno = 0;
    if (SSL_CTX_load_verify_locations(ctx.get(), ca_file.c_str(), nullptr) != 1) {
      return Status::InvalidArgument("cannot read CA file '" + ca_file + "': " + LastSslError());
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    return Status::Internal("cannot load the system's CA certificates: " + LastSslError());
  }
  return ctx;
}

Result<lws_vhost*> ClientVhosts::Get(lws_context* context, bool tls, const std::string& ca_file) {
  const std::string key = Key(tls, ca_file);
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second.vhost;
  Result<tls::SslCtxPtr> ctx = MakeClientSslCtx(tls, ca_file);
  if (!ctx.ok()) return ctx.status();
  // lws keeps the name pointer, so it lives in the entry.
  Entry entry{std::move(*ctx), "wsmock-client-" + std::to_string(entries_.size() + 1), nullptr};
  Entry& stored = entries_.emplace(key, std::move(entry)).first->second;
  lws_context_creation_info info{};
  info.vhost_name = stored.name.c_str();
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = protocols_;
  info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  info.provided_client_ssl_ctx = stored.ssl_ctx.get();
  info.timeout_secs = timeout_secs_;
  info.connect_timeout_secs = timeout_secs_;
  lws_vhost* vhost = lws_create_vhost(context, &info);
  if (vhost == nullptr) {
    entries_.erase(key);
    return Status::Internal("cannot set up client connections");
  }
  stored.vhost = vhost;
  return vhost;
}

}  // namespace wsmock::server
