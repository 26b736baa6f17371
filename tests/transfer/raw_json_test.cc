#include "transfer/raw_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/json.h"

namespace wsmock::transfer {
namespace {

std::vector<std::string> Elements(const std::string& text) {
  std::vector<std::string> out;
  for (json::Span s : ArrayElementSpans(text)) out.push_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(SessionJsonlRawJsonTest, OnlyOneLineJsonWithoutOuterSpaceIsEmbeddable) {
  EXPECT_TRUE(IsEmbeddableJson(R"({"a":[1, 2],"b":"Москва"})", 63));
  EXPECT_TRUE(IsEmbeddableJson("17", 63));
  EXPECT_TRUE(IsEmbeddableJson(R"("req_1")", 63));
  EXPECT_FALSE(IsEmbeddableJson("", 63));
  EXPECT_FALSE(IsEmbeddableJson(R"( {"a":1})", 63));
  EXPECT_FALSE(IsEmbeddableJson(R"({"a":1} )", 63));
  EXPECT_FALSE(IsEmbeddableJson("{\"a\":\n1}", 63));
  EXPECT_FALSE(IsEmbeddableJson("{\"a\":\t1}", 63));
  EXPECT_FALSE(IsEmbeddableJson(std::string("{\"a\":1}\0", 8), 63));
  EXPECT_FALSE(IsEmbeddableJson("{\"a\":\"\xff\"}", 63));
  EXPECT_FALSE(IsEmbeddableJson("{\"a\":1},{}", 63));
  EXPECT_FALSE(IsEmbeddableJson("not json", 63));
  EXPECT_FALSE(IsEmbeddableJson("\xEF\xBB\xBF{\"a\":1}", 63));  // a BOM the parser skips
}

TEST(SessionJsonlRawJsonTest, EmbeddingLeavesRoomForTheLinesOwnNesting) {
  EXPECT_TRUE(IsEmbeddableJson(Nested(63), 63));
  EXPECT_FALSE(IsEmbeddableJson(Nested(64), 63));
  EXPECT_TRUE(IsEmbeddableJson(R"({"s":"[[[[["})", 1));  // brackets in strings do not nest
}

TEST(SessionJsonlRawJsonTest, ArrayElementSpansAreExactAndSkipWhitespace) {
  EXPECT_EQ(Elements("[]"), std::vector<std::string>{});
  EXPECT_EQ(Elements(" [ ] "), std::vector<std::string>{});
  EXPECT_EQ(Elements(R"([{"a":"],}"} , [1,[2]],"x\"y", -1.5e3 ,null])"),
            (std::vector<std::string>{R"({"a":"],}"})", "[1,[2]]", R"("x\"y")", "-1.5e3", "null"}));
}

TEST(SessionJsonlRawJsonTest, ArrayElementSpansStayInBoundsOnBrokenText) {
  for (const char* text : {"[", "[1,", "[\"abc", "[{\"a\":[1", "[,]", "[}]", "x"}) {
    for (json::Span s : ArrayElementSpans(text)) {
      EXPECT_LE(s.begin, s.end) << text;
      EXPECT_LE(s.end, std::string(text).size()) << text;
    }
  }
}

}  // namespace
}  // namespace wsmock::transfer
