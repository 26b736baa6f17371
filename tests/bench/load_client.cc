#include "load_client.h"

#include <libwebsockets.h>
#include <netdb.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.h"
#include "client_frame.h"
#include "client_handshake.h"
#include "frame_reader.h"
#include "latency_histogram.h"

namespace wsmock::bench {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kHousekeepingUs = 20'000;
// A first-handshake attempt that was refused is retried after this long:
// short enough to resolve a 7 ms start, long enough not to starve the
// server of the second core. At 200 us the client used 0.94 of a core while
// a 100,000-station wsmock started, which then built its JSON on one core.
constexpr int64_t kRetryUs = 1000;

// Whether something accepts TCP connections at host:port: one plain
// blocking connect(), closed at once. Until the server listens, the first
// handshake is probed this way and not through lws: each refused lws
// connect cost the event loop about 20 polls, so probing every millisecond
// kept a whole core busy, one the starting server may want. Meant for
// loopback, where a refused connect() returns at once; a remote host that
// drops SYNs would hold each probe for the kernel's connect timeout.
bool Listening(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0) return false;
  bool accepted = false;
  for (addrinfo* a = found; a != nullptr && !accepted; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    accepted = connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    close(fd);
  }
  freeaddrinfo(found);
  return accepted;
}
// Fan-out: a push is timed only once the connections have been quiet this
// long, so that the push being timed is one that started after all opened.
constexpr int64_t kQuietNs = 300'000'000;
// Large reads: one poll pass takes a whole 40 KB reply, not 4 KB of it.
constexpr size_t kReadBufferSize = 256 * 1024;
// lws cuts each write to the protocol's rx_buffer_size; our writes are
// small batches of requests.
constexpr size_t kWriteLimit = 64 * 1024;
// A pong we owe the server: header (2), mask key (4), payload (<= 125).
constexpr size_t kMaxPongFrame = 2 + 4 + 125;
// A protocol error starts {"type":"error",...}; looking at the head only
// keeps a 37 KB reply from costing a scan. ("error" alone would also match
// a station whose status is "error".)
constexpr size_t kHeadBytes = 128;
constexpr std::string_view kErrorMarks[] = {"\"type\":\"error\"", "\"error\":{"};
// No idle-ping timers: lws's default policy gives every connection one, and
// lws inserts each into one sorted list, which costs O(connections) per
// handshake and made opening 10,000 connections quadratic.
constexpr lws_retry_bo_t kNoValidityTimers = {};

int64_t NowNs(clockid_t clock = CLOCK_MONOTONIC) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * kNanosPerSecond + ts.tv_nsec;
}

void DropLwsLog(int, const char*) {}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

bool HeadIsError(const char* head, size_t len) {
  const std::string_view text(head, len);
  for (std::string_view mark : kErrorMarks) {
    if (text.find(mark) != std::string_view::npos) return true;
  }
  return false;
}

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kRate: return "rate";
    case Mode::kLatency: return "latency";
    case Mode::kIdle: return "idle";
    case Mode::kFanout: return "fanout";
    case Mode::kFirstHandshake: return "first-handshake";
  }
  return "?";
}

}  // namespace

// lws hands back the sul pointer; `sul` first in a standard-layout struct
// converts it back to the timer and so to its owner.
struct TimerSlot {
  lws_sorted_usec_list_t sul;
  LoadClient::Impl* impl;
};

class LoadClient::Impl {
 public:
  explicit Impl(const LoadOptions& options) : options_(options) {}
  ~Impl();
  Status Start();
  Result<LoadResult> Run(const volatile std::sig_atomic_t* stop, const OpenCallback& on_open);

