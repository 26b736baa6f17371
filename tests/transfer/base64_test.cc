#include "transfer/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace wsmock::transfer {
namespace {

TEST(SessionJsonlBase64Test, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(SessionJsonlBase64Test, DecodingGivesBackEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); len += 37) {
    const std::string bytes = all.substr(all.size() - len);
    Result<std::string> back = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, bytes);
  }
}

TEST(SessionJsonlBase64Test, DecodingRefusesAnythingEncodeWouldNotWrite) {
  for (const char* bad :
       {"Zg=", "Zg", "Zh==", "Zm9=", "Z===", "====", "Zm9v!A==", "Zg==Zg==", "Zm 9v", "Zm9v\n"}) {
    EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace wsmock::transfer
