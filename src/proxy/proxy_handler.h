// ProxyHandler: relays every client the server accepts to a connection of
// its own to one upstream, frame for frame, unchanged and in order, and
// taps both directions into a Recorder ("in" = client to upstream, "out" =
// upstream to client). A client's text frame that the intercept answers
// (InterceptWith: a stub) goes no further. Failures stay with the one
// client: an unreachable upstream closes it with 1014, a dropped upstream
// with 1011, a side whose send queue overflows is closed with 1008 and
// takes the other side with it.
// Loop thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "recorder/recorder.h"
#include "server/ws_server.h"
#include "util/log.h"

namespace wsmock::proxy {

class ProxyHandler final : public server::Handler {
 public:
  // `upstream` is dialled once per client, with the client's subprotocol,
  // query, Cookie, Authorization and Origin passed on (UpstreamDialFor);
  // their values are never logged or recorded. `log` must outlive the
  // handler; `recorder` too, unless null (relay without recording).
  ProxyHandler(server::DialOptions upstream, Logger* log, recorder::Recorder* recorder);
  ProxyHandler(const ProxyHandler&) = delete;
  ProxyHandler& operator=(const ProxyHandler&) = delete;

  // REQUIRES: called once, before the server runs.
  void Attach(server::WsServer* server) { server_ = server; }
  // Records every client from now on into `recorder` (null: none), which
  // must outlive the handler's use. REQUIRES: before the server runs.
  void RecordTo(recorder::Recorder* recorder) { recorder_ = recorder; }
  size_t client_count() const { return clients_; }
  // Control requests (server::Handler::OnControl) go to `control`; without
  // one they get 404. REQUIRES: before the server runs.
  using Control = std::function<server::ControlAnswer(
      std::string_view method, std::string_view path, std::string_view body)>;
  void ControlWith(Control control) { control_ = std::move(control); }
  // A client's text frame goes first to `intercept`, which answers and
  // records it (or hands it to Relayed later) and returns true, or returns
  // false to have it relayed (recorded as usual). REQUIRES: before the
  // server runs.
  using Intercept = std::function<bool(server::ConnectionId client, std::string_view message)>;
  void InterceptWith(Intercept intercept) { intercept_ = std::move(intercept); }

  // Records and relays a client's frame upstream, the intercept not asked;
  // nothing when the client has gone.
  void Relayed(server::ConnectionId client, std::string_view message, bool binary);

  void OnOpen(server::ConnectionId id, const server::PeerInfo& peer) override;
  void OnMessage(server::ConnectionId id, std::string_view message, bool binary) override;
  void OnClose(server::ConnectionId id, int close_code) override;
  void OnDialFailed(server::ConnectionId id, const std::string& reason) override;
  server::ControlAnswer OnControl(std::string_view method, std::string_view path,
                                  std::string_view body) override;

 private:
  // Each client and its upstream point at each other; `peer` is 0 once the
  // other side is gone.
  struct Link {
    server::ConnectionId peer = 0;
    bool client = false;
  };

  void OnClientOpen(server::ConnectionId client, const server::PeerInfo& peer);
  // Records a frame from `id` (in or out by `link`) and relays it.
  void RecordAndRelay(server::ConnectionId id, Link link, std::string_view message, bool binary);
  void Relay(server::ConnectionId from, const Link& link, std::string_view message, bool binary);
  void OnOverflow(server::ConnectionId from, const Link& link);
  void OnClientClose(server::ConnectionId client, server::ConnectionId upstream, int code);
  void OnUpstreamClose(server::ConnectionId upstream, server::ConnectionId client, int code);
  // Detaches `client` from its upstream and closes it with `code`.
  void CloseClient(server::ConnectionId client, int code, const std::string& reason);

  const server::DialOptions upstream_;
  Logger* log_;
  recorder::Recorder* recorder_;
  server::WsServer* server_ = nullptr;
  std::unordered_map<server::ConnectionId, Link> links_;  // lookup only, never iterated
  size_t clients_ = 0;
  Control control_;
  Intercept intercept_;
};

// The code to pass on to the other side of the relay when one side closed
// with `code`: the same code when it can be sent in a close frame; else
// `fallback` (1005, no code, and 1006, a drop, cannot be).
int RelayedCloseCode(int code, int fallback);

}  // namespace wsmock::proxy