 private:
  enum class State { kWaiting, kConnecting, kOpen, kFailed, kClosed };
  // One connection. Lives in conns_, whose size never changes, so lws can
  // hold a pointer to it as the connection's user data. lws carries it as a
  // raw socket; the WebSocket handshake and framing are ours (FrameReader),
  // because lws's client parser handles payload a byte at a time and could
  // not keep up with a server sending 40 KB replies.
  struct Conn : FrameReader::Sink {
    Impl* owner = nullptr;
    lws* wsi = nullptr;
    State state = State::kWaiting;
    bool request_sent = false;   // the HTTP upgrade request
    std::string answer;          // the server's HTTP answer, until complete
    FrameReader reader;
    bool close_seen = false;     // the server sent a close frame
    size_t pong_len = 0;         // a pong is due when pong_due
    bool pong_due = false;
    std::array<uint8_t, 125> pong{};
    uint32_t to_send = 0;       // requests due at the next WRITEABLE
    uint32_t outstanding = 0;   // sent, not yet answered
    uint32_t ring_head = 0;     // sent_at slot of the oldest outstanding
    std::vector<int64_t> sent_at;
    size_t next_message = 0;
    std::vector<uint8_t> out;   // LWS_PRE headroom, then up to `inflight` frames
    size_t message_bytes = 0;   // of the message being received
    std::array<char, kHeadBytes> head{};
    std::string capture;        // the message, while a reply is to be saved
    bool push_seen = false;

    void OnData(const uint8_t* data, size_t len) override { owner->OnData(this, data, len); }
    void OnMessageEnd() override { owner->OnMessageEnd(this); }
    void OnControl(uint8_t opcode, const uint8_t* payload, size_t len) override;
  };

  static int Callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  static void OnHousekeeping(lws_sorted_usec_list_t* sul);
  static void OnPhase(lws_sorted_usec_list_t* sul);
  static void OnRetry(lws_sorted_usec_list_t* sul);

  void Connect(Conn* conn);
  void ConnectMore();
  int OnRawRx(Conn* conn, const uint8_t* in, size_t len);
  int OnUpgradeAnswer(Conn* conn, const uint8_t* in, size_t len);
  void OnEstablished(Conn* conn);
  void OnConnectError(Conn* conn);
  void OnClosed(Conn* conn);
  int OnWriteable(Conn* conn);
  size_t WritePong(Conn* conn, uint8_t* out);
  void OnData(Conn* conn, const uint8_t* data, size_t len);
  void OnMessageEnd(Conn* conn);
  void OnMessage(Conn* conn, bool is_error);
  void OnResponse(Conn* conn, int64_t now);
  void OnPush(Conn* conn, int64_t now);
  void SaveReply(const Conn& conn);
  void CheckSettled();
  void StartWindow();
  void Housekeep();
  void Done();
  void Schedule(TimerSlot* slot, void (*fn)(lws_sorted_usec_list_t*), int64_t us);
  LoadResult Collect() const;

  bool sends() const { return options_.mode == Mode::kRate || options_.mode == Mode::kLatency; }

  const LoadOptions options_;
  lws_protocols protocols_[2] = {};
  lws_context* context_ = nullptr;
  std::vector<Conn> conns_;
  std::vector<ClientFrame> frames_;
  std::string upgrade_request_;
  const volatile std::sig_atomic_t* stop_ = nullptr;
  OpenCallback on_open_;
  TimerSlot housekeeping_{}, phase_{}, retry_{};
  std::unique_ptr<ChildProcess> child_;

  size_t next_to_connect_ = 0;
  int connecting_ = 0, opened_ = 0, failed_ = 0, dropped_ = 0, alive_ = 0;
  bool settled_ = false, measuring_ = false, done_ = false, save_pending_ = false;
  double start_cpu_ = 0;
  int64_t start_ns_ = 0, settled_ns_ = 0, window_start_ns_ = 0, window_end_ns_ = 0;
  uint64_t sends_left_ = UINT64_MAX;
  uint64_t next_id_ = 1;
  uint64_t responses_ = 0, bytes_ = 0, messages_ = 0, error_frames_ = 0;
  LatencyHistogram histogram_;
  // Fan-out.
  bool armed_ = false;
  int64_t last_message_ns_ = 0, push_first_ns_ = 0, push_last_ns_ = 0, armed_ns_ = 0;
  int arrivals_ = 0;
  uint64_t push_bytes_ = 0;
  std::vector<int64_t> spreads_ns_;
  // First handshake.
  int64_t handshake_us_ = -1;
  int attempts_ = 0;
};

