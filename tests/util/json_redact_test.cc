#include "util/json_redact.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/json.h"

namespace wsmock::json {
namespace {

// "<unchanged>" when Redact leaves the text alone.
std::string RedactOrSay(const std::vector<std::string>& pointers, const std::string& text) {
  Result<Redactor> redactor = Redactor::Create(pointers);
  if (!redactor.ok()) return "<error: " + redactor.status().message() + ">";
  std::optional<std::string> out = redactor->Redact(text);
  return out ? *out : "<unchanged>";
}

TEST(RedactorTest, ReplacesANamedValueWithTheMarker) {
  EXPECT_EQ(RedactOrSay({"/data/token"}, R"({"type":"request","data":{"token":"s3cr3t","n":1}})"),
            R"({"type":"request","data":{"token":"[REDACTED]","n":1}})");
}

TEST(RedactorTest, KeepsEveryOtherByteAsItWas) {
  // Spacing, key order, number spellings and escapes survive: only the
  // secret's bytes change.
  const std::string text =
      "{ \"b\" : 1.50e1,\n  \"data\":{\"token\" :  \"x\\u0041y\" , \"z\":[1 , 2]},\"a\":\"\\/\"}";
  EXPECT_EQ(RedactOrSay({"/data/token"}, text),
            "{ \"b\" : 1.50e1,\n  \"data\":{\"token\" :  \"[REDACTED]\" , \"z\":[1 , 2]},"
            "\"a\":\"\\/\"}");
}

TEST(RedactorTest, ReplacesValuesOfAnyTypeWholesale) {
  EXPECT_EQ(RedactOrSay({"/auth"}, R"({"auth":{"user":"u","pass":["p",{"q":1}]},"k":2})"),
            R"({"auth":"[REDACTED]","k":2})");
  EXPECT_EQ(RedactOrSay({"/pin"}, R"({"pin":1234})"), R"({"pin":"[REDACTED]"})");
  EXPECT_EQ(RedactOrSay({"/pin"}, R"({"pin":null})"), R"({"pin":"[REDACTED]"})");
}

TEST(RedactorTest, StarMatchesEveryKeyAndIndex) {
  EXPECT_EQ(RedactOrSay({"/users/*/token"},
                        R"({"users":[{"token":"a"},{"name":"n"},{"token":"b","x":0}]})"),
            R"({"users":[{"token":"[REDACTED]"},{"name":"n"},{"token":"[REDACTED]","x":0}]})");
  EXPECT_EQ(RedactOrSay({"/keys/*"}, R"({"keys":{"a":1,"b":"2"},"c":3})"),
            R"({"keys":{"a":"[REDACTED]","b":"[REDACTED]"},"c":3})");
}

TEST(RedactorTest, IndexSelectsOneElement) {
  EXPECT_EQ(RedactOrSay({"/a/1"}, R"({"a":["x","y","z"]})"), R"({"a":["x","[REDACTED]","z"]})");
}

TEST(RedactorTest, SeveralPointersApplyTogether) {
  EXPECT_EQ(
      RedactOrSay({"/data/token", "/requestId"}, R"({"data":{"token":"t"},"requestId":"req_1"})"),
      R"({"data":{"token":"[REDACTED]"},"requestId":"[REDACTED]"})");
  // An outer match covers an inner one, in either order.
  EXPECT_EQ(RedactOrSay({"/data/token", "/data"}, R"({"data":{"token":"t"}})"),
            R"({"data":"[REDACTED]"})");
  EXPECT_EQ(RedactOrSay({"/data", "/data/token"}, R"({"data":{"token":"t"}})"),
            R"({"data":"[REDACTED]"})");
}

TEST(RedactorTest, RepeatedKeysAreAllRedacted) {
  EXPECT_EQ(RedactOrSay({"/t"}, R"({"t":"a","t":"b"})"), R"({"t":"[REDACTED]","t":"[REDACTED]"})");
}

TEST(RedactorTest, KeysSpelledWithEscapesStillMatch) {
  EXPECT_EQ(RedactOrSay({"/token"}, R"({"\u0074oken":"x","k":"\"}"})"),
            R"({"\u0074oken":"[REDACTED]","k":"\"}"})");
}

TEST(RedactorTest, LeavesTextThatIsNotJsonOrLacksTheFieldAlone) {
  EXPECT_EQ(RedactOrSay({"/token"}, "not json {\"token\":1}"), "<unchanged>");
  EXPECT_EQ(RedactOrSay({"/token"}, R"({"other":1})"), "<unchanged>");
  EXPECT_EQ(RedactOrSay({"/token"}, R"(["token"])"), "<unchanged>");
  EXPECT_EQ(RedactOrSay({"/token"}, R"({"token":"[REDACTED]"})"), "<unchanged>");
  EXPECT_EQ(RedactOrSay({"/token"}, ""), "<unchanged>");
  EXPECT_EQ(RedactOrSay({}, R"({"token":1})"), "<unchanged>");
}

TEST(RedactorTest, AByteOrderMarkAndTrailingSpaceAreKept) {
  EXPECT_EQ(RedactOrSay({"/t"}, "\xEF\xBB\xBF {\"t\":1} \n"),
            "\xEF\xBB\xBF {\"t\":\"[REDACTED]\"} \n");
}

TEST(RedactorTest, AgreesWithReplaceInOnTheParsedTree) {
  // Whatever the spelling, the redacted text means what JsonPointer::ReplaceIn
  // makes of the parsed document.
  const std::vector<std::string> docs = {
      R"({"a":[{"t":1},{"t":[2,3]},{"u":4}],"t":{"t":5}})",
      R"([{"t":"x"},{"a":{"t":"y"}},7])",
      R"({"t" : { "t" : [ 1 , { "t" : 2 } ] } , "x" : "t"})",
  };
  const std::vector<std::string> pointers = {"/a/*/t", "/t", "/*/t", "/t/t/1/t", "/*/*/t"};
  for (const std::string& doc : docs) {
    for (const std::string& pointer : pointers) {
      Result<JsonPtr> expected = Parse(doc);
      ASSERT_TRUE(expected.ok());
      Result<JsonPointer> p = JsonPointer::Parse(pointer);
      ASSERT_TRUE(p.ok());
      p->ReplaceIn(expected->get(), kRedactedMarker);
      std::string redacted = RedactOrSay({pointer}, doc);
      Result<JsonPtr> actual = Parse(redacted == "<unchanged>" ? doc : redacted);
      ASSERT_TRUE(actual.ok()) << doc << " " << pointer;
      EXPECT_EQ(Write(actual->get()), Write(expected->get())) << doc << " " << pointer;
    }
  }
}

TEST(RedactorTest, RefusesAnEmptyOrMalformedPointer) {
  Result<Redactor> empty = Redactor::Create({"/ok", ""});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("whole message"), std::string::npos);
  Result<Redactor> bad = Redactor::Create({"data/token"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("data/token"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::json
