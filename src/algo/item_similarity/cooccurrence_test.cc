#include "algo/item_similarity/cooccurrence.h"

#include <random>

#include <gtest/gtest.h>

#include "algo/recipe_registry.h"

namespace tailor::algo {
namespace {

Interactions RandomData(int users, int items, int events, unsigned seed) {
  std::mt19937 rng(seed);
  Interactions d;
  d.num_users = users;
  d.num_items = items;
  for (int e = 0; e < events; ++e) d.Add(rng() % users, rng() % items, rng() % 100000);
  return d;
}

void ExpectSame(const NeighborLists& a, const NeighborLists& b) {
  ASSERT_EQ(a.indptr, b.indptr);
  ASSERT_EQ(a.neighbor, b.neighbor);
  for (size_t k = 0; k < a.score.size(); ++k) EXPECT_NEAR(a.score[k], b.score[k], 1e-5);
}

// X7: the per-item accumulator kernel equals the pairwise reference: whole history, windowed,
// decayed over the whole history with the threshold on pairs (SIMS's), and over each user's
// newest 6 items only.
TEST(CooccurrenceTest, MatchesReference) {
  Interactions d = RandomData(60, 40, 900, 11);
  for (CooccurrenceOptions o :
       {CooccurrenceOptions{.min_count = 2, .top_k = 10, .num_threads = 2},
        CooccurrenceOptions{.window = 3,
        .position_half_life = 1,
        .popularity_discount = 0.3,
        .min_count = 0,
        .top_k = 5,
        .num_threads = 2},
        CooccurrenceOptions{.position_half_life = 4,
        .min_count = 3,
        .min_count_of_pairs = true,
        .top_k = 10,
        .num_threads = 2},
        CooccurrenceOptions{.min_count = 1, .top_k = 10, .max_history = 6, .num_threads = 2}}) {
    auto fast = BuildCooccurrence(d, o);
    auto ref = BuildCooccurrenceReference(d, o);
    ASSERT_TRUE(fast.ok() && ref.ok());
    ExpectSame(*fast, *ref);
  }
}

// Three users had item 0 and then item 1 ten positions later: c(0, 1) = 3 · 2^(−9/4) < 3, yet
// the pair counts three users, so the threshold on pairs keeps it and the one on c drops it.
TEST(CooccurrenceTest, MinCountOfPairsCountsUsersNotDecayedWeight) {
  Interactions d;
  d.num_users = 3;
  d.num_items = 12;
  // Each history, oldest first: 0, 2, 3, ..., 10, 1, 11.
  for (int32_t u = 0; u < 3; ++u) {
    d.Add(u, 0, 0);
    for (int32_t pos = 1; pos <= 9; ++pos) d.Add(u, pos + 1, pos);
    d.Add(u, 1, 10);
    d.Add(u, 11, 11);
  }
  CooccurrenceOptions o{.position_half_life = 4, .min_count = 3, .top_k = 20};
  auto by_weight = BuildCooccurrence(d, o);
  o.min_count_of_pairs = true;
  auto by_pairs = BuildCooccurrence(d, o);
  ASSERT_TRUE(by_weight.ok() && by_pairs.ok());
  auto has = [](const NeighborLists& n, int32_t i, int32_t j) {
    for (int64_t k = n.indptr[i]; k < n.indptr[i + 1]; ++k) {
      if (n.neighbor[k] == j) return true;
    }
    return false;
  };
  EXPECT_FALSE(has(*by_weight, 0, 1));
  EXPECT_TRUE(has(*by_pairs, 0, 1));
  // Item 0's neighbours by pairs rank the nearest first.
  EXPECT_EQ(by_pairs->neighbor[by_pairs->indptr[0]], 2);
}

TEST(CooccurrenceTest, ForwardOnlyMatchesReference) {
  Interactions d = RandomData(60, 40, 900, 12);
  for (CooccurrenceOptions o :
       {CooccurrenceOptions{.window = 4,
       .position_half_life = 2,
       .min_count = 0,
       .top_k = 8,
       .forward_only = true,
       .num_threads = 2},
        CooccurrenceOptions{.min_count = 1, .top_k = 10, .forward_only = true, .num_threads = 2}}) {
    auto fast = BuildCooccurrence(d, o);
    auto ref = BuildCooccurrenceReference(d, o);
    ASSERT_TRUE(fast.ok() && ref.ok());
    ExpectSame(*fast, *ref);
  }
}

TEST(CooccurrenceTest, ForwardOnlyListsWhatComesNext) {
  // Every user watches 0, then 1, then 2: 0's successors are 1 and 2, 2 has none.
  Interactions d;
  d.num_users = 4;
  d.num_items = 3;
  for (int u = 0; u < 4; ++u) {
    for (int i = 0; i < 3; ++i) d.Add(u, i, 10 * u + i);
  }
  auto n = BuildCooccurrence(
      d, {.window = 1, .popularity_discount = 0, .min_count = 1, .forward_only = true});
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(n->indptr[1] - n->indptr[0], 1);
  EXPECT_EQ(n->neighbor[n->indptr[0]], 1);  // window 1: only the next item
  EXPECT_NEAR(n->score[n->indptr[0]], 4.0f, 1e-6);
  ASSERT_EQ(n->indptr[2] - n->indptr[1], 1);
  EXPECT_EQ(n->neighbor[n->indptr[1]], 2);
  EXPECT_EQ(n->indptr[3] - n->indptr[2], 0);
}

TEST(CooccurrenceTest, DiscountsPopularItems) {
  // Items 0 and 1 always co-occur; item 2 (popular) co-occurs with 0 as often.
  Interactions d;
  d.num_users = 10;
  d.num_items = 3;
  for (int u = 0; u < 3; ++u) {
    d.Add(u, 0, 1);
    d.Add(u, 1, 2);
    d.Add(u, 2, 3);
  }
  for (int u = 3; u < 10; ++u) d.Add(u, 2, 1);
  auto n = BuildCooccurrence(d, {.popularity_discount = 0.5, .min_count = 1});
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(n->indptr[1] - n->indptr[0], 2);
  EXPECT_EQ(n->neighbor[n->indptr[0]], 1);  // 3/sqrt(3*3) = 1 beats 3/sqrt(3*10)
  EXPECT_NEAR(n->score[n->indptr[0]], 1.0f, 1e-6);
}

}  // namespace
}  // namespace tailor::algo

