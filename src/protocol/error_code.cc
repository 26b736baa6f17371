#include "protocol/error_code.h"

namespace wsmock::protocol {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "INVALID_JSON";
    case ErrorCode::kInvalidRequest:
      return "INVALID_REQUEST";
    case ErrorCode::kUnknownAction:
      return "UNKNOWN_ACTION";
    case ErrorCode::kInvalidParams:
      return "INVALID_PARAMS";
    case ErrorCode::kStationNotFound:
      return "STATION_NOT_FOUND";
    case ErrorCode::kNoRecording:
      return "NO_RECORDING";
  }
  // Unreachable for valid enumerators; a cast-in value still gets a name.
  return "INTERNAL";
}

}  // namespace wsmock::protocol
