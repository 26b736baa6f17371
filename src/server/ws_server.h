// WsServer: a WebSocket (ws/wss) server on libwebsockets that moves whole
// text or binary messages between sockets and a Handler. It knows nothing of
// what the messages mean. Threading: see the note at the end of this file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/received_frames.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::server {

// Never reused by one server; its first connection is 1. (Counting per
// server rather than per process keeps global state out.) Declared in
// received_frames.h.

// Certificate and key as files, or as PEM text when both paths are empty.
struct TlsConfig {
  std::string cert_path, key_path;
  std::string cert_pem, key_pem;
  bool enabled() const {
    return !cert_path.empty() || !key_path.empty() || !cert_pem.empty() || !key_pem.empty();
  }
};

// Clients may ask for no subprotocol or for "wsmock"; lws 4.1.6 drops a
// handshake that names only subprotocols it does not know.
struct ServerOptions {
  std::string host = "0.0.0.0";     // interface address to bind ("localhost" = 127.0.0.1)
  int port = 10009;                 // 0 = any free port; port() tells which; -1 = no
                                    // listener (a loop for Dial()ed connections only)
  std::string path = "/ws";         // the WebSocket path; other paths: HTTP 404
  TlsConfig tls;                    // wss when tls.enabled()
  size_t max_message = 1 << 20;     // a larger incoming message: close 1009
  int max_connections = 10000;      // served ones; beyond it: handshake refused with HTTP 503
  size_t max_send_queue = 8 << 20;  // bytes queued for one connection; beyond it: close 1008
                                    // (an empty queue takes one message of any size)
  int handshake_timeout = 5;        // seconds from accept (or dial) to an open WebSocket;
                                    // a slower one is dropped without a close frame
  Micros client_idle_timeout = 0;   // a served client that sends no message for this
                                    // long is closed with 1001 "idle timeout"; 0 = never
  size_t journal_frames = 1000;     // the last frames served clients sent, kept for
                                    // received(); 0 = none
  Logger* log = nullptr;            // start-up warnings (open-file limit); may be null
  bool dial_tls = true;             // Dial() may take wss URLs. false: Dial() refuses them,
                                    // and with a plain ws listener OpenSSL is never set up
  // Subprotocols accepted besides "wsmock" (at most kMaxSubprotocols): a
  // client asking for one gets it back in the handshake. A client asking
  // only for others is refused with HTTP 400 and a warning.
  std::vector<std::string> subprotocols;
};

inline constexpr size_t kMaxSubprotocols = 8;

// An outgoing connection made from the server's own loop (the proxy's
// upstream, verify's target). It gets handshake_timeout, max_message and
// max_send_queue as served connections do, but no idle timeout.
struct DialOptions {
  std::string url;                   // ws://host:port/path or wss://host:port/path
  std::string ca_file;               // wss: trust this PEM CA instead of the system's
  bool insecure = false;             // wss: accept self-signed, untrusted, expired or
                                     // misnamed certificates
  std::vector<std::string> headers;  // "Name: value" lines added to the handshake
  std::string subprotocol;           // Sec-WebSocket-Protocol to ask for; "" = none
  std::string query;                 // added to the url's query ('&' between) in the request
                                     // only: errors and logs never show it (it may hold a
                                     // token); URL text, no space, control character or '#'
};

struct PeerInfo {
  std::string address;      // numeric peer IP; for a Dial()ed connection its url
  std::string path;         // request path, without the query (Dial()ed: with it)
  std::string subprotocol;  // the Sec-WebSocket-Protocol the client asked for, as sent
  // Given to OnOpen of a served connection only, read once at the handshake
  // (client_identity.h), and not kept by the server (ServedClients() leaves
  // them empty): what a proxy passes on to its backend. Both may hold
  // credentials: never log or store them.
  std::string query;                          // after '?', as URL text; "" when none
  std::vector<std::string> identity_headers;  // the client's Cookie, Authorization and
                                              // Origin, as "Name: value" lines
};

// A served connection open now (not closing), for the control endpoint.
struct ClientInfo {
  ConnectionId id;
  PeerInfo peer;
};

// The close code a handler and the peer see for a connection that ended
// without a close frame: a drop (RFC 6455 7.1.5).
inline constexpr int kDropCode = 1006;

// Plain HTTP GET and POST requests for paths under this prefix go to
// Handler::OnControl: the control endpoint through which tests drive a
// running server (README, "Driving a running server from a test").
inline constexpr std::string_view kControlPrefix = "/__wsmock/";
// The largest control request body read; a larger one gets HTTP 413.
inline constexpr int64_t kMaxControlBody = 64 * 1024;

// What a control request gets: an HTTP status and a JSON body.
struct ControlAnswer {
  int status = 404;
  std::string json;
};

// Every call comes on the loop thread. The Handler must outlive the server.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void OnOpen(ConnectionId id, const PeerInfo& peer) = 0;
  // `message` is valid only during the call.
  virtual void OnMessage(ConnectionId id, std::string_view message, bool binary) = 0;
  // Once per opened connection: the peer's close code, ours if we closed it
  // (also when lws closed it by itself: 1007 for invalid UTF-8, 1002 for a
  // protocol error), 1005 for a close frame without code, 1006 for a drop.
  virtual void OnClose(ConnectionId id, int close_code) = 0;
  // Dial()ed connections only: the connection never opened (no OnOpen and
  // no OnClose follow). `reason` is one line from lws, e.g. "Unable to connect",
  // "HS: ws upgrade response not 101 (HTTP 404)", "closed before it opened".
  // Never called from inside Dial().
  virtual void OnDialFailed(ConnectionId /*id*/, const std::string& /*reason*/) {}
  // A control request: `method` is "GET", "POST", "PUT", "PATCH" or
  // "DELETE", `path` starts with kControlPrefix, `body` is a POST's body
  // read whole (else empty). The
  // answer is sent as JSON with Access-Control-Allow-Origin: *, so a page
  // under test may call it too. Default: 404, no control here.
  virtual ControlAnswer OnControl(std::string_view method, std::string_view path,
                                  std::string_view body);
};

