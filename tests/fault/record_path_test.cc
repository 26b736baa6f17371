// `wsmock record` onto a path it cannot write: one error line and a failing
// exit code before the server serves anyone, so a CI job cannot run a whole
// session only to find nothing was recorded. (The port is bound first, so
// that a port in use leaves the file untouched.)
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "fault/live_server.h"
#include "store/unprivileged.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace wsmock {
namespace {

using testing::RunWsmock;
using testing::TempDir;

// The lines of `err` that are not ordinary INFO log lines: the errors.
std::vector<std::string> ErrorLines(const std::string& err) {
  std::vector<std::string> errors;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.find(" - INFO - ") == std::string::npos) errors.push_back(line);
  }
  return errors;
}

// Checks how `wsmock record <path>` failed; `result` is its exit code, a
// newline, and its stderr.
void ExpectRefusedBeforeListening(const std::string& result, const std::string& path) {
  const size_t newline = result.find('\n');
  ASSERT_NE(newline, std::string::npos) << result;
  const std::string code = result.substr(0, newline);
  const std::string err = result.substr(newline + 1);
  EXPECT_NE(code, "0") << err;
  EXPECT_NE(code, "-1") << "did not stop by itself: " << err;
  EXPECT_EQ(err.find("Server started"), std::string::npos) << "listened first:\n" << err;
  const std::vector<std::string> errors = ErrorLines(err);
  ASSERT_EQ(errors.size(), 1u) << "not one error line:\n" << err;
  EXPECT_NE(errors[0].find(path), std::string::npos) << errors[0];
}

std::string Record(const std::string& path) {
  testing::RunResult result =
      RunWsmock(testing::OnLoopback({"record", path, "--tick", "0"}), "", 10000);
  return std::to_string(result.exit_code) + "\n" + result.err;
}

TEST(FaultRecordPathTest, AFileUnderAMissingDirectoryIsRefusedBeforeListening) {
  TempDir dir;
  const std::string path = dir.File("missing/deeper/session.db");
  ExpectRefusedBeforeListening(Record(path), path);
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing")));
}

// Root ignores file permissions, so as root these run as user nobody.
TEST(FaultRecordPathTest, AFileInAReadOnlyDirectoryIsRefusedBeforeListening) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);  // mkdtemp made it 0700
  const std::string sub = dir.File("ro");
  ASSERT_TRUE(std::filesystem::create_directory(sub));
  ASSERT_EQ(::chmod(sub.c_str(), 0555), 0);
  const std::string path = sub + "/session.db";
  Result<std::string> result =
      testing::RunUnprivileged({sub, WSMOCK_BINARY}, [&] { return Record(path); });
  if (result.status().code() == Status::Code::kUnsupported) {
    GTEST_SKIP() << result.status().message();
  }
  ASSERT_TRUE(result.ok()) << result.status().message();
  ExpectRefusedBeforeListening(*result, path);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(FaultRecordPathTest, AReadOnlyFileIsRefusedBeforeListeningAndKept) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  const std::string sub = dir.File("shared");
  ASSERT_TRUE(std::filesystem::create_directory(sub));
  ASSERT_EQ(::chmod(sub.c_str(), 0777), 0);  // only the file is read-only
  const std::string path = sub + "/session.db";
  testing::RunResult imported =
      RunWsmock({"import", WSMOCK_SOURCE_DIR "/fixtures/seed42-session.jsonl", path});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  const std::string before = testing::ReadFile(path);
  Result<std::string> result =
      testing::RunUnprivileged({sub, WSMOCK_BINARY}, [&] { return Record(path); });
  if (result.status().code() == Status::Code::kUnsupported) {
    GTEST_SKIP() << result.status().message();
  }
  ASSERT_TRUE(result.ok()) << result.status().message();
  ExpectRefusedBeforeListening(*result, path);
  EXPECT_EQ(testing::ReadFile(path), before);
}

}  // namespace
}  // namespace wsmock
