#include "cli/cli.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::cli {
namespace {

Invocation Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "wsmock");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

void ExpectUsageError(const std::vector<std::string>& args, const std::string& mentions) {
  Invocation inv = Parse(args);
  EXPECT_FALSE(inv.run);
  EXPECT_EQ(inv.exit_code, kExitUsage);
  EXPECT_NE(inv.err.find(mentions), std::string::npos) << inv.err;
  EXPECT_EQ(inv.err.find('\n'), std::string::npos) << "not one line: " << inv.err;
}

TEST(CliTest, ServeWithDefaultsRuns) {
  Invocation inv = Parse({"serve"});
  EXPECT_TRUE(inv.run);
  EXPECT_EQ(inv.err, "");
}

TEST(CliTest, HelpPrintsUsageAndExitsZero) {
  Invocation inv = Parse({"serve", "--help"});
  EXPECT_FALSE(inv.run);
  EXPECT_EQ(inv.exit_code, kExitOk);
  EXPECT_NE(inv.out.find("--seed"), std::string::npos);
  EXPECT_NE(inv.out.find("--self-signed"), std::string::npos);
}

TEST(CliTest, VersionPrintsTheVersion) {
  Invocation inv = Parse({"--version"});
  EXPECT_EQ(inv.exit_code, kExitOk);
  EXPECT_NE(inv.out.find(WSMOCK_VERSION), std::string::npos) << inv.out;
}

TEST(CliTest, MissingSubcommandIsAUsageError) { ExpectUsageError({}, "subcommand"); }

TEST(CliTest, UnknownFlagIsAUsageError) { ExpectUsageError({"serve", "--sede", "1"}, "--sede"); }

TEST(CliTest, StationsOutOfRangeIsAUsageError) {
  ExpectUsageError({"serve", "--stations", "0"}, "--stations");
  ExpectUsageError({"serve", "--stations", "100001"}, "--stations");
}

TEST(CliTest, NonNumericSeedIsAUsageError) { ExpectUsageError({"serve", "--seed", "abc"}, "--seed"); }

TEST(CliTest, BadTickIsAUsageError) {
  ExpectUsageError({"serve", "--tick", "-1"}, "--tick");
  ExpectUsageError({"serve", "--tick", "0.001"}, "--tick");
  ExpectUsageError({"serve", "--tick", "nan"}, "--tick");
}

TEST(CliTest, FractionalAndDayLongTicksAreAccepted) {
  EXPECT_TRUE(Parse({"serve", "--tick", "0.25"}).run);
  EXPECT_TRUE(Parse({"serve", "--tick", "86400"}).run);
  EXPECT_TRUE(Parse({"serve", "--tick", "0"}).run);
}

TEST(CliTest, BadClockIsAUsageError) {
  ExpectUsageError({"serve", "--clock", "yesterday"}, "--clock");
}

TEST(CliTest, BadLogLevelIsAUsageError) {
  ExpectUsageError({"serve", "--log-level", "loud"}, "--log-level");
}

TEST(CliTest, CertWithoutKeyIsAUsageError) {
  ExpectUsageError({"serve", "--tls-cert", "c.pem"}, "--tls-key");
}

TEST(CliTest, SelfSignedAndNoSslExcludeEachOther) {
  ExpectUsageError({"serve", "--self-signed", "--no-ssl"}, "excludes");
}

TEST(CliTest, PathMustStartWithSlash) { ExpectUsageError({"serve", "--path", "ws"}, "--path"); }

}  // namespace
}  // namespace wsmock::cli
