#include "server/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace wsmock::server {

FdLimit RaiseFdLimit(uint64_t wanted) {
  rlimit current{};
  if (getrlimit(RLIMIT_NOFILE, &current) != 0) return FdLimit{};
  FdLimit limit{current.rlim_cur, current.rlim_max};
  const uint64_t target = std::min<uint64_t>(wanted, current.rlim_max);
  if (current.rlim_cur == RLIM_INFINITY || target <= current.rlim_cur) return limit;
  rlimit raised = current;
  raised.rlim_cur = target;
  if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit.soft = target;
  return limit;
}

uint64_t WantedFds(int max_connections) {
  return 2 * static_cast<uint64_t>(std::max(max_connections, 0)) + kFdMargin;
}

std::string FdLimitWarning(const FdLimit& limit, int max_connections) {
  const uint64_t needed = static_cast<uint64_t>(std::max(max_connections, 0)) + kFdMargin;
  if (limit.soft == 0 || limit.soft >= needed) return "";
  return "The open-file limit is " + std::to_string(limit.soft) + " (hard limit " +
         std::to_string(limit.hard) + "), below the " + std::to_string(needed) +
         " that --max-connections " + std::to_string(max_connections) +
         " needs: connections beyond it will fail (raise it with ulimit -n)";
}

}  // namespace wsmock::server
