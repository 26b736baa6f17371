#include "app/stored_lists.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::app {
namespace {

using Pointers = std::vector<std::string>;

TEST(StoredListsTest, PointersAddedToOptionsReadBackAndKeepTheRestByteForByte) {
  Result<std::string> stored =
      WithStoredList(R"({"seed":42, "fixture":null})", kRedactList, {"/data/token", "/data/*/key"});
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*stored, R"({"seed":42, "fixture":null,"redact":["/data/token","/data/*/key"]})");
  Result<Pointers> read = StoredList(*stored, kRedactList);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, (Pointers{"/data/token", "/data/*/key"}));
}

TEST(StoredListsTest, NoPointersLeaveTheOptionsAsTheyWere) {
  EXPECT_EQ(WithStoredList(R"({"seed":42})", kRedactList, {}).value(), R"({"seed":42})");
}

TEST(StoredListsTest, EmptyOrAbsentOptionsBecomeAnObjectWithThePointers) {
  EXPECT_EQ(WithStoredList("", kRedactList, {"/a"}).value(), R"({"redact":["/a"]})");
  EXPECT_EQ(WithStoredList("{ }", kRedactList, {"/a"}).value(), R"({ "redact":["/a"]})");
}

// An import with --redact of a session exported with its own pointers:
// both sets were applied to its messages.
TEST(StoredListsTest, PointersJoinThoseAlreadyStoredWithoutRepeats) {
  Result<std::string> stored = WithStoredList(R"({"redact":["/data/token"],"seed":1})", kRedactList,
                                              {"/data/pin", "/data/token"});
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*stored, R"({"redact":["/data/token","/data/pin"],"seed":1})");
}

TEST(StoredListsTest, SessionsStoredWithoutTheMemberHaveNoPointers) {
  EXPECT_TRUE(StoredList(R"({"seed":42,"stations":100})", kRedactList).value().empty());
  EXPECT_TRUE(StoredList(R"({"import":"har","creator":null})", kRedactList).value().empty());
  EXPECT_TRUE(StoredList("", kRedactList).value().empty());
}

TEST(StoredListsTest, AMemberOfTheWrongShapeIsAnError) {
  for (const char* bad : {R"({"redact":"/data/token"})", R"({"redact":[1]})"}) {
    Result<Pointers> read = StoredList(bad, kRedactList);
    ASSERT_FALSE(read.ok()) << bad;
    EXPECT_NE(read.status().message().find("'redact'"), std::string::npos)
        << read.status().message();
  }
  EXPECT_FALSE(WithStoredList("[1]", kRedactList, {"/a"}).ok());
  EXPECT_FALSE(WithStoredList(R"({"redact":{}})", kRedactList, {"/a"}).ok());
}

TEST(StoredListsTest, AServerKeepsItsRedactPointersAndSubprotocolsSideBySide) {
  Result<std::string> stored = WithServerLists(R"({"seed":42})", {"/data/token"}, {"v1.json"});
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*stored, R"({"seed":42,"redact":["/data/token"],"subprotocols":["v1.json"]})");
  EXPECT_EQ(StoredList(*stored, kSubprotocolList).value(), Pointers{"v1.json"});
  EXPECT_EQ(WithServerLists(R"({"seed":42})", {}, {}).value(), R"({"seed":42})");
}

}  // namespace
}  // namespace wsmock::app
