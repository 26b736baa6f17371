// The error codes an error reply carries, and their wire names
// ("INVALID_JSON", ...). Pure values; any thread.
#pragma once

#include <string_view>

namespace wsmock::protocol {

enum class ErrorCode {
  kInvalidJson,      // the frame is not one JSON value
  kInvalidRequest,   // JSON, but not a well-formed request envelope
  kUnknownAction,    // the action names no handler
  kInvalidParams,    // "data" or one of its members is wrong
  kStationNotFound,  // a stationId names no station
  kNoRecording,      // replay: nothing recorded answers this request
};

std::string_view ErrorCodeName(ErrorCode code);

}  // namespace wsmock::protocol
