#include "server/connection.h"

#include <gtest/gtest.h>

#include <vector>

namespace wsmock::server {
namespace {

std::vector<unsigned char> Header(size_t size, bool binary) {
  unsigned char out[kMaxFrameHeader];
  const size_t len = WriteFrameHeader(out, size, binary);
  return std::vector<unsigned char>(out, out + len);
}

TEST(FrameHeaderTest, ShortFrameHasTheLengthInItsSecondByte) {
  EXPECT_EQ(Header(0, false), (std::vector<unsigned char>{0x81, 0}));
  EXPECT_EQ(Header(125, true), (std::vector<unsigned char>{0x82, 125}));
}

TEST(FrameHeaderTest, MediumFrameHasASixteenBitLength) {
  EXPECT_EQ(Header(126, false), (std::vector<unsigned char>{0x81, 126, 0, 126}));
  EXPECT_EQ(Header(65535, true), (std::vector<unsigned char>{0x82, 126, 0xff, 0xff}));
}

TEST(FrameHeaderTest, LongFrameHasASixtyFourBitLength) {
  EXPECT_EQ(Header(65536, false), (std::vector<unsigned char>{0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(Header(0x0102030405ull, true),
            (std::vector<unsigned char>{0x82, 127, 0, 0, 0, 1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace wsmock::server
