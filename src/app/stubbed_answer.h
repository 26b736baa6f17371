// Sends the answer of a stub that matched a client's request (stubs.h):
// at once, or after the stub's delay from a timer on the loop; records the
// request and the answer when there is a recorder (an answer whose client
// left during the delay is neither sent nor recorded); then closes or drops
// the client if the stub says so. Loop thread only.
#pragma once

#include <string_view>

#include "app/client_control.h"
#include "app/stubs.h"
#include "server/ws_server.h"

namespace wsmock::app {

struct StubbedRequest {
  server::ConnectionId client;
  std::string_view frame;  // the request as it came
  std::string_view action;
  std::string_view request_id_json;  // "" when it had none
};

void AnswerWithStub(const ClientControl& clients, const StubbedRequest& request,
                    StubTable::Hit hit);

// For a handler that has not decoded `frame`: whether a stub of
// clients.stubs (not null) answered it, as AnswerWithStub does. A frame
// that is not a request is never stubbed.
bool AnswerIfStubbed(const ClientControl& clients, server::ConnectionId client,
                     std::string_view frame);

}  // namespace wsmock::app
