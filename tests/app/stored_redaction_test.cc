#include "app/stored_redaction.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::app {
namespace {

using Pointers = std::vector<std::string>;

TEST(StoredRedactionTest, PointersAddedToOptionsReadBackAndKeepTheRestByteForByte) {
  Result<std::string> stored =
      WithRedactPointers(R"({"seed":42, "fixture":null})", {"/data/token", "/data/*/key"});
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*stored, R"({"seed":42, "fixture":null,"redact":["/data/token","/data/*/key"]})");
  Result<Pointers> read = RedactPointersOf(*stored);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, (Pointers{"/data/token", "/data/*/key"}));
}

TEST(StoredRedactionTest, NoPointersLeaveTheOptionsAsTheyWere) {
  EXPECT_EQ(WithRedactPointers(R"({"seed":42})", {}).value(), R"({"seed":42})");
}

TEST(StoredRedactionTest, EmptyOrAbsentOptionsBecomeAnObjectWithThePointers) {
  EXPECT_EQ(WithRedactPointers("", {"/a"}).value(), R"({"redact":["/a"]})");
  EXPECT_EQ(WithRedactPointers("{ }", {"/a"}).value(), R"({ "redact":["/a"]})");
}

// An import with --redact of a session exported with its own pointers:
// both sets were applied to its messages.
TEST(StoredRedactionTest, PointersJoinThoseAlreadyStoredWithoutRepeats) {
  Result<std::string> stored =
      WithRedactPointers(R"({"redact":["/data/token"],"seed":1})", {"/data/pin", "/data/token"});
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*stored, R"({"redact":["/data/token","/data/pin"],"seed":1})");
}

TEST(StoredRedactionTest, SessionsStoredWithoutTheMemberHaveNoPointers) {
  EXPECT_TRUE(RedactPointersOf(R"({"seed":42,"stations":100})").value().empty());
  EXPECT_TRUE(RedactPointersOf(R"({"import":"har","creator":null})").value().empty());
  EXPECT_TRUE(RedactPointersOf("").value().empty());
}

TEST(StoredRedactionTest, AMemberOfTheWrongShapeIsAnError) {
  for (const char* bad : {R"({"redact":"/data/token"})", R"({"redact":[1]})"}) {
    Result<Pointers> read = RedactPointersOf(bad);
    ASSERT_FALSE(read.ok()) << bad;
    EXPECT_NE(read.status().message().find("'redact'"), std::string::npos)
        << read.status().message();
  }
  EXPECT_FALSE(WithRedactPointers("[1]", {"/a"}).ok());
  EXPECT_FALSE(WithRedactPointers(R"({"redact":{}})", {"/a"}).ok());
}

}  // namespace
}  // namespace wsmock::app
