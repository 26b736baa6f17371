// The lws vhosts that Dial()ed connections belong to, one per kind of trust:
// plain ws, wss trusting the system's CAs, wss trusting one CA file. lws 4.1
// keeps a client's TLS context per vhost, hence a vhost per CA file; each
// gets an SSL_CTX of ours, so lws never builds (and, in 4.1.6, leaks) its
// own. Loop thread only; private to src/server.
#pragma once

#include <libwebsockets.h>

#include <map>
#include <string>

#include "tls/openssl_ptr.h"
#include "util/status.h"

namespace wsmock::server {

// A client TLS context: for wss trusting `ca_file` (PEM), or the system's
// CAs when it is empty; for ws an unused one. Errors as ClientVhosts::Get.
Result<tls::SslCtxPtr> MakeClientSslCtx(bool tls, const std::string& ca_file);

class ClientVhosts {
 public:
  // `protocols` must outlive the lws context. Vhosts are made with
  // `timeout_secs` as lws's handshake and connect timeout.
  ClientVhosts(const lws_protocols* protocols, unsigned int timeout_secs)
      : protocols_(protocols), timeout_secs_(timeout_secs) {}
  ClientVhosts(const ClientVhosts&) = delete;
  ClientVhosts& operator=(const ClientVhosts&) = delete;

  // The vhost for this kind of connection, made on first use in `context`.
  // Errors, one line: "cannot read CA file 'ca.pem': no such file".
  // REQUIRES: the same context every call; the context was made with
  // LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT and is destroyed before this.
  Result<lws_vhost*> Get(lws_context* context, bool tls, const std::string& ca_file);

 private:
  struct Entry {
    tls::SslCtxPtr ssl_ctx;  // referenced by the vhost: outlives the context
    std::string name;        // lws keeps a pointer to it
    lws_vhost* vhost = nullptr;
  };

  const lws_protocols* protocols_;
  const unsigned int timeout_secs_;
  std::map<std::string, Entry> entries_;  // by Key()
};

}  // namespace wsmock::server
