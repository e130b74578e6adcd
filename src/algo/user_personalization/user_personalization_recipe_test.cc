#include "algo/user_personalization/user_personalization_recipe.h"

#include <cmath>
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "algo/item_similarity/cooccurrence.h"

namespace tailor::algo {
namespace {

// Repeated (user, item) pairs and tied timestamps, so order and merging both matter.
Interactions RandomData() {
  std::mt19937 rng(5);
  Interactions d;
  d.num_users = 30;
  d.num_items = 25;
  for (int e = 0; e < 600; ++e) d.Add(rng() % 30, rng() % 25, rng() % 50);
  return d;
}

// The recipe derives its time-ordered history from iALS's rows instead of a timestamped matrix;
// it must match the plain construction.
TEST(UserPersonalizationRecipeTest, HistoryIsTimeOrderedLikeFromMatrixByTime) {
  Interactions d = RandomData();
  auto m = UserPersonalizationRecipe().Train(
      d, HyperParams({{"factors", "4"}, {"iterations", "2"}}), TrainContext{});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto matrix = BuildUserItemMatrix(d);
  ASSERT_TRUE(matrix.ok());
  UserHistory want = UserHistory::FromMatrixByTime(*matrix);
  EXPECT_EQ((*m)->history().indptr, want.indptr);
  EXPECT_EQ((*m)->history().items, want.items);
}

TEST(UserPersonalizationRecipeTest, CooccurrenceFromHistoryMatchesFromEvents) {
  Interactions d = RandomData();
  auto matrix = BuildUserItemMatrix(d);
  ASSERT_TRUE(matrix.ok());
  UserHistory h = UserHistory::FromMatrixByTime(*matrix);
  CooccurrenceOptions o{.window = 5,
                        .position_half_life = 2,
                        .min_count = 0,
                        .top_k = 6,
                        .forward_only = true,
                        .max_history = 12};
  auto a = BuildCooccurrence(d, o);
  auto b = BuildCooccurrence(&h, d.num_items, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->indptr, b->indptr);
  EXPECT_EQ(a->neighbor, b->neighbor);
  EXPECT_EQ(a->score, b->score);
  // The items the kernel renumbered while it ran are given back as they were.
  EXPECT_EQ(h.items, UserHistory::FromMatrixByTime(*matrix).items);
  EXPECT_TRUE(BuildCooccurrence(&h, 3, o).status().IsInvalidInput());
}

// Items metadata places items with little history: two items with the same single user, one a
// drama and one a comedy, tie without it, and with it each kind's fans get their own kind first.
TEST(UserPersonalizationRecipeTest, ItemMetadataPlacesItemsWithLittleHistoryByTheirKind) {
  // Items 0..9 dramas, 10..19 comedies, 20 a rare drama, 21 a rare comedy; users 0..19 watch
  // dramas, 20..39 comedies, user 40 only the two rare items.
  Interactions d;
  d.num_users = 41;
  d.num_items = 22;
  int64_t ts = 0;
  for (int32_t u = 0; u < 40; ++u) {
    for (int32_t i = 0; i < 10; ++i) d.Add(u, (u < 20 ? 0 : 10) + (i + u) % 10, ++ts);
  }
  d.Add(40, 20, ++ts);
  d.Add(40, 21, ts);
  auto features = std::make_shared<CategoricalFeatures>();
  features->num_features = 2;
  for (int32_t i = 0; i < 22; ++i) {
    features->AddRow(std::vector<int32_t>{(i < 10 || i == 20) ? 0 : 1});
  }
  auto gap = [&](const HyperParams& params, int32_t user) {
    auto m = UserPersonalizationRecipe().Train(d, params, TrainContext{});
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    std::vector<float> scores(22);
    EXPECT_TRUE((*m)->ScoreItems({.user = user}, scores).ok());
    return scores[20] - scores[21];  // the rare drama's lead over the rare comedy
  };
  const HyperParams params({{"factors", "8"},
                            {"sequence_weight", "0"},
                            {"neighbor_weight", "0"},
                            {"popularity_weight", "0"}});
  const float plain_drama_fan = gap(params, 3), plain_comedy_fan = gap(params, 23);
  d.item_features = features;
  const float drama_fan = gap(params, 3), comedy_fan = gap(params, 23);
  EXPECT_GT(drama_fan, 0.0f);
  EXPECT_LT(comedy_fan, 0.0f);
  EXPECT_GT(drama_fan - plain_drama_fan, 10 * std::abs(plain_drama_fan));
  EXPECT_LT(comedy_fan - plain_comedy_fan, -10 * std::abs(plain_comedy_fan));
  // item_metadata_weight 0 turns it off.
  HyperParams off = params;
  off.Set("item_metadata_weight", "0");
  EXPECT_FLOAT_EQ(gap(off, 3), plain_drama_fan);
}

}  // namespace
}  // namespace tailor::algo
