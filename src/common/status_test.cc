#include "common/status.h"

#include <gtest/gtest.h>

#include "common/status_or.h"

namespace tailor {
namespace {

TEST(StatusTest, OkIsDefaultAndHasEmptyMessage) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, FactoriesSetCodeAndPredicates) {
  EXPECT_TRUE(Status::InvalidInput("x").IsInvalidInput());
  EXPECT_TRUE(Status::NotFound("x").IsNotFound());
  EXPECT_TRUE(Status::AlreadyExists("x").IsAlreadyExists());
  EXPECT_TRUE(Status::InUse("x").IsInUse());
  EXPECT_TRUE(Status::LimitExceeded("x").IsLimitExceeded());
  EXPECT_TRUE(Status::InvalidNextToken("x").IsInvalidNextToken());
  EXPECT_TRUE(Status::TooManyTags("x").IsTooManyTags());
  EXPECT_TRUE(Status::TooManyTagKeys("x").IsTooManyTagKeys());
  EXPECT_TRUE(Status::Unavailable("x").IsUnavailable());
  EXPECT_TRUE(Status::Internal("x").IsInternal());
  EXPECT_TRUE(Status::NotSupported("x").IsNotSupported());
  EXPECT_FALSE(Status::NotFound("x").IsInvalidInput());
}

TEST(StatusTest, CopyKeepsCodeAndMessage) {
  Status a = Status::NotFound("no dataset group named x");
  Status b = a;
  EXPECT_TRUE(b.IsNotFound());
  EXPECT_EQ(b.message(), "no dataset group named x");
  EXPECT_EQ(b.ToString(), "NotFound: no dataset group named x");
}

TEST(StatusTest, WithPrefixKeepsCode) {
  Status s = Status::InvalidInput("bad value").WithPrefix("line 3");
  EXPECT_TRUE(s.IsInvalidInput());
  EXPECT_EQ(s.message(), "line 3: bad value");
}

StatusOr<int> Half(int x) {
  if (x % 2) return Status::InvalidInput("odd");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  TAILOR_ASSIGN_OR_RETURN(int h, Half(x));
  *out = h;
  return Status::OK();
}

TEST(StatusOrTest, HoldsValueOrError) {
  EXPECT_EQ(Half(4).value(), 2);
  EXPECT_TRUE(Half(3).status().IsInvalidInput());
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  EXPECT_TRUE(UseHalf(7, &out).IsInvalidInput());
}

}  // namespace
}  // namespace tailor
