#include "cli/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

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

TEST(CliTest, AnEmptyValueIsAUsageErrorNotTheDefault) {
  ExpectUsageError({"serve", "--clock", ""}, "--clock needs a value");
  ExpectUsageError({"serve", "--tick", ""}, "--tick");
  ExpectUsageError({"serve", "--host", ""}, "--host needs a value");
  ExpectUsageError({"serve", "--tls-cert", "", "--tls-key", ""}, "needs a value");
  ExpectUsageError({"replay", "/dev/null", "--report", ""}, "--report needs a value");
  EXPECT_TRUE(Parse({"serve", "--no-ssl"}).run);
}

TEST(CliTest, AMistypedSubcommandIsNamed) {
  ExpectUsageError({"frob"}, "unknown subcommand 'frob' (one of: serve, record, replay,");
}

TEST(CliTest, ANonPositiveSessionNamesTheRange) {
  ExpectUsageError({"export", "/dev/null", "--session", "0"}, "Value 0 not in range 1 to 9223372036854775807");
}

// CLI11 2.1.2 reads an int64_t with strtoll, which clamps: --session
// 99999999999999999999 picked session 9223372036854775807.
TEST(CliTest, AnIntegerPastSixtyFourBitsIsAUsageErrorNotClamped) {
  const std::string huge = "99999999999999999999";
  const std::string range = "Value " + huge + " not in range 1 to 9223372036854775807";
  ExpectUsageError({"export", "/dev/null", "--session", huge}, range);
  ExpectUsageError({"replay", "/dev/null", "--session", huge}, range);
  ExpectUsageError({"replay", "/dev/null", "--exit-after", huge}, range);
  ExpectUsageError({"verify", "/dev/null", "--target", "ws://127.0.0.1:1/ws", "--session", huge},
                   range);
  ExpectUsageError({"serve", "--from", "/dev/null", "--tick-index", huge},
                   "Value " + huge + " not in range 0 to 9223372036854775807");
  ExpectUsageError({"replay", "/dev/null", "--session", "-" + huge}, "not in range 1 to");
  ExpectUsageError({"replay", "/dev/null", "--session", "0x10"}, "must be an integer from 1 to");
  EXPECT_TRUE(Parse({"replay", "/dev/null", "--session", "9223372036854775807"}).run);
  EXPECT_TRUE(Parse({"replay", "/dev/null", "--session", "010"}).run);  // ten, not octal eight
}

TEST(CliTest, UnknownFlagIsAUsageError) { ExpectUsageError({"serve", "--sede", "1"}, "--sede"); }

TEST(CliTest, StationsOutOfRangeIsAUsageError) {
  ExpectUsageError({"serve", "--stations", "0"}, "--stations");
  ExpectUsageError({"serve", "--stations", "100001"}, "--stations");
}

TEST(CliTest, NonNumericSeedIsAUsageError) { ExpectUsageError({"serve", "--seed", "abc"}, "--seed"); }

TEST(CliTest, ASeedOutsideSixtyFourBitsIsAUsageErrorNotWrappedOrClamped) {
  ExpectUsageError({"serve", "--seed", "-1"}, "--seed");
  ExpectUsageError({"record", "s.db", "--seed", "18446744073709551616"}, "--seed");
  ExpectUsageError({"replay", "/dev/null", "--record-missing", "--seed", "-5"}, "--seed");
  EXPECT_TRUE(Parse({"serve", "--seed", "18446744073709551615"}).run);
  EXPECT_TRUE(Parse({"serve", "--seed", "0"}).run);
}

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
  ExpectUsageError({"serve", "--clock", "9999-12-31T23:59:59.5Z"}, "before the year 9900");
  ExpectUsageError({"replay", "/dev/null", "--record-missing", "--clock", "9900-01-01T00:00:00Z"},
                   "--clock");
  EXPECT_TRUE(Parse({"serve", "--clock", "9899-12-31T23:59:59Z"}).run);
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

TEST(CliTest, SelfSignedCertOutNeedsSelfSigned) {
  ExpectUsageError({"serve", "--self-signed-cert-out", "c.pem"},
                   "--self-signed-cert-out requires --self-signed");
  ExpectUsageError({"serve", "--no-ssl", "--self-signed-cert-out", "c.pem"},
                   "--self-signed-cert-out requires --self-signed");
}

