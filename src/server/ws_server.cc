#include "server/ws_server.h"

#include <libwebsockets.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "server/client_identity.h"
#include "server/fd_limit.h"
#include "server/listen_probe.h"
#include "server/ws_server_impl.h"
#include "tls/certificate.h"
#include "util/printable_text.h"

namespace wsmock::server {

static_assert(WsServer::kSendHeadroom >= LWS_PRE, "lws writes its frame header there");

namespace {

// lws hands messages over in pieces of at most this size and, by default,
// writes in pieces of it too: big enough that most messages need one each.
constexpr size_t kRxBufferSize = 64 * 1024;
// Bytes one WRITEABLE callback hands to lws at most.
constexpr size_t kWriteBudget = 4 * kRxBufferSize;
// Frames up to this size are copied together into one write; larger ones go
// out from their own buffer.
constexpr size_t kMaxPackedFrame = 16 * 1024;
// After Stop(), how long Run() keeps serving so close frames can go out.
constexpr Micros kShutdownGrace = kMicrosPerSecond;
// A peer that stopped reading never takes our close frame; drop it after this.
constexpr int kCloseTimeoutSeconds = 5;
constexpr int kGoingAway = LWS_CLOSE_STATUS_GOINGAWAY;
// How often sockets still in their handshake are checked against the
// handshake timeout.
constexpr Micros kHandshakeSweep = 250'000;
// The idle sweep runs this many times per idle timeout (so a client is
// closed at most a quarter late), but not more often than every 50 ms nor
// less often than every second.
constexpr Micros kIdleSweepsPerTimeout = 4;
constexpr Micros kMinIdleSweep = 50'000;
constexpr Micros kMaxIdleSweep = kMicrosPerSecond;

// lws's log callback carries no user pointer, so it cannot reach a sink of
// ours without global state; failures reach callers as Status values.
void DropLwsLog(int, const char*) {}

bool IsAnyAddress(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::";
}

// lws takes an interface name or a numeric address, not a host name.
std::string BindAddress(const std::string& host) {
  return host == "localhost" ? "127.0.0.1" : host;
}

std::string RequestPath(lws* wsi) { return HeaderText(wsi, WSI_TOKEN_GET_URI); }

std::string PeerAddress(lws* wsi) {
  char buf[128];
  const char* address = lws_get_peer_simple(wsi, buf, sizeof(buf));
  return address != nullptr ? address : "";
}

bool IsClientReason(lws_callback_reasons reason) {
  switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
    case LWS_CALLBACK_CLIENT_RECEIVE:
    case LWS_CALLBACK_CLIENT_WRITEABLE:
    case LWS_CALLBACK_CLIENT_CLOSED:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string HeaderText(lws* wsi, lws_token_indexes token) {
  const int len = lws_hdr_total_length(wsi, token);
  if (len <= 0) return "";
  std::string text(static_cast<size_t>(len) + 1, '\0');
  if (lws_hdr_copy(wsi, text.data(), len + 1, token) < 0) return "";
  text.resize(static_cast<size_t>(len));
  return text;
}

WsServer::Impl::~Impl() {
  // lws reports CLOSED for every connection it tears down; those callbacks
  // must not reach a Handler that may already be half gone.
  destroying_ = true;
  for (auto& [id, timer] : timers_) lws_sul_cancel(&timer.slot->sul);
  if (context_ != nullptr) lws_context_destroy(context_);
  timers_.clear();
}

Status WsServer::Impl::Start() {
  WSMOCK_RETURN_IF_ERROR(CheckOptions());
  WSMOCK_RETURN_IF_ERROR(CheckTls());
  lws_set_log_level(LLL_ERR | LLL_WARN, DropLwsLog);

  // The first protocol is the default: it takes clients that ask for no
  // subprotocol. lws 4.1.6 picks the first name a client lists that it
  // knows and echoes it, so each accepted subprotocol is one more entry.
  for (size_t i = 0; i <= options_.subprotocols.size(); ++i) {
    protocols_[i].name = i == 0 ? "wsmock" : options_.subprotocols[i - 1].c_str();
    protocols_[i].callback = &Impl::Callback;
    protocols_[i].per_session_data_size = sizeof(Session);
    protocols_[i].rx_buffer_size = kRxBufferSize;
  }

  WSMOCK_RETURN_IF_ERROR(CreateContext());
  if (listening()) {
    WSMOCK_RETURN_IF_ERROR(CreateVhost());
  } else {
    // lws delivers Post()'s wake-up to vhosts' protocols; a loop without a
    // listener needs one from the start.
    Result<lws_vhost*> vhost = client_vhosts_.Get(context_, false, "");
    if (!vhost.ok()) return vhost.status();
  }
  if (options_.client_idle_timeout > 0) {
    const Micros interval = std::clamp(options_.client_idle_timeout / kIdleSweepsPerTimeout,
                                       kMinIdleSweep, kMaxIdleSweep);
    ScheduleIdleSweep(interval);
  }
  return Status::Ok();
}

Status WsServer::Impl::CreateContext() {
  // lws sizes its per-descriptor tables from the open-file limit when the
  // context is made, so the limit is raised first.
  const FdLimit limit = RaiseFdLimit(WantedFds(options_.max_connections));
  const std::string warning = FdLimitWarning(limit, options_.max_connections);
  if (!warning.empty() && options_.log != nullptr) options_.log->Warn(warning);

  lws_context_creation_info info{};
  // lws 4.1 reads VALIDATE_UTF8 from the context's options, not the vhost's.
  // TLS is set up for every context that may serve wss or Dial() a wss URL;
  // every vhost is handed a client SSL_CTX of ours (see
  // unused_client_ssl_ctx_). A plain ws server that dials no wss skips it:
  // OpenSSL's set-up was about 1.7 MB of a 11 MB idle server.
  info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_VALIDATE_UTF8;
  if (options_.tls.enabled() || options_.dial_tls) {
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  }
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.user = this;
  context_ = lws_create_context(&info);
  if (context_ == nullptr) return Status::Internal("cannot create the WebSocket context");
  return Status::Ok();
}

Status WsServer::Impl::CheckOptions() const {
  if (options_.subprotocols.size() > kMaxSubprotocols) {
    return Status::InvalidArgument("at most " + std::to_string(kMaxSubprotocols) +
                                   " subprotocols can be accepted");
  }
  if (options_.port < -1 || options_.port > 65535) {
    return Status::InvalidArgument("port " + std::to_string(options_.port) + " is out of range");
  }
  if (options_.path.empty() || options_.path[0] != '/') {
    return Status::InvalidArgument("WebSocket path '" + options_.path + "' must start with '/'");
  }
  if (options_.max_message == 0 || options_.max_send_queue == 0 || options_.max_connections <= 0) {
    return Status::InvalidArgument("message, queue and connection limits must be positive");
  }
  if (options_.handshake_timeout <= 0 || options_.client_idle_timeout < 0) {
    return Status::InvalidArgument(
        "the handshake timeout must be positive, the idle timeout "
        "positive or 0");
  }
  if (handler_ == nullptr && listening()) {
    return Status::InvalidArgument("no handler for the server");
  }
  return Status::Ok();
}

// Checked here, before lws sees them, because lws reports only that the
// vhost could not be created.
Status WsServer::Impl::CheckTls() const {
  const TlsConfig& tls = options_.tls;
  if (!tls.enabled()) return Status::Ok();
  if (!tls.cert_path.empty() || !tls.key_path.empty()) {
    if (tls.cert_path.empty() || tls.key_path.empty()) {
      return Status::InvalidArgument("TLS needs both a certificate file and a key file");
    }
    return tls::CheckCertificateFiles(tls.cert_path, tls.key_path).status();
  }
  if (tls.cert_pem.empty() || tls.key_pem.empty()) {
    return Status::InvalidArgument("TLS needs both a certificate and a key");
  }
  return tls::CheckCertificatePem(tls.cert_pem, tls.key_pem).status();
}

Status WsServer::Impl::CreateVhost() {
  const std::string address = BindAddress(options_.host);
  lws_context_creation_info info{};
  info.vhost_name = "wsmock";
  info.port = options_.port;
  info.iface = IsAnyAddress(address) ? nullptr : address.c_str();
  info.protocols = protocols_;
  // A client has this long from accept to a finished upgrade (slowloris).
  info.timeout_secs = static_cast<unsigned int>(options_.handshake_timeout);
  info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
  // Without this lws binds IPv6 too, which for 127.0.0.1 means every address.
  if (address.find(':') == std::string::npos) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
  const TlsConfig& tls = options_.tls;
  if (tls.enabled()) {  // see unused_client_ssl_ctx_
    unused_client_ssl_ctx_.reset(SSL_CTX_new(TLS_client_method()));
    if (unused_client_ssl_ctx_ == nullptr) return Status::Internal("cannot create a TLS context");
    info.provided_client_ssl_ctx = unused_client_ssl_ctx_.get();
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    // lws offers h2 by default, but the control endpoint answers HTTP/1.1
    // only: an HTTP/2 client (curl, a page's fetch) got an empty reply.
    info.alpn = "http/1.1";
    if (!tls.cert_path.empty()) {
      info.ssl_cert_filepath = tls.cert_path.c_str();
      info.ssl_private_key_filepath = tls.key_path.c_str();
    } else {
      info.server_ssl_cert_mem = tls.cert_pem.data();
      info.server_ssl_cert_mem_len = static_cast<unsigned int>(tls.cert_pem.size());
      info.server_ssl_private_key_mem = tls.key_pem.data();
      info.server_ssl_private_key_mem_len = static_cast<unsigned int>(tls.key_pem.size());
    }
  }
  lws_vhost* vhost = lws_create_vhost(context_, &info);
  if (vhost == nullptr) {
    std::string why = DescribeListenFailure(address, options_.port);
    if (why.empty()) {
      why = tls.enabled() ? "cannot set up TLS on " + options_.host
                          : "cannot listen on " + options_.host;
    }
    return Status::IoError(why);
  }
  port_ = lws_get_vhost_listen_port(vhost);
  return Status::Ok();
}

int WsServer::Impl::Callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                             size_t len) {
  auto* impl = wsi ? static_cast<Impl*>(lws_context_user(lws_get_context(wsi))) : nullptr;
  if (impl == nullptr) return 0;
  if (IsClientReason(reason)) return impl->OnClientCallback(wsi, reason, user, in, len);
  auto* session = static_cast<Session*>(user);
  // A served connection is found through its session, a dialed one through
  // the pointer it was dialled with.
  Connection* connection = session != nullptr && session->connection != nullptr
                               ? session->connection
                               : DialedConnection(wsi);
  switch (reason) {
    case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
      impl->OnNewClient(wsi);
      return 0;
    case LWS_CALLBACK_WSI_DESTROY:
      impl->OnWsiDestroy(wsi);
      return 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      return impl->OnConfirmUpgrade(wsi);
    case LWS_CALLBACK_HTTP:
      return impl->OnPlainHttp(wsi);
    case LWS_CALLBACK_HTTP_WRITEABLE:
      return impl->OnHttpWriteable(wsi);
    case LWS_CALLBACK_HTTP_BODY:
      return impl->OnControlBody(wsi, in, len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
      return impl->OnControlBodyDone(wsi);
    case LWS_CALLBACK_ESTABLISHED:
      impl->OnEstablished(wsi, session);
      return 0;
    case LWS_CALLBACK_RECEIVE:
      return impl->OnReceive(wsi, connection, in, len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return impl->OnWriteable(wsi, connection);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      return impl->OnPeerClose(connection, in, len);
    case LWS_CALLBACK_CLOSED:
      NoteLwsClose(wsi, connection);
      impl->OnClosed(wsi, connection);
      return 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      impl->RunPosted();
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
}

// The handshake timeout, kept by us: a socket has handshake_timeout seconds
// from accept (TLS included) to a finished upgrade, however it trickles.
// lws 4.1.6 announces the sockets Dial() makes here as well, so the same
// deadline covers a dial's connect and handshake. Such a socket has no peer
// yet (it is still connecting) and carries its Connection already.
void WsServer::Impl::OnNewClient(lws* wsi) {
  const bool dialed = DialedConnection(wsi) != nullptr;
  handshaking_[wsi] = Handshaking{lws_now_usecs() + options_.handshake_timeout * kMicrosPerSecond,
                                  dialed ? std::string() : PeerAddress(wsi), false, dialed};
  if (handshake_sweep_scheduled_) return;
  handshake_sweep_scheduled_ = true;
  After(kHandshakeSweep, [this] { SweepHandshakes(); });
}

// Runs while any socket is still handshaking; an expired one is closed by
// lws at its next timeout check (no close frame: it never was a WebSocket).
void WsServer::Impl::SweepHandshakes() {
  const lws_usec_t now = lws_now_usecs();
  for (auto it = handshaking_.begin(); it != handshaking_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    lws* wsi = it->first;
    const std::string within =
        "no WebSocket handshake within " + std::to_string(options_.handshake_timeout) + " s";
    const std::string peer = std::move(it->second.peer);
    const bool answered = it->second.answered;
    const bool ours = it->second.dialed;
    it = handshaking_.erase(it);
    Connection* dialed = DialedConnection(wsi);
    if (dialed != nullptr && !dialed->open()) {
      FailDial(dialed, within, true);
    } else {
      if (!answered && !ours && options_.log != nullptr) {
        options_.log->Info("Dropped a connection from " + peer + ": " + within);
      }
      lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
  }
  handshake_sweep_scheduled_ = !handshaking_.empty();
  if (handshake_sweep_scheduled_) After(kHandshakeSweep, [this] { SweepHandshakes(); });
}

void WsServer::Impl::NoteDialedSocket(lws* wsi) {
  auto it = handshaking_.find(wsi);
  if (it != handshaking_.end()) it->second.dialed = true;
}

// Every wsi ends here, whatever became of it.
void WsServer::Impl::OnWsiDestroy(lws* wsi) {
  Connection* connection = DialedConnection(wsi);
  auto handshaking = handshaking_.find(wsi);
  if (handshaking != handshaking_.end()) {
    // Accepted, never upgraded, never answered by us: lws turned it away
    // (bytes that are not HTTP, TLS on a plain port or plain on a TLS one).
    // A failed dial of ours was reported to its handler instead.
    if (connection == nullptr && !handshaking->second.answered && !handshaking->second.dialed &&
        options_.log != nullptr) {
      options_.log->Info("Dropped a connection from " + handshaking->second.peer +
                         " that made no WebSocket handshake (not HTTP, or TLS where plain ws is "
                         "served, or the reverse)");
    }
    handshaking_.erase(handshaking);
  }
  answered_.erase(wsi);
  control_requests_.erase(wsi);
  if (connection == nullptr) return;
  // A dial that ends without an error or a close callback still gets its
  // one report.
  if (connection->open()) {
    OnClosed(wsi, connection);
  } else {
    FailDial(connection, "connection closed during the handshake", false);
  }
}

// Whether the Sec-WebSocket-Protocol list `asked` (may be empty: none asked)
// names a protocol this server speaks.
bool WsServer::Impl::SpeaksOneOf(std::string_view asked) const {
  if (asked.empty()) return true;
  for (size_t start = 0; start <= asked.size();) {
    size_t comma = asked.find(',', start);
    if (comma == std::string_view::npos) comma = asked.size();
    std::string_view name = asked.substr(start, comma - start);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    for (const lws_protocols* p = protocols_; p->name != nullptr; ++p) {
      if (name == p->name) return true;
    }
    start = comma + 1;
  }
  return false;
}

void WsServer::Impl::NoteRefused(lws* wsi, LogLevel level, const std::string& line) {
  auto it = handshaking_.find(wsi);
  if (it != handshaking_.end()) it->second.answered = true;
  if (options_.log != nullptr) options_.log->Log(level, line);
}

// Every upgrade request passes here before lws looks at subprotocols. It is
// the one place where a refusal can still be a complete HTTP answer (404,
// 503, 400) rather than a dropped socket, and no WebSocket state exists yet, so a
// refused client never shows up in the Handler.
int WsServer::Impl::OnConfirmUpgrade(lws* wsi) {
  unsigned int status = 0;
  std::string asked;
  const std::string path = RequestPath(wsi);
  auto from = [wsi] { return "from " + PeerAddress(wsi); };  // only for a refusal
  if (path != options_.path) {
    status = HTTP_STATUS_NOT_FOUND;
    NoteRefused(wsi, LogLevel::kInfo,
                "Refused a WebSocket upgrade " + from() + " for path '" + path +
                    "' with HTTP 404 (the WebSocket path is " + options_.path + ")");
  } else if (served_count_ >= static_cast<size_t>(options_.max_connections)) {
    status = HTTP_STATUS_SERVICE_UNAVAILABLE;
    // INFO, not WARN: a warning is written at once, on the loop, and this
    // is the line a connection flood repeats.
    NoteRefused(wsi, LogLevel::kInfo,
                "Refused a client " + from() + " with HTTP 503: --max-connections (" +
                    std::to_string(options_.max_connections) + ") reached");
  } else if (asked = HeaderText(wsi, WSI_TOKEN_PROTOCOL); !SpeaksOneOf(asked)) {
    // lws would drop the socket without a word; the client is told, and
    // the user is told how to accept it.
    status = HTTP_STATUS_BAD_REQUEST;
    NoteRefused(wsi, LogLevel::kWarn,
                "Refused a client " + from() + " asking only for subprotocol(s) '" + asked +
                    "'; accept one with --subprotocol NAME");
  }
  if (status == 0) return 0;
  // > 0 tells lws the answer is written and it should end the transaction.
  return lws_return_http_status(wsi, status, nullptr) != 0 ? -1 : 1;
}

// A plain HTTP request (no upgrade): the control endpoint, or else nothing
// here but the WebSocket.
int WsServer::Impl::OnPlainHttp(lws* wsi) {
  const std::string path = RequestPath(wsi);
  if (path.starts_with(kControlPrefix)) return OnControlRequest(wsi, "GET", path);
  if (const std::string posted = HeaderText(wsi, WSI_TOKEN_POST_URI);
      posted.starts_with(kControlPrefix)) {
    return OnControlRequest(wsi, "POST", posted);
  }
  if (HeaderText(wsi, WSI_TOKEN_OPTIONS_URI).starts_with(kControlPrefix)) {
    return AnswerPreflight(wsi);
  }
  // The routes answer other methods with a JSON 405 (or 404).
  for (const auto& [token, method] :
       {std::pair{WSI_TOKEN_PUT_URI, "PUT"}, std::pair{WSI_TOKEN_PATCH_URI, "PATCH"},
        std::pair{WSI_TOKEN_DELETE_URI, "DELETE"}}) {
    if (const std::string uri = HeaderText(wsi, token); uri.starts_with(kControlPrefix)) {
      return OnControlRequest(wsi, method, uri);
    }
  }
  const bool on_path = path == options_.path;
  NoteRefused(wsi, LogLevel::kInfo,
              "Answered a plain HTTP request from " + PeerAddress(wsi) + " for '" + path +
                  "' with HTTP " + (on_path ? "400 (it needs a WebSocket upgrade)" : "404"));
  if (lws_return_http_status(wsi, on_path ? HTTP_STATUS_BAD_REQUEST : HTTP_STATUS_NOT_FOUND,
                             nullptr) != 0) {
    return -1;
  }
  return lws_http_transaction_completed(wsi) != 0 ? -1 : 0;
}

void WsServer::Impl::OnEstablished(lws* wsi, Session* session) {
  handshaking_.erase(wsi);
  auto connection = std::make_unique<Connection>(next_connection_id_++, wsi, handler_, false);
  connection->NoteActivity(lws_now_usecs());
  const ConnectionId id = connection->id();
  session->connection = connection.get();
  connections_.emplace(id, std::move(connection));
  ++served_count_;
  if (reads_paused_) lws_rx_flow_control(wsi, 0);
  Connection* opened = connections_.at(id).get();
  PeerInfo peer{PeerAddress(wsi), RequestPath(wsi), HeaderText(wsi, WSI_TOKEN_PROTOCOL), {}, {}};
  opened->set_peer(peer);  // what identifies the client is the handler's to keep, or not
  ReadClientIdentity(wsi, &peer);
  handler_->OnOpen(id, peer);
}

void WsServer::Impl::PauseReading(bool paused) {
  if (paused == reads_paused_) return;
  reads_paused_ = paused;
  for (const auto& [id, connection] : connections_) {
    if (connection->dialed() || connection->wsi() == nullptr) continue;
    lws_rx_flow_control(connection->wsi(), paused ? 0 : 1);
  }
}

int WsServer::Impl::OnReceive(lws* wsi, Connection* connection, const void* in, size_t len) {
  if (connection == nullptr) return -1;
  if (connection->closing()) return 0;  // we are leaving; what it says no longer matters
  connection->NoteActivity(lws_now_usecs());
  if (!connection->Append(in, len, lws_frame_is_binary(wsi), options_.max_message)) {
    connection->RequestClose(LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large", true);
    BeginClose(connection);
    return 0;
  }
  // lws splits long frames into rx-buffer-sized pieces as well as delivering
  // real fragments; "final" covers both.
  if (!lws_is_final_fragment(wsi)) return 0;
  const std::string message = connection->TakeMessage();
  if (log_frames_) {
    LogFrame(connection->dialed() ? "Frame from upstream" : "Frame from client", connection->id(),
             message, connection->message_binary());
  }
  if (!connection->dialed()) received_.Add(connection->id(), message, connection->message_binary());
  connection->handler()->OnMessage(connection->id(), message, connection->message_binary());
  return 0;
}

// Writes queued frames while the socket takes them whole, rather than one
// frame per poll pass: lws_write hands what the socket did not take to lws,
// which keeps it and calls back once it has gone (lws_partial_buffered).
// The budget keeps one fast reader with a long queue from holding up the
// others in the same pass.
int WsServer::Impl::OnWriteable(lws* wsi, Connection* connection) {
  if (connection == nullptr || connection->close_sent()) return 0;
  if (connection->close_due()) return CloseNow(wsi, connection);
  size_t written = 0;
  while (connection->has_frames() && written < kWriteBudget && !lws_partial_buffered(wsi)) {
    // lws masks a client's payload in place, so a dialed connection's
    // frames go one by one through lws_write.
    const bool pack = !connection->dialed() && connection->frame_count() > 1 &&
                      connection->front_frame().size() <= kMaxPackedFrame;
    const int n = pack ? WriteSmallFrames(wsi, connection) : WriteFront(wsi, connection);
    if (n < 0) return -1;
    written += static_cast<size_t>(n);
  }
  // The close frame goes in a callback of its own, after the queue.
  if (connection->has_frames() || connection->closing()) lws_callback_on_writable(wsi);
  return 0;
}

// One frame from its own buffer: lws puts the header in its headroom.
int WsServer::Impl::WriteFront(lws* wsi, Connection* connection) {
  const std::shared_ptr<const Frame> frame = connection->PopFrame();
  const int written = lws_write(wsi, frame->payload(), frame->size(),
                                frame->binary() ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
  return written < static_cast<int>(frame->size()) ? -1 : written;
}

// The small frames at the front of the queue, headers and all, as one raw
// write: K replies to K pipelined requests cost one send() instead of K. The
// bytes are those lws_write would frame one by one (server frames are
// unmasked and carry no extension data).
int WsServer::Impl::WriteSmallFrames(lws* wsi, Connection* connection) {
  if (batch_ == nullptr)
    batch_ = std::make_unique_for_overwrite<unsigned char[]>(LWS_PRE + kRxBufferSize);
  unsigned char* const out = batch_.get() + LWS_PRE;
  size_t len = 0;
  while (connection->has_frames()) {
    const Frame& frame = connection->front_frame();
    if (frame.size() > kMaxPackedFrame || len + kMaxFrameHeader + frame.size() > kRxBufferSize) {
      break;
    }
    len += WriteFrameHeader(out + len, frame.size(), frame.binary());
    if (frame.size() > 0) std::memcpy(out + len, frame.payload(), frame.size());
    len += frame.size();
    connection->PopFrame();
  }
  // lws cuts a write to the rx buffer size, so the batch is sent in one go
  // or what is left is kept by lws.
  const int written = lws_write(wsi, out, len, LWS_WRITE_RAW);
  return written < static_cast<int>(len) ? -1 : written;
}

// Returns nonzero, so lws closes without echoing, when the peer's close is the
// answer to ours; 0 makes lws answer a close the peer began.
int WsServer::Impl::OnPeerClose(Connection* connection, const void* in, size_t len) {
  if (connection == nullptr) return 0;
  const auto* payload = static_cast<const unsigned char*>(in);
  const int code = len >= 2 ? (payload[0] << 8) | payload[1] : LWS_CLOSE_STATUS_NO_STATUS;
  connection->NotePeerClose(code);
  return connection->close_sent() ? 1 : 0;
}

// lws closes some connections by itself, with a close frame of its own
// (1007 for invalid UTF-8, 1002 for a protocol error), and tells no callback
// of the code; the frame's payload is still there when the wsi closes.
void WsServer::Impl::NoteLwsClose(lws* wsi, Connection* connection) {
  if (connection == nullptr || lws_get_close_length(wsi) < 2) return;
  const unsigned char* payload = lws_get_close_payload(wsi);
  connection->NoteLwsClose((payload[0] << 8) | payload[1]);
}

void WsServer::Impl::OnClosed(lws* wsi, Connection* connection) {
  if (connection == nullptr) return;
  const ConnectionId id = connection->id();
  const int code = connection->close_code();
  Handler* handler = connection->handler();
  if (connection->dialed()) {
    lws_set_opaque_user_data(wsi, nullptr);
  } else {
    --served_count_;
  }
  if (auto* session = static_cast<Session*>(lws_wsi_user(wsi))) session->connection = nullptr;
  connections_.erase(id);
  if (!destroying_) handler->OnClose(id, code);
}

void WsServer::Impl::RunPosted() {
  if (destroying_) return;
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    batch.swap(posted_);
  }
  for (auto& fn : batch) fn();
}

SendResult WsServer::Impl::Send(ConnectionId id, std::string_view message, bool binary) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second->closing()) return SendResult::kNoConnection;
  return Queue(it->second.get(), Frame::Make(message, binary));
}

SendResult WsServer::Impl::Send(ConnectionId id, std::string&& buffer, size_t headroom) {
  if (headroom < LWS_PRE) return Send(id, std::string_view(buffer).substr(headroom), false);
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second->closing()) return SendResult::kNoConnection;
  return Queue(it->second.get(), Frame::Adopt(std::move(buffer), headroom));
}

void WsServer::Impl::Broadcast(std::string_view text) {
  if (served_count_ == 0) return;
  const std::shared_ptr<const Frame> frame = Frame::Make(text);
  for (auto& [id, connection] : connections_) {
    if (!connection->closing() && !connection->dialed()) Queue(connection.get(), frame);
  }
}

// --log-level debug: one line per frame, both ways, so a user can see what
// the app sent and what it got (a frame cut to 200 printable bytes).
void WsServer::Impl::LogFrame(std::string_view way, ConnectionId id, std::string_view payload,
                              bool binary) {
  std::string line = std::string(way) + " " + std::to_string(id) + ": ";
  line += binary ? std::to_string(payload.size()) + " bytes, binary"
                 : PrintableCut(payload, 200) + " (" + std::to_string(payload.size()) + " bytes)";
  options_.log->Debug(line);
}

SendResult WsServer::Impl::Queue(Connection* connection, std::shared_ptr<const Frame> frame) {
  if (log_frames_) {
    LogFrame(connection->dialed() ? "Frame to upstream" : "Frame to client", connection->id(),
             std::string_view(reinterpret_cast<const char*>(frame->payload()), frame->size()),
             frame->binary());
  }
  if (!connection->Enqueue(std::move(frame), options_.max_send_queue)) {
    // A client this far behind would only fall further behind.
    connection->RequestClose(LWS_CLOSE_STATUS_POLICY_VIOLATION, "send queue full", true);
    BeginClose(connection);
    return SendResult::kOverLimit;
  }
  // A dial still in progress writes its queue once it opens.
  if (connection->open()) lws_callback_on_writable(connection->wsi());
  return SendResult::kQueued;
}

void WsServer::Impl::Close(ConnectionId id, int code, std::string_view reason) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second->closing()) return;
  it->second->RequestClose(code, reason, false);
  BeginClose(it->second.get());
}

size_t WsServer::Impl::CloseServed(int code, std::string_view reason) {
  size_t closed = 0;
  for (auto& [id, connection] : connections_) {
    if (connection->closing() || connection->dialed()) continue;
    connection->RequestClose(code, reason, false);
    BeginClose(connection.get());
    ++closed;
  }
  return closed;
}

std::vector<ClientInfo> WsServer::Impl::ServedClients() const {
  std::vector<ClientInfo> clients;
  for (const auto& [id, connection] : connections_) {
    if (!connection->closing() && !connection->dialed())
      clients.push_back({id, connection->peer()});
  }
  return clients;
}

bool WsServer::Impl::IsServing(ConnectionId id) const {
  auto it = connections_.find(id);
  return it != connections_.end() && !it->second->closing() && !it->second->dialed();
}

bool WsServer::Impl::Drop(ConnectionId id) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second->closing() || it->second->dialed()) return false;
  Connection* connection = it->second.get();
  connection->RequestClose(kDropCode, "", true);
  // The peer reads the end of the stream with no close frame before it;
  // whatever lws tries to write on its way out fails on the shut socket.
  shutdown(lws_get_socket_fd(connection->wsi()), SHUT_RDWR);
  lws_set_timeout(connection->wsi(), PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
  return true;
}

void WsServer::Impl::BeginClose(Connection* connection) {
  if (!connection->open()) return FailDial(connection, "closed before it opened", true);
  lws_set_timeout(connection->wsi(), PENDING_TIMEOUT_CLOSE_SEND, kCloseTimeoutSeconds);
  lws_callback_on_writable(connection->wsi());
}

// We write the close frame ourselves rather than returning -1 after
// lws_close_reason(): lws 4.1.6 then kills the socket as soon as the peer
// sends anything but its close answer, and a client that is still sending
// (a flood, a slow reader catching up) would get a reset that throws away
// the replies still in the kernel's buffers. This way lws stays in its
// established state, OnReceive drops what the peer still says, and the
// connection ends with the peer's answer (OnPeerClose) or the timeout.
int WsServer::Impl::CloseNow(lws* wsi, Connection* connection) {
  const std::string& reason = connection->close_reason();
  unsigned char frame[LWS_PRE + 2 + kMaxCloseReason];
  unsigned char* payload = frame + LWS_PRE;
  const int code = connection->close_code();
  payload[0] = static_cast<unsigned char>(code >> 8);
  payload[1] = static_cast<unsigned char>(code & 0xff);
  std::memcpy(payload + 2, reason.data(), reason.size());
  connection->MarkCloseSent();
  // lws-write.h leaves value 4, LWS_WRITE_CLOSE, out of its public enum
  // ("handled by lws_close_reason()"), but lws_write frames it as a close.
  constexpr auto kWriteClose = static_cast<lws_write_protocol>(4);
  if (lws_write(wsi, payload, 2 + reason.size(), kWriteClose) < 0) return -1;
  lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, kCloseTimeoutSeconds);
  return 0;
}

