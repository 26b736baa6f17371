// Reading wsmock's log (its stderr, "2024-01-20 10:30:00 - INFO - text")
// in tests: what it logged between two known lines, and the client count it
// reports on every connect and disconnect.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wsmock::testing {

// The whole lines after the first line containing `after` and before the
// first later line containing `before`; empty if either is missing.
std::vector<std::string> LinesBetween(std::string_view log, std::string_view after,
                                      std::string_view before);

// The N of the last / the largest "Total clients: N"; -1 when none.
int LastTotalClients(std::string_view log);
int MaxTotalClients(std::string_view log);

size_t CountOf(std::string_view text, std::string_view needle);

// A line a person watching the log should worry about: WARN or worse, or
// anything that is not a log line at all (a crash report, a sanitizer).
bool IsAlarming(std::string_view line);

}  // namespace wsmock::testing
