#include "api/errors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tailor::api {
namespace {

TEST(ErrorsTest, MapsEveryCodePerProtocol) {
  using C = Status::Code;
  struct Case {
    C code;
    Protocol protocol;
    const char* type;
    int status;
  } cases[] = {
      {C::kInvalidInput, Protocol::kControlPlane, "InvalidInputException", 400},
      {C::kNotFound, Protocol::kControlPlane, "ResourceNotFoundException", 400},
      {C::kNotFound, Protocol::kRuntime, "ResourceNotFoundException", 404},
      {C::kNotFound, Protocol::kEvents, "ResourceNotFoundException", 404},
      {C::kAlreadyExists, Protocol::kControlPlane, "ResourceAlreadyExistsException", 400},
      {C::kInUse, Protocol::kControlPlane, "ResourceInUseException", 400},
      {C::kInUse, Protocol::kEvents, "ResourceInUseException", 409},
      {C::kLimitExceeded, Protocol::kControlPlane, "LimitExceededException", 400},
      {C::kInvalidNextToken, Protocol::kControlPlane, "InvalidNextTokenException", 400},
      {C::kTooManyTags, Protocol::kControlPlane, "TooManyTagsException", 400},
      {C::kTooManyTagKeys, Protocol::kControlPlane, "TooManyTagKeysException", 400},
      {C::kNotSupported, Protocol::kRuntime, "InvalidInputException", 400},
      {C::kInternal, Protocol::kControlPlane, "InternalFailure", 500},
      {C::kUnavailable, Protocol::kControlPlane, "ServiceUnavailable", 503},
  };
  for (const auto& c : cases) {
    WireError wire = ToWireError(c.code, c.protocol);
    EXPECT_STREQ(wire.type, c.type) << Status::CodeName(c.code);
    EXPECT_EQ(wire.http_status, c.status) << Status::CodeName(c.code);
  }
}

TEST(ErrorsTest, RestJsonErrorsCarryTheTypeHeader) {
  HttpResponse r = StatusResponse(Protocol::kRuntime, Status::NotFound("no campaign x"));
  EXPECT_EQ(r.status, 404);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["__type"], "ResourceNotFoundException");
  EXPECT_EQ(body["message"], "no campaign x");
  bool has_header = false;
  for (const auto& [k, v] : r.headers)
    has_header |= k == "x-amzn-ErrorType" && v == "ResourceNotFoundException";
  EXPECT_TRUE(has_header);
  HttpResponse c = StatusResponse(Protocol::kControlPlane, Status::InUse("busy"));
  EXPECT_EQ(c.content_type, "application/x-amz-json-1.1");
}

}  // namespace
}  // namespace tailor::api
