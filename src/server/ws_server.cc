#include "server/ws_server.h"

#include <libwebsockets.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "server/connection.h"
#include "server/listen_probe.h"
#include "tls/certificate.h"
#include "tls/openssl_ptr.h"

namespace wsmock::server {
namespace {

// lws hands messages over in pieces of at most this size and, by default,
// writes in pieces of it too: big enough that most messages need one each.
constexpr size_t kRxBufferSize = 64 * 1024;
// After Stop(), how long Run() keeps serving so close frames can go out.
constexpr Micros kShutdownGrace = kMicrosPerSecond;
// A peer that stopped reading never takes our close frame; drop it after this.
constexpr int kCloseTimeoutSeconds = 5;
constexpr int kGoingAway = LWS_CLOSE_STATUS_GOINGAWAY;

// lws's per-session data, zeroed by lws: the way from a wsi to its state.
struct Session {
  Connection* connection;
};

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

std::string RequestPath(lws* wsi) {
  const int len = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI);
  if (len <= 0) return "";
  std::string path(static_cast<size_t>(len) + 1, '\0');
  if (lws_hdr_copy(wsi, path.data(), len + 1, WSI_TOKEN_GET_URI) < 0) return "";
  path.resize(static_cast<size_t>(len));
  return path;
}

std::string PeerAddress(lws* wsi) {
  char buf[128];
  const char* address = lws_get_peer_simple(wsi, buf, sizeof(buf));
  return address != nullptr ? address : "";
}

}  // namespace

// One pending After() timer. `sul` comes first in this standard-layout
// struct, so the pointer lws hands back converts to the slot.
struct TimerSlot {
  lws_sorted_usec_list_t sul;
  WsServer::Impl* impl;
  WsServer::TimerId id;
};

class WsServer::Impl {
 public:
  Impl(const ServerOptions& options, Handler* handler) : options_(options), handler_(handler) {}
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Status Start();

  int port() const { return port_; }
  bool tls() const { return options_.tls.enabled(); }
  std::string url() const {
    return std::string(tls() ? "wss" : "ws") + "://" + options_.host + ":" + std::to_string(port_) +
           options_.path;
  }

  SendResult Send(ConnectionId id, std::string_view text);
  void Broadcast(std::string_view text);
  void Close(ConnectionId id, int code, std::string_view reason);
  TimerId After(Micros delay, std::function<void()> fn);
  void Cancel(TimerId id);
  size_t connection_count() const { return connections_.size(); }
  Status Run();
  void Stop();
  void Post(std::function<void()> fn);

 private:
  struct Timer {
    std::unique_ptr<TimerSlot> slot;
    std::function<void()> fn;
  };

  static int Callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  static void OnTimer(lws_sorted_usec_list_t* sul);

  Status CheckOptions() const;
  Status CheckTls() const;
  Status CreateVhost();

  int OnConfirmUpgrade(lws* wsi);
  int OnPlainHttp(lws* wsi);
  void OnEstablished(lws* wsi, Session* session);
  int OnReceive(lws* wsi, Session* session, const void* in, size_t len);
  int OnWriteable(lws* wsi, Session* session);
  void OnPeerClose(Session* session, const void* in, size_t len);
  void OnClosed(Session* session);
  void RunPosted();
  void FireTimer(TimerId id);

  SendResult Queue(Connection* connection, std::shared_ptr<const Frame> frame);
  void BeginClose(Connection* connection);
  static int CloseNow(lws* wsi, Connection* connection);
  void Shutdown();
  bool AllCloseFramesSent() const;
  void ReportRemaining();

  const ServerOptions options_;
  Handler* const handler_;
  lws_protocols protocols_[2] = {};
  // Handed to lws so it does not build its own client context for a server
  // vhost: lws 4.1.6 loses track of (leaks) that one once another lws
  // context in the process has initialised TLS, and loads every system CA
  // into it. Outlives context_.
  tls::SslCtxPtr unused_client_ssl_ctx_;
  lws_context* context_ = nullptr;
  int port_ = 0;
  bool destroying_ = false;

  std::map<ConnectionId, std::unique_ptr<Connection>> connections_;
  ConnectionId next_connection_id_ = 1;
  std::map<TimerId, Timer> timers_;
  TimerId next_timer_id_ = 1;

  // The only state other threads touch.
  std::atomic<bool> stop_{false};
  std::mutex posted_mu_;
  std::vector<std::function<void()>> posted_;  // guarded by posted_mu_
};

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
  // subprotocol (lws 4.1.6 refuses those naming only unknown ones).
  protocols_[0].name = "wsmock";
  protocols_[0].callback = &Impl::Callback;
  protocols_[0].per_session_data_size = sizeof(Session);
  protocols_[0].rx_buffer_size = kRxBufferSize;

  lws_context_creation_info info{};
  // lws 4.1 reads VALIDATE_UTF8 from the context's options, not the vhost's.
  info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_VALIDATE_UTF8;
  if (tls()) info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.user = this;
  context_ = lws_create_context(&info);
  if (context_ == nullptr) return Status::Internal("cannot create the WebSocket context");
  return CreateVhost();
}

