#include "replayer/replay_report.h"

#include <gtest/gtest.h>

#include <string>

#include "util/json.h"

namespace wsmock::replayer {
namespace {

ReplayReport Sample() {
  ReplayReport r;
  r.matched = {{"a\x1f{}", "getStations {}", 10}, {"b\x1f{}", "getStationById {}", 1}};
  r.unmatched = {{"k", R"(getStations {"fields":["<id>"]})", R"(getStations {})", 1}};
  r.unused = {{"u1", "getStationStats {}"}, {"u2", R"(raw frame "a & 'b'")"}};
  r.requests_total = 12;
  r.requests_matched = 11;
  return r;
}

size_t Count(const std::string& s, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

TEST(ReplayReportTest, TextStartsWithTheSummaryLine) {
  std::string text = FormatText(Sample());
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "replay: 12 requests, 11 matched, 1 unmatched, 2 recorded requests never asked for");
  EXPECT_NE(
      text.find(
          R"(  unmatched (1x): getStations {"fields":["<id>"]}; closest recorded: getStations {})"),
      std::string::npos);
  EXPECT_NE(text.find("  never asked for: getStationStats {}\n"), std::string::npos);
  EXPECT_EQ(Count(text, "\n"), 4u);
}

TEST(ReplayReportTest, TextForACleanRunIsOneLine) {
  ReplayReport r;
  r.requests_total = 1;
  r.requests_matched = 1;
  EXPECT_EQ(FormatText(r),
            "replay: 1 request, 1 matched, 0 unmatched, 0 recorded requests never asked for\n");
}

TEST(ReplayReportTest, JsonIsValidAndHasTheDocumentedShape) {
  ReplayReport r = Sample();
  r.unmatched.push_back({"k2", "raw frame \"x\"", "", 3});
  std::string text = FormatJson(r);
  auto parsed = json::Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message() << "\n" << text;
  const cJSON* root = parsed->get();
  EXPECT_EQ(cJSON_GetObjectItem(root, "requests")->valuedouble, 12);
  EXPECT_EQ(cJSON_GetObjectItem(root, "matched")->valuedouble, 11);
  const cJSON* unmatched = cJSON_GetObjectItem(root, "unmatched");
  ASSERT_EQ(cJSON_GetArraySize(unmatched), 2);
  const cJSON* first = cJSON_GetArrayItem(unmatched, 0);
  EXPECT_STREQ(cJSON_GetObjectItem(first, "request")->valuestring,
               R"(getStations {"fields":["<id>"]})");
  EXPECT_EQ(cJSON_GetObjectItem(first, "count")->valuedouble, 1);
  EXPECT_STREQ(cJSON_GetObjectItem(first, "closest")->valuestring, "getStations {}");
  EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(unmatched, 1), "closest")));
  EXPECT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(root, "unused")), 2);
  // Byte-stable: members in the documented order.
  EXPECT_EQ(text.rfind(R"({"requests":12,"matched":11,"unmatched":[{"request":)", 0), 0u);
  EXPECT_EQ(FormatJson(ReplayReport{}),
            "{\"requests\":0,\"matched\":0,\"unmatched\":[],\"unused\":[]}\n");
}

TEST(ReplayReportTest, RecordMissingRunsCountWhatWasRecordedNowApart) {
  ReplayReport r = Sample();
  r.record_missing = true;
  r.recorded = {{"n", "getStationById {\"stationId\":\"x\"}", 2}};
  r.requests_recorded = 2;
  r.requests_total = 14;
  std::string text = FormatText(r);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "replay: 14 requests, 11 matched, 2 recorded now, 1 unmatched, 2 recorded requests "
            "never asked for");
  EXPECT_NE(text.find("  recorded now (2x): getStationById {\"stationId\":\"x\"}\n"),
            std::string::npos)
      << text;
  std::string json_text = FormatJson(r);
  auto parsed = json::Parse(json_text);
  ASSERT_TRUE(parsed.ok()) << json_text;
  const cJSON* recorded = cJSON_GetObjectItem(parsed->get(), "recorded");
  ASSERT_EQ(cJSON_GetArraySize(recorded), 1);
  EXPECT_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(recorded, 0), "count")->valuedouble, 2);
  EXPECT_NE(json_text.find(R"(,"unused":[)"), std::string::npos);
  EXPECT_NE(json_text.find(R"(],"recorded":[{"request":)"), std::string::npos) << json_text;
  std::string xml = FormatJunit(r, "");
  EXPECT_EQ(Count(xml, "<testcase "), 6u);
  EXPECT_EQ(Count(xml, "<failure "), 1u);
  // A plain replay's report stays as it was.
  EXPECT_EQ(FormatJson(Sample()).find("recorded\":"), std::string::npos);
}

TEST(ReplayReportTest, JunitHasTheRightCounts) {
  std::string xml = FormatJunit(Sample(), "wsmock replay");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_NE(
      xml.find(R"(<testsuite name="wsmock replay" tests="5" failures="1" errors="0" skipped="2">)"),
      std::string::npos)
      << xml;
  EXPECT_EQ(Count(xml, "<testcase "), 5u);
  EXPECT_EQ(Count(xml, "<failure "), 1u);
  EXPECT_EQ(Count(xml, "<skipped "), 2u);
  EXPECT_EQ(Count(xml, "</testcase>"), 3u);
  EXPECT_NE(xml.find("closest recorded: getStations {}"), std::string::npos);
}

TEST(ReplayReportTest, JunitEscapesMarkupInNames) {
  std::string xml = FormatJunit(Sample(), "");
  EXPECT_NE(xml.find(R"(name="getStations {&quot;fields&quot;:[&quot;&lt;id&gt;&quot;]}")"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(name="raw frame &quot;a &amp; &apos;b&apos;&quot;")"), std::string::npos);
  EXPECT_EQ(xml.find("<id>"), std::string::npos);
  EXPECT_NE(xml.find(R"(<testsuite name="wsmock replay")"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::replayer
