// A fresh directory under $TMPDIR (or /tmp) removed with its contents on
// destruction, for tests that need real files.
#pragma once

#include <string>

namespace wsmock::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `content` to `path`, replacing it; aborts the test binary on failure.
void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

}  // namespace wsmock::testing
