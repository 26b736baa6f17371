// WsServer's private state, shared by ws_server.cc (the loop, served
// connections, timers) and ws_server_dial.cc (Dial()ed connections).
// Private to src/server; loop thread only except where noted.
#pragma once

#include <libwebsockets.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "server/client_vhosts.h"
#include "server/connection.h"
#include "server/ws_server.h"
#include "server/ws_url.h"
#include "tls/openssl_ptr.h"

namespace wsmock::server {

// lws's per-session data, zeroed by lws: the way from a wsi to its state.
struct Session {
  Connection* connection;
};

// The value of `token` in the request `wsi` is handling; "" when absent.
std::string HeaderText(lws* wsi, lws_token_indexes token);

// One pending After() timer. `sul` comes first in this standard-layout
// struct, so the pointer lws hands back converts to the slot.
struct TimerSlot {
  lws_sorted_usec_list_t sul;
  WsServer::Impl* impl;
  WsServer::TimerId id;
};

class WsServer::Impl {
 public:
  Impl(const ServerOptions& options, Handler* handler)
      : options_(options),
        handler_(handler),
        received_(options.journal_frames),
        log_frames_(options.log != nullptr && options.log->Enabled(LogLevel::kDebug)),
        client_vhosts_(protocols_, static_cast<unsigned int>(options.handshake_timeout)) {}
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Status Start();

  int port() const { return port_; }
  bool tls() const { return options_.tls.enabled(); }
  std::string url() const {
    return std::string(tls() ? "wss://" : "ws://") + HostAndPort(options_.host, port_) +
           options_.path;
  }

  SendResult Send(ConnectionId id, std::string_view message, bool binary);
  SendResult Send(ConnectionId id, std::string&& buffer, size_t headroom);
  ReceivedFrames& received() { return received_; }
  void LogFrame(std::string_view way, ConnectionId id, std::string_view payload, bool binary);
  void Broadcast(std::string_view text);
  void Close(ConnectionId id, int code, std::string_view reason);
  size_t CloseServed(int code, std::string_view reason);
  bool IsServing(ConnectionId id) const;
  std::vector<ClientInfo> ServedClients() const;
  bool Drop(ConnectionId id);
  void PauseReading(bool paused);
  TimerId After(Micros delay, std::function<void()> fn);
  void Cancel(TimerId id);
  size_t connection_count() const { return connections_.size(); }
  Result<ConnectionId> Dial(const DialOptions& options, Handler* handler);
  Status Run();
  void Stop();
  void Post(std::function<void()> fn);

 private:
  struct Timer {
    std::unique_ptr<TimerSlot> slot;
    std::function<void()> fn;
  };
  // What a Dial()ed connection needs until its handshake is done.
  struct Dialing {
    std::string url;
    std::string path;  // and query
    std::vector<std::string> headers;
    std::string subprotocol;
  };
  struct DialFailure {
    Handler* handler;
    ConnectionId id;
    std::string reason;
  };

  static int Callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  static void OnTimer(lws_sorted_usec_list_t* sul);

  // --- ws_server.cc
  Status CheckOptions() const;
  Status CheckTls() const;
  Status CreateContext();
  Status CreateVhost();
  bool listening() const { return options_.port >= 0; }

  void OnNewClient(lws* wsi);
  // Marks a socket of ours (a Dial()) in handshaking_, if it is there.
  void NoteDialedSocket(lws* wsi);
  void SweepHandshakes();
  void OnWsiDestroy(lws* wsi);
  int OnConfirmUpgrade(lws* wsi);
  // Logs `line` at `level` about a socket that has not upgraded, and marks
  // it so that its end is not logged again.
  void NoteRefused(lws* wsi, LogLevel level, const std::string& line);
  bool SpeaksOneOf(std::string_view asked) const;
  int OnPlainHttp(lws* wsi);
  void OnEstablished(lws* wsi, Session* session);
  int OnReceive(lws* wsi, Connection* connection, const void* in, size_t len);
  int OnWriteable(lws* wsi, Connection* connection);
  int WriteFront(lws* wsi, Connection* connection);
  int WriteSmallFrames(lws* wsi, Connection* connection);
  int OnPeerClose(Connection* connection, const void* in, size_t len);
  static void NoteLwsClose(lws* wsi, Connection* connection);
  void OnClosed(lws* wsi, Connection* connection);
  void RunPosted();
  void FireTimer(TimerId id);
  void ScheduleIdleSweep(Micros interval);
  void SweepIdle();

