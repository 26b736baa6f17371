// Sends the answer of a stub that matched a client's request (stubs.h):
// at once, or after the stub's delay from a timer on the loop; records the
// request and the answer when there is a recorder (an answer whose client
// left during the delay is neither sent nor recorded); then closes or drops
// the client if the stub says so. A stub that lets the request continue
// hands it back to the handler instead, which answers (and records) it as
// without stubs. Loop thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
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

// What a handler does with a request a stub lets continue: what it would
// have done without stubs. Called on the loop, at once or after the stub's
// delay, when the client may have gone meanwhile; it must not consult the
// stubs again.
using Continuation = std::function<void(server::ConnectionId client, std::string_view frame)>;

// What the handler does around a stub's answer; either may be empty.
struct StubFollowUp {
  Continuation go_on;
  // Once the stub's own answer has gone out (or, for no answer, when it
  // would have): replay counts the request then. Not for a request that
  // continues, nor for an answer cancelled or whose client left.
  std::function<void()> answered;
};

// A delayed answer waits on a timer that RemoveStubs cancels.
void AnswerWithStub(const ClientControl& clients, const StubbedRequest& request, StubTable::Hit hit,
                    const StubFollowUp& follow_up);

enum class StubOutcome {
  kNone,       // no stub matched: the handler answers as usual
  kAnswered,   // the stub answers (or, by its word, nothing does)
  kContinues,  // `go_on` gets the request, now or after the stub's delay
};

// For a handler that has not decoded `frame`: what a stub of clients.stubs
// did with it, as AnswerWithStub does. A frame that is not a request is
// never stubbed.
StubOutcome AnswerIfStubbed(const ClientControl& clients, server::ConnectionId client,
                            std::string_view frame, const StubFollowUp& follow_up);

// Removes stub `id`, or every stub for nullopt, and cancels the delayed
// answers they have yet to send (a stub used up since included), so that
// nothing set before a reset reaches the next test.
struct StubsRemoved {
  size_t stubs = 0;    // taken from the table
  size_t answers = 0;  // delayed answers cancelled
};
StubsRemoved RemoveStubs(const ClientControl& clients, std::optional<int64_t> id);

}  // namespace wsmock::app
