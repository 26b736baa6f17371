#include "frame_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::bench {
namespace {

// Records what the reader reports, as text.
class Recorder : public FrameReader::Sink {
 public:
  void OnData(const uint8_t* data, size_t len) override {
    current_.append(reinterpret_cast<const char*>(data), len);
  }
  void OnMessageEnd() override {
    events.push_back("msg:" + current_);
    current_.clear();
  }
  void OnControl(uint8_t opcode, const uint8_t* payload, size_t len) override {
    events.push_back("ctl" + std::to_string(opcode) + ":" +
                     std::string(reinterpret_cast<const char*>(payload), len));
  }
  std::vector<std::string> events;

 private:
  std::string current_;
};

// An unmasked server frame.
std::string Frame(uint8_t first, const std::string& payload) {
  std::string out(1, static_cast<char>(first));
  const size_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(n);
  } else if (n <= 0xffff) {
    out += static_cast<char>(126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xff);
  } else {
    out += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
  }
  return out + payload;
}

bool FeedAll(FrameReader* reader, const std::string& bytes, Recorder* sink, size_t piece) {
  for (size_t at = 0; at < bytes.size(); at += piece) {
    const std::string part = bytes.substr(at, piece);
    if (!reader->Feed(reinterpret_cast<const uint8_t*>(part.data()), part.size(), sink)) {
      return false;
    }
  }
  return true;
}

TEST(BenchFrameReaderTest, MessagesComeOutWholeHoweverTheBytesAreSplit) {
  const std::string big(70'000, 'b');
  const std::string stream = Frame(0x81, "hello") + Frame(0x89, "p") +
                             Frame(0x01, "frag") + Frame(0x80, "mented") + Frame(0x82, big) +
                             Frame(0x81, std::string(300, 'm')) + Frame(0x81, "");
  const std::vector<std::string> expected = {"msg:hello", "ctl9:p", "msg:fragmented",
                                             "msg:" + big, "msg:" + std::string(300, 'm'),
                                             "msg:"};
  for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{4096}, stream.size()}) {
    FrameReader reader;
    Recorder sink;
    ASSERT_TRUE(FeedAll(&reader, stream, &sink, piece)) << piece;
    EXPECT_EQ(sink.events, expected) << "pieces of " << piece;
  }
}

TEST(BenchFrameReaderTest, CloseFrameIsReportedWithItsPayload) {
  FrameReader reader;
  Recorder sink;
  ASSERT_TRUE(FeedAll(&reader, Frame(0x88, std::string("\x03\xe9", 2) + "bye"), &sink, 100));
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0], "ctl8:" + std::string("\x03\xe9", 2) + "bye");
}

TEST(BenchFrameReaderTest, ProtocolViolationsAreRejected) {
  const std::string masked = std::string("\x81\x81", 2) + "abcdx";
  const std::string reserved_bit = Frame(0xc1, "x");
  const std::string reserved_opcode = Frame(0x83, "x");
  const std::string long_ping = Frame(0x89, std::string(126, 'p'));
  const std::string fragmented_ping = Frame(0x09, "p");
  for (const std::string& bad : {masked, reserved_bit, reserved_opcode, long_ping, fragmented_ping}) {
    FrameReader reader;
    Recorder sink;
    EXPECT_FALSE(FeedAll(&reader, bad, &sink, bad.size()));
  }
}

}  // namespace
}  // namespace wsmock::bench
