#include "transfer/session_table.h"

#include <cstdio>

#include "util/clock.h"

namespace wsmock::transfer {
namespace {

// Wide enough for ids and counts of any real file; a wider value pushes its
// line out rather than being cut. The start is always 24 characters.
constexpr const char* kRowFormat = "%6s  %-24s  %-6s  %11s  %8s\n";

void AppendRow(std::string* out, const std::string& id, const std::string& start,
               const std::string& mode, const std::string& connections,
               const std::string& messages) {
  const int n = std::snprintf(nullptr, 0, kRowFormat, id.c_str(), start.c_str(), mode.c_str(),
                              connections.c_str(), messages.c_str());
  std::string row(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(row.data(), row.size(), kRowFormat, id.c_str(), start.c_str(), mode.c_str(),
                connections.c_str(), messages.c_str());
  row.pop_back();  // snprintf's NUL
  out->append(row);
}

}  // namespace

std::string FormatSessionTable(const std::vector<store::SessionInfo>& sessions) {
  std::string out;
  AppendRow(&out, "ID", "START", "MODE", "CONNECTIONS", "MESSAGES");
  for (const store::SessionInfo& s : sessions) {
    AppendRow(&out, std::to_string(s.id), FormatIso8601(s.started_at), s.mode,
              std::to_string(s.connection_count), std::to_string(s.message_count));
  }
  return out;
}

}  // namespace wsmock::transfer
