#include "util/printable_text.h"

#include <gtest/gtest.h>

#include <string>

namespace wsmock {
namespace {

TEST(PrintableTextTest, ControlBytesAndInvalidUtf8BecomeQuestionMarks) {
  std::string out;
  AppendPrintable(&out, "a\nb\x01\x7f\xff Москва");
  EXPECT_EQ(out, "a?b??? Москва");
}

TEST(PrintableTextTest, CutBacksOffToACharacterBoundary) {
  bool cut = false;
  EXPECT_EQ(CutText("абв", 3, &cut), "а");  // two bytes each: no half character
  EXPECT_TRUE(cut);
  EXPECT_EQ(CutText("abc", 3, &cut), "abc");
  EXPECT_FALSE(cut);
  EXPECT_EQ(PrintableCut("abcdef", 3), "abc...");
}

TEST(PrintableTextTest, EscapedCutKeepsTheSpellingOnOneLine) {
  EXPECT_EQ(EscapedCut("a\nb"), "a\\nb");
  EXPECT_EQ(EscapedCut("q\"\\\x01"), "q\\\"\\\\\\u0001");
  EXPECT_EQ(EscapedCut("\xff\x7f ok"), "?? ok");
  EXPECT_EQ(EscapedCut("Москва"), "Москва");
  EXPECT_EQ(EscapedCut(std::string(100, 'x'), 10), std::string(10, 'x') + "...");
  // Escapes count after the cut, so one line stays bounded: 6 bytes each.
  const std::string escaped = EscapedCut(std::string(1000, '\x02'));
  EXPECT_EQ(escaped.size(), 80u * 6 + 3);
  EXPECT_EQ(escaped.find('\n'), std::string::npos);
}

TEST(PrintableTextTest, FirstControlByteFindsTheFirstAtAnyPositionOfAnyLength) {
  EXPECT_EQ(FirstControlByte(""), std::string_view::npos);
  EXPECT_EQ(FirstControlByte("plain text, longer than eight bytes: Москва ~\x7f"),
            std::string_view::npos);
  // Lengths below, at and past the 16-byte and 8-byte steps, so that every
  // path (whole blocks, the overlapping last block, words, bytes) is taken.
  for (size_t length = 1; length <= 40; ++length) {
    EXPECT_EQ(FirstControlByte(std::string(length, ' ')), std::string_view::npos) << length;
    for (size_t at = 0; at < length; ++at) {
      for (char control : {'\0', '\n', '\x1f'}) {
        std::string text(length, ' ');  // 0x20: the first byte that is not one
        text[at] = control;
        if (at + 3 < text.size()) text[at + 3] = '\t';
        EXPECT_EQ(FirstControlByte(text), at) << length << " " << at << " " << int{control};
      }
    }
  }
}

}  // namespace
}  // namespace wsmock
