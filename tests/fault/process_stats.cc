#include "fault/process_stats.h"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace wsmock::testing {

std::optional<int64_t> StatusKb(pid_t pid, std::string_view field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  const std::string prefix = std::string(field) + ":";
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    // "VmRSS:	    8876 kB"
    const size_t digits = line.find_first_of("0123456789", prefix.size());
    if (digits == std::string::npos) return std::nullopt;
    return std::stoll(line.substr(digits));
  }
  return std::nullopt;
}

int64_t RaiseFdLimit(int64_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const rlim_t target = limit.rlim_max == RLIM_INFINITY
                            ? static_cast<rlim_t>(wanted)
                            : std::min(limit.rlim_max, static_cast<rlim_t>(wanted));
  if (target > limit.rlim_cur) {
    limit.rlim_cur = target;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<int64_t>(limit.rlim_cur);
}

}  // namespace wsmock::testing
