#include "verify/verify_report.h"

#include <gtest/gtest.h>

#include "util/json.h"

namespace wsmock::verify {
namespace {

VerifyReport Sample() {
  VerifyReport r;
  r.target = "ws://127.0.0.1:1/ws";
  Check ok;
  ok.connection = 1;
  ok.index = 1;
  ok.request = "getStations {}";
  Check differed = ok;
  differed.index = 2;
  differed.request = R"(getStationById {"stationId":"station_001"})";
  differed.outcome = Check::Outcome::kDiffered;
  differed.differences = {
      {"/data/station/status", DiffKind::kValueChanged, "\"active\"", "\"error\""},
      {"/data/station/extra", DiffKind::kFieldAdded, "", "1"},
      {"/data/station/gone", DiffKind::kFieldRemoved, "[1]", ""}};
  Check failed = ok;
  failed.index = 3;
  failed.outcome = Check::Outcome::kFailed;
  failed.failure = "no answer within 5 s";
  Check update = ok;
  update.update = true;
  update.request = "update stationsUpdated";
  r.checks = {ok, differed, failed, update};
  return r;
}

TEST(VerifyReportTest, TextListsEachMismatchThenTheSummary) {
  EXPECT_EQ(FormatText(Sample()),
            "connection 1, request 2: getStationById {\"stationId\":\"station_001\"}\n"
            "    /data/station/status: value changed: recorded \"active\", actual \"error\"\n"
            "    /data/station/extra: field added: actual 1\n"
            "    /data/station/gone: field removed: recorded [1]\n"
            "connection 1, request 3: getStations {}\n"
            "    failed: no answer within 5 s\n"
            "2 matched, 1 differed, 1 failed\n");
  EXPECT_FALSE(Sample().all_matched());
}

TEST(VerifyReportTest, ManyDifferencesArePrintedUpToTheLimit) {
  VerifyReport r;
  r.copies = 2;
  Check c;
  c.connection = 1;
  c.copy = 2;
  c.index = 1;
  c.request = "a {}";
  c.outcome = Check::Outcome::kDiffered;
  for (int i = 0; i < 25; ++i) {
    c.differences.push_back({"/" + std::to_string(i), DiffKind::kValueChanged, "1", "2"});
  }
  r.checks = {c};
  std::string text = FormatText(r);
  EXPECT_EQ(text.rfind("connection 1 copy 2, request 1: a {}\n", 0), 0u) << text;
  EXPECT_NE(text.find("    ... and 5 more\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("/20:"), std::string::npos);
}

TEST(VerifyReportTest, JsonIsValidAndByteStable) {
  std::string text = FormatJson(Sample());
  auto parsed = json::Parse(text);
  ASSERT_TRUE(parsed.ok()) << text;
  const cJSON* root = parsed->get();
  EXPECT_EQ(cJSON_GetObjectItem(root, "matched")->valuedouble, 2);
  EXPECT_EQ(cJSON_GetObjectItem(root, "differed")->valuedouble, 1);
  EXPECT_EQ(cJSON_GetObjectItem(root, "failed")->valuedouble, 1);
  const cJSON* checks = cJSON_GetObjectItem(root, "checks");
  ASSERT_EQ(cJSON_GetArraySize(checks), 4);
  const cJSON* differed = cJSON_GetArrayItem(checks, 1);
  EXPECT_STREQ(cJSON_GetObjectItem(differed, "outcome")->valuestring, "differed");
  const cJSON* diffs = cJSON_GetObjectItem(differed, "differences");
  ASSERT_EQ(cJSON_GetArraySize(diffs), 3);
  EXPECT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(diffs, 0), "kind")->valuestring,
               "value changed");
  EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(diffs, 1), "recorded")));
  EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(diffs, 2), "actual")));
  EXPECT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(checks, 3), "kind")->valuestring, "update");
  EXPECT_EQ(text.rfind(R"({"target":"ws://127.0.0.1:1/ws","matched":2,"differed":1,"failed":1,)"
                       R"("checks":[{"connection":1,"copy":1,"kind":"answer","index":1,)",
                       0),
            0u)
      << text;
  EXPECT_EQ(text, FormatJson(Sample()));
}

TEST(VerifyReportTest, JunitFailsTheMismatchesWithTheirDiff) {
  std::string xml = FormatJunit(Sample());
  EXPECT_NE(
      xml.find(R"(<testsuite name="wsmock verify" tests="4" failures="2" errors="0" skipped="0">)"),
      std::string::npos)
      << xml;
  EXPECT_NE(
      xml.find(
          R"(<failure message="3 differences, first: /data/station/status: value changed: recorded &quot;active&quot;, actual &quot;error&quot;">)"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<failure message="no answer within 5 s">failed: no answer within 5 s)"),
            std::string::npos)
      << xml;
}

}  // namespace
}  // namespace wsmock::verify
