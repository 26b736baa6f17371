// MissingAnswers: where replay --record-missing gets the answer to a request
// the recording cannot answer - the seeded generator (GeneratedAnswers) or
// an upstream backend (UpstreamAnswers). ReplayHandler sends the answer and
// records it; a source only produces it. Loop thread only.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "server/ws_server.h"
#include "util/status.h"

namespace wsmock::app {

class MissingAnswers {
 public:
  // The answer frame's bytes, or why there is none (one line).
  using Done = std::function<void(Result<std::string>)>;

  virtual ~MissingAnswers() = default;

  // Replay's client `client` connected or went away. After OnClientClose no
  // Done of that client runs.
  virtual void OnClientOpen(server::ConnectionId /*client*/, const server::PeerInfo& /*peer*/) {}
  virtual void OnClientClose(server::ConnectionId /*client*/) {}

  // Finds the answer to the text frame `frame` sent by `client` and passes
  // it to `done` on the loop thread, exactly once unless the client goes
  // away first: at once (inside Ask) or later.
  virtual void Ask(server::ConnectionId client, std::string_view frame, Done done) = 0;

  // "the generator (seed 42, 100 stations)", "upstream ws://..." for the log.
  virtual std::string Describe() const = 0;
};

}  // namespace wsmock::app
