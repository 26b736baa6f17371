#include "util/file_write.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

namespace wsmock {

Status WriteWholeFile(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

namespace {

// "dir/.name.XXXXXX" beside `path`, as mkstemp wants it: rename() is atomic
// only within one file system, so the temporary goes in the same directory.
std::vector<char> TempTemplate(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::string pattern = dir + "." + name + ".XXXXXX";
  return std::vector<char>(pattern.c_str(), pattern.c_str() + pattern.size() + 1);
}

bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Status ReplaceFileAtomically(const std::string& path, std::string_view content) {
  auto failed = [&path](int error) {
    return Status::IoError("cannot write " + path + ": " + std::strerror(error));
  };
  if (path.empty() || path.back() == '/') return failed(EISDIR);
  std::vector<char> temp = TempTemplate(path);
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return failed(errno);
  // No fsync: readers are other processes, which see the page cache; the
  // file is made again at the next start after a crash.
  bool ok = ::fchmod(fd, 0644) == 0 && WriteAll(fd, content);
  int error = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && ::rename(temp.data(), path.c_str()) == 0) return Status::Ok();
  if (ok) error = errno;
  ::unlink(temp.data());
  return failed(error);
}

}  // namespace wsmock
