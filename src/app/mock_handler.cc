#include "app/mock_handler.h"

#include <variant>

#include "app/client_control.h"
#include "app/control_answers.h"
#include "app/station_patch.h"
#include "app/stubbed_answer.h"
#include "protocol/codec.h"
#include "util/json.h"
#include "util/printable_text.h"

namespace wsmock::app {
namespace {

// "req_123" for the log, as the seed printed it; numbers stay as they are.
std::string_view LogId(std::string_view request_id_json) {
  if (request_id_json.size() >= 2 && request_id_json.front() == '"') {
    return request_id_json.substr(1, request_id_json.size() - 2);
  }
  return request_id_json;
}

// Error replies are routine for a mock (the client under test is often
// wrong), so they log at INFO, marked, and do not force a flush.
std::string_view ErrorMark(protocol::MessageKind kind) {
  return kind == protocol::MessageKind::kError ? "Error reply: " : "";
}

constexpr model::FieldMask kUpdateFields =
    model::Bit(model::Field::kId) | model::Bit(model::Field::kStatus) |
    model::Bit(model::Field::kCurrentPower) | model::Bit(model::Field::kLastUpdate);

}  // namespace

std::string EncodeStationsUpdate(const model::Snapshot& snapshot,
                                 const std::vector<size_t>& changed) {
  std::string data = "{\"stations\":[";
  data.reserve(changed.size() * 96 + 64);
  for (size_t i = 0; i < changed.size(); ++i) {
    if (i > 0) data.push_back(',');
    snapshot.json(changed[i]).AppendObject(&data, kUpdateFields);
  }
  data.append("],\"timestamp\":");
  json::AppendString(&data, FormatIso8601(snapshot.taken_at()));
  data.push_back('}');
  return protocol::EncodeUpdate("stationsUpdated", data);
}

MockHandler::MockHandler(model::SnapshotPtr first, const Clock* clock, Logger* log)
    : start_(first),
      snapshot_(std::move(first)),
      clock_(clock),
      log_(log),
      ticks_from_(start_->tick_index()) {}

void MockHandler::StoreSnapshotsIn(SnapshotSink snapshot_sink) {
  snapshot_sink_ = std::move(snapshot_sink);
  std::vector<size_t> all(snapshot_->size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  if (snapshot_sink_) snapshot_sink_(snapshot_, all);
}

void MockHandler::Advance(model::SnapshotPtr next, const std::vector<size_t>& changed) {
  snapshot_ = std::move(next);
  if (snapshot_sink_) snapshot_sink_(snapshot_, changed);
  if (server_->connection_count() > 0) {
    std::string update = EncodeStationsUpdate(*snapshot_, changed);
    server_->Broadcast(update);
    if (recorder_ != nullptr) {
      recorder_->OnBroadcast(update, {protocol::MessageKind::kUpdate, "stationsUpdated", {}});
    }
  }
  log_->Info("Updated " + std::to_string(changed.size()) + " stations (tick " +
             std::to_string(snapshot_->tick_index()) + ", " +
             std::to_string(server_->connection_count()) + " clients)");
}

void MockHandler::OnOpen(server::ConnectionId id, const server::PeerInfo& peer) {
  if (recorder_ != nullptr) recorder_->OnOpen(id, peer.address, peer.path);
  log_->Info("Client connected from " + peer.address +
             ". Total clients: " + std::to_string(server_->connection_count()));
}

void MockHandler::OnClose(server::ConnectionId id, int close_code) {
  if (recorder_ != nullptr) recorder_->OnClose(id, close_code);
  log_->Info("Client disconnected (code " + std::to_string(close_code) +
             "). Total clients: " + std::to_string(server_->connection_count()));
}

server::ControlAnswer MockHandler::OnControl(std::string_view method, std::string_view path,
                                             std::string_view body) {
  std::variant<ControlTarget, server::ControlAnswer> route = RouteControl(method, path);
  if (auto* refused = std::get_if<server::ControlAnswer>(&route)) return std::move(*refused);
  const ControlTarget target = std::get<ControlTarget>(route);
  if (IsClientRoute(target.route)) {
    return AnswerClientControl({server_, log_, recorder_, &stubs_}, target, body);
  }
  if (target.route == ControlRoute::kStation) {
    if (replaying_) {
      return ControlError(409, "replay cannot change a station: its snapshots are recorded");
    }
    return ChangeStation(target.id, body);
  }
  if (target.route == ControlRoute::kReset) {
    if (replaying_) {
      return ControlError(409,
                          "replay --snapshots cannot reset: its ticks come from the recording; "
                          "DELETE " +
                              std::string(server::kControlPrefix) +
                              "requests empties the request journal");
    }
    Reset();
  }
  if (target.route == ControlRoute::kTick) {
    log_->Info("Tick asked for over the control endpoint");
    if (!tick_ || !tick_()) {
      return ControlError(
          409, replaying_ ? "no recorded tick is left to replay" : "this server has no ticks");
    }
  }
  const std::string_view mode = replaying_ ? "replay" : recorder_ != nullptr ? "record" : "serve";
  return HealthAnswer(mode, server_->connection_count(), snapshot_->tick_index());
}

void MockHandler::Reset() {
  server_->received().Clear();
  RemoveStubs({server_, log_, recorder_, &stubs_}, std::nullopt);
  if (rewind_clock_) rewind_clock_();
  std::vector<size_t> changed;
  std::vector<model::Station> restored;
  for (size_t i = 0; i < snapshot_->size(); ++i) {
    // Unchanged stations share their entry with start_, so most compare as one pointer.
    const model::StationJson& now = snapshot_->json(i);
    const model::StationJson& then = start_->json(i);
    if (&now == &then || now.full() == then.full()) continue;
    changed.push_back(i);
    restored.push_back(start_->station(i));
  }
  log_->Info("Reset over the control endpoint: " + std::to_string(changed.size()) +
             " stations back to their state at start");
  if (!changed.empty()) {
    // With the clock wound back, the stations are as at start at the
    // start's time, so the next tick accrues what the first one did.
    const Micros at = rewind_clock_ ? start_->taken_at() : clock_->Now();
    Advance(model::Snapshot::Next(*snapshot_, changed, std::move(restored),
                                  snapshot_->tick_index() + 1, at),
            changed);
  }
  ticks_from_ = snapshot_->tick_index();
}

server::ControlAnswer MockHandler::ChangeStation(std::string_view id, std::string_view body) {
  const int64_t index = snapshot_->IndexOf(id);
  if (index < 0) return ControlError(404, "no station '" + PrintableCut(id, 200) + "'");
  const Micros now = clock_->Now();
  Result<model::Station> changed = PatchStation(snapshot_->station(index), body, now);
  if (!changed.ok()) return ControlError(400, changed.status().message());
  log_->Info("Station " + changed->id + " set to " + changed->status +
             " over the control endpoint");
  const std::vector<size_t> at = {static_cast<size_t>(index)};
  std::vector<model::Station> updated = {std::move(*changed)};
  Advance(
      model::Snapshot::Next(*snapshot_, at, std::move(updated), snapshot_->tick_index() + 1, now),
      at);
  return server::ControlAnswer{200, "{\"station\":" + snapshot_->json(at[0]).full() + "}"};
}

void MockHandler::OnMessage(server::ConnectionId id, std::string_view message, bool binary) {
  Answer(id, message, binary, /*consult_stubs=*/true);
}

void MockHandler::Answer(server::ConnectionId id, std::string_view message, bool binary,
                         bool consult_stubs) {
  // One reading of the clock serves the request, its recording and its
  // reply's: they are microseconds apart, and reading it costs the loop.
  const Micros now = clock_->Now();
  if (binary) {
    protocol::ErrorReply error{protocol::ErrorCode::kInvalidRequest,
                               "binary frames are not supported; send JSON text frames",
                               std::nullopt, std::nullopt};
    // Recorded as the error it is: as "other" a replay took it for a push.
    Reply(id, {message, true, {}},
          {protocol::MessageKind::kError, protocol::EncodeError(error), error.message},
          {protocol::MessageKind::kError, std::nullopt, std::nullopt}, now);
    return;
  }
  protocol::Decoded decoded = protocol::DecodeRequest(message);
  if (auto* error = std::get_if<protocol::ErrorReply>(&decoded)) {
    // Only a recording needs to know what the rejected frame claimed to be.
    protocol::Peek peek = recorder_ != nullptr ? protocol::PeekMessage(message) : protocol::Peek{};
    Reply(id, {message, false, {peek.kind, peek.action, peek.request_id}},
          {protocol::MessageKind::kError, protocol::EncodeError(*error), error->message},
          {protocol::MessageKind::kError, error->action, error->request_id}, now);
    return;
  }
  const auto& request = std::get<protocol::Request>(decoded);
  if (consult_stubs && !stubs_.empty()) {
    if (std::optional<StubTable::Hit> hit = stubs_.Take(request.action, request.data)) {
      LogReceived(request);
      AnswerWithStub({server_, log_, recorder_, &stubs_},
                     {id, message, request.action, request.request_id}, std::move(*hit),
                     {[this](server::ConnectionId client, std::string_view frame) {
                        Answer(client, frame, /*binary=*/false, /*consult_stubs=*/false);
                      },
                      {}});
      return;
    }
  }
  // Built with room for the frame header, so the server takes it uncopied.
  handler::Reply reply =
      service_.Handle(request, *snapshot_, now, server::WsServer::kSendHeadroom);
  const recorder::MessageMeta meta{reply.kind, request.action, request.request_id};
  Send(id, {message, false, {protocol::MessageKind::kRequest, request.action, request.request_id}},
       &reply, meta, now);
  if (!log_->Enabled(LogLevel::kInfo)) return;
  const std::string_view log_id = LogId(request.request_id);
  const std::string_view error_mark = ErrorMark(reply.kind);
  if (consult_stubs) {
    log_->Lines(LogLevel::kInfo, {{"Received message: ", request.action, " (ID: ", log_id, ")"},
                                  {error_mark, reply.summary},
                                  {"Response sent for request ", log_id}});
  } else {  // its first line was written when it came, before a stub held it
    log_->Lines(LogLevel::kInfo,
                {{error_mark, reply.summary}, {"Response sent for request ", log_id}});
  }
}

void MockHandler::LogReceived(const protocol::Request& request) {
  log_->Info({"Received message: ", request.action, " (ID: ", LogId(request.request_id), ")"});
}

void MockHandler::Reply(server::ConnectionId id, const recorder::Frame& request,
                        handler::Reply reply, recorder::MessageMeta meta, Micros now) {
  Send(id, request, &reply, meta, now);
  log_->Info({ErrorMark(reply.kind), reply.summary});
}

void MockHandler::Send(server::ConnectionId id, const recorder::Frame& request,
                       handler::Reply* reply, recorder::MessageMeta meta, Micros now) {
  if (recorder_ != nullptr) {
    // A recording's times are the recorder's, the wall clock's; `now` is
    // data time, which is that clock too unless --clock set a virtual one.
    const Micros at = recorder_->clock() == clock_ ? now : recorder_->clock()->Now();
    recorder_->OnExchangeAt(id, request, {reply->frame(), false, meta}, at);
  }
  server_->Send(id, std::move(reply->payload), reply->headroom);
}

}  // namespace wsmock::app