namespace tailor::algo {
namespace {

TEST(SimsRecipeTest, ReturnsNeighboursThenPopularFallbackAndRoundTrips) {
  Interactions d;
  d.num_users = 20;
  d.num_items = 6;
  // Items 0 and 1 co-occur for 8 users; item 5 is popular alone.
  for (int u = 0; u < 8; ++u) {
    d.Add(u, 0, 1);
    d.Add(u, 1, 2);
  }
  for (int u = 8; u < 20; ++u) d.Add(u, 5, 1);
  RecipeRegistry r = BuiltinRecipes();
  const Recipe* sims = r.Find("aws-sims");
  ASSERT_NE(sims, nullptr);
  HyperParams p(std::map<std::string, std::string>{{"max_item_interaction_count_percentile", "1"},
                                                   {"min_user_history_length_percentile", "0"}});
  auto m = sims->Train(d, p, TrainContext{});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto sim = (*m)->SimilarItems(0, RecommendOptions{});
  ASSERT_TRUE(sim.ok());
  ASSERT_GE(sim->size(), 2u);
  EXPECT_EQ((*sim)[0].item, 1);
  EXPECT_EQ((*sim)[1].item, 5);  // popular fallback
  EXPECT_TRUE((*m)->Recommend(UserQuery{}, RecommendOptions{}).status().IsNotSupported());
  std::string bytes;
  ASSERT_TRUE((*m)->Save(&bytes).ok());
  auto loaded = r.LoadModel(bytes);
  ASSERT_TRUE(loaded.ok());
  auto again = (*loaded)->SimilarItems(0, RecommendOptions{});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), sim->size());
  HyperParams bad(std::map<std::string, std::string>{{"popularity_discount_factor", "2"}});
  auto s = sims->Train(d, bad, TrainContext{});
  EXPECT_TRUE(s.status().IsInvalidInput());
  EXPECT_NE(s.status().message().find("popularity_discount_factor"), std::string::npos);
}

