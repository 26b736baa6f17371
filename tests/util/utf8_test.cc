#include "util/utf8.h"

#include <gtest/gtest.h>

namespace wsmock {
namespace {

TEST(Utf8Test, ValidityFollowsRfc3629) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("ascii"));
  EXPECT_TRUE(IsValidUtf8("Привет"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x94\x8C"));  // U+1F50C
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF, the last before the surrogates
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/' in three bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xD0"));              // cut short
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // cut short in three bytes
  EXPECT_FALSE(IsValidUtf8("\xE2\x28\xA1"));      // a bad continuation byte
}

TEST(Utf8Test, SequenceLengthIsTheWellFormedSequenceAtAnOffset) {
  const std::string_view s = "a\xD0\x9F\xE2\x82\xAC\xF0\x9F\x94\x8C\x80";
  EXPECT_EQ(Utf8SequenceLength(s, 0), 1u);
  EXPECT_EQ(Utf8SequenceLength(s, 1), 2u);   // П
  EXPECT_EQ(Utf8SequenceLength(s, 3), 3u);   // €
  EXPECT_EQ(Utf8SequenceLength(s, 6), 4u);   // U+1F50C
  EXPECT_EQ(Utf8SequenceLength(s, 10), 0u);  // a lone continuation byte
  EXPECT_EQ(Utf8SequenceLength(s, 2), 0u);   // inside a sequence
}

}  // namespace
}  // namespace wsmock
