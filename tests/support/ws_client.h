// A real libwebsockets client for tests, talking to 127.0.0.1. Each client
// has its own lws context and services it only inside its blocking calls,
// each bounded by a deadline; one thread uses a client at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wsmock::testing {

struct ClientOptions {
  std::string path = "/ws";
  bool tls = false;  // wss, accepting any certificate unless ca_file is set
  // wss: trust only this PEM file as CA and check the certificate's names
  // against `host`, with no insecure flag: a certificate that does not
  // verify fails the handshake.
  std::string ca_file;
  std::string host = "127.0.0.1";  // the Host header and, with ca_file, the name checked
  std::string subprotocol;  // Sec-WebSocket-Protocol to ask for; empty: none
  int timeout_ms = 5000;    // for the handshake
  std::string origin = "127.0.0.1";  // lws sends "Origin: http://<origin>"; empty: none
  std::vector<std::string> headers;  // "Name: value" lines added to the handshake
};

class WsClient {
 public:
  // Connects and completes the handshake, or returns null and says why in
  // `*error` (when given): lws's reason and, if the server answered, its
  // HTTP status, e.g. "HS: ws upgrade response not 101 (HTTP 404)".
  static std::unique_ptr<WsClient> Connect(int port, const std::string& path = "/ws",
                                           bool tls = false, std::string* error = nullptr);
  static std::unique_ptr<WsClient> Connect(int port, const ClientOptions& options,
                                           std::string* error = nullptr);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Each sends one whole message and returns once lws has taken all of it,
  // false if the connection is gone or 5 s pass.
  bool SendText(std::string_view text);
  bool SendBinary(std::string_view data);
  // One message as several frames: the first, then continuations, FIN last.
  bool SendFragments(const std::vector<std::string>& parts, bool binary = false);

  // The next whole message (fragments joined), or nullopt after timeout_ms
  // or once the connection has closed and nothing is left.
  std::optional<std::string> Receive(int timeout_ms = 5000);
  // Whether the message last returned by Receive() was binary.
  bool last_was_binary() const;

  // Waits for the connection to end; `*close_code` (when given) gets the
  // server's close code, 1005 for none, 1006 for a drop.
  bool WaitClosed(int timeout_ms, int* close_code = nullptr);
  // Sends a normal close (1000) and waits briefly for the server's answer.
  void Close();
  bool closed() const;

  struct Impl;  // opaque: keeps lws out of this header

 private:
  explicit WsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Raw HTTP over a plain socket, for handshakes lws would only call failed:
// the status line's code for a WebSocket upgrade request to `path` (101 when
// accepted), or -1 if the server closed or timed out without answering.
int UpgradeStatus(int port, const std::string& path, int timeout_ms = 5000);
// The same for a plain GET of `path`, without any upgrade headers.
int PlainGetStatus(int port, const std::string& path, int timeout_ms = 5000);

}  // namespace wsmock::testing
