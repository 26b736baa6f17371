// Answers the seed's three actions (getStations, getStationById,
// getStationStats) from one snapshot. Stateless and const: no clock, socket
// or store; the caller passes the time. Any thread may call it concurrently.
//
// getStations data: fields, filters, pagination (see request_params.h and
// station_filter.h). Replies {"stations":[...],"total":T,"page":P,"limit":L}
// where T counts all matching stations; a page past the end is an empty list.
// Without pagination every match is sent, with "page":1,"limit":T.
// getStationById data: stationId (required string), fields.
// Replies {"station":{...}}; an unknown id is STATION_NOT_FOUND.
// getStationStats data: stationId (optional; unknown -> STATION_NOT_FOUND),
// filters, days (1..90, default 7). Both given: the station if it matches.
// Replies as station_stats.h describes; "daily" ends with the day of `now`.
#pragma once

#include <string>
#include <string_view>

#include "model/snapshot.h"
#include "protocol/message.h"
#include "util/clock.h"

namespace wsmock::handler {

struct Reply {
  protocol::MessageKind kind = protocol::MessageKind::kError;  // kResponse or kError
  // `headroom` bytes of no meaning, then the frame to send (see Handle).
  std::string payload;
  // One line for the log: "Sending 20 stations (page 1, limit 20)",
  // "Sending station station_001", or the error message.
  std::string summary;
  size_t headroom = 0;
  std::string_view frame() const { return std::string_view(payload).substr(headroom); }
};

class StationService {
 public:
  // `headroom` leaves that many bytes in front of the frame in
  // Reply::payload, so that a transport can put its own header there
  // instead of copying the frame; with 0, payload is the frame.
  Reply Handle(const protocol::Request& request, const model::Snapshot& snapshot, Micros now,
               size_t headroom = 0) const;

  // Decodes `frame` and handles it; a frame that does not decode becomes its
  // error reply. Safe on arbitrary bytes (the fuzz entry point).
  Reply HandleText(std::string_view frame, const model::Snapshot& snapshot, Micros now) const;
};

}  // namespace wsmock::handler