TEST(CliTest, EveryListeningCommandTakesSelfSignedCertOut) {
  testing::TempDir dir;
  const std::string db = dir.File("s.db");
  testing::WriteFile(db, "");  // replay wants an existing file
  for (std::vector<std::string> args :
       {std::vector<std::string>{"serve"}, {"record", db}, {"replay", db}}) {
    args.insert(args.end(), {"--self-signed", "--self-signed-cert-out", "c.pem"});
    Invocation inv = Parse(args);
    EXPECT_TRUE(inv.run) << args[0] << ": " << inv.err;
  }
}

TEST(CliTest, PathMustStartWithSlash) { ExpectUsageError({"serve", "--path", "ws"}, "--path"); }

TEST(CliTest, PathCannotHoldWhatNoRequestPathIsComparedWith) {
  for (const char* path : {"/ws?x=1", "/ws#top", "/w\ts"}) {
    ExpectUsageError({"serve", "--path", path},
                     "--path must be a path alone, without '?', '#' or control characters");
  }
  ExpectUsageError({"serve", "--path", "/__wsmock/ws"},
                   "--path must not be under /__wsmock/, where the control endpoint is");
  EXPECT_TRUE(Parse({"serve", "--path", "/api/v1/ws"}).run);
}

TEST(CliTest, AnEmptyMatchIgnorePointerIsAUsageError) {
  // Any existing file passes the parse; the session is read only later.
  ExpectUsageError({"replay", "/dev/null", "--match-ignore", ""}, "--match-ignore");
}

TEST(CliTest, AReportCannotOverwriteTheSessionFile) {
  // /dev/null stands for a session file: it exists, and so does its other name.
  ExpectUsageError({"replay", "/dev/null", "--junit", "/dev/null"}, "--junit /dev/null");
  ExpectUsageError({"replay", "/dev/null", "--report", "/dev/../dev/null"}, "--report");
  ExpectUsageError({"verify", "/dev/null", "--target", "ws://127.0.0.1:1/ws", "--report", "/dev/null"},
                   "--report");
  EXPECT_TRUE(Parse({"replay", "/dev/null", "--junit", "/tmp/wsmock-cli-test-report.xml"}).run);
}

// A killed recording's last rows are in its -wal; a report written over it
// lost them. Refused by name, since the companions may not exist yet.
TEST(CliTest, AReportCannotOverwriteTheSessionFilesSqliteCompanions) {
  testing::TempDir dir;
  const std::string session = dir.File("s.db");
  testing::WriteFile(session, "");
  for (std::string suffix : {"-wal", "-shm", "-journal"}) {
    const std::string expected = "is the session file's SQLite " + suffix + " file";
    ExpectUsageError({"replay", session, "--report", session + suffix}, expected);
    ExpectUsageError({"replay", session, "--junit", dir.path() + "/./s.db" + suffix}, expected);
    ExpectUsageError(
        {"verify", session, "--target", "ws://127.0.0.1:1/ws", "--report", session + suffix},
        expected);
  }
  // By identity once it exists: another name for the -wal.
  testing::WriteFile(session + "-wal", "rows");
  ASSERT_EQ(::symlink((session + "-wal").c_str(), dir.File("r.json").c_str()), 0);
  ExpectUsageError({"replay", session, "--report", dir.File("r.json")}, "SQLite -wal file");
  // SQLite puts the companions beside the file a symlinked session leads to.
  ASSERT_EQ(::symlink(session.c_str(), dir.File("link.db").c_str()), 0);
  ExpectUsageError({"replay", dir.File("link.db"), "--report", session + "-shm"},
                   "SQLite -shm file");
  EXPECT_TRUE(Parse({"replay", session, "--report", session + "-wal.json"}).run);
  EXPECT_TRUE(Parse({"replay", session, "--report", dir.File("t.db-wal")}).run);
}

TEST(CliTest, AReportWhereNothingCanBeWrittenIsRefusedBeforeTheRun) {
  ExpectUsageError({"replay", "/dev/null", "--junit", "/nonexistent/r.xml"},
                   "--junit /nonexistent/r.xml: cannot write /nonexistent: No such file or directory");
  ExpectUsageError({"verify", "/dev/null", "--target", "ws://127.0.0.1:1/ws", "--report",
                    "/dev/null/r.json"},
                   "--report /dev/null/r.json: cannot write /dev/null: Not a directory");
}

