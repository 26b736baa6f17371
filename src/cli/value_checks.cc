// Checks of flag values that several commands share.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "cli/subcommand.h"
#include "server/handshake_headers.h"

namespace wsmock::cli {

CLI::Validator SeedValue() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end) {
          return "must be an integer from 0 to 18446744073709551615, got '" + text + "'";
        }
        return "";
      },
      "SEED");
}

CLI::Validator Int64Range(int64_t min, int64_t max) {
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        int64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || stop != end ||
            (error != std::errc() && error != std::errc::result_out_of_range)) {
          return "must be an integer from " + range + ", got '" + text + "'";
        }
        // The words of CLI::Range, which this replaces.
        if (error != std::errc() || value < min || value > max) {
          return "Value " + text + " not in range " + range;
        }
        // strtoll's base 0 would then read "010" as 8.
        text = std::to_string(value);
        return "";
      },
      "INT in [" + range + "]");
}

std::string ParseClockFlag(const std::string& text, std::optional<Micros>* start) {
  if (text.empty()) return "";
  Result<Micros> parsed = ParseIso8601(text);
  if (!parsed.ok()) return "--clock: " + parsed.status().message();
  // 9900-01-01T00:00:00Z: a century of ticks before times stop parsing.
  constexpr Micros kLatestStart = 250'246'627'200LL * kMicrosPerSecond;
  if (*parsed >= kLatestStart) {
    return "--clock must be before the year 9900, so that time can run on";
  }
  *start = *parsed;
  return "";
}

namespace {

// `path` with its directory resolved (symlinks, "." and ".."), its file name
// as given, since the file may not exist yet.
std::filesystem::path WithResolvedDirectory(const std::filesystem::path& path) {
  std::error_code ignored;
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  return std::filesystem::weakly_canonical(dir, ignored) / path.filename();
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat first {};
  struct stat second {};
  return ::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0 &&
         first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

// The SQLite companion of `session_path` that `report_path` names, or "".
// SQLite makes them beside the file a symlink leads to, so both places count;
// by name, as a killed recording's -shm may be gone and its -wal come later.
std::string CompanionNamed(const std::string& session_path, const std::string& report_path) {
  std::error_code ignored;
  const std::filesystem::path report = WithResolvedDirectory(report_path);
  const std::filesystem::path bases[] = {WithResolvedDirectory(session_path),
                                         std::filesystem::weakly_canonical(session_path, ignored)};
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    for (const std::filesystem::path& base : bases) {
      const std::string companion = base.string() + suffix;
      if (report == companion || SameFile(report_path, companion)) return suffix;
    }
  }
  return "";
}

}  // namespace

std::string CheckReportTarget(const std::string& session_path, const std::string& flag,
                              const std::string& report_path) {
  if (report_path.empty()) return "";
  // Checked now: the report is written only at the end of a whole run.
  const std::filesystem::path path(report_path);
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const bool exists = ::access(report_path.c_str(), F_OK) == 0;
  struct stat dir_stat {};
  int error = 0;
  if (exists) {
    if (::access(report_path.c_str(), W_OK) != 0) error = errno;
  } else if (::stat(dir.c_str(), &dir_stat) != 0) {
    error = errno;
  } else if (!S_ISDIR(dir_stat.st_mode)) {
    error = ENOTDIR;
  } else if (::access(dir.c_str(), W_OK) != 0) {
    error = errno;
  }
  if (error != 0) {
    return flag + " " + report_path + ": cannot write " + (exists ? "it" : dir.string()) + ": " +
           std::strerror(error);
  }
  // By identity, not by name: ./s.db, a symlink or a hard link are the file too.
  if (SameFile(session_path, report_path)) {
    return flag + " " + report_path + " is the session file itself; writing the report would " +
           "destroy the recording";
  }
  // Its -wal holds every row since the last checkpoint, all of a killed
  // recording's last second or more.
  const std::string companion = CompanionNamed(session_path, report_path);
  if (companion.empty()) return "";
  return flag + " " + report_path + " is the session file's SQLite " + companion +
         " file; writing the report would destroy the recording";
}

std::string HeaderFlagProblem(const std::string& flag, const std::vector<std::string>& headers) {
  for (const std::string& header : headers) {
    Status checked = server::CheckHandshakeHeader(header);
    if (!checked.ok()) return flag + ": " + checked.message();
  }
  return "";
}

std::string SubprotocolFlagProblem(const std::string& flag, const std::string& name) {
  if (server::IsSubprotocolName(name)) return "";
  return flag + " '" + name + "' is not a subprotocol name (a token, e.g. v1.json)";
}

}  // namespace wsmock::cli
