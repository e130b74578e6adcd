#include "algo/item_similarity/cooccurrence.h"

#include <gtest/gtest.h>

#include <random>

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

// X7: the per-item accumulator kernel equals the pairwise reference, whole history and windowed.
TEST(CooccurrenceTest, MatchesReference) {
  Interactions d = RandomData(60, 40, 900, 11);
  for (CooccurrenceOptions o : {CooccurrenceOptions{.min_count = 2, .top_k = 10, .num_threads = 2},
                                CooccurrenceOptions{.window = 3,
                                                    .position_half_life = 1,
                                                    .popularity_discount = 0.3,
                                                    .min_count = 0,
                                                    .top_k = 5,
                                                    .num_threads = 2}}) {
    auto fast = BuildCooccurrence(d, o);
    auto ref = BuildCooccurrenceReference(d, o);
    ASSERT_TRUE(fast.ok() && ref.ok());
    ExpectSame(*fast, *ref);
  }
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