LoadClient::Impl::~Impl() {
  for (TimerSlot* slot : {&housekeeping_, &phase_, &retry_}) lws_sul_cancel(&slot->sul);
  if (context_ != nullptr) lws_context_destroy(context_);
}

Status LoadClient::Impl::Start() {
  lws_set_log_level(LLL_ERR, DropLwsLog);
  const bool rate = sends();  // only senders need room for requests
  protocols_[0].name = "wsmock-load";
  protocols_[0].callback = &Impl::Callback;
  protocols_[0].rx_buffer_size = kWriteLimit;

  lws_context_creation_info info{};
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = protocols_;
  info.user = this;
  info.pt_serv_buf_size = kReadBufferSize;
  info.timeout_secs = static_cast<unsigned int>(std::max(1.0, options_.timeout));
  info.retry_and_idle_policy = &kNoValidityTimers;
  context_ = lws_create_context(&info);
  if (context_ == nullptr) return Status::Internal("cannot create the lws client context");

  // The mask key is fixed per run: servers only unmask, and a fixed key
  // lets every frame be masked once here.
  const std::array<uint8_t, 4> mask = {0x5a, 0xc3, 0x17, 0xe8};
  size_t max_frame = 0;
  for (const std::string& text : options_.messages) {
    frames_.emplace_back(text, mask);
    max_frame = std::max(max_frame, frames_.back().max_size());
  }
  upgrade_request_ = UpgradeRequest(options_.host, options_.port, options_.path);
  const int count = options_.mode == Mode::kFirstHandshake ? 1 : options_.connections;
  conns_.resize(static_cast<size_t>(count));
  const size_t inflight = rate ? static_cast<size_t>(options_.inflight) : 0;
  const size_t out_size = std::max(upgrade_request_.size(), kMaxPongFrame + max_frame * inflight);
  for (Conn& conn : conns_) {
    conn.owner = this;
    conn.sent_at.assign(std::max<size_t>(inflight, 1), 0);
    conn.out.assign(LWS_PRE + out_size, 0);
  }
  if (options_.requests > 0) sends_left_ = options_.requests;
  save_pending_ = !options_.save_reply.empty();
  for (TimerSlot* slot : {&housekeeping_, &phase_, &retry_}) slot->impl = this;
  return Status::Ok();
}

void LoadClient::Impl::Schedule(TimerSlot* slot, void (*fn)(lws_sorted_usec_list_t*), int64_t us) {
  lws_sul_schedule(context_, 0, &slot->sul, fn, us);
}

Result<LoadResult> LoadClient::Impl::Run(const volatile std::sig_atomic_t* stop,
                                         const OpenCallback& on_open) {
  stop_ = stop;
  on_open_ = on_open;
  start_ns_ = NowNs();
  start_cpu_ = CpuSeconds();
  if (options_.mode == Mode::kFirstHandshake && !options_.command.empty()) {
    Result<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(options_.command);
    if (!child.ok()) return child.status();
    child_ = std::move(*child);
  }
  if (options_.mode == Mode::kFirstHandshake) {
    const int64_t deadline_ns = start_ns_ + static_cast<int64_t>(options_.timeout * 1e9);
    const timespec pause{0, kRetryUs * 1000};
    while (!Listening(options_.host, options_.port) && NowNs() < deadline_ns &&
           (stop_ == nullptr || *stop_ == 0)) {
      ++attempts_;
      nanosleep(&pause, nullptr);
    }
  }
  // An exact request count is all counted, from the first request on.
  if (options_.requests > 0) StartWindow();
  Schedule(&housekeeping_, &Impl::OnHousekeeping, kHousekeepingUs);
  ConnectMore();
  while (!done_) {
    if (lws_service(context_, 0) < 0) return Status::IoError("the lws event loop failed");
  }
  if (child_ != nullptr) child_->Stop();
  return Collect();
}

// --- Connecting.

