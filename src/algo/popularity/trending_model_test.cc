#include "algo/popularity/trending_model.h"

#include <gtest/gtest.h>

#include "algo/recipe_registry.h"

namespace tailor::algo {
namespace {

constexpr int64_t kHour = 3600;
// A whole number of days, so that window edges fall on bucket edges.
constexpr int64_t kT0 = 1'700'006'400;

// Items 0..4. Item 0 is the most popular (6 users, all long ago); in the previous hour item 1
// had 3 events and item 2 one; in the last hour item 1 had 2, item 2 had 4, item 3 had 1.
Interactions TrendData() {
  Interactions d;
  d.num_items = 5;
  int32_t user = 0;
  for (int k = 0; k < 6; ++k) d.Add(user++, 0, kT0 - 30 * kHour);
  for (int k = 0; k < 3; ++k) d.Add(user++, 1, kT0 + kHour / 2);    // previous hour
  d.Add(user++, 2, kT0 + kHour / 2);                                // previous hour
  for (int k = 0; k < 2; ++k) d.Add(user++, 1, kT0 + kHour + 60);   // last hour
  for (int k = 0; k < 4; ++k) d.Add(user++, 2, kT0 + kHour + 120);  // last hour
  d.Add(user++, 3, kT0 + 2 * kHour - 1);                            // the newest event
  d.num_users = user;
  return d;
}

std::vector<int32_t> Order(const std::vector<float>& scores) {
  std::vector<int32_t> order(scores.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
  return order;
}

TEST(TrendingModelTest, RanksTheLargestRiseFirstThenPopularity) {
  TrendingModel m(TrendData(), kHour);
  // Rises: item 2 +3, item 3 +1; item 1 fell (3 -> 2). Then popularity: 0 (6 users),
  // 1 (5 users), 4 (none).
  EXPECT_EQ(Order(m.Scores({})), (std::vector<int32_t>{2, 3, 0, 1, 4}));
  auto rec = m.Recommend({.user = -1}, {.num_results = 2});
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(rec->size(), 2u);
  EXPECT_EQ((*rec)[0].item, 2);
  EXPECT_EQ((*rec)[1].item, 3);
}

TEST(TrendingModelTest, LongerWindowsSeeOtherTrends) {
  // Two-hour windows: the last one holds every event of the previous and last hours, the one
  // before it none (item 0's events are 30 hours old).
  TrendingModel m(TrendData(), 2 * kHour);
  // Last window: 1 -> 5, 2 -> 5, 3 -> 1; previous: nothing. Ties on the rise go to the last
  // window's count, then to popularity (item 1 and 2 both 5 users: lower index).
  EXPECT_EQ(Order(m.Scores({})), (std::vector<int32_t>{1, 2, 3, 0, 4}));
}

TEST(TrendingModelTest, FreshEventsMoveTheWindows) {
  TrendingModel m(TrendData(), kHour);
  const int64_t next_hour = (kT0 + 2 * kHour + 60) / TrendingModel::kBucketSeconds;
  // Four events on item 4 half an hour after the training data's newest: the last window is
  // now that bucket and the newest training one (item 4: 4, item 3: 1), the previous one the
  // hour before (items 1 and 2: 5 each), so items 4 and 3 rose and 1 and 2 fell.
  std::vector<TrendingModel::BucketCount> fresh = {{4, next_hour, 4}};
  EXPECT_EQ(Order(m.Scores(fresh)), (std::vector<int32_t>{4, 3, 0, 1, 2}));
  // Counts on unknown items are ignored.
  fresh.push_back({99, next_hour, 100});
  EXPECT_EQ(Order(m.Scores(fresh))[0], 4);
  // The same windows given explicitly, with each item's rise.
  const TrendingModel::Windows windows = m.WindowsEndingAt(next_hour);
  EXPECT_EQ(windows.Side(next_hour), 1);
  EXPECT_EQ(windows.Side(next_hour - 1), 1);
  EXPECT_EQ(windows.Side(next_hour - 2), -1);
  EXPECT_EQ(windows.Side(next_hour - 4), 0);
  EXPECT_EQ(windows.Side(next_hour + 1), 0);
  std::vector<int32_t> rises;
  EXPECT_EQ(m.Scores(fresh, windows, &rises), m.Scores(fresh));
  EXPECT_EQ(rises, (std::vector<int32_t>{0, -5, -5, 1, 4}));
}

TEST(TrendingModelTest, NothingInTheLastTwoWindowsGivesPopularItems) {
  TrendingModel m(TrendData(), kHour);
  // An event two days later: both windows are empty but for it, ...
  const int64_t later = (kT0 + 50 * kHour) / TrendingModel::kBucketSeconds;
  EXPECT_EQ(Order(m.Scores({{{3, later, 1}}})), (std::vector<int32_t>{3, 0, 1, 2, 4}));
  // ... and a count of zero there leaves popularity alone.
  EXPECT_EQ(Order(m.Scores({{{3, later, 0}}})), (std::vector<int32_t>{0, 1, 2, 3, 4}));
}

TEST(TrendingModelTest, KeepsOnlyTheBucketsThatCanMatter) {
  TrendingModel m(TrendData(), kHour);
  // The newest event's bucket and the three before it: the two one-hour windows.
  EXPECT_EQ(m.oldest_relevant_bucket(), (kT0 + 2 * kHour - 1) / TrendingModel::kBucketSeconds - 3);
  EXPECT_EQ(m.window_seconds(), kHour);
}

TEST(TrendingNowRecipeTest, ReadsTheFrequencyAndRejectsOthers) {
  TrendingNowRecipe recipe;
  EXPECT_EQ(recipe.DefaultParams().values().at("trend_discovery_frequency"), "2 hours");
  auto m = recipe.Train(
      TrendData(),
      HyperParams(std::map<std::string, std::string>{{"trend_discovery_frequency", "1 hour"}}), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(dynamic_cast<const TrendingModel&>(**m).window_seconds(), kHour);
  auto bad = recipe.Train(
      TrendData(),
      HyperParams(std::map<std::string, std::string>{{"trend_discovery_frequency", "90 minutes"}}),
      {});
  ASSERT_TRUE(bad.status().IsInvalidInput());
  EXPECT_NE(bad.status().message().find("trend_discovery_frequency '90 minutes' must be one of "
                                        "30 minutes, 1 hour, 2 hours, 3 hours, 1 day"),
            std::string::npos)
      << bad.status().message();
}

TEST(TrendingModelTest, SurvivesSaveAndLoad) {
  TrendingModel m(TrendData(), kHour);
  std::string bytes;
  ASSERT_TRUE(m.Save(&bytes).ok());
  auto loaded = BuiltinRecipes().LoadModel(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const auto& t = dynamic_cast<const TrendingModel&>(**loaded);
  const int64_t next_hour = (kT0 + 2 * kHour + 60) / TrendingModel::kBucketSeconds;
  std::vector<TrendingModel::BucketCount> fresh = {{4, next_hour, 4}};
  EXPECT_EQ(t.Scores(fresh), m.Scores(fresh));
  EXPECT_EQ(t.Scores({}), m.Scores({}));
}

}  // namespace
}  // namespace tailor::algo
