// What a test can read about a process: memory figures of another one from
// /proc/PID/status, and this one's limit on open files.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace wsmock::testing {

// A "kB" field of /proc/PID/status, e.g. "VmRSS" (resident now) or "VmHWM"
// (the peak of it); nullopt if the process or the field is not there.
std::optional<int64_t> StatusKb(pid_t pid, std::string_view field);

// Raises this process's soft RLIMIT_NOFILE towards `wanted`, as far as the
// hard limit allows; returns the soft limit now in force. Children started
// afterwards (the server) inherit it.
int64_t RaiseFdLimit(int64_t wanted);

}  // namespace wsmock::testing