// Trains aws-sims on `d` and returns item 0's first similar item (item -1 when the training or
// the query failed or found nothing); the model through *model when given.
ScoredItem FirstSimilarToItem0(const Interactions& d, const HyperParams& params,
                               std::unique_ptr<Model>* model = nullptr) {
  const RecipeRegistry registry = BuiltinRecipes();
  const Recipe* sims = registry.Find("aws-sims");
  if (sims == nullptr) return {-1, 0};
  auto trained = sims->Train(d, params, TrainContext{});
  EXPECT_TRUE(trained.ok()) << trained.status().ToString();
  if (!trained.ok()) return {-1, 0};
  auto similar = (*trained)->SimilarItems(0, RecommendOptions{});
  if (model != nullptr) *model = std::move(trained).value();
  if (!similar.ok() || similar->empty()) return {-1, 0};
  return (*similar)[0];
}

// The items' interaction-count percentiles count interactions, not items: at the default 0.9 the
// most popular of ten items (9 of 22 interactions) stays a neighbour, where a per-item percentile
// (the 9th of 10 items has 5 interactions) would have left it to the popular fallback.
TEST(SimsRecipeTest, ItemCountPercentilesWeighTheInteractions) {
  Interactions d;
  d.num_users = 17;
  d.num_items = 10;
  for (int u = 0; u < 5; ++u) {
    d.Add(u, 0, 1);  // the query item: 5 users
    d.Add(u, 1, 2);  // the popular item: these 5 and 4 more
  }
  for (int u = 5; u < 9; ++u) d.Add(u, 1, 1);
  for (int u = 9; u < 17; ++u) d.Add(u, u - 7, 1);  // items 2..9: one user each
  const ScoredItem neighbour = FirstSimilarToItem0(d, HyperParams());
  EXPECT_EQ(neighbour.item, 1);
  EXPECT_GT(neighbour.score, 0.0f);  // a neighbour, not the fallback's score of 0

  // A cut below its count leaves it to the fallback.
  const ScoredItem fallback = FirstSimilarToItem0(
      d, HyperParams(
             std::map<std::string, std::string>{{"max_item_interaction_count_percentile", "0.5"}}));
  EXPECT_EQ(fallback.item, 1);
  EXPECT_EQ(fallback.score, 0.0f);
}

// Users outside the history-length percentiles take no part in the co-occurrence, yet stay in the
// model's history (which filters read). Item 0's best neighbour is item 3 through five users with
// long histories; at a percentile that leaves them out it is item 2, through four short ones.
TEST(SimsRecipeTest, UserHistoryLengthPercentilesLeaveLongHistoriesOut) {
  Interactions d;
  d.num_users = 9;
  d.num_items = 10;
  for (int u = 0; u < 4; ++u) {
    d.Add(u, 0, 1);
    d.Add(u, 2, 2);
  }
  for (int u = 4; u < 9; ++u) {
    d.Add(u, 0, 1);
    d.Add(u, 3, 2);
    for (int i = 4; i < 10; ++i) d.Add(u, i, i);  // 8 events each
  }
  EXPECT_EQ(FirstSimilarToItem0(d, HyperParams()).item, 3);

  // Sorted history lengths 2,2,2,2,8,8,8,8,8: the 0.3 percentile is 2.
  std::unique_ptr<Model> cut;
  const ScoredItem without_long = FirstSimilarToItem0(
      d,
      HyperParams(
          std::map<std::string, std::string>{{"max_user_history_length_percentile", "0.3"}}),
      &cut);
  EXPECT_EQ(without_long.item, 2);
  EXPECT_GT(without_long.score, 0.0f);
  ASSERT_NE(cut, nullptr);
  EXPECT_EQ(cut->history().row(4).size(), 8u);
}

}  // namespace
}  // namespace tailor::algo
