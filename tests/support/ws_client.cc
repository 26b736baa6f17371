#include "support/ws_client.h"

#include <arpa/inet.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>

#include "tls/openssl_ptr.h"

namespace wsmock::testing {
namespace {

constexpr size_t kRxBufferSize = 64 * 1024;
constexpr int kSendTimeoutMs = 5000;
constexpr int kCloseTimeoutMs = 2000;
// Each lws_service() pass sleeps until socket activity or the deadline
// timer, so this only stops a loop that would spin without either.
constexpr int kMaxServicePasses = 1'000'000;

// lws's log callback has no user pointer; tests want lws quiet anyway.
void DropLwsLog(int, const char*) {}

// The timer that ends a blocking call. `sul` first in a standard-layout
// struct so lws's pointer converts back.
struct DeadlineSlot {
  lws_sorted_usec_list_t sul;
  lws_context* context;
  bool fired;
};

void OnDeadline(lws_sorted_usec_list_t* sul) {
  auto* slot = reinterpret_cast<DeadlineSlot*>(sul);
  slot->fired = true;
  // lws runs due timers before it polls, then polls until the next event:
  // without this wake-up the blocking call would notice only much later.
  lws_cancel_service(slot->context);
}

int CloseCodeOf(const void* in, size_t len) {
  const auto* p = static_cast<const unsigned char*>(in);
  return len >= 2 ? (p[0] << 8) | p[1] : LWS_CLOSE_STATUS_NO_STATUS;
}

}  // namespace

struct WsClient::Impl {
  struct Outgoing {
    std::vector<unsigned char> buffer;  // LWS_PRE bytes of headroom, then the payload
    lws_write_protocol flags;
  };
  struct Incoming {
    std::string data;
    bool binary;
  };

  ~Impl() {
    lws_sul_cancel(&deadline.sul);
    if (context != nullptr) lws_context_destroy(context);  // before ssl_ctx goes
  }

  bool Start(int port, const ClientOptions& options, std::string* error_out);
  int OnCallback(lws* wsi, lws_callback_reasons reason, void* in, size_t len);
  int OnWriteable(lws* wsi);
  int AppendHeaders(void* in, size_t len);
  void OnReceive(lws* wsi, const void* in, size_t len);
  bool Queue(std::string_view payload, int flags);
  bool Flush() {
    ServiceUntil([this] { return outbox.empty() || closed; }, kSendTimeoutMs);
    return outbox.empty();
  }

  template <typename Done>
  bool ServiceUntil(Done done, int timeout_ms) {
    deadline.context = context;
    deadline.fired = false;
    lws_sul_schedule(context, 0, &deadline.sul, OnDeadline, int64_t{timeout_ms} * 1000);
    for (int pass = 0; pass < kMaxServicePasses && !done() && !deadline.fired; ++pass) {
      if (lws_service(context, 0) < 0) break;
    }
    lws_sul_cancel(&deadline.sul);
    return done();
  }

