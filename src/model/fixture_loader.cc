#include "model/fixture_loader.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "model/station_codec.h"
#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock::model {
namespace {

constexpr size_t kMaxIdInMessage = 64;

// Ids come from the file: keep the one-line message one line and short.
std::string Printable(std::string_view id) {
  std::string out;
  for (char c : id.substr(0, kMaxIdInMessage)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  }
  // Do not end on half of a UTF-8 sequence: drop its lead and continuation bytes.
  if (id.size() > kMaxIdInMessage) {
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "...";
  }
  return out;
}

// "station 3 (station_004)", or "station 3" when the id cannot be read.
std::string StationLabel(size_t index, const cJSON* node) {
  std::string label = "station " + std::to_string(index);
  const cJSON* id = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, "id") : nullptr;
  if (cJSON_IsString(id) && id->valuestring != nullptr && id->valuestring[0] != '\0') {
    label += " (" + Printable(id->valuestring) + ")";
  }
  return label;
}

Result<const cJSON*> StationArray(const cJSON* root) {
  const cJSON* list = root;
  if (cJSON_IsObject(root)) list = cJSON_GetObjectItemCaseSensitive(root, "stations");
  if (!cJSON_IsArray(list)) {
    return Status::InvalidArgument(
        "expected a JSON array of stations or an object {\"stations\": [...]}");
  }
  return list;
}

Status CheckCount(const cJSON* list) {
  size_t count = 0;
  for (const cJSON* c = list->child; c != nullptr; c = c->next) ++count;
  if (count == 0) return Status::InvalidArgument("no stations: the list is empty");
  if (count > kMaxFixtureStations) {
    return Status::InvalidArgument(std::to_string(count) + " stations, more than the limit of " +
                                   std::to_string(kMaxFixtureStations));
  }
  return Status::Ok();
}

Result<std::vector<Station>> ReadStations(const cJSON* list) {
  std::vector<Station> stations;
  // Lookup only, never iterated, so its order cannot leak into output.
  std::unordered_map<std::string, size_t> first_index;
  size_t index = 0;
  for (const cJSON* node = list->child; node != nullptr; node = node->next, ++index) {
    Result<Station> station = StationFromJson(node, StationRules::kFixture);
    if (!station.ok()) return station.status().WithContext(StationLabel(index, node));
    auto [it, inserted] = first_index.emplace(station->id, index);
    if (!inserted) {
      return Status::InvalidArgument(StationLabel(index, node) +
                                     ": duplicate id, first used by station " +
                                     std::to_string(it->second));
    }
    stations.push_back(std::move(station).value());
  }
  return stations;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

Status ReadError(const std::string& path, int error) {
  return Status::IoError(
      path + ": cannot read: " + std::error_code(error, std::generic_category()).message());
}

Result<std::string> ReadWholeFile(const std::string& path) {
  errno = 0;
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) return ReadError(path, errno);
  std::string text;
  char buffer[64 * 1024];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, n);
    if (text.size() > kMaxFixtureBytes) {
      return Status::InvalidArgument(path + ": file is larger than " +
                                     std::to_string(kMaxFixtureBytes >> 20) + " MiB");
    }
  }
  // fread sets errno on failure, e.g. EISDIR for a directory.
  if (std::ferror(file.get())) return ReadError(path, errno);
  return text;
}

}  // namespace

Result<std::vector<Station>> ParseFixture(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  Result<json::JsonPtr> root = json::Parse(text);
  if (!root.ok()) return root.status().WithContext(source);
  // Valid JSON, but cJSON's strings end at a NUL: a name "a\u0000b" would be
  // served as "a". Refused rather than misread.
  if (const size_t nul = json::FirstNulEscape(text); nul != std::string_view::npos) {
    return Status::InvalidArgument(source +
                                   ": \\u0000 inside a string is not supported (byte offset " +
                                   std::to_string(nul) + ")");
  }
  Result<const cJSON*> list = StationArray(root->get());
  if (!list.ok()) return list.status().WithContext(source);
  WSMOCK_RETURN_IF_ERROR(CheckCount(*list).WithContext(source));
  Result<std::vector<Station>> stations = ReadStations(*list);
  if (!stations.ok()) return stations.status().WithContext(source);
  return stations;
}

Result<std::vector<Station>> LoadFixture(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseFixture(*text, path);
}

}  // namespace wsmock::model