// The checks Dial() makes of `options` (url, headers, CA file), so that a
// command can refuse a bad upstream before it listens. Any thread.
Status CheckDialOptions(const DialOptions& options);

enum class SendResult {
  kQueued,
  kNoConnection,  // unknown, closed or already closing
  kOverLimit,     // max_send_queue exceeded: the connection is being closed with 1008
};

class WsServer {
 public:
  using TimerId = uint64_t;

  // Binds and listens before returning, so port() is real. Errors are one
  // line: "port 10009 is in use", "cannot read certificate 'x.pem': ...".
  // REQUIRES: handler outlives the server.
  static Result<std::unique_ptr<WsServer>> Create(const ServerOptions& options, Handler* handler);
  ~WsServer();
  WsServer(const WsServer&) = delete;
  WsServer& operator=(const WsServer&) = delete;

  int port() const;
  bool tls() const;
  std::string url() const;  // "ws://0.0.0.0:10009/ws"; "ws://[::1]:10009/ws" for --host ::1

  // --- Loop thread only: Handler or timer callbacks, Post()ed functions, or before Run().

  // Queues `text` as one text message; the bytes are copied once.
  SendResult Send(ConnectionId id, std::string_view text);
  // The same for a text or binary message.
  SendResult Send(ConnectionId id, std::string_view message, bool binary);
  // Queues the text after the first `headroom` bytes of `buffer`, which the
  // server may overwrite; with headroom >= kSendHeadroom it keeps the buffer
  // itself rather than a copy. REQUIRES: headroom <= buffer.size().
  SendResult Send(ConnectionId id, std::string&& buffer, size_t headroom);
  static constexpr size_t kSendHeadroom = 16;
  // Queues one shared copy of `text` for every open served connection
  // (Dial()ed ones are left out).
  void Broadcast(std::string_view text);
  // Closes with `code` after the messages already queued are written;
  // `reason` is cut to 123 bytes. Unknown or closing ids are ignored. On a
  // connection still dialling it abandons the dial: OnDialFailed follows.
  // REQUIRES: code is sendable: 1000-1003, 1007-1014 or 3000-4999. (A peer
  // on lws 4.1.6 takes 1012-1014 for a protocol error and reports 1002.)
  void Close(ConnectionId id, int code, std::string_view reason);
  // Close() for every served connection not closing already (Dial()ed ones
  // are left open); returns how many.
  size_t CloseServed(int code, std::string_view reason);
  // Served connections not closing, in id order (Dial()ed ones left out).
  std::vector<ClientInfo> ServedClients() const;
  // Whether `id` is a served connection not closing.
  bool IsServing(ConnectionId id) const;
  // The last options.journal_frames frames served clients sent, each
  // added before the Handler hears of it (Dial()ed connections' are not).
  ReceivedFrames& received();
  // Ends served connection `id` without a close frame, as a network failure
  // or a crashed server would: frames not yet written are dropped, the
  // socket is shut down, and OnClose reports kDropCode. False for an
  // unknown, closing or Dial()ed id.
  bool Drop(ConnectionId id);
  // While paused, served connections are not read from (lws rx flow
  // control): their messages wait in the kernel's and the clients' buffers,
  // while writes, timers and handshakes go on; Dial()ed connections are read
  // as usual. A recorder whose disk falls behind pauses the traffic it
  // records rather than hold it all in memory.
  void PauseReading(bool paused);
  // Runs `fn` once on the loop thread after `delay`, unless cancelled first.
  TimerId After(Micros delay, std::function<void()> fn);
  // Unknown or already fired ids are ignored.
  void Cancel(TimerId id);
  // Connections served and Dial()ed, dials still connecting included.
  size_t connection_count() const;
  // Starts a client connection from this loop. Its OnOpen (peer.address =
  // the url), messages and OnClose go to `handler`, or OnDialFailed if it
  // cannot connect; Send() and Close() work on it as on served ones, and
  // messages sent before it opens are kept for it. The id comes from the
  // same sequence as served connections' ids. Errors here are only a bad url,
  // header or CA file: "cannot read CA file 'ca.pem': No such file or
  // directory". REQUIRES: handler outlives the connection.
  Result<ConnectionId> Dial(const DialOptions& options, Handler* handler);

  // Services the event loop on the calling thread (which becomes the loop
  // thread) until Stop(); then closes every connection with 1001, reports
  // each OnClose (and OnDialFailed for dials still pending), and returns.
  // After Stop(), Run() returns at once.
  Status Run();

  // --- Any thread, also a signal-handling thread.

  // Makes Run() return soon.
  void Stop();
  // Runs `fn` on the loop thread soon, in Post() order. Functions posted
  // after Run() has returned never run.
  void Post(std::function<void()> fn);

  class Impl;

 private:
  explicit WsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Threading: libwebsockets is single-threaded, so the loop thread owns every
// socket, connection, send queue and timer, and Handler calls come only on
// it. Other threads reach the loop only through Stop() and Post(), which use
// a locked queue and lws_cancel_service() to wake it. Create() and the
// destructor run on whichever thread owns the object, but never while Run()
// is running on another thread; destruction drops any connections left
// without further Handler calls.

}  // namespace wsmock::server