void LoadClient::Impl::Connect(Conn* conn) {
  lws_client_connect_info ci{};
  ci.context = context_;
  ci.address = options_.host.c_str();
  ci.port = options_.port;
  ci.method = "RAW";  // a connected socket that lws then leaves to us
  ci.local_protocol_name = protocols_[0].name;
  ci.userdata = conn;  // lws uses it as the user data and never frees it
  ci.pwsi = &conn->wsi;
  ci.retry_and_idle_policy = &kNoValidityTimers;
  conn->state = State::kConnecting;
  conn->request_sent = false;
  conn->answer.clear();
  ++connecting_;
  ++attempts_;
  // lws may report the failure from inside the call; if it returns null
  // without having done so, report it here.
  if (lws_client_connect_via_info(&ci) == nullptr && conn->state == State::kConnecting) {
    OnConnectError(conn);
  }
}

// Only `connect_window` handshakes at a time: 10,000 SYNs at once overflow
// the listen backlog and turn into one-second SYN retransmits.
void LoadClient::Impl::ConnectMore() {
  while (!done_ && next_to_connect_ < conns_.size() && connecting_ < options_.connect_window) {
    Connect(&conns_[next_to_connect_++]);
  }
}

void LoadClient::Impl::OnEstablished(Conn* conn) {
  conn->state = State::kOpen;
  --connecting_;
  ++opened_;
  ++alive_;
  if (options_.mode == Mode::kFirstHandshake) {
    handshake_us_ = options_.start_us > 0
                        ? NowNs(CLOCK_REALTIME) / 1000 - options_.start_us
                        : (NowNs() - start_ns_) / 1000;
    Done();
    return;
  }
  if (sends()) {
    conn->to_send = static_cast<uint32_t>(
        std::min<uint64_t>(static_cast<uint64_t>(options_.inflight), sends_left_));
    sends_left_ -= sends_left_ == UINT64_MAX ? 0 : conn->to_send;
    if (conn->to_send > 0) lws_callback_on_writable(conn->wsi);
  }
  ConnectMore();
  CheckSettled();
}

void LoadClient::Impl::OnConnectError(Conn* conn) {
  conn->wsi = nullptr;
  --connecting_;
  if (options_.mode == Mode::kFirstHandshake && !done_) {
    conn->state = State::kWaiting;
    Schedule(&retry_, &Impl::OnRetry, kRetryUs);
    return;
  }
  conn->state = State::kFailed;
  ++failed_;
  ConnectMore();
  CheckSettled();
}

void LoadClient::Impl::OnClosed(Conn* conn) {
  if (conn->state != State::kOpen) return;
  conn->state = State::kClosed;
  --alive_;
  if (done_) return;
  ++dropped_;
  if (alive_ == 0 && settled_) Done();
}

// Every connection has opened or failed (or the time to do so is up).
void LoadClient::Impl::CheckSettled() {
  if (settled_ || next_to_connect_ < conns_.size() || connecting_ > 0) return;
  settled_ = true;
  settled_ns_ = NowNs();
  last_message_ns_ = settled_ns_;
  if (opened_ == 0) {
    Done();
    return;
  }
  switch (options_.mode) {
    case Mode::kRate:
    case Mode::kLatency:
      if (options_.requests > 0) break;  // counting since the start
      if (options_.warmup > 0) {
        Schedule(&phase_, &Impl::OnPhase, static_cast<int64_t>(options_.warmup * 1e6));
      } else {
        StartWindow();
      }
      break;
    case Mode::kIdle:
      if (on_open_) on_open_(Collect());
      if (options_.duration > 0) {
        Schedule(&phase_, &Impl::OnPhase, static_cast<int64_t>(options_.duration * 1e6));
      }
      break;
    case Mode::kFanout:
      if (on_open_) on_open_(Collect());  // the script samples memory here
      break;
    case Mode::kFirstHandshake:
      break;
  }
}

// --- Requests and answers.

void LoadClient::Impl::StartWindow() {
  measuring_ = true;
  window_start_ns_ = NowNs();
  if (options_.requests == 0) {
    Schedule(&phase_, &Impl::OnPhase, static_cast<int64_t>(options_.duration * 1e6));
  }
}

