#include "algo/metrics/evaluation_split.h"

#include <set>

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

Interactions Data(int users, int events_per_user) {
  Interactions d;
  d.num_users = users;
  d.num_items = 1000;
  for (int u = 0; u < users; ++u) {
    // Insert newest first to check the split sorts by time.
    for (int k = events_per_user - 1; k >= 0; --k) d.Add(u, (u * 7 + k) % 1000, 1000 + k);
  }
  return d;
}

TEST(EvaluationSplitTest, HoldsOutTenPercentOfUsersWithNewestTenPercentAsTruth) {
  Interactions d = Data(200, 20);
  auto s = SplitForEvaluation(d, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->test.size(), 20u);
  std::set<int32_t> test_users;
  for (const TestUser& t : s->test) {
    test_users.insert(t.user);
    ASSERT_EQ(t.input_items.size(), 18u);
    ASSERT_EQ(t.truth.size(), 2u);
    // Oldest first; truth = the two newest items (k = 18, 19).
    EXPECT_EQ(t.input_items[0], (t.user * 7) % 1000);
    EXPECT_TRUE(std::is_sorted(t.input_timestamps.begin(), t.input_timestamps.end()));
    EXPECT_EQ(t.truth[0], (t.user * 7 + 18) % 1000);
    EXPECT_EQ(t.truth[1], (t.user * 7 + 19) % 1000);
  }
  EXPECT_EQ(s->train.size(), 180u * 20);
  for (int32_t u : s->train.user) EXPECT_EQ(test_users.count(u), 0u);
}

TEST(EvaluationSplitTest, DeterministicPerSeedAndDifferentAcrossSeeds) {
  Interactions d = Data(300, 5);
  auto a = SplitForEvaluation(d, {.seed = 7});
  auto b = SplitForEvaluation(d, {.seed = 7});
  auto c = SplitForEvaluation(d, {.seed = 8});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  std::vector<int32_t> ua, ub, uc;
  for (auto& t : a->test) ua.push_back(t.user);
  for (auto& t : b->test) ub.push_back(t.user);
  for (auto& t : c->test) uc.push_back(t.user);
  EXPECT_EQ(ua, ub);
  EXPECT_NE(ua, uc);
  // 5 events: truth is max(1, round(0.5)) = 1 event.
  for (auto& t : a->test) EXPECT_EQ(t.truth.size(), 1u);
}

TEST(EvaluationSplitTest, TruthWeightIsTheHeaviestEventOfEachTruthItem) {
  // 10 users of 20 events; each user's three newest events: item 500 clicked (0.1), item 501
  // clicked (0.1), item 500 bought (0.3). With truth_fraction 0.15 those three are the truth.
  Interactions d;
  d.num_users = 10;
  d.num_items = 1000;
  for (int u = 0; u < 10; ++u) {
    for (int k = 0; k < 17; ++k) d.Add(u, u * 20 + k, 1000 + k, 0.1f);
    d.Add(u, 500, 2000, 0.1f);
    d.Add(u, 501, 2001, 0.1f);
    d.Add(u, 500, 2002, 0.3f);
  }
  auto s = SplitForEvaluation(d, {.test_user_fraction = 0.5, .truth_fraction = 0.15});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_FALSE(s->test.empty());
  for (const TestUser& t : s->test) {
    ASSERT_EQ(t.truth, (std::vector<int32_t>{500, 501}));
    ASSERT_EQ(t.truth_weights.size(), 2u);
    EXPECT_FLOAT_EQ(t.truth_weights[0], 0.3f);
    EXPECT_FLOAT_EQ(t.truth_weights[1], 0.1f);
  }
}

TEST(EvaluationSplitTest, SkipsUsersWithOneEvent) {
  Interactions d = Data(50, 1);
  auto s = SplitForEvaluation(d, {});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->test.empty());
  EXPECT_EQ(s->train.size(), 50u);
}

TEST(EvaluationSplitTest, RejectsBadFraction) {
  auto s = SplitForEvaluation(Data(10, 3), {.test_user_fraction = 1.5});
  EXPECT_TRUE(s.status().IsInvalidInput());
}

}  // namespace
}  // namespace tailor::algo