TEST(CliTest, AVerifyTargetThatIsNoUsableUrlIsAUsageError) {
  for (std::string target : {"ws:///ws", "ws://127.0.0.1:99999/ws", "ws://[::1/ws"}) {
    ExpectUsageError({"verify", "/dev/null", "--target", target}, "--target: ");
  }
  EXPECT_TRUE(Parse({"verify", "/dev/null", "--target", "ws://[::1]:9/ws"}).run);
}

TEST(CliTest, VerifyTakesTargetHeadersAndASubprotocol) {
  // One header per flag, so SESSION.db may follow.
  Invocation inv = Parse({"verify", "--target-header", "Authorization: Bearer x", "--target-header",
                          "X-Env:staging", "/dev/null", "--target", "ws://127.0.0.1:1/ws",
                          "--target-subprotocol", "v1.json"});
  EXPECT_TRUE(inv.run) << inv.err;
  ExpectUsageError(
      {"verify", "/dev/null", "--target", "ws://127.0.0.1:1/ws", "--target-header", "X Y: z"},
      "--target-header: header name 'X Y'");
}

// Refused before the proxy starts, not by a failed dial later.
TEST(CliTest, ABadUpstreamHeaderIsAUsageError) {
  ExpectUsageError(
      {"record", "p.db", "--upstream", "ws://127.0.0.1:1/ws", "--upstream-header", "Bad Name: x"},
      "--upstream-header: header name 'Bad Name'");
  ExpectUsageError(
      {"record", "p.db", "--upstream", "ws://127.0.0.1:1/ws", "--upstream-header", "no colon"},
      "--upstream-header: header 'no...' does not look like 'Name: value'");
  // A value is never echoed, even when the colon is missing.
  Invocation secret = Parse({"verify", "/dev/null", "--target", "ws://127.0.0.1:1/ws",
                             "--target-header", "Authorization Bearer s3cret"});
  EXPECT_EQ(secret.exit_code, kExitUsage);
  EXPECT_EQ(secret.err.find("s3cret"), std::string::npos) << secret.err;
}

TEST(CliTest, ASubprotocolMustBeAToken) {
  ExpectUsageError({"serve", "--subprotocol", ""}, "--subprotocol");
  ExpectUsageError({"serve", "--subprotocol", "a b"}, "--subprotocol 'a b'");
  ExpectUsageError({"serve", "--subprotocol", "a,b"}, "--subprotocol");
  std::vector<std::string> nine = {"serve"};
  for (int i = 0; i < 9; ++i) nine.insert(nine.end(), {"--subprotocol", "p" + std::to_string(i)});
  ExpectUsageError(nine, "at most 8");
  EXPECT_TRUE(Parse({"serve", "--subprotocol", "v1.json", "--subprotocol", "graphql-ws"}).run);
}

TEST(CliTest, AnEmptyRedactPointerIsAUsageError) {
  ExpectUsageError({"record", "s.db", "--redact", ""}, "--redact");
  ExpectUsageError({"record", "s.db", "--redact", "/data/token", "--redact", "x"}, "--redact");
}

TEST(CliTest, RecordKeepsItsSnapshotsInItsOwnFileSoRefusesDb) {
  ExpectUsageError({"record", "s.db", "--db", "other.db"}, "--db");
  EXPECT_TRUE(Parse({"serve", "--db", "other.db"}).run);
}

TEST(CliTest, AProxyRefusesTheFlagsOfGeneratedStations) {
  for (std::vector<std::string> flag : {std::vector<std::string>{"--seed", "5"},
                                        {"--stations", "10"},
                                        {"--tick", "1"},
                                        {"--clock", "2024-01-20T10:30:00Z"},
                                        {"--fixture", "f.json"},
                                        {"--from", "s.db"}}) {
    std::vector<std::string> args = {"record", "p.db", "--upstream", "ws://127.0.0.1:1/ws"};
    args.insert(args.end(), flag.begin(), flag.end());
    ExpectUsageError(args, flag[0]);
  }
  EXPECT_TRUE(Parse({"record", "p.db", "--upstream", "ws://127.0.0.1:1/ws", "--port", "0"}).run);
  EXPECT_TRUE(Parse({"record", "p.db", "--seed", "5", "--tick", "1"}).run);
}

}  // namespace
}  // namespace wsmock::cli
