#include "fault/server_log.h"

#include <algorithm>

namespace wsmock::testing {
namespace {

constexpr std::string_view kTotal = "Total clients: ";

// Every N of "Total clients: N", in log order.
std::vector<int> TotalClients(std::string_view log) {
  std::vector<int> totals;
  for (size_t at = log.find(kTotal); at != std::string_view::npos; at = log.find(kTotal, at + 1)) {
    int n = 0;
    for (size_t i = at + kTotal.size(); i < log.size() && log[i] >= '0' && log[i] <= '9'; ++i) {
      n = n * 10 + (log[i] - '0');
    }
    totals.push_back(n);
  }
  return totals;
}

}  // namespace

std::vector<std::string> LinesBetween(std::string_view log, std::string_view after,
                                      std::string_view before) {
  const size_t first = log.find(after);
  if (first == std::string_view::npos) return {};
  const size_t start = log.find('\n', first);
  const size_t last = log.find(before, start);
  if (start == std::string_view::npos || last == std::string_view::npos) return {};
  const size_t end = log.rfind('\n', last);  // ends the line before the one holding `before`
  std::vector<std::string> lines;
  for (size_t line = start + 1; line <= end;) {
    const size_t stop = log.find('\n', line);
    lines.emplace_back(log.substr(line, stop - line));
    line = stop + 1;
  }
  return lines;
}

int LastTotalClients(std::string_view log) {
  const std::vector<int> totals = TotalClients(log);
  return totals.empty() ? -1 : totals.back();
}

int MaxTotalClients(std::string_view log) {
  const std::vector<int> totals = TotalClients(log);
  return totals.empty() ? -1 : *std::max_element(totals.begin(), totals.end());
}

size_t CountOf(std::string_view text, std::string_view needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

bool IsAlarming(std::string_view line) {
  const bool log_line = line.find(" - INFO - ") != std::string_view::npos ||
                        line.find(" - DEBUG - ") != std::string_view::npos;
  return !log_line;
}

}  // namespace wsmock::testing