  // Our own TLS client context: lws 4.1.6 leaks the one it makes itself
  // when several lws contexts in one process initialise TLS. Self-signed
  // servers are accepted, so it needs no CA store.
  tls::SslCtxPtr ssl_ctx;
  lws_context* context = nullptr;
  lws* wsi = nullptr;  // lws clears it when the connection goes
  lws_protocols protocols[2] = {};
  DeadlineSlot deadline{};
  bool established = false;
  bool closed = false;
  bool close_requested = false;
  std::string error;
  std::vector<std::string> headers;  // ClientOptions::headers, for the handshake
  int close_code = LWS_CLOSE_STATUS_ABNORMAL_CLOSE;
  std::deque<Outgoing> outbox;
  std::deque<Incoming> inbox;
  std::string partial;
  bool partial_binary = false;
  bool in_message = false;
  bool last_binary = false;
};

namespace {

int ClientCallback(lws* wsi, lws_callback_reasons reason, void*, void* in, size_t len) {
  auto* impl = static_cast<WsClient::Impl*>(lws_context_user(lws_get_context(wsi)));
  return impl != nullptr ? impl->OnCallback(wsi, reason, in, len) : 0;
}

}  // namespace

bool WsClient::Impl::Start(int port, const ClientOptions& options, std::string* error_out) {
  lws_set_log_level(LLL_ERR | LLL_WARN, DropLwsLog);
  protocols[0].name = "wsmock-test-client";
  protocols[0].callback = &ClientCallback;
  protocols[0].rx_buffer_size = kRxBufferSize;

  lws_context_creation_info info{};
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = protocols;
  info.user = this;
  if (options.tls) {
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    ssl_ctx.reset(SSL_CTX_new(TLS_client_method()));
    if (!options.ca_file.empty() &&
        SSL_CTX_load_verify_locations(ssl_ctx.get(), options.ca_file.c_str(), nullptr) != 1) {
      if (error_out != nullptr) *error_out = "cannot load CA file " + options.ca_file;
      return false;
    }
    info.provided_client_ssl_ctx = ssl_ctx.get();
  }
  context = lws_create_context(&info);
  if (context == nullptr) {
    if (error_out != nullptr) *error_out = "cannot create client context";
    return false;
  }

  lws_client_connect_info ci{};
  ci.context = context;
  ci.address = "127.0.0.1";
  ci.port = port;
  ci.path = options.path.c_str();
  ci.host = options.host.c_str();
  ci.origin = options.origin.empty() ? nullptr : options.origin.c_str();
  ci.protocol = options.subprotocol.empty() ? nullptr : options.subprotocol.c_str();
  ci.local_protocol_name = protocols[0].name;
  if (options.tls) {
    // lws then verifies the chain (SSL_VERIFY_PEER) and the name in `host`.
    ci.ssl_connection = LCCSCF_USE_SSL;
    if (options.ca_file.empty()) {
      ci.ssl_connection |=
          LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK | LCCSCF_ALLOW_INSECURE;
    }
  }
  ci.pwsi = &wsi;
  headers = options.headers;
  if (lws_client_connect_via_info(&ci) == nullptr && !closed) {
    closed = true;
    if (error.empty()) error = "connect failed";
  }
  ServiceUntil([this] { return established || closed; }, options.timeout_ms);
  if (established && !closed) return true;
  if (error_out != nullptr) *error_out = closed ? error : "handshake timed out";
  return false;
}

int WsClient::Impl::OnCallback(lws* wsi_in, lws_callback_reasons reason, void* in, size_t len) {
  switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      established = true;
      return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
      error = in != nullptr ? std::string(static_cast<const char*>(in)) : "connection error";
      const unsigned int status = lws_http_client_http_response(wsi_in);
      if (status != 0) error += " (HTTP " + std::to_string(status) + ")";
      closed = true;
      return 0;
    }
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
      return AppendHeaders(in, len);
    case LWS_CALLBACK_CLIENT_RECEIVE:
      OnReceive(wsi_in, in, len);
      return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
      return OnWriteable(wsi_in);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      close_code = CloseCodeOf(in, len);
      return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
      closed = true;
      return 0;
    default:
      return 0;
  }
}

int WsClient::Impl::OnWriteable(lws* wsi_in) {
  if (close_requested) {
    lws_close_reason(wsi_in, LWS_CLOSE_STATUS_NORMAL, nullptr, 0);
    return -1;
  }
  if (outbox.empty()) return 0;
  Outgoing& out = outbox.front();
  const size_t size = out.buffer.size() - LWS_PRE;
  const int written = lws_write(wsi_in, out.buffer.data() + LWS_PRE, size, out.flags);
  outbox.pop_front();
  if (written < static_cast<int>(size)) return -1;
  if (!outbox.empty()) lws_callback_on_writable(wsi_in);
  return 0;
}

// `in` points at lws's write position in its header buffer, `len` bytes
// of room after it.
int WsClient::Impl::AppendHeaders(void* in, size_t len) {
  char** p = static_cast<char**>(in);
  std::string all;
  for (const std::string& header : headers) all += header + "\r\n";
  if (all.size() > len) return -1;
  std::memcpy(*p, all.data(), all.size());
  *p += all.size();
  return 0;
}

void WsClient::Impl::OnReceive(lws* wsi_in, const void* in, size_t len) {
  if (!in_message) {
    in_message = true;
    partial_binary = lws_frame_is_binary(wsi_in) != 0;
    partial.clear();
  }
  partial.append(static_cast<const char*>(in), len);
  if (!lws_is_final_fragment(wsi_in)) return;
  in_message = false;
  inbox.push_back(Incoming{std::move(partial), partial_binary});
  partial.clear();
}