WsServer::TimerId WsServer::Impl::After(Micros delay, std::function<void()> fn) {
  const TimerId id = next_timer_id_++;
  auto slot = std::make_unique<TimerSlot>();  // zeroed, as lws wants a fresh sul
  slot->impl = this;
  slot->id = id;
  lws_sul_schedule(context_, 0, &slot->sul, &Impl::OnTimer, std::max<Micros>(delay, 0));
  timers_.emplace(id, Timer{std::move(slot), std::move(fn)});
  return id;
}

void WsServer::Impl::OnTimer(lws_sorted_usec_list_t* sul) {
  TimerSlot* slot = reinterpret_cast<TimerSlot*>(sul);
  slot->impl->FireTimer(slot->id);
}

void WsServer::Impl::FireTimer(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  // lws has already unlinked the sul, so the slot may go before fn runs,
  // and fn may schedule or cancel other timers freely.
  std::function<void()> fn = std::move(it->second.fn);
  timers_.erase(it);
  fn();
}

void WsServer::Impl::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  lws_sul_cancel(&it->second.slot->sul);
  timers_.erase(it);
}

void WsServer::Impl::ScheduleIdleSweep(Micros interval) {
  After(interval, [this, interval] {
    SweepIdle();
    ScheduleIdleSweep(interval);
  });
}

