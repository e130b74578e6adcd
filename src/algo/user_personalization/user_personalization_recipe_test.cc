#include "algo/user_personalization/user_personalization_recipe.h"

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
  auto b = BuildCooccurrence(h, d.num_items, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->indptr, b->indptr);
  EXPECT_EQ(a->neighbor, b->neighbor);
  EXPECT_EQ(a->score, b->score);
  EXPECT_TRUE(BuildCooccurrence(h, 3, o).status().IsInvalidInput());
}

}  // namespace
}  // namespace tailor::algo
