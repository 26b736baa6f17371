// Checks of flag values that several commands share.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <cstdint>
#include <string>

#include "cli/subcommand.h"

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
  struct stat session {};
  struct stat report {};
  if (stat(session_path.c_str(), &session) != 0 || stat(report_path.c_str(), &report) != 0) {
    return "";  // a report file that does not exist yet is not the session file
  }
  if (session.st_dev != report.st_dev || session.st_ino != report.st_ino) return "";
  return flag + " " + report_path + " is the session file itself; writing the report would " +
         "destroy the recording";
}

}  // namespace wsmock::cli
