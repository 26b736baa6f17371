#include "util/json_pointer.h"

#include <gtest/gtest.h>

namespace wsmock::json {
namespace {

std::string RemoveAndWrite(const char* pointer, const char* doc) {
  auto p = JsonPointer::Parse(pointer);
  EXPECT_TRUE(p.ok()) << pointer;
  auto root = Parse(doc);
  EXPECT_TRUE(root.ok()) << doc;
  p->RemoveFrom(root->get());
  return Write(root->get());
}

TEST(JsonPointerTest, RemovesANamedMember) {
  EXPECT_EQ(RemoveAndWrite("/data/since", R"({"data":{"since":1,"a":2}})"), R"({"data":{"a":2}})");
}

TEST(JsonPointerTest, StarMatchesEveryKeyAndIndex) {
  EXPECT_EQ(RemoveAndWrite("/items/*/id", R"({"items":[{"id":1,"x":1},{"id":2}]})"),
            R"({"items":[{"x":1},{}]})");
  EXPECT_EQ(RemoveAndWrite("/m/*", R"({"m":{"a":1,"b":2},"k":3})"), R"({"m":{},"k":3})");
}

TEST(JsonPointerTest, IndexSelectsOneElement) {
  EXPECT_EQ(RemoveAndWrite("/a/1", R"({"a":[10,20,30]})"), R"({"a":[10,30]})");
}

TEST(JsonPointerTest, EscapesAreDecoded) {
  EXPECT_EQ(RemoveAndWrite("/a~1b/c~0d", R"({"a/b":{"c~d":1,"e":2}})"), R"({"a/b":{"e":2}})");
}

TEST(JsonPointerTest, MissingPathChangesNothing) {
  EXPECT_EQ(RemoveAndWrite("/x/y", R"({"x":1})"), R"({"x":1})");
}

TEST(JsonPointerTest, ReplaceInWritesTheMarker) {
  auto p = JsonPointer::Parse("/data/token");
  auto root = Parse(R"({"data":{"token":"secret"}})");
  ASSERT_TRUE(p.ok() && root.ok());
  EXPECT_EQ(p->ReplaceIn(root->get(), "[REDACTED]"), 1);
  EXPECT_EQ(Write(root->get()), R"({"data":{"token":"[REDACTED]"}})");
}

TEST(JsonPointerTest, RejectsPointersWithoutLeadingSlash) {
  EXPECT_FALSE(JsonPointer::Parse("data").ok());
  EXPECT_FALSE(JsonPointer::Parse("/a~2").ok());
}

}  // namespace
}  // namespace wsmock::json
