#include "util/json_scan.h"

#include <gtest/gtest.h>

#include <string>

#include "util/json.h"

namespace wsmock::json {
namespace {

constexpr size_t kNone = std::string_view::npos;

// The bytes FindTopLevelValue finds for `key`, or "<none>".
std::string Found(std::string_view text, std::string_view key) {
  Span span = FindTopLevelValue(text, key);
  if (span.begin == kNone) return "<none>";
  return std::string(text.substr(span.begin, span.end - span.begin));
}

// The bytes of the value starting at `pos`, or "<open>" when it never ends.
std::string ValueAt(std::string_view text, size_t pos) {
  size_t end = EndOfValue(text, pos);
  if (end == kNone) return "<open>";
  return std::string(text.substr(pos, end - pos));
}

TEST(JsonScanTest, EveryByteUpToTheSpaceIsWhitespaceAsForCjson) {
  for (int c = 0; c <= 0x20; ++c) EXPECT_TRUE(IsSpace(static_cast<char>(c))) << c;
  EXPECT_FALSE(IsSpace('!'));
  EXPECT_FALSE(IsSpace('\x7f'));
  EXPECT_FALSE(IsSpace('\xa0'));
  EXPECT_EQ(SkipSpace(std::string_view("\x01\x06 \t\0x", 6), 0), 5u);
  EXPECT_EQ(SkipSpace("  ", 0), 2u);
  // cJSON agrees: a control byte between tokens is not an error.
  EXPECT_TRUE(Parse("{\"a\":\x06 1,\x01\"b\":\x1f[\x02]}").ok());
}

TEST(JsonScanTest, StartOfDocumentSkipsABomWhereCjsonDoes) {
  EXPECT_EQ(StartOfDocument("\xEF\xBB\xBF {}"), 4u);
  EXPECT_EQ(StartOfDocument("\x01{}"), 1u);
  // cJSON skips a BOM only in a text longer than 4 bytes.
  EXPECT_EQ(StartOfDocument("\xEF\xBB\xBF"
                            "1"),
            0u);
  EXPECT_FALSE(Parse("\xEF\xBB\xBF"
                     "1")
                   .ok());
  EXPECT_TRUE(Parse("\xEF\xBB\xBF"
                    "12")
                  .ok());
  // Only at offset 0.
  EXPECT_EQ(StartOfDocument(" \xEF\xBB\xBF{}"), 1u);
}

TEST(JsonScanTest, WithoutSpaceKeepsStringsAndSpellingsAndDropsTheRest) {
  EXPECT_EQ(WithoutSpace("\xEF\xBB\xBF { \"a b\" :\t[1.50, \"x \\\" y\"]\r\n}"),
            R"({"a b":[1.50,"x \" y"]})");
  EXPECT_EQ(WithoutSpace(""), "");
  EXPECT_EQ(WithoutSpace("\"open"), "\"open");  // a string the text ends inside
}

TEST(JsonScanTest, FirstLooseNumberFindsWhatCjsonReadsButJsonForbids) {
  EXPECT_EQ(FirstLooseNumber(R"({"a":[0,-1,2.50,1e3,-0.5E-7,"01 .5"],"b":true})"),
            std::string_view::npos);
  EXPECT_EQ(FirstLooseNumber(R"({"a":01})"), 5u);
  EXPECT_EQ(FirstLooseNumber(R"([1.])"), 1u);
  EXPECT_EQ(FirstLooseNumber(R"([1,-.5])"), 3u);
  EXPECT_EQ(FirstLooseNumber(R"([+1])"), 1u);
  EXPECT_EQ(FirstLooseNumber(R"([1.e3])"), 1u);
  EXPECT_EQ(FirstLooseNumber(R"([1e])"), 1u);
}

TEST(JsonScanTest, EndOfStringSkipsEscapedQuotes) {
  EXPECT_EQ(EndOfString(R"("a\"b" x)", 0), 6u);
  EXPECT_EQ(EndOfString(R"("a\\" x)", 0), 5u);
  EXPECT_EQ(EndOfString(R"("open\")", 0), kNone);
  EXPECT_EQ(EndOfString(R"(")", 0), kNone);
}

TEST(JsonScanTest, EndOfValueFindsEachKindOfValue) {
  EXPECT_EQ(ValueAt(R"("x]}" , 1)", 0), R"("x]}")");
  EXPECT_EQ(ValueAt(R"({"a":"}",  "b":[1,{}]} ,2)", 0), R"({"a":"}",  "b":[1,{}]})");
  EXPECT_EQ(ValueAt("-1.5e3,2", 0), "-1.5e3");
  EXPECT_EQ(ValueAt("true]", 0), "true");
  EXPECT_EQ(ValueAt("null\x01", 0), "null");
  EXPECT_EQ(ValueAt("42", 0), "42");
  EXPECT_EQ(ValueAt(",", 0), "");
}

