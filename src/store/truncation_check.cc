#include "store/truncation_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <optional>

namespace wsmock::store {

namespace {

// The file's length and the length its header promises.
struct Lengths {
  uint64_t actual = 0;
  uint64_t promised = 0;
};

uint32_t BigEndian(const unsigned char* p, int bytes) {
  uint32_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | p[i];
  return value;
}

// The field offsets are SQLite's file format ("Database File Format", 1.3).
// nullopt when the header holds no size to hold the file to.
std::optional<Lengths> ReadLengths(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  unsigned char header[100];
  struct stat st;
  bool read_all = ::fstat(fd, &st) == 0 && ::pread(fd, header, sizeof header, 0) == sizeof header;
  ::close(fd);
  if (!read_all || std::memcmp(header, "SQLite format 3", 16) != 0) return std::nullopt;
  uint32_t page_size = BigEndian(header + 16, 2);
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) return std::nullopt;
  // Writers older than SQLite 3.7.0 left the size stale; they also left the
  // two counters unequal, which is how SQLite itself tells.
  uint32_t pages = BigEndian(header + 28, 4);
  if (pages == 0 || BigEndian(header + 24, 4) != BigEndian(header + 92, 4)) return std::nullopt;
  return Lengths{static_cast<uint64_t>(st.st_size), uint64_t{pages} * page_size};
}

bool IsShort(const std::optional<Lengths>& lengths) {
  return lengths && lengths->actual < lengths->promised;
}

bool NonEmpty(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && st.st_size > 0;
}

}  // namespace

Status CheckNotTruncated(const std::string& path) {
  std::optional<Lengths> lengths = ReadLengths(path);
  if (!IsShort(lengths)) return Status::Ok();
  if (NonEmpty(path + "-wal") || NonEmpty(path + "-journal")) return Status::Ok();
  // A writer may have finished its checkpoint and removed its -wal between
  // the read and the look for it; the file is whole from then on.
  lengths = ReadLengths(path);
  if (!IsShort(lengths)) return Status::Ok();
  return Status::Corruption("truncated: " + std::to_string(lengths->actual) + " bytes of the " +
                            std::to_string(lengths->promised) + " its header promises");
}

}  // namespace wsmock::store
