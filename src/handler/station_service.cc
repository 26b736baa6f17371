#include "handler/station_service.h"

#include <algorithm>
#include <numeric>
#include <span>

#include "handler/request_params.h"
#include "handler/station_filter.h"
#include "handler/station_stats.h"
#include "protocol/codec.h"

namespace wsmock::handler {
namespace {

using protocol::ErrorCode;
using protocol::MessageKind;
using protocol::Request;

// A guess at a station's JSON size, to reserve once for a whole page.
constexpr size_t kStationJsonGuess = 400;

// Errors are small and rare: built, then copied behind the headroom.
Reply FromError(const protocol::ErrorReply& error, size_t headroom) {
  std::string frame = protocol::EncodeError(error);
  std::string payload;
  if (headroom == 0) {
    payload = std::move(frame);
  } else {
    payload.reserve(headroom + frame.size());
    payload.append(headroom, '\0').append(frame);
  }
  return Reply{MessageKind::kError, std::move(payload), error.message, headroom};
}

// The replies below share the request and the headroom asked for.
struct Out {
  const Request& request;
  size_t headroom;
};

Reply Fail(const Out& out, ErrorCode code, std::string message) {
  return FromError(
      protocol::ErrorReply{code, std::move(message), out.request.action, out.request.request_id},
      out.headroom);
}

// Parameter readers report InvalidArgument; on the wire that is INVALID_PARAMS.
Reply FailParams(const Out& out, const Status& status) {
  return Fail(out, ErrorCode::kInvalidParams, status.message());
}

// A response is written in place, data included, so that a big reply is
// never copied whole: StartResponse, the data object, then Respond.
std::string StartResponse(const Out& out, size_t data_size) {
  std::string payload;
  payload.reserve(out.headroom + 64 + out.request.action.size() + data_size +
                  out.request.request_id.size());
  payload.append(out.headroom, '\0');
  protocol::AppendResponseHead(&payload, out.request.action);
  return payload;
}

Reply Respond(const Out& out, std::string payload, std::string summary) {
  protocol::AppendResponseTail(&payload, out.request.request_id);
  return Reply{MessageKind::kResponse, std::move(payload), std::move(summary), out.headroom};
}

Reply NotFound(const Out& out, const std::string& id) {
  return Fail(out, ErrorCode::kStationNotFound, "station '" + id + "' not found");
}

std::vector<size_t> Matching(const model::Snapshot& snapshot, const StationFilter& filter) {
  std::vector<size_t> out;
  if (filter.MatchesAll()) {  // the common case: no filters
    out.resize(snapshot.size());
    std::iota(out.begin(), out.end(), size_t{0});
    return out;
  }
  // One allocation for a page's worth of matches, not one per doubling;
  // bounded, as a filter over 100,000 stations may match a few.
  out.reserve(std::min<size_t>(snapshot.size(), 1024));
  // A station is read only where its key agrees.
  const std::span<const model::FilterKey> keys = snapshot.filter_keys();
  if (filter.key_test()) {
    const StationFilter::KeyTest test = *filter.key_test();
    for (size_t i = 0; i < keys.size(); ++i) {
      if (test.Passes(keys[i]) && filter.Matches(snapshot.station(i))) out.push_back(i);
    }
    return out;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (filter.MayMatch(keys[i]) && filter.Matches(snapshot.station(i))) out.push_back(i);
  }
  return out;
}

Reply GetStations(const Out& out, const model::Snapshot& snapshot) {
  const Request& request = out.request;
  auto fields = ReadFields(request.data);
  if (!fields.ok()) return FailParams(out, fields.status());
  auto filter = StationFilter::FromData(request.data);
  if (!filter.ok()) return FailParams(out, filter.status());
  auto pagination = ReadPagination(request.data);
  if (!pagination.ok()) return FailParams(out, pagination.status());

  // Every station matches in the common case, and then no list is built.
  const bool all = filter->MatchesAll();
  std::vector<size_t> matching;
  if (!all) matching = Matching(snapshot, *filter);
  const int64_t total = static_cast<int64_t>(all ? snapshot.size() : matching.size());
  Page page = pagination->value_or(Page{1, total});
  // page <= kMaxPage and limit <= kMaxLimit, so the product cannot overflow.
  const int64_t begin = std::min(total, (page.page - 1) * page.limit);
  const int64_t end = std::min(total, begin + page.limit);

  std::string payload =
      StartResponse(out, 64 + static_cast<size_t>(end - begin) * kStationJsonGuess);
  payload.append("{\"stations\":[");
  for (int64_t i = begin; i < end; ++i) {
    if (i > begin) payload.push_back(',');
    const size_t station = all ? static_cast<size_t>(i) : matching[static_cast<size_t>(i)];
    snapshot.json(station).AppendObject(&payload, *fields);
  }
  // Appended piece by piece: one concatenated temporary cost an allocation.
  payload.append("],\"total\":").append(std::to_string(total));
  payload.append(",\"page\":").append(std::to_string(page.page));
  payload.append(",\"limit\":").append(std::to_string(page.limit)).push_back('}');
  return Respond(out, std::move(payload),
                 "Sending " + std::to_string(end - begin) + " stations (page " +
                     std::to_string(page.page) + ", limit " + std::to_string(page.limit) + ")");
}

Reply GetStationById(const Out& out, const model::Snapshot& snapshot) {
  const Request& request = out.request;
  auto id = ReadOptionalString(request.data, "stationId");
  if (!id.ok()) return FailParams(out, id.status());
  if (!id->has_value()) {
    return Fail(out, ErrorCode::kInvalidParams, "stationId is required");
  }
  auto fields = ReadFields(request.data);
  if (!fields.ok()) return FailParams(out, fields.status());
  int64_t index = snapshot.IndexOf(**id);
  if (index < 0) return NotFound(out, **id);

  std::string payload = StartResponse(out, 16 + kStationJsonGuess);
  payload.append("{\"station\":");
  snapshot.json(static_cast<size_t>(index)).AppendObject(&payload, *fields);
  payload.push_back('}');
  return Respond(out, std::move(payload), "Sending station " + **id);
}

Reply GetStationStats(const Out& out, const model::Snapshot& snapshot, Micros now) {
  const Request& request = out.request;
  auto id = ReadOptionalString(request.data, "stationId");
  if (!id.ok()) return FailParams(out, id.status());
  auto filter = StationFilter::FromData(request.data);
  if (!filter.ok()) return FailParams(out, filter.status());
  auto days = ReadDays(request.data);
  if (!days.ok()) return FailParams(out, days.status());

  std::vector<const model::Station*> selected;
  if (id->has_value()) {
    int64_t index = snapshot.IndexOf(**id);
    if (index < 0) return NotFound(out, **id);
    const model::Station& s = snapshot.station(static_cast<size_t>(index));
    if (filter->Matches(s)) selected.push_back(&s);
  } else {
    for (size_t i : Matching(snapshot, *filter)) selected.push_back(&snapshot.station(i));
  }
  StationStats stats = ComputeStats(selected, DaysSinceEpoch(now), *days);
  std::string payload = StartResponse(out, 1024);
  AppendStatsJson(&payload, stats);
  return Respond(out, std::move(payload),
                 "Sending stats for " + std::to_string(selected.size()) + " stations (" +
                     std::to_string(*days) + " days)");
}

}  // namespace

Reply StationService::Handle(const Request& request, const model::Snapshot& snapshot, Micros now,
                             size_t headroom) const {
  const Out out{request, headroom};
  // DecodeRequest guarantees this; a hand-built Request (replay, tests) may not.
  if (request.data != nullptr && !cJSON_IsObject(request.data)) {
    return Fail(out, ErrorCode::kInvalidParams, "data must be an object");
  }
  if (request.action == "getStations") return GetStations(out, snapshot);
  if (request.action == "getStationById") return GetStationById(out, snapshot);
  if (request.action == "getStationStats") return GetStationStats(out, snapshot, now);
  return Fail(out, ErrorCode::kUnknownAction,
              "unknown action '" + request.action +
                  "'; expected getStations, getStationById or getStationStats");
}

Reply StationService::HandleText(std::string_view frame, const model::Snapshot& snapshot,
                                 Micros now) const {
  protocol::Decoded decoded = protocol::DecodeRequest(frame);
  if (auto* error = std::get_if<protocol::ErrorReply>(&decoded)) return FromError(*error, 0);
  return Handle(std::get<Request>(decoded), snapshot, now);
}

}  // namespace wsmock::handler
