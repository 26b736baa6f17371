#include "verify/json_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::verify {
namespace {

std::vector<Difference> DiffOf(std::string_view recorded, std::string_view actual,
                               const std::vector<std::string>& ignore = {}) {
  Result<JsonDiffer> differ = JsonDiffer::Create(ignore);
  EXPECT_TRUE(differ.ok()) << differ.status().message();
  return differ->Diff(recorded, actual);
}

// "path kind recorded|actual" per difference, for compact expectations.
std::vector<std::string> Lines(const std::vector<Difference>& diffs) {
  std::vector<std::string> out;
  for (const Difference& d : diffs) {
    out.push_back(d.path + " " + std::string(DiffKindName(d.kind)) + " " + d.recorded + "|" +
                  d.actual);
  }
  return out;
}

TEST(VerifyJsonDiffTest, KeyOrderSpacingAndNumberSpellingDoNotCount) {
  EXPECT_TRUE(DiffOf(R"({"a":1,"b":[1,2,{"x":null,"y":true}]})",
                     R"({ "b" : [1.0, 2, {"y":true, "x":null}], "a" : 1e0 })")
                  .empty());
}

TEST(VerifyJsonDiffTest, EachKindIsClassed) {
  auto diffs = DiffOf(R"({"gone":1,"same":"s","status":"active","power":22.5,"ok":true})",
                      R"({"new":[1],"same":"s","status":"error","power":"22.5","ok":false})");
  EXPECT_EQ(Lines(diffs), (std::vector<std::string>{
                              "/gone field removed 1|",
                              "/new field added |[1]",
                              "/ok value changed true|false",
                              "/power type changed 22.5|\"22.5\"",
                              "/status value changed \"active\"|\"error\"",
                          }));
  EXPECT_TRUE(IsSchemaChange(DiffKind::kFieldAdded));
  EXPECT_TRUE(IsSchemaChange(DiffKind::kFieldRemoved));
  EXPECT_TRUE(IsSchemaChange(DiffKind::kTypeChanged));
  EXPECT_FALSE(IsSchemaChange(DiffKind::kValueChanged));
}

TEST(VerifyJsonDiffTest, ArraysCompareByIndexAndReportTheLongerTail) {
  EXPECT_EQ(Lines(DiffOf("[1,2,3]", "[1,5]")),
            (std::vector<std::string>{"/1 value changed 2|5", "/2 field removed 3|"}));
  EXPECT_EQ(Lines(DiffOf(R"({"a":[]})", R"({"a":[{"k":1}]})")),
            (std::vector<std::string>{R"(/a/0 field added |{"k":1})"}));
}

TEST(VerifyJsonDiffTest, NestedPathsAreJsonPointersWithEscapes) {
  auto diffs =
      DiffOf(R"({"data":{"a/b":{"c~d":[0,{"e":1}]}}})", R"({"data":{"a/b":{"c~d":[0,{"e":2}]}}})");
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].path, "/data/a~1b/c~0d/1/e");
}

TEST(VerifyJsonDiffTest, OrderIsDepthFirstWithKeysInByteOrder) {
  auto diffs =
      DiffOf(R"({"b":{"z":1,"a":1},"a":[1,1],"B":1})", R"({"b":{"z":2,"a":2},"a":[2,2],"B":2})");
  std::vector<std::string> paths;
  for (const auto& d : diffs) paths.push_back(d.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/B", "/a/0", "/a/1", "/b/a", "/b/z"}));
}

TEST(VerifyJsonDiffTest, IgnoredPointersLeaveFieldsOutOnBothSides) {
  const char* recorded = R"({"requestId":"r1","data":{"stations":[{"id":"s1","lastUpdate":"t1"},
                          {"id":"s2","lastUpdate":"t2"}]}})";
  const char* actual = R"({"requestId":"verify-1-1","data":{"stations":[{"id":"s1",
                        "lastUpdate":"t9"},{"id":"s2"}]}})";
  EXPECT_TRUE(DiffOf(recorded, actual, {"/requestId", "/data/stations/*/lastUpdate"}).empty());
  EXPECT_EQ(DiffOf(recorded, actual, {"/requestId"}).size(), 2u);
}

TEST(VerifyJsonDiffTest, TextThatIsNotJsonComparesByBytes) {
  EXPECT_TRUE(DiffOf("pong", "pong").empty());
  EXPECT_EQ(Lines(DiffOf("pong", "pang")), (std::vector<std::string>{" value changed pong|pang"}));
  EXPECT_EQ(Lines(DiffOf(R"({"a":1})", "oops")),
            (std::vector<std::string>{R"( type changed {"a":1}|oops)"}));
  EXPECT_EQ(Lines(DiffOf("[1]", "{}")), (std::vector<std::string>{" type changed [1]|{}"}));
}

TEST(VerifyJsonDiffTest, LongValuesAreCutToOneReadableLine) {
  std::string big = "[";
  for (int i = 0; i < 500; ++i) big += (i ? "," : "") + std::to_string(i);
  big += "]";
  auto diffs = DiffOf(R"({"a":)" + big + "}", R"({"a":"x\n\u0001y"})");
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].kind, DiffKind::kTypeChanged);
  EXPECT_EQ(diffs[0].recorded.size(), kMaxValueText + 3);
  EXPECT_TRUE(diffs[0].recorded.ends_with("..."));
  EXPECT_EQ(diffs[0].actual, R"("x\n\u0001y")");
}

TEST(VerifyJsonDiffTest, RepeatedKeysPairInOrder) {
  EXPECT_EQ(Lines(DiffOf(R"({"k":1,"k":2})", R"({"k":1,"k":3})")),
            (std::vector<std::string>{"/k value changed 2|3"}));
}

TEST(VerifyJsonDiffTest, BadOrEmptyIgnorePointerIsRejectedByName) {
  auto empty = JsonDiffer::Create({""});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("--ignore ''"), std::string::npos);
  auto bad = JsonDiffer::Create({"data/x"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("data/x"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::verify