// The upgrade request first; then all requests due on this connection
// (and a pong, if owed) go out as one write of ready-made frames, so K
// requests in flight cost one syscall rather than K poll passes.
int LoadClient::Impl::OnWriteable(Conn* conn) {
  uint8_t* const out = conn->out.data() + LWS_PRE;
  if (!conn->request_sent) {
    conn->request_sent = true;
    std::memcpy(out, upgrade_request_.data(), upgrade_request_.size());
    const int size = static_cast<int>(upgrade_request_.size());
    return lws_write(conn->wsi, out, upgrade_request_.size(), LWS_WRITE_RAW) < size ? -1 : 0;
  }
  if (conn->state != State::kOpen) return 0;
  size_t len = WritePong(conn, out);
  if (!done_ && conn->to_send > 0) {
    const int64_t now = NowNs();
    const uint32_t ring_size = static_cast<uint32_t>(conn->sent_at.size());
    for (uint32_t i = 0; i < conn->to_send; ++i) {
      const ClientFrame& frame = frames_[conn->next_message++ % frames_.size()];
      len += frame.Write(next_id_++, out + len);
      conn->sent_at[(conn->ring_head + conn->outstanding) % ring_size] = now;
      ++conn->outstanding;
    }
    conn->to_send = 0;
  }
  if (len == 0) return 0;
  return lws_write(conn->wsi, out, len, LWS_WRITE_RAW) < static_cast<int>(len) ? -1 : 0;
}

// A pong echoes the ping's payload (RFC 6455 5.5.3), masked as any client
// frame; the key is zero, which leaves the payload as it is.
size_t LoadClient::Impl::WritePong(Conn* conn, uint8_t* out) {
  if (!conn->pong_due) return 0;
  conn->pong_due = false;
  out[0] = 0x80 | FrameReader::kPong;
  out[1] = static_cast<uint8_t>(0x80 | conn->pong_len);
  std::memset(out + 2, 0, 4);
  std::memcpy(out + 6, conn->pong.data(), conn->pong_len);
  return 6 + conn->pong_len;
}

// Returns -1 to have lws close the socket.
int LoadClient::Impl::OnRawRx(Conn* conn, const uint8_t* in, size_t len) {
  if (conn->state == State::kConnecting) return OnUpgradeAnswer(conn, in, len);
  if (conn->state != State::kOpen) return -1;
  if (!conn->reader.Feed(in, len, conn)) return -1;  // not WebSocket: drop it
  return conn->close_seen ? -1 : 0;
}

int LoadClient::Impl::OnUpgradeAnswer(Conn* conn, const uint8_t* in, size_t len) {
  conn->answer.append(reinterpret_cast<const char*>(in), len);
  const UpgradeAnswer answer = CheckUpgradeAnswer(conn->answer);
  if (answer.state == UpgradeAnswer::State::kIncomplete) return 0;
  if (answer.state == UpgradeAnswer::State::kRefused) {
    OnConnectError(conn);  // e.g. 503 past --max-connections
    return -1;
  }
  const std::string rest = conn->answer.substr(answer.header_bytes);
  conn->answer = std::string();  // frees it: 10,000 idle connections
  OnEstablished(conn);
  if (rest.empty() || conn->state != State::kOpen) return 0;
  return OnRawRx(conn, reinterpret_cast<const uint8_t*>(rest.data()), rest.size());
}

void LoadClient::Impl::Conn::OnControl(uint8_t opcode, const uint8_t* payload, size_t len) {
  if (opcode == FrameReader::kClose) {
    close_seen = true;
  } else if (opcode == FrameReader::kPing) {
    std::memcpy(pong.data(), payload, len);
    pong_len = len;
    pong_due = true;
    lws_callback_on_writable(wsi);
  }
}

void LoadClient::Impl::OnData(Conn* conn, const uint8_t* data, size_t len) {
  if (conn->message_bytes < kHeadBytes) {
    const size_t take = std::min(len, kHeadBytes - conn->message_bytes);
    std::memcpy(conn->head.data() + conn->message_bytes, data, take);
  }
  conn->message_bytes += len;
  if (save_pending_) conn->capture.append(reinterpret_cast<const char*>(data), len);
}

