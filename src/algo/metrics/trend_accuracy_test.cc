#include "algo/metrics/trend_accuracy.h"

#include <gtest/gtest.h>

#include "algo/popularity/trending_model.h"

namespace tailor::algo {
namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kT0 = 1'700'006'400;  // a bucket edge

// Item 0: popular long ago. Item 1: 1 event before the model's last window, 4 in it (the newest
// at kT0 + 2h - 1), 7 in the held-out hour. Item 2: 1 in the model's last window. Item 3: 2 in
// the held-out hour, the newest at kT0 + 3h - 1.
Interactions Data() {
  Interactions d;
  d.num_items = 4;
  int32_t u = 0;
  for (int k = 0; k < 5; ++k) d.Add(u++, 0, kT0 - 10 * kHour);
  d.Add(u++, 1, kT0 + kHour / 2);
  for (int k = 0; k < 3; ++k) d.Add(u++, 1, kT0 + kHour + 10 + k);
  d.Add(u++, 1, kT0 + 2 * kHour - 1);
  d.Add(u++, 2, kT0 + kHour + 20);
  for (int k = 0; k < 7; ++k) d.Add(u++, 1, kT0 + 2 * kHour + 100 + k);
  d.Add(u++, 3, kT0 + 2 * kHour + 200);
  d.Add(u++, 3, kT0 + 3 * kHour - 1);
  d.num_users = u;
  return d;
}

TEST(TrendAccuracyTest, HoldsOutTheNewestWindowAndScoresTheGainOfTheTopItems) {
  auto split = SplitForTrend(Data(), kHour);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  ASSERT_TRUE(split->has_value());
  const TrendSplit& s = **split;
  EXPECT_EQ(s.train.size(), 11u);
  // Gains: item 1 7 - 4 = 3, item 2 0 - 1 = -1, item 3 2 - 0 = 2.
  EXPECT_EQ(s.gain, (std::vector<int32_t>{0, 3, -1, 2}));
  // The model, trained on what came before, sees item 1 rise by 3 and item 2 by 1.
  TrendingModel model(s.train, kHour);
  auto at1 = TrendPredictionAccuracy(model, s, 1);
  ASSERT_TRUE(at1.ok());
  EXPECT_DOUBLE_EQ(*at1, 1.0);  // item 1: 3 of the best one item's 3
  auto at2 = TrendPredictionAccuracy(model, s, 2);
  ASSERT_TRUE(at2.ok());
  EXPECT_DOUBLE_EQ(*at2, 0.4);  // items 1 and 2: (3 - 1) of items 1 and 3's 3 + 2
}

TEST(TrendAccuracyTest, NothingToTrainOnOrNothingGainedIsNoMetric) {
  Interactions only_new;
  only_new.num_users = 1;
  only_new.num_items = 1;
  only_new.Add(0, 0, kT0);
  auto none = SplitForTrend(only_new, kHour);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // Item 0 had 2 events in the hour before the held-out one and 1 in it: nothing gained.
  Interactions falling;
  falling.num_users = 3;
  falling.num_items = 1;
  falling.Add(0, 0, kT0 + 10);
  falling.Add(1, 0, kT0 + 20);
  falling.Add(2, 0, kT0 + 2 * kHour);
  auto flat = SplitForTrend(falling, kHour);
  ASSERT_TRUE(flat.ok());
  EXPECT_FALSE(flat->has_value());
  EXPECT_TRUE(SplitForTrend(only_new, 0).status().IsInvalidInput());
}

}  // namespace
}  // namespace tailor::algo