bool WsClient::Impl::Queue(std::string_view payload, int flags) {
  if (closed || wsi == nullptr) return false;
  Outgoing out{std::vector<unsigned char>(LWS_PRE + payload.size()),
               static_cast<lws_write_protocol>(flags)};
  if (!payload.empty()) std::memcpy(out.buffer.data() + LWS_PRE, payload.data(), payload.size());
  outbox.push_back(std::move(out));
  lws_callback_on_writable(wsi);
  return true;
}

// --- WsClient

WsClient::WsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsClient::~WsClient() = default;

std::unique_ptr<WsClient> WsClient::Connect(int port, const std::string& path, bool tls,
                                            std::string* error) {
  ClientOptions options;
  options.path = path;
  options.tls = tls;
  return Connect(port, options, error);
}

std::unique_ptr<WsClient> WsClient::Connect(int port, const ClientOptions& options,
                                            std::string* error) {
  auto impl = std::make_unique<Impl>();
  if (!impl->Start(port, options, error)) return nullptr;
  return std::unique_ptr<WsClient>(new WsClient(std::move(impl)));
}

bool WsClient::SendText(std::string_view text) {
  return impl_->Queue(text, LWS_WRITE_TEXT) && impl_->Flush();
}

bool WsClient::SendBinary(std::string_view data) {
  return impl_->Queue(data, LWS_WRITE_BINARY) && impl_->Flush();
}

bool WsClient::SendFragments(const std::vector<std::string>& parts, bool binary) {
  for (size_t i = 0; i < parts.size(); ++i) {
    int flags = i == 0 ? (binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) : LWS_WRITE_CONTINUATION;
    if (i + 1 < parts.size()) flags |= LWS_WRITE_NO_FIN;
    if (!impl_->Queue(parts[i], flags)) return false;
  }
  return impl_->Flush();
}

std::optional<std::string> WsClient::Receive(int timeout_ms) {
  Impl& s = *impl_;
  s.ServiceUntil([&s] { return !s.inbox.empty() || s.closed; }, timeout_ms);
  if (s.inbox.empty()) return std::nullopt;
  Impl::Incoming next = std::move(s.inbox.front());
  s.inbox.pop_front();
  s.last_binary = next.binary;
  return std::move(next.data);
}

bool WsClient::last_was_binary() const { return impl_->last_binary; }

bool WsClient::WaitClosed(int timeout_ms, int* close_code) {
  Impl& s = *impl_;
  const bool closed = s.ServiceUntil([&s] { return s.closed; }, timeout_ms);
  if (closed && close_code != nullptr) *close_code = s.close_code;
  return closed;
}

void WsClient::Close() {
  Impl& s = *impl_;
  if (s.closed || s.wsi == nullptr) return;
  s.close_requested = true;
  lws_callback_on_writable(s.wsi);
  s.ServiceUntil([&s] { return s.closed; }, kCloseTimeoutMs);
}

bool WsClient::closed() const { return impl_->closed; }

// --- Raw HTTP probes

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Sends `request` and returns the status code of the first response line.
int RawHttpStatus(int port, const std::string& request, int timeout_ms) {
  const Fd sock(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const int fd = sock.get();
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return -1;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string response;
  for (int reads = 0; reads < 1000 && response.find("\r\n") == std::string::npos; ++reads) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return -1;
    char buf[512];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return -1;
    response.append(buf, static_cast<size_t>(n));
  }
  // "HTTP/1.1 404 Not Found"
  const size_t space = response.find(' ');
  if (response.rfind("HTTP/", 0) != 0 || space == std::string::npos) return -1;
  return std::atoi(response.c_str() + space + 1);
}

}  // namespace

int UpgradeStatus(int port, const std::string& path, int timeout_ms) {
  return RawHttpStatus(port,
                       "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n",
                       timeout_ms);
}

int PlainGetStatus(int port, const std::string& path, int timeout_ms) {
  return RawHttpStatus(port,
                       "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                           "\r\nConnection: close\r\n\r\n",
                       timeout_ms);
}

}  // namespace wsmock::testing
