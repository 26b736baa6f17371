#include "app/client_control.h"

#include <gtest/gtest.h>

#include <string>

namespace wsmock::app {
namespace {

std::string Error(std::string_view body) {
  Result<DisconnectRequest> request = ReadDisconnect(body);
  return request.ok() ? "read" : request.status().message();
}

TEST(ClientControlTest, AnEmptyBodyIsGoingAway) {
  Result<DisconnectRequest> request = ReadDisconnect("");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->code, 1001);
  EXPECT_EQ(request->reason, "going away");
}

TEST(ClientControlTest, CodeAndReasonAreTakenEachOnItsOwn) {
  Result<DisconnectRequest> both = ReadDisconnect(R"({"code":4000,"reason":"bye"})");
  ASSERT_TRUE(both.ok()) << both.status().message();
  EXPECT_EQ(both->code, 4000);
  EXPECT_EQ(both->reason, "bye");
  Result<DisconnectRequest> code = ReadDisconnect(R"({"code":1012})");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->code, 1012);
  EXPECT_EQ(code->reason, "going away");
}

TEST(ClientControlTest, OnlyCodesAFrameMayCarryAreTaken) {
  for (const char* body :
       {R"({"code":1002})", R"({"code":1005})", R"({"code":1006})", R"({"code":1015})",
        R"({"code":2999})", R"({"code":5000})", R"({"code":4000.5})", R"({"code":"4000"})"}) {
    EXPECT_EQ(Error(body),
              "code must be a close code a frame may carry: 1000, 1001, 1003, 1007-1014 or "
              "3000-4999")
        << body;
  }
  EXPECT_EQ(Error(R"({"code":1000})"), "read");
  EXPECT_EQ(Error(R"({"code":4999})"), "read");
}

TEST(ClientControlTest, TheBodyShapeAndTheReasonLengthAreChecked) {
  EXPECT_EQ(Error(R"({"reason":")" + std::string(124, 'x') + R"("})"),
            "reason must be UTF-8 text of at most 123 bytes");
  EXPECT_EQ(Error(R"({"reason":")" + std::string(123, 'x') + R"("})"), "read");
  EXPECT_EQ(Error(R"({"after":5})"),
            "unknown field 'after': a disconnect takes code, reason or drop");
  EXPECT_EQ(Error("[]"),
            "body must be empty or a JSON object with code and/or reason, or with drop");
}

TEST(ClientControlTest, AReasonIsUtf8AndHoldsNoNul) {
  // A peer fails the connection (1006, not the code asked for) on a close
  // reason that is not UTF-8.
  EXPECT_EQ(Error("{\"reason\":\"\xff\xfe\"}"), "reason must be UTF-8 text of at most 123 bytes");
  EXPECT_EQ(Error(R"({"reason":"a\u0000b"})"),
            "body must be empty or a JSON object with code and/or reason, or with drop: "
            "\\u0000 inside a string is not supported (byte offset 12)");
  EXPECT_EQ(Error(R"({"reason":"\u00e9t\u00e9"})"), "read");
}

TEST(ClientControlTest, ADropTakesNoCloseCodeOrReason) {
  Result<DisconnectRequest> drop = ReadDisconnect(R"({"drop":true})");
  ASSERT_TRUE(drop.ok()) << drop.status().message();
  EXPECT_TRUE(drop->drop);
  Result<DisconnectRequest> no_drop = ReadDisconnect(R"({"drop":false,"code":4001})");
  ASSERT_TRUE(no_drop.ok()) << no_drop.status().message();
  EXPECT_FALSE(no_drop->drop);
  EXPECT_EQ(no_drop->code, 4001);
  EXPECT_EQ(Error(R"({"drop":true,"code":4000})"),
            "a drop sends no close frame, so it takes no code or reason");
  EXPECT_EQ(Error(R"({"reason":"x","drop":true})"),
            "a drop sends no close frame, so it takes no code or reason");
  EXPECT_EQ(Error(R"({"drop":1})"), "drop must be true or false");
}

}  // namespace
}  // namespace wsmock::app
