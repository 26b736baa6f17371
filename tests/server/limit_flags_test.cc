// The limit flags every listening command takes (src/cli/listen_flags.cc).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli.h"
#include "support/temp_dir.h"

namespace wsmock::cli {
namespace {

Invocation Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "wsmock");
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

TEST(ListenLimitFlagsTest, AcceptedOnEveryListeningCommand) {
  wsmock::testing::TempDir dir;
  const std::string db = dir.File("s.db");
  wsmock::testing::WriteFile(db, "");  // replay's flag check wants the file to exist
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"serve"}, {"record", db}, {"replay", db}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), {"--handshake-timeout", "2", "--client-idle-timeout", "0.5",
                             "--max-send-queue", "1048576"});
    Invocation inv = Parse(args);
    EXPECT_TRUE(inv.run) << command[0] << ": " << inv.err;
  }
}

TEST(ListenLimitFlagsTest, OutOfRangeValuesAreUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"serve", "--handshake-timeout", "0"},
        {"serve", "--handshake-timeout", "abc"},
        {"serve", "--client-idle-timeout", "-1"},
        {"serve", "--client-idle-timeout", "0.01"},
        {"serve", "--client-idle-timeout", "nan"},
        {"serve", "--max-send-queue", "1000"},
        {"serve", "--max-send-queue", "-5"}}) {
    Invocation inv = Parse(args);
    EXPECT_FALSE(inv.run) << args[1] << " " << args[2];
    EXPECT_EQ(inv.exit_code, kExitUsage);
    EXPECT_NE(inv.err.find(args[1]), std::string::npos) << inv.err;
  }
}

TEST(ListenLimitFlagsTest, HelpNamesThem) {
  Invocation inv = Parse({"serve", "--help"});
  EXPECT_NE(inv.out.find("--handshake-timeout"), std::string::npos);
  EXPECT_NE(inv.out.find("--client-idle-timeout"), std::string::npos);
  EXPECT_NE(inv.out.find("--max-send-queue"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::cli
