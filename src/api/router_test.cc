#include "api/router.h"

#include <gtest/gtest.h>

namespace tailor::api {
namespace {

TEST(RouterTest, RegionComesFromTheCredentialScope) {
  struct Case {
    const char* header;
    const char* region;
  } cases[] = {
      {"AWS4-HMAC-SHA256 Credential=AKID/20261124/eu-west-1/personalize/aws4_request, "
       "SignedHeaders=host, Signature=abc",
       "eu-west-1"},
      {"AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/personalize/aws4_request", "us-east-1"},
      {"", ""},
      {"Bearer token", ""},
      {"AWS4-HMAC-SHA256 Credential=AKID/20261124", ""},
      {"AWS4-HMAC-SHA256 Credential=AKID/20261124/EU WEST/personalize/aws4_request", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(RegionFromAuthorization(c.header), c.region) << c.header;
}

}  // namespace
}  // namespace tailor::api
