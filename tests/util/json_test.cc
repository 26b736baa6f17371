#include "util/json.h"

#include <gtest/gtest.h>

#include <cmath>

namespace wsmock::json {
namespace {

TEST(JsonTest, CanonicalFormIgnoresKeyOrderAndSpacing) {
  auto a = Parse(R"({"b": [1, 2.5, {"y":1,"x":2}], "a": "s"})");
  auto b = Parse(R"({"a":"s","b":[1,2.5,{"x":2,"y":1}]})");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Canonical(a->get()), Canonical(b->get()));
  EXPECT_EQ(Canonical(a->get()), R"({"a":"s","b":[1,2.5,{"x":2,"y":1}]})");
}

TEST(JsonTest, NumbersBeyondADoubleKeepTheirSignAndReadBackAsThemselves) {
  auto big = Parse(R"({"x":[1e400,-123e45678]})");
  ASSERT_TRUE(big.ok());
  const std::string text = Canonical(big->get());
  EXPECT_EQ(text, R"({"x":[1e999,-1e999]})");
  auto again = Parse(text);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Canonical(again->get()), text);
  auto null = Parse(R"({"x":[null,null]})");
  ASSERT_TRUE(null.ok());
  EXPECT_NE(Canonical(null->get()), text);
  std::string nan;
  AppendNumber(&nan, std::nan(""));
  EXPECT_EQ(nan, "null");
}

TEST(JsonTest, WriteKeepsKeyOrderWithoutSortKeys) {
  auto a = Parse(R"({"b":1,"a":2})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(Write(a->get()), R"({"b":1,"a":2})");
}

TEST(JsonTest, ParseRejectsTrailingBytesWithOffset) {
  auto r = Parse(R"({"a":1} x)");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("offset 8"), std::string::npos) << r.status().message();
}

TEST(JsonTest, ParseRejectsRawControlCharactersInsideStringsButNotBetweenValues) {
  for (std::string text : {std::string("{\"a\":\"x\ny\"}"), std::string("{\"a\x01\":1}"),
                           std::string("{\"a\":\"x\0y\"}", 11)}) {
    auto r = Parse(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().message().find("control character inside a string at byte offset"),
              std::string::npos)
        << r.status().message();
  }
  EXPECT_TRUE(Parse("{\n\t\"a\" :\r\n\"x\\ny\\\"\"}").ok());  // escapes and whitespace
}

TEST(JsonTest, ParseRejectsTruncatedInput) {
  auto r = Parse(R"({"a":)");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("JSON"), std::string::npos) << r.status().message();
}

TEST(JsonTest, ParseRejectsDeepNesting) {
  std::string deep(kMaxDepth + 1, '[');
  deep += std::string(kMaxDepth + 1, ']');
  EXPECT_FALSE(Parse(deep).ok());
  std::string ok(kMaxDepth, '[');
  ok += std::string(kMaxDepth, ']');
  EXPECT_TRUE(Parse(ok).ok());
}

TEST(JsonTest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string s = "\"" + std::string(200, '[') + "\"";
  EXPECT_TRUE(Parse(s).ok());
}

TEST(JsonTest, AppendStringEscapesControlCharactersAndKeepsUtf8) {
  std::string out;
  AppendString(&out, "Москва \"q\" \\ \n\x01");
  EXPECT_EQ(out, "\"Москва \\\"q\\\" \\\\ \\n\\u0001\"");
}

TEST(JsonTest, AppendFixedWritesExactDecimals) {
  std::string out;
  AppendFixed(&out, 225, 1);
  out += ' ';
  AppendFixed(&out, -5, 2);
  out += ' ';
  AppendFixed(&out, 7, 0);
  out += ' ';
  AppendFixed(&out, 55755800, 6);
  EXPECT_EQ(out, "22.5 -0.05 7 55.755800");
}

TEST(JsonTest, AppendNumberPrintsIntegersWithoutExponent) {
  std::string out;
  AppendNumber(&out, 123456789012.0);
  out += ' ';
  AppendNumber(&out, 0.1);
  EXPECT_EQ(out, "123456789012 0.10000000000000001");
}

TEST(JsonTest, ToFixedRoundsHalfAwayFromZero) {
  EXPECT_EQ(ToFixed(22.45, 1), 225);
  EXPECT_EQ(ToFixed(-0.05, 1), -1);
  EXPECT_EQ(ToFixed(55.7558, 6), 55755800);
}

}  // namespace
}  // namespace wsmock::json
