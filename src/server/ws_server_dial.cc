// WsServer's client side: Dial() and the lws callbacks of the connections
// it makes. Once open, a dialed connection is a Connection like a served one
// and shares ws_server.cc's receive, write and close paths.
#include <libwebsockets.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <utility>

#include "server/handshake_headers.h"
#include "server/ws_server_impl.h"
#include "server/ws_url.h"

namespace wsmock::server {
namespace {

// The Host header: the port only when it is not the scheme's default.
std::string HostHeader(const WsUrl& url) {
  std::string host = HostAndPort(url.host, url.port);
  if (url.port == (url.tls ? 443 : 80)) host.resize(host.rfind(':'));
  return host;
}

// --upstream-insecure: every certificate problem lws 4.1.6 can overlook.
constexpr int kInsecureFlags = LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
                               LCCSCF_ALLOW_EXPIRED | LCCSCF_ALLOW_INSECURE;

// Why OpenSSL refused the server's certificate, or "" if it did not. lws
// 4.1.6 reports a failed verification as "error:00000001:lib(0)::reason(1)",
// which names nothing a user can act on.
std::string CertificateProblem(lws* wsi) {
  SSL* ssl = wsi != nullptr ? lws_get_ssl(wsi) : nullptr;
  if (ssl == nullptr) return "";
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return "";
  return std::string("certificate verify failed: ") + X509_verify_cert_error_string(result);
}

std::string ConnectionErrorText(lws* wsi, const void* in, size_t len) {
  std::string reason = in != nullptr && len > 0
                           ? std::string(static_cast<const char*>(in), len)
                           : (in != nullptr ? std::string(static_cast<const char*>(in))
                                            : std::string("connection failed"));
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\0')) reason.pop_back();
  const std::string certificate = CertificateProblem(wsi);
  if (!certificate.empty()) reason = certificate + " (" + reason + ")";
  const unsigned int status = wsi != nullptr ? lws_http_client_http_response(wsi) : 0;
  if (status != 0) reason += " (HTTP " + std::to_string(status) + ")";
  return reason;
}

}  // namespace

Status CheckDialOptions(const DialOptions& options) {
  Result<WsUrl> url = ParseWsUrl(options.url);
  if (!url.ok()) return url.status();
  WSMOCK_RETURN_IF_ERROR(CheckQuery(options.query));
  for (const std::string& header : options.headers) {
    WSMOCK_RETURN_IF_ERROR(CheckHandshakeHeader(header));
  }
  if (url->tls && !options.ca_file.empty()) {
    return MakeClientSslCtx(true, options.ca_file).status();
  }
  return Status::Ok();
}

Connection* WsServer::Impl::DialedConnection(lws* wsi) {
  return wsi != nullptr ? static_cast<Connection*>(lws_get_opaque_user_data(wsi)) : nullptr;
}

Result<ConnectionId> WsServer::Impl::Dial(const DialOptions& options, Handler* handler) {
  if (handler == nullptr) return Status::InvalidArgument("no handler for the connection");
  Result<WsUrl> url = ParseWsUrl(options.url);
  if (!url.ok()) return url.status();
  if (url->tls && !options_.dial_tls) {
    return Status::InvalidArgument("this server was started without TLS for outgoing connections");
  }
  WSMOCK_RETURN_IF_ERROR(CheckQuery(options.query));
  for (const std::string& header : options.headers) {
    WSMOCK_RETURN_IF_ERROR(CheckHandshakeHeader(header));
  }
  Result<lws_vhost*> vhost = client_vhosts_.Get(context_, url->tls, options.ca_file);
  if (!vhost.ok()) return vhost.status();

  const ConnectionId id = next_connection_id_++;
  auto owned = std::make_unique<Connection>(id, nullptr, handler, true);
  Connection* connection = owned.get();
  connections_.emplace(id, std::move(owned));
  // lws copies what it needs from these strings before the call returns.
  const Dialing& dialing =
      dialing_
          .emplace(id, Dialing{options.url, AppendQuery(url->path, options.query), options.headers,
                               options.subprotocol})
          .first->second;
  const std::string host = HostHeader(*url);

  lws_client_connect_info info{};
  info.context = context_;
  info.vhost = *vhost;
  info.address = url->host.c_str();
  info.port = url->port;
  info.path = dialing.path.c_str();
  info.host = host.c_str();
  info.protocol = options.subprotocol.empty() ? nullptr : options.subprotocol.c_str();
  info.local_protocol_name = protocols_[0].name;
  if (url->tls) info.ssl_connection = LCCSCF_USE_SSL | (options.insecure ? kInsecureFlags : 0);
  info.opaque_user_data = connection;
  lws* wsi = lws_client_connect_via_info(&info);
  // lws may already have reported a failure from inside that call, which
  // FailDial() turned into a later OnDialFailed.
  if (connections_.count(id) == 0) return id;
  if (wsi == nullptr) {
    FailDial(connection, "cannot connect to " + options.url, false);
  } else {
    connection->set_wsi(wsi);
  }
  return id;
}

int WsServer::Impl::OnClientCallback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                                     size_t len) {
  Connection* connection = DialedConnection(wsi);
  // Only our own sockets get client callbacks: in case lws announced this
  // one before it carried its Connection, it is marked as ours here.
  if (connection == nullptr || !connection->open()) NoteDialedSocket(wsi);
  switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
      return connection != nullptr ? OnAppendHeaders(connection, in, len) : 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      if (connection != nullptr && !connection->open()) {
        FailDial(connection, ConnectionErrorText(wsi, in, len), false);
      }
      return 0;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      if (connection == nullptr) return -1;  // abandoned while it connected
      OnClientEstablished(wsi, static_cast<Session*>(user), connection);
      return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
      return OnReceive(wsi, connection, in, len);
    case LWS_CALLBACK_CLIENT_WRITEABLE:
      return OnWriteable(wsi, connection);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      return OnPeerClose(connection, in, len);
    case LWS_CALLBACK_CLIENT_CLOSED:
      NoteLwsClose(wsi, connection);
      OnClosed(wsi, connection);
      return 0;
    default:
      return 0;
  }
}

