#include "fuzz/fixture_target.h"

#include <set>
#include <string>
#include <vector>

#include "fuzz/invariant.h"
#include "model/fixture_loader.h"
#include "model/station_codec.h"
#include "model/station_json.h"
#include "util/json.h"

namespace wsmock::fuzz {
namespace {

constexpr std::string_view kSource = "fuzz.json";

// A station must survive being served: StationJson out, StationFromJson in,
// under the fixture rules (the stricter).
Status CheckRoundTrip(const model::Station& station) {
  const model::StationJson written(station);
  auto parsed = json::Parse(written.full());
  if (!parsed.ok()) return Broken("a station's JSON does not parse: " + parsed.status().message());
  Result<model::Station> back =
      model::StationFromJson(parsed->get(), model::StationRules::kFixture);
  if (!back.ok()) return Broken("a station's JSON does not read back: " + back.status().message());
  if (!(*back == station)) return Broken("a station reads back different from its JSON");
  return Status::Ok();
}

}  // namespace

Status CheckFixture(std::string_view text) {
  Result<std::vector<model::Station>> stations = model::ParseFixture(text, kSource);
  if (!stations.ok()) {
    const std::string& message = stations.status().message();
    if (message.find('\n') != std::string::npos) return Broken("an error spans several lines");
    if (!message.starts_with(std::string(kSource) + ": ")) {
      return Broken("an error does not start with the source name");
    }
    return Status::Ok();
  }
  if (stations->size() > model::kMaxFixtureStations) return Broken("too many stations accepted");
  std::set<std::string> ids;
  for (const model::Station& station : *stations) {
    if (!ids.insert(station.id).second) return Broken("a duplicate station id was accepted");
    WSMOCK_RETURN_IF_ERROR(CheckRoundTrip(station));
  }
  return Status::Ok();
}

void FuzzFixture(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  AbortIfBroken(CheckFixture(text), "fixture", text);
}

}  // namespace wsmock::fuzz
