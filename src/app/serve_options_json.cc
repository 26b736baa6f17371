#include "app/serve_options_json.h"

#include <charconv>
#include <cmath>

#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock::app {
namespace {

void AppendOptionalString(std::string* out, const std::string& value) {
  if (value.empty()) {
    out->append("null");
  } else {
    json::AppendString(out, value);
  }
}

// The seed is read from its digits: a double holds only 53 of its 64 bits.
Status ReadSeed(std::string_view json, uint64_t* seed) {
  json::Span span = json::FindTopLevelValue(json, "seed");
  if (span.begin == std::string::npos) return Status::Ok();
  std::string_view digits = json.substr(span.begin, span.end - span.begin);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), *seed);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return Status::InvalidArgument("options: 'seed' must be an integer from 0 to 2^64-1");
  }
  return Status::Ok();
}

// A string member, or null for none ("" in `*value`).
Status ReadOptionalString(const cJSON* root, const char* name, std::string* value) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(root, name);
  if (item == nullptr) return Status::Ok();
  if (cJSON_IsNull(item)) {
    value->clear();
  } else if (cJSON_IsString(item)) {
    *value = item->valuestring;
  } else {
    return Status::InvalidArgument(std::string("options: '") + name + "' must be a string or null");
  }
  return Status::Ok();
}

Status ReadNumbers(const cJSON* root, ServeOptions* options) {
  if (const cJSON* n = cJSON_GetObjectItemCaseSensitive(root, "stations")) {
    if (!cJSON_IsNumber(n) || n->valuedouble < 1 || n->valuedouble > 100000 ||
        n->valuedouble != std::floor(n->valuedouble)) {
      return Status::InvalidArgument("options: 'stations' must be an integer from 1 to 100000");
    }
    options->stations = static_cast<int>(n->valuedouble);
  }
  if (const cJSON* t = cJSON_GetObjectItemCaseSensitive(root, "tick")) {
    if (!cJSON_IsNumber(t) || !std::isfinite(t->valuedouble) || t->valuedouble < 0) {
      return Status::InvalidArgument("options: 'tick' must be a number of seconds");
    }
    options->tick_seconds = t->valuedouble;
  }
  return Status::Ok();
}

// An integer member `name` from `min` up, if present, into `*value`.
Status ReadOptionalIndex(const cJSON* root, const char* name, int64_t min,
                         std::optional<int64_t>* value) {
  const cJSON* n = cJSON_GetObjectItemCaseSensitive(root, name);
  if (n == nullptr) return Status::Ok();
  // 2^53: every integer below it is exact in the double cJSON reads.
  if (!cJSON_IsNumber(n) || n->valuedouble < static_cast<double>(min) ||
      n->valuedouble > 9007199254740992.0 || n->valuedouble != std::floor(n->valuedouble)) {
    return Status::InvalidArgument(std::string("options: '") + name + "' must be an integer from " +
                                   std::to_string(min) + " to 2^53");
  }
  *value = static_cast<int64_t>(n->valuedouble);
  return Status::Ok();
}

Status ReadClock(const cJSON* root, ServeOptions* options) {
  std::string clock = options->clock_start ? FormatIso8601(*options->clock_start) : "";
  WSMOCK_RETURN_IF_ERROR(ReadOptionalString(root, "clock", &clock));
  if (clock.empty()) {
    options->clock_start.reset();
    return Status::Ok();
  }
  Result<Micros> start = ParseIso8601(clock);
  if (!start.ok()) return start.status().WithContext("options: 'clock'");
  options->clock_start = *start;
  return Status::Ok();
}

}  // namespace

std::string ServeOptionsJson(const ServeOptions& options) {
  std::string out = "{\"seed\":" + std::to_string(options.seed);
  // A fixture or --from serves the stations in that file, whatever
  // --stations said: a count here would describe what did not run.
  if (options.fixture.empty() && options.from.empty()) {
    out += ",\"stations\":" + std::to_string(options.stations);
  }
  out += ",\"tick\":";
  json::AppendNumber(&out, options.tick_seconds);
  out += ",\"clock\":";
  AppendOptionalString(&out, options.clock_start ? FormatIso8601(*options.clock_start) : "");
  out += ",\"fixture\":";
  AppendOptionalString(&out, options.fixture);
  out += ",\"from\":";
  AppendOptionalString(&out, options.from);
  if (!options.from.empty()) {
    // The session and tick taken: "the latest" changes as the file grows.
    if (options.from_session) out += ",\"fromSession\":" + std::to_string(*options.from_session);
    if (options.tick_index) out += ",\"tickIndex\":" + std::to_string(*options.tick_index);
  }
  out += "}";
  return out;
}

Status ReadServeOptionsJson(std::string_view json, ServeOptions* options) {
  Result<json::JsonPtr> parsed = json::Parse(json);
  if (!parsed.ok()) return parsed.status().WithContext("options");
  const cJSON* root = parsed->get();
  if (!cJSON_IsObject(root)) return Status::InvalidArgument("options: not a JSON object");
  WSMOCK_RETURN_IF_ERROR(ReadSeed(json, &options->seed));
  WSMOCK_RETURN_IF_ERROR(ReadNumbers(root, options));
  WSMOCK_RETURN_IF_ERROR(ReadClock(root, options));
  WSMOCK_RETURN_IF_ERROR(ReadOptionalString(root, "fixture", &options->fixture));
  WSMOCK_RETURN_IF_ERROR(ReadOptionalIndex(root, "fromSession", 1, &options->from_session));
  WSMOCK_RETURN_IF_ERROR(ReadOptionalIndex(root, "tickIndex", 0, &options->tick_index));
  return ReadOptionalString(root, "from", &options->from);
}

}  // namespace wsmock::app