// One timer for all connections: rescheduling a timer per message would
// cost a sorted-list insert in lws for every message.
void WsServer::Impl::SweepIdle() {
  const lws_usec_t now = lws_now_usecs();
  for (auto& [id, connection] : connections_) {
    if (connection->dialed() || connection->closing()) continue;
    if (now - connection->last_active() < options_.client_idle_timeout) continue;
    connection->RequestClose(kGoingAway, "idle timeout", false);
    BeginClose(connection.get());
  }
}

Status WsServer::Impl::Run() {
  RunPosted();
  while (!stop_.load(std::memory_order_acquire)) {
    if (lws_service(context_, 0) < 0) return Status::IoError("the WebSocket event loop failed");
  }
  Shutdown();
  return Status::Ok();
}

void WsServer::Impl::Shutdown() {
  for (auto& [id, connection] : connections_) {
    if (connection->closing() || !connection->open()) continue;
    connection->RequestClose(kGoingAway, "server stopping", false);
    BeginClose(connection.get());
  }
  bool grace_over = false;
  // lws polls again right after running a due timer; waking it lets the
  // loop below see the flag now rather than at the next socket event.
  const TimerId deadline = After(kShutdownGrace, [this, &grace_over] {
    grace_over = true;
    lws_cancel_service(context_);
  });
  // Each pass waits for socket activity or the deadline timer, so the count
  // only guards against a loop that spins without either.
  for (int pass = 0; pass < 100'000 && !grace_over && !AllCloseFramesSent(); ++pass) {
    if (lws_service(context_, 0) < 0) break;
  }
  Cancel(deadline);
  ReportRemaining();
}