TEST(JsonScanTest, EndOfValueReportsTextThatEndsInsideAValue) {
  EXPECT_EQ(ValueAt(R"({"a":[1,2})", 0), "<open>");
  EXPECT_EQ(ValueAt(R"(["]")", 0), "<open>");  // the bracket is in a string
  EXPECT_EQ(ValueAt(R"("abc)", 0), "<open>");
  EXPECT_EQ(ValueAt("", 0), "<open>");
}

TEST(JsonScanTest, NestsWithinCountsBracketsOutsideStrings) {
  EXPECT_TRUE(NestsWithin("[[]]", 2));
  EXPECT_FALSE(NestsWithin("[[[]]]", 2));
  EXPECT_TRUE(NestsWithin(R"({"a":"[[[[[[","b":{}})", 2));
  EXPECT_TRUE(NestsWithin(R"(["\"[[[[["])", 1));
  EXPECT_FALSE(NestsWithin(std::string(10000, '['), 64));
}

TEST(JsonScanTest, FindTopLevelValueFindsStringAndNumberValues) {
  EXPECT_EQ(
      Found(R"({"type":"response","data":{"requestId":"inner"},"requestId":"req_1"})", "requestId"),
      R"("req_1")");
  EXPECT_EQ(Found(R"({ "requestId" : 42 , "x":[1,{"requestId":0}]})", "requestId"), "42");
  EXPECT_EQ(Found(R"({"a":1,"a":2})", "a"), "1");
}

TEST(JsonScanTest, FindTopLevelValueSkipsControlBytesAsCjsonDoes) {
  // The fuzzer's find: cJSON reads {"a":\x06 1} as {"a":1}.
  EXPECT_EQ(Found("{\"a\":\x06 1}", "a"), "1");
  EXPECT_EQ(Found("\x01{\x02\"a\"\x03:\x04\"v\"\x05,\"b\":[\x1f]}", "b"), "[\x1f]");
  EXPECT_EQ(Found(std::string_view("{\"a\":1,\0\"b\":2}", 14), "b"), "2");
}

TEST(JsonScanTest, FindTopLevelValueReadsPastABom) {
  EXPECT_EQ(Found("\xEF\xBB\xBF{\"requestId\":7}", "requestId"), "7");
}

TEST(JsonScanTest, FindTopLevelValueGivesNoneForMissingKeysAndBrokenText) {
  EXPECT_EQ(Found(R"({"a":1})", "requestId"), "<none>");
  EXPECT_EQ(Found(R"([1])", "requestId"), "<none>");
  EXPECT_EQ(Found(R"({"a":"unterminated)", "requestId"), "<none>");
  EXPECT_EQ(Found(R"({"a":,"b":1})", "b"), "<none>");
  EXPECT_EQ(Found(R"({"a":{"b":1)", "a"), "<none>");
  EXPECT_EQ(Found(R"({"\u0061":1})", "a"), "<none>");  // spelled with an escape
  EXPECT_EQ(Found("", "a"), "<none>");
}

TEST(JsonScanTest, FirstNulEscapeFindsOnlyARealEscape) {
  EXPECT_EQ(FirstNulEscape(R"({"action":"getStations\u0000x"})"), 22u);
  EXPECT_EQ(FirstNulEscape(R"(["\u0000"])"), 2u);
  EXPECT_EQ(FirstNulEscape(R"(["a\\u0000"])"), std::string_view::npos);  // "\\" then text
  EXPECT_EQ(FirstNulEscape(R"(["a\\\u0000"])"), 5u);                     // "\\", then the escape
  EXPECT_EQ(FirstNulEscape(R"(["\u0001\u00000"])"), 8u);
  EXPECT_EQ(FirstNulEscape(R"(["\u000"])"), std::string_view::npos);
  EXPECT_EQ(FirstNulEscape(R"(["\n\t"])"), std::string_view::npos);
  EXPECT_EQ(FirstNulEscape("\\u000"), std::string_view::npos);  // ends inside
  EXPECT_EQ(FirstNulEscape(""), std::string_view::npos);
}

}  // namespace
}  // namespace wsmock::json