Status WsServer::Impl::CheckOptions() const {
  if (options_.port < 0 || options_.port > 65535) {
    return Status::InvalidArgument("port " + std::to_string(options_.port) + " is out of range");
  }
  if (options_.path.empty() || options_.path[0] != '/') {
    return Status::InvalidArgument("WebSocket path '" + options_.path + "' must start with '/'");
  }
  if (options_.max_message == 0 || options_.max_send_queue == 0 || options_.max_connections <= 0) {
    return Status::InvalidArgument("message, queue and connection limits must be positive");
  }
  if (handler_ == nullptr) return Status::InvalidArgument("no handler for the server");
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
  info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
  // Without this lws binds IPv6 too, which for 127.0.0.1 means every address.
  if (address.find(':') == std::string::npos) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
  const TlsConfig& tls = options_.tls;
  if (tls.enabled()) {
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    unused_client_ssl_ctx_.reset(SSL_CTX_new(TLS_client_method()));
    if (unused_client_ssl_ctx_ == nullptr) return Status::Internal("cannot create a TLS context");
    info.provided_client_ssl_ctx = unused_client_ssl_ctx_.get();
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
  auto* session = static_cast<Session*>(user);
  if (impl == nullptr) return 0;
  switch (reason) {
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      return impl->OnConfirmUpgrade(wsi);
    case LWS_CALLBACK_HTTP:
      return impl->OnPlainHttp(wsi);
    case LWS_CALLBACK_ESTABLISHED:
      impl->OnEstablished(wsi, session);
      return 0;
    case LWS_CALLBACK_RECEIVE:
      return impl->OnReceive(wsi, session, in, len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return impl->OnWriteable(wsi, session);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      impl->OnPeerClose(session, in, len);
      return 0;
    case LWS_CALLBACK_CLOSED:
      impl->OnClosed(session);
      return 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      impl->RunPosted();
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
}

// Every upgrade request passes here before lws looks at subprotocols. It is
// the one place where a refusal can still be a complete HTTP answer (404,
// 503) rather than a dropped socket, and no WebSocket state exists yet, so a
// refused client never shows up in the Handler.
int WsServer::Impl::OnConfirmUpgrade(lws* wsi) {
  unsigned int status = 0;
  if (RequestPath(wsi) != options_.path) {
    status = HTTP_STATUS_NOT_FOUND;
  } else if (connections_.size() >= static_cast<size_t>(options_.max_connections)) {
    status = HTTP_STATUS_SERVICE_UNAVAILABLE;
  }
  if (status == 0) return 0;
  // > 0 tells lws the answer is written and it should end the transaction.
  return lws_return_http_status(wsi, status, nullptr) != 0 ? -1 : 1;
}

// A plain HTTP request (no upgrade): there is nothing here but the WebSocket.
int WsServer::Impl::OnPlainHttp(lws* wsi) {
  const bool on_path = RequestPath(wsi) == options_.path;
  if (lws_return_http_status(wsi, on_path ? HTTP_STATUS_BAD_REQUEST : HTTP_STATUS_NOT_FOUND,
                             nullptr) != 0) {
    return -1;
  }
  return lws_http_transaction_completed(wsi) != 0 ? -1 : 0;
}

void WsServer::Impl::OnEstablished(lws* wsi, Session* session) {
  auto connection = std::make_unique<Connection>(next_connection_id_++, wsi);
  const ConnectionId id = connection->id();
  session->connection = connection.get();
  connections_.emplace(id, std::move(connection));
  handler_->OnOpen(id, PeerInfo{PeerAddress(wsi), RequestPath(wsi)});
}

int WsServer::Impl::OnReceive(lws* wsi, Session* session, const void* in, size_t len) {
  Connection* connection = session->connection;
  if (connection == nullptr) return -1;
  if (connection->closing()) return 0;  // we are leaving; what it says no longer matters
  if (!connection->Append(in, len, lws_frame_is_binary(wsi), options_.max_message)) {
    connection->RequestClose(LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large", true);
    return CloseNow(wsi, connection);
  }
  // lws splits long frames into rx-buffer-sized pieces as well as delivering
  // real fragments; "final" covers both.
  if (!lws_is_final_fragment(wsi)) return 0;
  const std::string message = connection->TakeMessage();
  handler_->OnMessage(connection->id(), message, connection->message_binary());
  return 0;
}

int WsServer::Impl::OnWriteable(lws* wsi, Session* session) {
  Connection* connection = session->connection;
  if (connection == nullptr) return 0;
  if (connection->close_due()) return CloseNow(wsi, connection);
  if (!connection->has_frames()) return 0;
  // One lws_write per callback; lws keeps whatever the socket did not take
  // and holds back the next WRITEABLE until it has gone.
  const std::shared_ptr<const Frame> frame = connection->PopFrame();
  const int written = lws_write(wsi, frame->payload(), frame->size(), LWS_WRITE_TEXT);
  if (written < static_cast<int>(frame->size())) return -1;
  if (connection->has_frames() || connection->closing()) lws_callback_on_writable(wsi);
  return 0;
}

void WsServer::Impl::OnPeerClose(Session* session, const void* in, size_t len) {
  if (session == nullptr || session->connection == nullptr) return;
  const auto* payload = static_cast<const unsigned char*>(in);
  const int code = len >= 2 ? (payload[0] << 8) | payload[1] : LWS_CLOSE_STATUS_NO_STATUS;
  session->connection->NotePeerClose(code);
}

void WsServer::Impl::OnClosed(Session* session) {
  if (session == nullptr || session->connection == nullptr) return;
  const ConnectionId id = session->connection->id();
  const int code = session->connection->close_code();
  session->connection = nullptr;
  connections_.erase(id);
  if (!destroying_) handler_->OnClose(id, code);
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

SendResult WsServer::Impl::Send(ConnectionId id, std::string_view text) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second->closing()) return SendResult::kNoConnection;
  return Queue(it->second.get(), Frame::Make(text));
}

void WsServer::Impl::Broadcast(std::string_view text) {
  if (connections_.empty()) return;
  const std::shared_ptr<const Frame> frame = Frame::Make(text);
  for (auto& [id, connection] : connections_) {
    if (!connection->closing()) Queue(connection.get(), frame);
  }
}

SendResult WsServer::Impl::Queue(Connection* connection, std::shared_ptr<const Frame> frame) {
  if (!connection->Enqueue(std::move(frame), options_.max_send_queue)) {
    // A client this far behind would only fall further behind.
    connection->RequestClose(LWS_CLOSE_STATUS_POLICY_VIOLATION, "send queue full", true);
    BeginClose(connection);
    return SendResult::kOverLimit;
  }
  lws_callback_on_writable(connection->wsi());
  return SendResult::kQueued;
}

void WsServer::Impl::Close(ConnectionId id, int code, std::string_view reason) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second->closing()) return;
  it->second->RequestClose(code, reason, false);
  BeginClose(it->second.get());
}

void WsServer::Impl::BeginClose(Connection* connection) {
  lws_set_timeout(connection->wsi(), PENDING_TIMEOUT_CLOSE_SEND, kCloseTimeoutSeconds);
  lws_callback_on_writable(connection->wsi());
}

// lws sends the close frame with this code and reason when the callback
// returns -1, then waits for the peer's answer before CLOSED.
int WsServer::Impl::CloseNow(lws* wsi, Connection* connection) {
  std::string reason = connection->close_reason();
  lws_close_reason(wsi, static_cast<lws_close_status>(connection->close_code()),
                   reinterpret_cast<unsigned char*>(reason.data()), reason.size());
  connection->MarkCloseSent();
  return -1;
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
    if (connection->closing()) continue;
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
  return std::all_of(connections_.begin(), connections_.end(),
                     [](const auto& entry) { return entry.second->close_sent(); });
}

// Connections still waiting for the peer's close answer are over as far as
// the Handler is concerned: nothing services them once Run() returns.
void WsServer::Impl::ReportRemaining() {
  std::map<ConnectionId, std::unique_ptr<Connection>> remaining;
  remaining.swap(connections_);
  for (auto& [id, connection] : remaining) {
    static_cast<Session*>(lws_wsi_user(connection->wsi()))->connection = nullptr;
    handler_->OnClose(id, connection->close_code());
  }
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
SendResult WsServer::Send(ConnectionId id, std::string_view text) { return impl_->Send(id, text); }
void WsServer::Broadcast(std::string_view text) { impl_->Broadcast(text); }
void WsServer::Close(ConnectionId id, int code, std::string_view reason) {
  impl_->Close(id, code, reason);
}
WsServer::TimerId WsServer::After(Micros delay, std::function<void()> fn) {
  return impl_->After(delay, std::move(fn));
}
void WsServer::Cancel(TimerId id) { impl_->Cancel(id); }
size_t WsServer::connection_count() const { return impl_->connection_count(); }
Status WsServer::Run() { return impl_->Run(); }
void WsServer::Stop() { impl_->Stop(); }
void WsServer::Post(std::function<void()> fn) { impl_->Post(std::move(fn)); }

}  // namespace wsmock::server
