// UpstreamAnswers: replay --record-missing --upstream URL sends each request
// the recording cannot answer to the upstream, on a connection of the
// client's own that is dialled when the client's first such request comes,
// and hands back the upstream's answer, paired with its request as
// PendingRequests pairs (by requestId, else by order). The upstream's pushes
// and stray answers are dropped: a replay's pushes come from the recording.
// When the upstream cannot be reached, or closes, each request waiting on it
// fails with one line saying why, and the client's next miss dials again.
// Loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "app/missing_answers.h"
#include "replayer/pending_requests.h"
#include "server/ws_server.h"
#include "util/log.h"

namespace wsmock::app {

class UpstreamAnswers final : public MissingAnswers, public server::Handler {
 public:
  // Dials `upstream` for each client as the proxy would
  // (proxy/upstream_request.h): with the subprotocol and query it asked
  // with and its Cookie, Authorization and Origin (an --upstream-header of
  // the same name wins). `log` must outlive this.
  UpstreamAnswers(server::DialOptions upstream, Logger* log);
  UpstreamAnswers(const UpstreamAnswers&) = delete;
  UpstreamAnswers& operator=(const UpstreamAnswers&) = delete;

  // REQUIRES: called once, before the server runs.
  void Attach(server::WsServer* server) { server_ = server; }

  // MissingAnswers: replay's clients.
  void OnClientOpen(server::ConnectionId client, const server::PeerInfo& peer) override;
  void OnClientClose(server::ConnectionId client) override;
  void Ask(server::ConnectionId client, std::string_view frame, Done done) override;
  std::string Describe() const override { return "upstream " + upstream_.url; }

  // server::Handler: the dialled upstream connections only.
  void OnOpen(server::ConnectionId upstream, const server::PeerInfo& peer) override;
  void OnMessage(server::ConnectionId upstream, std::string_view message, bool binary) override;
  void OnClose(server::ConnectionId upstream, int close_code) override;
  void OnDialFailed(server::ConnectionId upstream, const std::string& reason) override;

 private:
  struct Client {
    server::DialOptions dial;  // upstream_ for this client (proxy::UpstreamDialFor)
    server::ConnectionId upstream = 0;        // 0: none yet, or it went away
    replayer::PendingRequests pending;        // tokens are keys of `done`
    std::unordered_map<uint64_t, Done> done;  // lookup only, never iterated
  };

  // The client's upstream, dialled now if it has none; 0 after logging why not.
  server::ConnectionId UpstreamOf(server::ConnectionId id, Client* client, std::string* why);
  // The client's upstream is gone: every request waiting on it fails.
  void FailPending(server::ConnectionId upstream, const std::string& why);

  const server::DialOptions upstream_;
  Logger* log_;
  server::WsServer* server_ = nullptr;
  uint64_t next_token_ = 1;
  // Lookup only, never iterated.
  std::unordered_map<server::ConnectionId, Client> clients_;
  std::unordered_map<server::ConnectionId, server::ConnectionId> client_of_;  // upstream -> client
};

}  // namespace wsmock::app
