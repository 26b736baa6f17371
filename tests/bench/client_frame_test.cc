#include "client_frame.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::bench {
namespace {

constexpr std::array<uint8_t, 4> kMask = {0x11, 0x22, 0x33, 0x44};

// What a server does with a client frame: read the length, unmask.
struct Decoded {
  bool fin_text;
  std::string payload;
};

Decoded Decode(const uint8_t* frame, size_t size) {
  size_t n = 2;
  uint64_t len = frame[1] & 0x7f;
  if (len == 126) {
    len = (uint64_t{frame[2]} << 8) | frame[3];
    n = 4;
  } else if (len == 127) {
    len = 0;
    for (int i = 0; i < 8; ++i) len = (len << 8) | frame[2 + i];
    n = 10;
  }
  const uint8_t* mask = frame + n;
  n += 4;
  EXPECT_EQ(n + len, size);
  std::string payload(len, '\0');
  for (size_t i = 0; i < len; ++i) payload[i] = static_cast<char>(frame[n + i] ^ mask[i & 3]);
  return {frame[0] == 0x81 && (frame[1] & 0x80) != 0, payload};
}

std::string RoundTrip(const ClientFrame& frame, uint64_t id) {
  std::vector<uint8_t> out(frame.max_size());
  const size_t size = frame.Write(id, out.data());
  EXPECT_LE(size, frame.max_size());
  const Decoded decoded = Decode(out.data(), size);
  EXPECT_TRUE(decoded.fin_text);
  return decoded.payload;
}

TEST(BenchClientFrameTest, TextWithoutPlaceholderUnmasksToItself) {
  const std::string text = R"({"type":"request","action":"getStationById"})";
  const ClientFrame frame(text, kMask);
  EXPECT_FALSE(frame.has_id());
  EXPECT_EQ(RoundTrip(frame, 7), text);
}

TEST(BenchClientFrameTest, PlaceholderBecomesTheIdAtEveryAlignment) {
  const ClientFrame frame(R"({"requestId":"r{{id}}","x":"abcdef"})", kMask);
  ASSERT_TRUE(frame.has_id());
  // Ids of 1 to 4 digits shift the text after them through all four mask
  // offsets.
  for (uint64_t id : {0ull, 7ull, 42ull, 999ull, 1234ull, 18446744073709551615ull}) {
    EXPECT_EQ(RoundTrip(frame, id),
              R"({"requestId":"r)" + std::to_string(id) + R"(","x":"abcdef"})");
  }
}

TEST(BenchClientFrameTest, LongMessagesUseExtendedLengths) {
  const std::string medium(300, 'm');
  const std::string large(70'000, 'l');
  EXPECT_EQ(RoundTrip(ClientFrame(medium, kMask), 1), medium);
  EXPECT_EQ(RoundTrip(ClientFrame(large, kMask), 1), large);
}

}  // namespace
}  // namespace wsmock::bench
