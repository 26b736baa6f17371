// A station serialised once: the full JSON object plus the byte range of each
// "key":value member, so any subset of fields is a concatenation of slices and
// no reply serialises a station again.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model/station.h"

namespace wsmock::model {

class StationJson {
 public:
  explicit StationJson(const Station& station);

  // The whole object, fields in Field order: {"id":"station_001",...}
  const std::string& full() const { return text_; }
  // Appends {...} with only the fields in `mask`, in Field order.
  void AppendObject(std::string* out, FieldMask mask) const;

 private:
  std::string text_;
  std::array<uint32_t, kFieldCount> begin_{};  // offset of each member's key quote
  std::array<uint32_t, kFieldCount> end_{};    // one past its value
};

// Appends one member value as the reply writes it (for updates and tests).
void AppendFieldValue(std::string* out, const Station& station, Field field);

}  // namespace wsmock::model