void LoadClient::Impl::OnMessageEnd(Conn* conn) {
  const size_t head_len = std::min(conn->message_bytes, kHeadBytes);
  OnMessage(conn, HeadIsError(conn->head.data(), head_len));
  conn->message_bytes = 0;
  conn->capture.clear();
}

void LoadClient::Impl::OnMessage(Conn* conn, bool is_error) {
  ++messages_;
  if (is_error) ++error_frames_;
  const int64_t now = NowNs();
  if (sends()) {
    if (conn->outstanding > 0) OnResponse(conn, now);  // else a push: not an answer
  } else if (options_.mode == Mode::kFanout) {
    OnPush(conn, now);
  }
}

void LoadClient::Impl::OnResponse(Conn* conn, int64_t now) {
  const int64_t sent = conn->sent_at[conn->ring_head];
  conn->ring_head = (conn->ring_head + 1) % static_cast<uint32_t>(conn->sent_at.size());
  --conn->outstanding;
  if (measuring_ && !done_) {
    histogram_.Record(now - sent);
    ++responses_;
    bytes_ += conn->message_bytes;
    if (save_pending_) SaveReply(*conn);
    if (options_.requests > 0 && responses_ >= options_.requests) {
      Done();
      return;
    }
  }
  if (done_ || sends_left_ == 0) return;
  if (sends_left_ != UINT64_MAX) --sends_left_;
  if (conn->to_send++ == 0) lws_callback_on_writable(conn->wsi);
}

void LoadClient::Impl::OnPush(Conn* conn, int64_t now) {
  last_message_ns_ = now;
  if (!armed_ || conn->push_seen) return;  // before the timed push, or the next one early
  conn->push_seen = true;
  if (arrivals_++ == 0) {
    push_first_ns_ = now;
    push_bytes_ = conn->message_bytes;
    if (save_pending_) SaveReply(*conn);
  }
  push_last_ns_ = now;
  if (arrivals_ < alive_) return;
  spreads_ns_.push_back(push_last_ns_ - push_first_ns_);
  if (static_cast<int>(spreads_ns_.size()) >= options_.pushes) {
    Done();
    return;
  }
  arrivals_ = 0;
  armed_ns_ = now;
  for (Conn& other : conns_) other.push_seen = false;
}

void LoadClient::Impl::SaveReply(const Conn& conn) {
  save_pending_ = false;
  std::ofstream out(options_.save_reply, std::ios::binary | std::ios::trunc);
  out << conn.capture;
}

// --- Timers.

void LoadClient::Impl::Housekeep() {
  if (done_) return;
  const int64_t now = NowNs();
  if (stop_ != nullptr && *stop_ != 0) {
    Done();
    return;
  }
  const int64_t timeout_ns = static_cast<int64_t>(options_.timeout * 1e9);
  if (!settled_ && options_.mode != Mode::kFirstHandshake && now - start_ns_ > timeout_ns) {
    // Handshakes still pending count as failed; lws times them out itself,
    // and a late one is closed as it opens.
    for (Conn& conn : conns_) {
      if (conn.state != State::kConnecting && conn.state != State::kWaiting) continue;
      conn.state = State::kFailed;
      ++failed_;
    }
    connecting_ = 0;
    next_to_connect_ = conns_.size();
    CheckSettled();
  }
  if (options_.mode == Mode::kFirstHandshake && now - start_ns_ > timeout_ns) Done();
  if (options_.mode == Mode::kFanout && settled_ && !done_) {
    if (!armed_ && now - last_message_ns_ >= kQuietNs) {
      armed_ = true;
      armed_ns_ = now;
    } else if (armed_ && now - armed_ns_ > timeout_ns) {
      Done();
    }
  }
  if (!done_) Schedule(&housekeeping_, &Impl::OnHousekeeping, kHousekeepingUs);
}

void LoadClient::Impl::OnHousekeeping(lws_sorted_usec_list_t* sul) {
  reinterpret_cast<TimerSlot*>(sul)->impl->Housekeep();
}