bool WsServer::Impl::AllCloseFramesSent() const {
  return std::all_of(connections_.begin(), connections_.end(), [](const auto& entry) {
    return entry.second->close_sent() || !entry.second->open();
  });
}

// Connections still waiting for the peer's close answer are over as far as
// the Handler is concerned: nothing services them once Run() returns. Dials
// still in progress never opened, so they failed.
void WsServer::Impl::ReportRemaining() {
  std::map<ConnectionId, std::unique_ptr<Connection>> remaining;
  remaining.swap(connections_);
  dialing_.clear();
  served_count_ = 0;
  for (auto& [id, connection] : remaining) {
    lws* wsi = connection->wsi();
    if (wsi != nullptr) {
      if (connection->dialed()) lws_set_opaque_user_data(wsi, nullptr);
      if (auto* session = static_cast<Session*>(lws_wsi_user(wsi))) session->connection = nullptr;
    }
    if (connection->open()) {
      connection->handler()->OnClose(id, connection->close_code());
    } else {
      connection->handler()->OnDialFailed(id, "server stopping");
    }
  }
  DeliverDialFailures();
}

void WsServer::Impl::Stop() {
  stop_.store(true, std::memory_order_release);
  lws_cancel_service(context_);
}

void WsServer::Impl::Post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    posted_.push_back(std::move(fn));
  }
  lws_cancel_service(context_);
}

