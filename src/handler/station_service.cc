#include "handler/station_service.h"

#include <algorithm>

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

Reply FromError(const protocol::ErrorReply& error) {
  return Reply{MessageKind::kError, protocol::EncodeError(error), error.message};
}

Reply Fail(const Request& request, ErrorCode code, std::string message) {
  return FromError(
      protocol::ErrorReply{code, std::move(message), request.action, request.request_id});
}

// Parameter readers report InvalidArgument; on the wire that is INVALID_PARAMS.
Reply FailParams(const Request& request, const Status& status) {
  return Fail(request, ErrorCode::kInvalidParams, status.message());
}

Reply Respond(const Request& request, const std::string& data, std::string summary) {
  return Reply{MessageKind::kResponse,
               protocol::EncodeResponse(request.action, data, request.request_id),
               std::move(summary)};
}

Reply NotFound(const Request& request, const std::string& id) {
  return Fail(request, ErrorCode::kStationNotFound, "station '" + id + "' not found");
}

std::vector<size_t> Matching(const model::Snapshot& snapshot, const StationFilter& filter) {
  std::vector<size_t> out;
  for (size_t i = 0; i < snapshot.size(); ++i) {
    if (filter.Matches(snapshot.station(i))) out.push_back(i);
  }
  return out;
}

Reply GetStations(const Request& request, const model::Snapshot& snapshot) {
  auto fields = ReadFields(request.data);
  if (!fields.ok()) return FailParams(request, fields.status());
  auto filter = StationFilter::FromData(request.data);
  if (!filter.ok()) return FailParams(request, filter.status());
  auto pagination = ReadPagination(request.data);
  if (!pagination.ok()) return FailParams(request, pagination.status());

  std::vector<size_t> matching = Matching(snapshot, *filter);
  const int64_t total = static_cast<int64_t>(matching.size());
  Page page = pagination->value_or(Page{1, total});
  // page <= kMaxPage and limit <= kMaxLimit, so the product cannot overflow.
  const int64_t begin = std::min(total, (page.page - 1) * page.limit);
  const int64_t end = std::min(total, begin + page.limit);

  std::string data;
  data.reserve(64 + static_cast<size_t>(end - begin) * kStationJsonGuess);
  data.append("{\"stations\":[");
  for (int64_t i = begin; i < end; ++i) {
    if (i > begin) data.push_back(',');
    snapshot.json(matching[static_cast<size_t>(i)]).AppendObject(&data, *fields);
  }
  data.append("],\"total\":" + std::to_string(total) + ",\"page\":" + std::to_string(page.page) +
              ",\"limit\":" + std::to_string(page.limit) + "}");
  return Respond(request, data,
                 "Sending " + std::to_string(end - begin) + " stations (page " +
                     std::to_string(page.page) + ", limit " + std::to_string(page.limit) + ")");
}

Reply GetStationById(const Request& request, const model::Snapshot& snapshot) {
  auto id = ReadOptionalString(request.data, "stationId");
  if (!id.ok()) return FailParams(request, id.status());
  if (!id->has_value()) {
    return Fail(request, ErrorCode::kInvalidParams, "stationId is required");
  }
  auto fields = ReadFields(request.data);
  if (!fields.ok()) return FailParams(request, fields.status());
  int64_t index = snapshot.IndexOf(**id);
  if (index < 0) return NotFound(request, **id);

  std::string data = "{\"station\":";
  snapshot.json(static_cast<size_t>(index)).AppendObject(&data, *fields);
  data.push_back('}');
  return Respond(request, data, "Sending station " + **id);
}

Reply GetStationStats(const Request& request, const model::Snapshot& snapshot, Micros now) {
  auto id = ReadOptionalString(request.data, "stationId");
  if (!id.ok()) return FailParams(request, id.status());
  auto filter = StationFilter::FromData(request.data);
  if (!filter.ok()) return FailParams(request, filter.status());
  auto days = ReadDays(request.data);
  if (!days.ok()) return FailParams(request, days.status());

  std::vector<const model::Station*> selected;
  if (id->has_value()) {
    int64_t index = snapshot.IndexOf(**id);
    if (index < 0) return NotFound(request, **id);
    const model::Station& s = snapshot.station(static_cast<size_t>(index));
    if (filter->Matches(s)) selected.push_back(&s);
  } else {
    for (size_t i : Matching(snapshot, *filter)) selected.push_back(&snapshot.station(i));
  }
  StationStats stats = ComputeStats(selected, DaysSinceEpoch(now), *days);
  std::string data;
  AppendStatsJson(&data, stats);
  return Respond(request, data,
                 "Sending stats for " + std::to_string(selected.size()) + " stations (" +
                     std::to_string(*days) + " days)");
}

}  // namespace

Reply StationService::Handle(const Request& request, const model::Snapshot& snapshot,
                             Micros now) const {
  // DecodeRequest guarantees this; a hand-built Request (replay, tests) may not.
  if (request.data != nullptr && !cJSON_IsObject(request.data)) {
    return Fail(request, ErrorCode::kInvalidParams, "data must be an object");
  }
  if (request.action == "getStations") return GetStations(request, snapshot);
  if (request.action == "getStationById") return GetStationById(request, snapshot);
  if (request.action == "getStationStats") return GetStationStats(request, snapshot, now);
  return Fail(request, ErrorCode::kUnknownAction,
              "unknown action '" + request.action +
                  "'; expected getStations, getStationById or getStationStats");
}

Reply StationService::HandleText(std::string_view frame, const model::Snapshot& snapshot,
                                 Micros now) const {
  protocol::Decoded decoded = protocol::DecodeRequest(frame);
  if (auto* error = std::get_if<protocol::ErrorReply>(&decoded)) return FromError(*error);
  return Handle(std::get<Request>(decoded), snapshot, now);
}

}  // namespace wsmock::handler
