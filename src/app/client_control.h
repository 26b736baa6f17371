// The control routes about the clients themselves, shared by the handlers
// that serve them (README, "Driving a running server from a test"):
//   GET  /__wsmock/clients                 lists them;
//   POST /__wsmock/push                    sends the body, as one text frame,
//   POST /__wsmock/clients/ID/push         to every client or to one;
//   POST /__wsmock/disconnect              closes every client or one, with a
//   POST /__wsmock/clients/ID/disconnect   close code of the test's choosing,
//                                          or drops it without a close frame;
//   GET  /__wsmock/requests                lists the last frames clients sent,
//   DELETE /__wsmock/requests              or forgets them (the journal);
//   GET, POST, DELETE /__wsmock/stubs      lists, adds or removes the stubs
//   DELETE /__wsmock/stubs/ID              that answer chosen requests (stubs.h),
// so a test can push what no generator makes, see how the app under test
// reconnects, check what it asked, and answer it as it needs. Loop thread
// only.
#pragma once

#include <string>
#include <string_view>

#include "app/control_answers.h"
#include "recorder/recorder.h"
#include "server/ws_server.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::app {

struct DisconnectRequest {
  // Going away, as a stopping server says. (1012, service restart, reads as
  // 1002 to a client on lws 4.1.6.)
  int code = 1001;
  std::string reason = "going away";
  // No close frame: the socket is shut, and the client sees 1006.
  bool drop = false;
};

// Reads a disconnect body: empty, or {"code":N,"reason":"..."} with either
// member left out for its default, or {"drop":true}. The code must be one a
// close frame may carry (1000, 1001, 1003, 1007-1014, 3000-4999) and the
// reason at most 123 bytes; else InvalidArgument naming the problem.
Result<DisconnectRequest> ReadDisconnect(std::string_view body);

class StubTable;

// What a handler lends the client routes. Pushes are recorded into
// `recorder` when there is one; only it may be null.
struct ClientControl {
  server::WsServer* server;
  Logger* log;
  recorder::Recorder* recorder;
  StubTable* stubs;
};

// Whether `route` is one of the routes above.
bool IsClientRoute(ControlRoute route);

// Answers `target`, one of the routes above, and logs one line for a push
// or a disconnect: {"clients":[{"id":N,"address":"...","path":"..."}]},
// {"sent":N}, {"closed":N,"code":C}, {"requests":[...]}, {"cleared":N},
// {"stubs":[...]}, {"id":N} or {"removed":N}; 400 for a bad body, 404 for
// an unknown client or stub.
server::ControlAnswer AnswerClientControl(const ClientControl& clients, const ControlTarget& target,
                                          std::string_view body);

}  // namespace wsmock::app
