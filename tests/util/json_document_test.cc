#include "util/json_document.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "fuzz/json_target.h"

namespace wsmock::json {
namespace {

// The arena reader built it, and built what json::Parse builds.
void ExpectBuiltInArenaAsParseBuildsIt(const std::string& text) {
  SCOPED_TRACE(text);
  auto document = Document::Parse(text);
  ASSERT_TRUE(document.ok()) << document.status().message();
  EXPECT_TRUE(document->built_in_arena());
  Status same = fuzz::CheckDocument(text);
  EXPECT_TRUE(same.ok()) << same.message();
}

// json::Parse read it (or refused it, with the same message).
void ExpectLeftToParse(const std::string& text) {
  SCOPED_TRACE(text);
  Status same = fuzz::CheckDocument(text);
  EXPECT_TRUE(same.ok()) << same.message();
  auto document = Document::Parse(text);
  if (document.ok()) {
    EXPECT_FALSE(document->built_in_arena());
  }
}

TEST(JsonDocumentTest, ARequestIsBuiltInTheArenaAsCjsonBuildsIt) {
  ExpectBuiltInArenaAsParseBuildsIt(
      R"({"type":"request","action":"getStations","data":{"fields":["id","name","city"],)"
      R"("filters":{"city":"Москва","status":"active"},"pagination":{"page":1,"limit":20}},)"
      R"("requestId":"req_1"})");
  ExpectBuiltInArenaAsParseBuildsIt(R"({"a":{},"b":[],"c":[null,true,false,"",{"":""}]})");
  const char spaced[] = " \t\r\n[1, 2 ,3]\n";
  ExpectBuiltInArenaAsParseBuildsIt(std::string(spaced, sizeof spaced));  // its NUL too
  // cJSON's whitespace between tokens is every byte up to 0x20; after the
  // value, json::Parse allows RFC 8259 whitespace only.
  ExpectBuiltInArenaAsParseBuildsIt(
      "\x01[1\x02,\x1f"
      "2]");
  ExpectLeftToParse("[1]\x01");
}

TEST(JsonDocumentTest, NumbersHaveStrtodsValueAndCjsonsSaturatedInteger) {
  ExpectBuiltInArenaAsParseBuildsIt(
      "[0,-0,1,-1,2.5,1e3,1E+3,1e-3,0.1,123456789012345678901234567890,"
      "1.7976931348623157e308,5e-324,2.2250738585072014e-308,3e9,-3e9,2147483647,"
      "-2147483648,2147483646.5,-2147483647.9]");
  auto document = Document::Parse("[3e9,-3e9,-7.9]");
  ASSERT_TRUE(document.ok());
  const cJSON* first = document->root()->child;
  EXPECT_EQ(first->valueint, INT_MAX);
  EXPECT_EQ(first->next->valueint, INT_MIN);
  EXPECT_EQ(first->next->next->valueint, -7);
}

TEST(JsonDocumentTest, EscapesUnescapeAsCjsonUnescapesThem) {
  ExpectBuiltInArenaAsParseBuildsIt(
      R"(["\b\f\n\r\t\"\\\/", "\u00e9\u0041\u20AC\ud83d\ude00", "a\u007fb", "\u0001"])");
  auto document = Document::Parse(R"({"k\u00e9y":"\ud83d\ude00"})");
  ASSERT_TRUE(document.ok());
  EXPECT_STREQ(document->root()->child->string, "k\xC3\xA9y");
  EXPECT_STREQ(document->root()->child->valuestring, "\xF0\x9F\x98\x80");
}

TEST(JsonDocumentTest, WhatTheArenaDoesNotTakeJsonParseReadsOrRefusesWithItsOwnMessage) {
  // cJSON reads these; the arena reader leaves them to it.
  for (const char* loose : {"[01]", "[1.]", "[-.5]", "[1e400]", "[-1e400]", "[1e-400]",
                            R"(["\u0000"])", R"(["a\u00zzb"])"}) {
    ExpectLeftToParse(loose);
  }
  // Neither reads these.
  for (const char* bad : {"",
                          " ",
                          "[1,]",
                          "{\"a\":1,}",
                          "[1 2]",
                          "{\"a\" 1}",
                          "{1:2}",
                          "nul",
                          "[\"\\ud800\"]",
                          "[\"\\udc00\"]",
                          "[\"\\ud800\\u0041\"]",
                          "[\"\\x\"]",
                          "[\"a\nb\"]",
                          "[1]x",
                          "\"open",
                          "[1e5e]",
                          "[1-2]",
                          "-",
                          "tru",
                          "[1.5.3]"}) {
    ExpectLeftToParse(bad);
    EXPECT_FALSE(Document::Parse(bad).ok()) << bad;
  }
}

TEST(JsonDocumentTest, NestingUpToTheLimitIsBuiltAndOneLevelMoreGetsParsesError) {
  const std::string deepest = std::string(kMaxDepth, '[') + std::string(kMaxDepth, ']');
  ExpectBuiltInArenaAsParseBuildsIt(deepest);
  const std::string too_deep = "[" + deepest + "]";
  auto document = Document::Parse(too_deep);
  ASSERT_FALSE(document.ok());
  EXPECT_EQ(document.status().message(), Parse(too_deep).status().message());
}

TEST(JsonDocumentTest, ALargeDocumentSpreadsOverSeveralBlocks) {
  std::string text = "[";
  for (int i = 0; i < 20000; ++i) {
    text += (i == 0 ? "" : ",") + std::string(R"({"id":")") + std::to_string(i) + R"(","n":)" +
            std::to_string(i) + "}";
  }
  text += "]";
  ExpectBuiltInArenaAsParseBuildsIt(text);
}

TEST(JsonDocumentTest, AByteOrderMarkIsSkippedAsCjsonSkipsIt) {
  ExpectBuiltInArenaAsParseBuildsIt("\xEF\xBB\xBF[1]");
  ExpectLeftToParse(
      "\xEF\xBB\xBF"
      "1");  // 4 bytes: cJSON does not skip it
}

TEST(JsonDocumentTest, AnAdoptedTreeIsTheDocumentsRoot) {
  JsonPtr tree(cJSON_CreateObject());
  const cJSON* raw = tree.get();
  Document document = Document::Adopt(std::move(tree));
  EXPECT_EQ(document.root(), raw);
  EXPECT_FALSE(document.built_in_arena());
  EXPECT_EQ(Document().root(), nullptr);
}

TEST(JsonDocumentTest, AMovedDocumentTakesItsTreeAndLeavesNoRoot) {
  auto parsed = Document::Parse(R"({"a":[1,2]})");
  ASSERT_TRUE(parsed.ok());
  const cJSON* root = parsed->root();
  Document moved = std::move(parsed).value();
  EXPECT_EQ(moved.root(), root);
  EXPECT_EQ(moved.root()->child->child->next->valueint, 2);
  Document assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.root(), root);
  EXPECT_EQ(moved.root(), nullptr);  // read after the move on purpose: the contract
  EXPECT_TRUE(assigned.built_in_arena());
  EXPECT_FALSE(moved.built_in_arena());
}

}  // namespace
}  // namespace wsmock::json
