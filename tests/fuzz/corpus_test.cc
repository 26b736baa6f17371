// Every file of every seed corpus (tests/fuzz/corpus/<target>/) through its
// fuzz target, in the normal suite: the inputs the fuzzers found interesting
// stay checked on every build. A crash scripts/fuzz.sh finds goes into
// corpus/ in the commit that fixes it, named after what it reproduces.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fixture_target.h"
#include "fuzz/import_target.h"
#include "fuzz/journal_target.h"
#include "fuzz/json_target.h"
#include "fuzz/match_key_target.h"
#include "fuzz/request_target.h"

namespace wsmock::fuzz {
namespace {

namespace fs = std::filesystem;

struct Target {
  const char* name;  // the directory under corpus/
  Status (*check)(std::string_view input);
};

constexpr Target kRequest{"request", CheckRequestFrame};
constexpr Target kImport{"import", CheckJsonLines};
constexpr Target kFixture{"fixture", CheckFixture};
constexpr Target kMatchKey{"match_key", CheckMatchKey};
constexpr Target kJson{"json", CheckJson};
constexpr Target kJournal{"journal", CheckJournal};

// The regular files of tests/fuzz/corpus/<target>, sorted so failures read
// the same on every run; none when the directory is missing.
std::vector<fs::path> CorpusFiles(const Target& target) {
  const fs::path dir = fs::path(WSMOCK_SOURCE_DIR) / "tests" / "fuzz" / "corpus" / target.name;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void ExpectAllHold(const std::vector<fs::path>& files, const Target& target) {
  for (const fs::path& file : files) {
    const Status s = target.check(ReadBytes(file));
    EXPECT_TRUE(s.ok()) << target.name << "/" << file.filename().string() << ": " << s.message();
  }
}

void ExpectCorpusHolds(const Target& target) {
  const std::vector<fs::path> files = CorpusFiles(target);
  // An empty or missing directory must fail, or the test passes vacuously.
  ASSERT_FALSE(files.empty()) << "no corpus files for fuzz target " << target.name;
  ExpectAllHold(files, target);
}

TEST(FuzzCorpusTest, RequestCorpusKeepsHandlerInvariants) { ExpectCorpusHolds(kRequest); }

TEST(FuzzCorpusTest, ImportCorpusKeepsImporterInvariants) { ExpectCorpusHolds(kImport); }

TEST(FuzzCorpusTest, FixtureCorpusKeepsLoaderInvariants) { ExpectCorpusHolds(kFixture); }

TEST(FuzzCorpusTest, MatchKeyCorpusKeepsKeyInvariants) { ExpectCorpusHolds(kMatchKey); }

TEST(FuzzCorpusTest, JsonCorpusKeepsRoundTripInvariants) { ExpectCorpusHolds(kJson); }

TEST(FuzzCorpusTest, JournalCorpusKeepsPackingInvariants) { ExpectCorpusHolds(kJournal); }

}  // namespace
}  // namespace wsmock::fuzz
