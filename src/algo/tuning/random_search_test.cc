#include "algo/tuning/random_search.h"

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

using K = ParamRange::Kind;

TEST(RandomSearchTest, CandidatesLieInsideTheirRanges) {
  std::vector<ParamRange> ranges = {{"factors", K::kInteger, 8, 16, {}, false},
                                    {"alpha", K::kContinuous, 0.5, 50, {}, true},
                                    {"mode", K::kCategorical, 0, 0, {"a", "b"}, false}};
  HyperParams base({{"factors", "128"}, {"alpha", "2"}, {"other", "x"}});
  std::vector<HyperParams> c = SampleCandidates(base, ranges, 20, 7);
  ASSERT_EQ(c.size(), 20u);
  // The first keeps base values that are inside their range (alpha) and draws the rest.
  EXPECT_EQ(c[0].values().at("alpha"), "2");
  for (const HyperParams& p : c) {
    int64_t f = std::stoll(p.values().at("factors"));
    EXPECT_GE(f, 8);
    EXPECT_LE(f, 16);
    double a = std::stod(p.values().at("alpha"));
    EXPECT_GE(a, 0.5);
    EXPECT_LE(a, 50);
    std::string m = p.values().at("mode");
    EXPECT_TRUE(m == "a" || m == "b") << m;
    EXPECT_EQ(p.values().at("other"), "x");
  }
}

TEST(RandomSearchTest, SameSeedSameCandidates) {
  std::vector<ParamRange> ranges = {{"alpha", K::kContinuous, 0, 1, {}, false}};
  auto a = SampleCandidates({}, ranges, 5, 3);
  auto b = SampleCandidates({}, ranges, 5, 3);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].values(), b[i].values());
}

TEST(RandomSearchTest, ValidateRangesNamesEmptyAndOutOfLimitRanges) {
  std::vector<ParamRange> limits = {{"factors", K::kInteger, 16, 256, {}, false}};
  std::vector<ParamRange> empty = {{"factors", K::kInteger, 64, 32, {}, false}};
  Status s = ValidateRanges(empty, limits);
  EXPECT_TRUE(s.IsInvalidInput());
  EXPECT_NE(s.message().find("factors"), std::string::npos) << s.message();
  std::vector<ParamRange> outside = {{"factors", K::kInteger, 4, 32, {}, false}};
  EXPECT_TRUE(ValidateRanges(outside, limits).IsInvalidInput());
  std::vector<ParamRange> no_values = {{"mode", K::kCategorical, 0, 0, {}, false}};
  EXPECT_TRUE(ValidateRanges(no_values, limits).IsInvalidInput());
  std::vector<ParamRange> fine = {{"factors", K::kInteger, 16, 32, {}, false}};
  EXPECT_TRUE(ValidateRanges(fine, limits).ok());
}

}  // namespace
}  // namespace tailor::algo