int WsServer::Impl::OnAppendHeaders(Connection* connection, void* in, size_t len) {
  auto it = dialing_.find(connection->id());
  if (it == dialing_.end()) return 0;
  char** p = static_cast<char**>(in);
  if (AppendHandshakeHeaders(it->second.headers, p, *p + len)) return 0;
  // lws's header buffer holds a few kilobytes in all.
  FailDial(connection, "the handshake headers are too long", false);
  return -1;
}

void WsServer::Impl::OnClientEstablished(lws* wsi, Session* session, Connection* connection) {
  const ConnectionId id = connection->id();
  auto it = dialing_.find(id);
  PeerInfo peer;
  if (it != dialing_.end()) {
    peer.address = std::move(it->second.url);
    peer.path = std::move(it->second.path);
    peer.subprotocol = std::move(it->second.subprotocol);
    dialing_.erase(it);
  }
  handshaking_.erase(wsi);  // lws reports dialed sockets as new clients too
  connection->MarkOpen(wsi);
  connection->NoteActivity(lws_now_usecs());
  if (session != nullptr) session->connection = connection;
  // Messages sent while it connected go out now, in order.
  if (connection->has_frames()) lws_callback_on_writable(wsi);
  connection->handler()->OnOpen(id, peer);
}

void WsServer::Impl::FailDial(Connection* connection, std::string reason, bool kill) {
  const ConnectionId id = connection->id();
  Handler* handler = connection->handler();
  if (lws* wsi = connection->wsi()) {
    NoteDialedSocket(wsi);                   // its end is not a dropped client
    lws_set_opaque_user_data(wsi, nullptr);  // later callbacks for it are ignored
    if (kill) lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
  }
  dialing_.erase(id);
  connections_.erase(id);
  if (destroying_) return;
  dial_failures_.push_back(DialFailure{handler, id, std::move(reason)});
  // Reported from a timer: never inside Dial(), Close() or an lws callback.
  if (dial_failures_.size() == 1) After(0, [this] { DeliverDialFailures(); });
}

void WsServer::Impl::DeliverDialFailures() {
  std::vector<DialFailure> batch;
  batch.swap(dial_failures_);
  for (DialFailure& failure : batch) failure.handler->OnDialFailed(failure.id, failure.reason);
}

}  // namespace wsmock::server