void LoadClient::Impl::OnPhase(lws_sorted_usec_list_t* sul) {
  Impl* impl = reinterpret_cast<TimerSlot*>(sul)->impl;
  if (impl->sends() && !impl->measuring_) {
    impl->StartWindow();
  } else {
    impl->Done();
  }
}

void LoadClient::Impl::OnRetry(lws_sorted_usec_list_t* sul) {
  Impl* impl = reinterpret_cast<TimerSlot*>(sul)->impl;
  if (!impl->done_) impl->Connect(&impl->conns_[0]);
}

void LoadClient::Impl::Done() {
  if (done_) return;
  done_ = true;
  window_end_ns_ = NowNs();
  // lws_service may be about to sleep until the next timer; wake it so
  // Run() sees done_ now.
  lws_cancel_service(context_);
}

LoadResult LoadClient::Impl::Collect() const {
  LoadResult r;
  r.mode = ModeName(options_.mode);
  r.connections = static_cast<int>(conns_.size());
  r.inflight = sends() ? options_.inflight : 0;
  r.opened = opened_;
  r.failed_connections = failed_;
  r.dropped_connections = dropped_;
  r.open_seconds = settled_ ? static_cast<double>(settled_ns_ - start_ns_) / 1e9 : 0;
  if (measuring_) {
    const int64_t end = done_ ? window_end_ns_ : NowNs();
    r.seconds = static_cast<double>(end - window_start_ns_) / 1e9;
  }
  r.responses = responses_;
  r.bytes = bytes_;
  r.messages = messages_;
  r.error_frames = error_frames_;
  r.p50_ns = histogram_.Percentile(0.50);
  r.p90_ns = histogram_.Percentile(0.90);
  r.p99_ns = histogram_.Percentile(0.99);
  r.max_ns = histogram_.max();
  r.spreads_ns = spreads_ns_;
  r.push_bytes = push_bytes_;
  r.push_missing = armed_ && static_cast<int>(spreads_ns_.size()) < options_.pushes
                       ? alive_ - arrivals_
                       : 0;
  const int64_t wall_ns = (done_ ? window_end_ns_ : NowNs()) - start_ns_;
  if (wall_ns > 0) r.client_cpu = (CpuSeconds() - start_cpu_) / (static_cast<double>(wall_ns) / 1e9);
  r.handshake_us = handshake_us_;
  r.attempts = attempts_;
  return r;
}

// --- lws callback: one switch, each case a call.

int LoadClient::Impl::Callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                               size_t len) {
  Impl* impl = wsi ? static_cast<Impl*>(lws_context_user(lws_get_context(wsi))) : nullptr;
  Conn* conn = static_cast<Conn*>(user);
  if (impl == nullptr || conn == nullptr) return 0;
  switch (reason) {
    case LWS_CALLBACK_RAW_CONNECTED:
      lws_callback_on_writable(wsi);  // to send the upgrade request
      return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      if (conn->state == State::kConnecting) impl->OnConnectError(conn);
      return 0;
    case LWS_CALLBACK_RAW_RX:
      return impl->OnRawRx(conn, static_cast<const uint8_t*>(in), len);
    case LWS_CALLBACK_RAW_WRITEABLE:
      return impl->OnWriteable(conn);
    case LWS_CALLBACK_RAW_CLOSE:
      // Closed before the handshake completed: a failed connection.
      if (conn->state == State::kConnecting) impl->OnConnectError(conn);
      impl->OnClosed(conn);
      return 0;
    default:
      return 0;
  }
}

// --- LoadClient forwards to Impl, which keeps lws out of the header.

Result<std::unique_ptr<LoadClient>> LoadClient::Create(const LoadOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  WSMOCK_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<LoadClient>(new LoadClient(std::move(impl)));
}

LoadClient::LoadClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LoadClient::~LoadClient() = default;

Result<LoadResult> LoadClient::Run(const volatile std::sig_atomic_t* stop,
                                   const OpenCallback& on_open) {
  return impl_->Run(stop, on_open);
}

}  // namespace wsmock::bench