// --- WsServer forwards to Impl, which keeps lws out of the header.

Result<std::unique_ptr<WsServer>> WsServer::Create(const ServerOptions& options, Handler* handler) {
  auto impl = std::make_unique<Impl>(options, handler);
  WSMOCK_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<WsServer>(new WsServer(std::move(impl)));
}

WsServer::WsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsServer::~WsServer() = default;

int WsServer::port() const { return impl_->port(); }
bool WsServer::tls() const { return impl_->tls(); }
std::string WsServer::url() const { return impl_->url(); }
SendResult WsServer::Send(ConnectionId id, std::string_view text) {
  return impl_->Send(id, text, false);
}
SendResult WsServer::Send(ConnectionId id, std::string_view message, bool binary) {
  return impl_->Send(id, message, binary);
}
SendResult WsServer::Send(ConnectionId id, std::string&& buffer, size_t headroom) {
  return impl_->Send(id, std::move(buffer), headroom);
}
void WsServer::Broadcast(std::string_view text) { impl_->Broadcast(text); }
void WsServer::Close(ConnectionId id, int code, std::string_view reason) {
  impl_->Close(id, code, reason);
}
size_t WsServer::CloseServed(int code, std::string_view reason) {
  return impl_->CloseServed(code, reason);
}
std::vector<ClientInfo> WsServer::ServedClients() const { return impl_->ServedClients(); }
bool WsServer::IsServing(ConnectionId id) const { return impl_->IsServing(id); }
bool WsServer::Drop(ConnectionId id) { return impl_->Drop(id); }
ReceivedFrames& WsServer::received() { return impl_->received(); }
WsServer::TimerId WsServer::After(Micros delay, std::function<void()> fn) {
  return impl_->After(delay, std::move(fn));
}
void WsServer::Cancel(TimerId id) { impl_->Cancel(id); }
void WsServer::PauseReading(bool paused) { impl_->PauseReading(paused); }
size_t WsServer::connection_count() const { return impl_->connection_count(); }
Result<ConnectionId> WsServer::Dial(const DialOptions& options, Handler* handler) {
  return impl_->Dial(options, handler);
}
Status WsServer::Run() { return impl_->Run(); }
void WsServer::Stop() { impl_->Stop(); }
void WsServer::Post(std::function<void()> fn) { impl_->Post(std::move(fn)); }

}  // namespace wsmock::server
