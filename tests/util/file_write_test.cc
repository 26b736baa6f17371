#include "util/file_write.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace wsmock {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(FileWriteTest, ReplaceFileAtomicallyWritesANewFileReadableByAll) {
  TempDir dir;
  ASSERT_TRUE(ReplaceFileAtomically(dir.File("c.pem"), "pem text").ok());
  EXPECT_EQ(ReadFile(dir.File("c.pem")), "pem text");
  struct stat st {};
  ASSERT_EQ(stat(dir.File("c.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"c.pem"});
}

// Renamed into place, not rewritten: a reader that opened the old file
// reads all of it, and the next open finds all of the new one.
TEST(FileWriteTest, ReplaceFileAtomicallyNeverShowsAPartOfEitherFile) {
  TempDir dir;
  const std::string path = dir.File("c.pem");
  const std::string old_text(100000, 'o');
  const std::string new_text(200000, 'n');
  WriteFile(path, old_text);
  std::ifstream reader(path, std::ios::binary);
  ASSERT_TRUE(ReplaceFileAtomically(path, new_text).ok());
  std::ostringstream seen;
  seen << reader.rdbuf();
  EXPECT_EQ(seen.str(), old_text);
  EXPECT_EQ(ReadFile(path), new_text);
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"c.pem"});
}

TEST(FileWriteTest, AMissingDirectoryNamesThePathAndTheReason) {
  TempDir dir;
  const std::string path = dir.File("no/c.pem");
  Status s = ReplaceFileAtomically(path, "x");
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.message(), "cannot write " + path + ": No such file or directory");
}

TEST(FileWriteTest, ADirectoryInTheWayLeavesNoTemporaryFileBehind) {
  TempDir dir;
  std::filesystem::create_directory(dir.File("c.pem"));
  Status s = ReplaceFileAtomically(dir.File("c.pem"), "x");
  EXPECT_EQ(s.message(), "cannot write " + dir.File("c.pem") + ": Is a directory");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"c.pem"});
}

TEST(FileWriteTest, APathInTheWorkingDirectoryIsWrittenThere) {
  TempDir dir;
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const Status s = ReplaceFileAtomically("c.pem", "here");
  std::filesystem::current_path(before);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(ReadFile(dir.File("c.pem")), "here");
}

}  // namespace
}  // namespace wsmock
