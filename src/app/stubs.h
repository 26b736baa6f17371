// Stubs: answers a test sets up over the control endpoint for the requests
// it picks (POST /__wsmock/stubs), as WireMock's stubs do for HTTP. A stub
// answers with a response holding the data the test gives, an error, any
// text frame or nothing at all, or lets the server answer as it would have;
// after a delay if asked, then closes or drops the client if asked, for the
// next N matching requests or for every one. A test can so show the app's error, empty, slow and
// offline states without a backend that makes them. The newest stub that matches a request answers
// it. Parsing and matching are pure; the table is loop thread only.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/client_control.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/status.h"

namespace wsmock::app {

// What a stub does with a request it matches.
struct StubAnswer {
  enum class Kind {
    kData,      // {"type":"response","action":A,"data":<data>,"requestId":R}
    kError,     // {"type":"error","action":A,"requestId":R,"error":{"code":C,"message":M}}
    kFrame,     // `frame` as it is
    kNothing,   // no answer: the app's request times out
    kContinue,  // the server's own answer, as without the stub (after the delay)
  };
  Kind kind = Kind::kNothing;
  std::string data_json;                   // kData: the object as the test wrote it
  std::string error_code, error_message;   // kError
  std::string frame;                       // kFrame
  Micros delay = 0;                        // before the answer (and the close)
  std::optional<DisconnectRequest> close;  // after the answer
};

struct Stub {
  std::string action;  // the request's action; "" matches any
  json::JsonPtr data;  // held by the request's data (StubMatches); null matches any
  StubAnswer answer;
  std::optional<int64_t> times;  // the requests it answers, then it is gone; nullopt: every one
  std::string definition;        // the body it was made from, for listing
};

// A stub from a POST /__wsmock/stubs body:
//   {"match":{"action":"getStations","data":{"filters":{"city":"Москва"}}},
//    "data":{...} | "error":{"code":"...","message":"..."} | "frame":"..." |
//    "continue":true, "delayMs":N, "close":{"code":C,"reason":R} | {"drop":true},
//    "times":N}
// Every member may be left out but the answer takes at most one of data,
// error, frame and continue (none: no answer). InvalidArgument naming the
// problem.
Result<Stub> ParseStub(std::string_view body);

// Whether a request with `action` and `data` (null when it had none) is one
// `stub` matches: its action when the stub names one, and every member of
// the stub's data in the request's, objects compared member by member all
// the way down and anything else (arrays included) equal.
bool StubMatches(const Stub& stub, std::string_view action, const cJSON* data);

// The frame `answer` sends to a request with `action` and `request_id_json`
// (JSON text, "" when it had none: null is sent), or nullopt for none (and
// for kContinue, whose answer is the server's).
std::optional<std::string> StubFrame(const StubAnswer& answer, std::string_view action,
                                     std::string_view request_id_json);

class StubTable {
 public:
  static constexpr size_t kMaxStubs = 1000;

  struct Hit {
    int64_t id;
    StubAnswer answer;
  };

  // The stub's id (1, 2, ... per table, never reused), or 0 when the
  // table holds kMaxStubs already.
  int64_t Add(Stub stub);
  bool Remove(int64_t id);
  // Removes every stub; returns how many there were.
  size_t Clear();
  bool empty() const { return stubs_.empty(); }
  size_t size() const { return stubs_.size(); }

  // What the newest stub matching the request says to do, counted as one of
  // its hits (a stub whose times are used up is gone after); nullopt when
  // no stub matches.
  std::optional<Hit> Take(std::string_view action, const cJSON* data);

  // {"stubs":[{"id":N,"hits":H,"stub":{...as posted}},...]}, oldest first.
  std::string ListJson() const;

  // The timers of delayed answers still to be sent, by the stub that gave
  // them (which may have been used up since), so that removing stubs can
  // cancel what they have yet to send: Wait when one is set, Done when it
  // fires, TakeWaiting those of stub `id` (every stub's for nullopt).
  void Wait(int64_t id, server::WsServer::TimerId timer);
  void Done(server::WsServer::TimerId timer);
  std::vector<server::WsServer::TimerId> TakeWaiting(std::optional<int64_t> id);

 private:
  struct Entry {
    int64_t id;
    int64_t hits = 0;
    Stub stub;
  };
  std::vector<Entry> stubs_;  // oldest first
  int64_t next_id_ = 1;
  std::map<server::WsServer::TimerId, int64_t> waiting_;  // timer -> stub id
};

}  // namespace wsmock::app
