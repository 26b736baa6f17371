#include "app/stubs.h"

#include <algorithm>
#include <cmath>

#include "app/control_answers.h"
#include "protocol/codec.h"
#include "util/json_scan.h"
#include "util/printable_text.h"
#include "util/utf8.h"

namespace wsmock::app {

namespace {

constexpr char kShape[] =
    "a stub is a JSON object of match, data, error, frame, continue, delayMs, close and times";
// Ten minutes: longer than any test waits for an answer.
constexpr double kMaxDelayMs = 600000;

// The members of `object` must all differ, as FindTopLevelValue and cJSON
// both read the first of two.
Status CheckOnce(const cJSON* object, std::string_view where) {
  for (const cJSON* a = object->child; a != nullptr; a = a->next) {
    for (const cJSON* b = a->next; b != nullptr; b = b->next) {
      if (std::string_view(a->string) == b->string) {
        return Status::InvalidArgument(std::string(where) + "'" + PrintableCut(a->string, 40) +
                                       "' is given twice");
      }
    }
  }
  return Status::Ok();
}

// The same for every object inside `value` (match.data, all the way down:
// a stub whose data says one member twice could never match). Nesting is
// bounded by json::Parse.
Status CheckOnceWithin(const cJSON* value, std::string_view where) {
  if (cJSON_IsObject(value)) WSMOCK_RETURN_IF_ERROR(CheckOnce(value, where));
  for (const cJSON* child = value->child; child != nullptr; child = child->next) {
    WSMOCK_RETURN_IF_ERROR(CheckOnceWithin(child, where));
  }
  return Status::Ok();
}

Status ReadMatch(const cJSON* match, Stub* stub) {
  if (!cJSON_IsObject(match)) {
    return Status::InvalidArgument("match must be an object with action and/or data");
  }
  WSMOCK_RETURN_IF_ERROR(CheckOnce(match, "match."));
  for (const cJSON* member = match->child; member != nullptr; member = member->next) {
    const std::string_view name = member->string;
    if (name == "action") {
      if (!cJSON_IsString(member) || *member->valuestring == '\0') {
        return Status::InvalidArgument("match.action must be a non-empty string");
      }
      stub->action = member->valuestring;
    } else if (name == "data") {
      if (!cJSON_IsObject(member)) return Status::InvalidArgument("match.data must be an object");
      WSMOCK_RETURN_IF_ERROR(CheckOnceWithin(member, "match.data: "));
      stub->data.reset(cJSON_Duplicate(member, true));
    } else {
      return Status::InvalidArgument("unknown field 'match." + PrintableCut(name, 40) +
                                     "': match takes action and data");
    }
  }
  return Status::Ok();
}

Status ReadError(const cJSON* error, StubAnswer* answer) {
  const cJSON* code = cJSON_GetObjectItemCaseSensitive(error, "code");
  const cJSON* message = cJSON_GetObjectItemCaseSensitive(error, "message");
  if (!cJSON_IsObject(error) || cJSON_GetArraySize(error) != 2 || !cJSON_IsString(code) ||
      *code->valuestring == '\0' || !cJSON_IsString(message)) {
    return Status::InvalidArgument(
        "error must be {\"code\":\"...\",\"message\":\"...\"}, a non-empty code and a message");
  }
  answer->kind = StubAnswer::Kind::kError;
  answer->error_code = code->valuestring;
  answer->error_message = message->valuestring;
  return Status::Ok();
}

// An integer member in [min, max].
Result<int64_t> ReadWhole(const cJSON* member, double min, double max, std::string_view rule) {
  if (!cJSON_IsNumber(member) || member->valuedouble < min || member->valuedouble > max ||
      member->valuedouble != std::floor(member->valuedouble)) {
    return Status::InvalidArgument(std::string(member->string) + " must be " + std::string(rule));
  }
  return static_cast<int64_t>(member->valuedouble);
}

// Reads every member of the stub object `root`, parsed from `body`.
Status ReadStub(const cJSON* root, std::string_view body, Stub* stub) {
  int answers = 0;  // of data, error and frame
  for (const cJSON* member = root->child; member != nullptr; member = member->next) {
    const std::string_view name = member->string;
    if (name == "match") {
      WSMOCK_RETURN_IF_ERROR(ReadMatch(member, stub));
    } else if (name == "data") {
      if (!cJSON_IsObject(member)) return Status::InvalidArgument("data must be an object");
      // The test's own bytes, so 22.0 is sent as 22.0.
      const json::Span span = json::FindTopLevelValue(body, "data");
      if (span.begin == std::string_view::npos) {
        return Status::InvalidArgument("data must be written as \"data\", without escapes");
      }
      stub->answer.kind = StubAnswer::Kind::kData;
      stub->answer.data_json = body.substr(span.begin, span.end - span.begin);
      ++answers;
    } else if (name == "error") {
      WSMOCK_RETURN_IF_ERROR(ReadError(member, &stub->answer));
      ++answers;
    } else if (name == "frame") {
      if (!cJSON_IsString(member) || *member->valuestring == '\0') {
        return Status::InvalidArgument("frame must be a non-empty string, sent as it is");
      }
      stub->answer.kind = StubAnswer::Kind::kFrame;
      stub->answer.frame = member->valuestring;
      ++answers;
    } else if (name == "continue") {
      if (!cJSON_IsTrue(member)) {
        return Status::InvalidArgument(
            "continue must be true (the server answers as it would have); leave it out for a "
            "stubbed answer");
      }
      stub->answer.kind = StubAnswer::Kind::kContinue;
      ++answers;
    } else if (name == "delayMs") {
      Result<int64_t> delay = ReadWhole(member, 0, kMaxDelayMs, "a whole number from 0 to 600000");
      if (!delay.ok()) return delay.status();
      stub->answer.delay = *delay * 1000;
    } else if (name == "close") {
      char* printed = cJSON_PrintUnformatted(member);
      Result<DisconnectRequest> close =
          printed != nullptr ? ReadDisconnect(printed) : Status::InvalidArgument("out of memory");
      cJSON_free(printed);
      if (!cJSON_IsObject(member) || !close.ok()) {
        return Status::InvalidArgument(
            "close must be {\"code\":C,\"reason\":R} or {\"drop\":true}" +
            (close.ok() ? std::string() : ": " + close.status().message()));
      }
      stub->answer.close = *close;
    } else if (name == "times") {
      Result<int64_t> times = ReadWhole(member, 1, 1e9, "a whole number from 1 to 1000000000");
      if (!times.ok()) return times.status();
      stub->times = *times;
    } else {
      return Status::InvalidArgument("unknown field '" + PrintableCut(name, 40) + "': " + kShape);
    }
  }
  if (answers > 1) {
    return Status::InvalidArgument(
        "a stub answers with one of data, error, frame and continue at most");
  }
  if (stub->answer.close && stub->answer.close->drop && answers > 0) {
    return Status::InvalidArgument(
        "a drop throws away what is not yet sent, so a stub that drops has no data, error, "
        "frame or continue");
  }
  return Status::Ok();
}

// Whether `want`, a member of a stub's match.data, is held by `have`.
bool Holds(const cJSON* have, const cJSON* want) {
  if (have == nullptr) return false;
  if (!cJSON_IsObject(want)) return cJSON_Compare(have, want, true);
  if (!cJSON_IsObject(have)) return false;
  for (const cJSON* member = want->child; member != nullptr; member = member->next) {
    if (!Holds(cJSON_GetObjectItemCaseSensitive(have, member->string), member)) return false;
  }
  return true;
}

}  // namespace

Result<Stub> ParseStub(std::string_view body) {
  // Its answers go out as text frames, which a client fails with 1007 when
  // they are not UTF-8.
  if (!IsValidUtf8(body)) {
    return Status::InvalidArgument("a stub is UTF-8 text, and this body is not");
  }
  Result<json::JsonPtr> parsed = ParseControlBody(body);
  if (!parsed.ok())
    return Status::InvalidArgument(std::string(kShape) + ": " + parsed.status().message());
  // Its data is sent, and it is listed, as written: so as JSON, strictly.
  if (const size_t loose = json::FirstLooseNumber(body); loose != std::string_view::npos) {
    return Status::InvalidArgument("a number JSON does not allow at byte offset " +
                                   std::to_string(loose) + " (write 1, 0.5, 1e3)");
  }
  if (!cJSON_IsObject(parsed->get())) return Status::InvalidArgument(kShape);
  WSMOCK_RETURN_IF_ERROR(CheckOnce(parsed->get(), ""));
  Stub stub;
  WSMOCK_RETURN_IF_ERROR(ReadStub(parsed->get(), body, &stub));
  stub.definition = json::WithoutSpace(body);
  return stub;
}

bool StubMatches(const Stub& stub, std::string_view action, const cJSON* data) {
  if (!stub.action.empty() && stub.action != action) return false;
  // "data":{} asks nothing, of a request with data or without.
  return stub.data == nullptr || stub.data->child == nullptr || Holds(data, stub.data.get());
}

std::optional<std::string> StubFrame(const StubAnswer& answer, std::string_view action,
                                     std::string_view request_id_json) {
  const std::string_view id = request_id_json.empty() ? "null" : request_id_json;
  switch (answer.kind) {
    case StubAnswer::Kind::kData:
      return protocol::EncodeResponse(action, answer.data_json, id);
    case StubAnswer::Kind::kError: {
      std::string out = R"({"type":"error","action":)";
      json::AppendString(&out, action);
      out += R"(,"requestId":)";
      out += id;
      out += R"(,"error":{"code":)";
      json::AppendString(&out, answer.error_code);
      out += R"(,"message":)";
      json::AppendString(&out, answer.error_message);
      out += "}}";
      return out;
    }
    case StubAnswer::Kind::kFrame:
      return answer.frame;
    case StubAnswer::Kind::kNothing:
    case StubAnswer::Kind::kContinue:
      break;
  }
  return std::nullopt;
}

int64_t StubTable::Add(Stub stub) {
  if (stubs_.size() >= kMaxStubs) return 0;
  stubs_.push_back(Entry{next_id_, 0, std::move(stub)});
  return next_id_++;
}

bool StubTable::Remove(int64_t id) {
  auto it = std::find_if(stubs_.begin(), stubs_.end(),
                         [id](const Entry& entry) { return entry.id == id; });
  if (it == stubs_.end()) return false;
  stubs_.erase(it);
  return true;
}

size_t StubTable::Clear() {
  const size_t count = stubs_.size();
  stubs_.clear();
  return count;
}

std::optional<StubTable::Hit> StubTable::Take(std::string_view action, const cJSON* data) {
  for (auto it = stubs_.rbegin(); it != stubs_.rend(); ++it) {
    if (!StubMatches(it->stub, action, data)) continue;
    ++it->hits;
    Hit hit{it->id, it->stub.answer};
    if (it->stub.times && --*it->stub.times == 0) stubs_.erase(std::next(it).base());
    return hit;
  }
  return std::nullopt;
}

void StubTable::Wait(int64_t id, server::WsServer::TimerId timer) { waiting_[timer] = id; }

void StubTable::Done(server::WsServer::TimerId timer) { waiting_.erase(timer); }

std::vector<server::WsServer::TimerId> StubTable::TakeWaiting(std::optional<int64_t> id) {
  std::vector<server::WsServer::TimerId> taken;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (id && it->second != *id) {
      ++it;
      continue;
    }
    taken.push_back(it->first);
    it = waiting_.erase(it);
  }
  return taken;
}

std::string StubTable::ListJson() const {
  std::string json = R"({"stubs":[)";
  for (size_t i = 0; i < stubs_.size(); ++i) {
    const Entry& entry = stubs_[i];
    if (i > 0) json += ',';
    json += R"({"id":)" + std::to_string(entry.id) + R"(,"hits":)" + std::to_string(entry.hits);
    if (entry.stub.times) json += R"(,"timesLeft":)" + std::to_string(*entry.stub.times);
    json += R"(,"stub":)" + entry.stub.definition + "}";
  }
  json += "]}";
  return json;
}

}  // namespace wsmock::app
