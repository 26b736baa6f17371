// POST /__wsmock/disconnect: every client is closed at once, with a close
// code and reason the test may choose, so it can see how the app under test
// reconnects. Shared by the handlers that serve clients. Loop thread only.
#pragma once

#include <string>
#include <string_view>

#include "server/ws_server.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::app {

struct DisconnectRequest {
  // Going away, as a stopping server says. (1012, service restart, reads as
  // 1002 to a client on lws 4.1.6.)
  int code = 1001;
  std::string reason = "going away";
};

// Reads a disconnect body: empty, or {"code":N,"reason":"..."} with either
// member left out for its default. The code must be one a close frame may
// carry (1000, 1001, 1003, 1007-1014, 3000-4999) and the reason at most 123
// bytes; else InvalidArgument naming the problem.
Result<DisconnectRequest> ReadDisconnect(std::string_view body);

// Closes every client of `server` as `body` asks and logs one line;
// answers {"closed":N,"code":C}, or 400 for a bad body.
server::ControlAnswer DisconnectClients(server::WsServer* server, std::string_view body,
                                        Logger* log);

}  // namespace wsmock::app
