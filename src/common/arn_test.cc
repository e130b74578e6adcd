#include "common/arn.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(ArnTest, MakeAndParseRoundTrip) {
  ArnContext ctx;
  std::string arn = MakeArn(ctx, "dataset/movies/INTERACTIONS");
  EXPECT_EQ(arn, "arn:aws:personalize:us-east-1:000000000000:dataset/movies/INTERACTIONS");
  auto parsed = ParseArn("datasetArn", arn);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->region, "us-east-1");
  EXPECT_EQ(parsed->account, "000000000000");
  EXPECT_EQ(parsed->resource_type, "dataset");
  EXPECT_EQ(parsed->resource_path, "movies/INTERACTIONS");
}

TEST(ArnTest, RejectsMalformedArnsNamingTheField) {
  const char* bad[] = {"", "arn:aws:s3:::bucket", "not-an-arn", "arn:AWS:personalize:r:a:x",
                       "arn:aws:personalize:r:a:"};
  for (const char* arn : bad) {
    Status s = ValidateArn("datasetGroupArn", arn);
    EXPECT_TRUE(s.IsInvalidInput()) << arn;
    EXPECT_NE(s.message().find("datasetGroupArn"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(ValidateArn("x", std::string(300, 'a')).IsInvalidInput());
}

TEST(NameTest, AcceptsAndRejectsPerServiceModel) {
  struct Case {
    const char* name;
    bool ok;
  } cases[] = {{"movies", true},     {"a", true},         {"9-lives_v2", true},
               {"", false},          {"-lead", false},    {"_lead", false},
               {"has space", false}, {"dot.name", false}, {"slash/name", false}};
  for (const auto& c : cases) {
    EXPECT_EQ(ValidateName("name", c.name).ok(), c.ok) << c.name;
  }
  EXPECT_TRUE(ValidateName("name", std::string(63, 'a')).ok());
  EXPECT_TRUE(ValidateName("name", std::string(64, 'a')).IsInvalidInput());
}

}  // namespace
}  // namespace tailor