  SendResult Queue(Connection* connection, std::shared_ptr<const Frame> frame);
  void BeginClose(Connection* connection);
  static int CloseNow(lws* wsi, Connection* connection);
  void Shutdown();
  bool AllCloseFramesSent() const;
  void ReportRemaining();

  // --- control_http.cc
  // Answers a control request at once, or waits for its body.
  int OnControlRequest(lws* wsi, std::string_view method, const std::string& path);
  int OnControlBody(lws* wsi, const void* in, size_t len);
  int OnControlBodyDone(lws* wsi);
  int AnswerPreflight(lws* wsi);
  void NoteControlRequest(lws* wsi);
  // Writes `answer` whole, and closes the connection once it is sent;
  // `preflight`: with the headers a CORS preflight needs.
  int AnswerControl(lws* wsi, const ControlAnswer& answer, bool preflight = false);
  // Closes `wsi` once its control answer is sent.
  int OnHttpWriteable(lws* wsi);

  // --- ws_server_dial.cc
  int OnClientCallback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int OnAppendHeaders(Connection* connection, void* in, size_t len);
  void OnClientEstablished(lws* wsi, Session* session, Connection* connection);
  // The dial is over without a connection: forget it (`kill`: and end its
  // wsi, when lws is not ending it already) and tell its handler later.
  void FailDial(Connection* connection, std::string reason, bool kill);
  void DeliverDialFailures();
  static Connection* DialedConnection(lws* wsi);

  const ServerOptions options_;
  Handler* const handler_;
  ReceivedFrames received_;
  const bool log_frames_;  // --log-level debug
  // "wsmock", options_.subprotocols, and lws's terminating empty entry.
  lws_protocols protocols_[kMaxSubprotocols + 2] = {};
  // Handed to lws so it does not build its own client context for a wss
  // server vhost: lws 4.1.6 loses track of (leaks) that one once another
  // lws context in the process has initialised TLS, and loads every system
  // CA into it. A plain ws vhost gets none (lws builds a client context only
  // for a vhost with DO_SSL_GLOBAL_INIT), which saves a third of start-up.
  // Outlives context_.
  tls::SslCtxPtr unused_client_ssl_ctx_;
  ClientVhosts client_vhosts_;  // outlives context_ too
  lws_context* context_ = nullptr;
  int port_ = 0;
  bool destroying_ = false;

  std::map<ConnectionId, std::unique_ptr<Connection>> connections_;  // served and dialed
  std::map<ConnectionId, Dialing> dialing_;                          // dialed ones not open yet
  std::vector<DialFailure> dial_failures_;                           // not yet reported
  size_t served_count_ = 0;  // connections_ that were accepted
  bool reads_paused_ = false;  // PauseReading(); new served connections start paused too
  // An accepted socket not yet upgraded. lws 4.1.6 resets its own timeouts
  // as header bytes trickle in, so the deadline is ours. lws announces the
  // sockets Dial() makes as new clients too: those are `dialed`, and their
  // end is a dial failure, never logged as a dropped client.
  struct Handshaking {
    lws_usec_t deadline = 0;
    std::string peer;       // for the log line if it never upgrades
    bool answered = false;  // refused with an HTTP status, and logged then
    bool dialed = false;    // ours, from Dial()
  };
  std::map<lws*, Handshaking> handshaking_;
  // Sockets whose control answer is written: they close once it is sent.
  std::set<lws*> answered_;
  // A control POST whose body is still arriving.
  struct ControlRequest {
    std::string method, path, body;
  };
  std::map<lws*, ControlRequest> control_requests_;
  bool handshake_sweep_scheduled_ = false;
  ConnectionId next_connection_id_ = 1;
  std::map<TimerId, Timer> timers_;
  TimerId next_timer_id_ = 1;
  // LWS_PRE + kRxBufferSize bytes where WriteSmallFrames() packs frames;
  // made at the first use.
  std::unique_ptr<unsigned char[]> batch_;

  // The only state other threads touch.
  std::atomic<bool> stop_{false};
  std::mutex posted_mu_;
  std::vector<std::function<void()>> posted_;  // guarded by posted_mu_
};

}  // namespace wsmock::server
