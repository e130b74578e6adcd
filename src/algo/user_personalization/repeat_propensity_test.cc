#include "algo/user_personalization/repeat_propensity.h"

#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

// One user: A, A, B, A. Before the 2nd event A is the newest item with 1 event (a chance, and a
// hit); before the 3rd, A has 2 events (a chance, no hit: B is new); before the 4th, B is newest
// with 1 event (a chance, no hit) and A second with 2 (a chance and a hit). Each rate has one
// chance more in its denominator than was seen.
TEST(RepeatPropensityTest, CountsChancesAndHitsByRankAndCount) {
  Interactions d;
  d.num_users = 1;
  d.num_items = 2;
  d.Add(0, 0, 1);
  d.Add(0, 0, 2);
  d.Add(0, 1, 3);
  d.Add(0, 0, 4);
  const RepeatPropensity p = RepeatPropensity::Learn(d);
  EXPECT_TRUE(p.any());
  EXPECT_FLOAT_EQ(p.Chance(0, 1), 1.0f / 3);  // 2 chances, 1 hit
  EXPECT_FLOAT_EQ(p.Chance(0, 2), 0.0f);      // 1 chance, no hit
  EXPECT_FLOAT_EQ(p.Chance(1, 2), 0.5f);      // 1 chance, 1 hit
  EXPECT_FLOAT_EQ(p.Chance(1, 1), 0.0f);      // never a chance
  EXPECT_FLOAT_EQ(p.Chance(1, 7), 0.0f);      // 3 or more events: a bucket never met
}

// Events are taken in time order (ties in input order), not in input order.
TEST(RepeatPropensityTest, ReadsEventsInTimeOrder) {
  Interactions d;
  d.num_users = 1;
  d.num_items = 2;
  d.Add(0, 0, 30);  // A at 30, B at 10 and 20: B, B, A — B comes back, A does not.
  d.Add(0, 1, 10);
  d.Add(0, 1, 20);
  const RepeatPropensity p = RepeatPropensity::Learn(d);
  EXPECT_FLOAT_EQ(p.Chance(0, 1), 0.5f);  // before B's 2nd event: 1 chance, 1 hit
  EXPECT_FLOAT_EQ(p.Chance(0, 2), 0.0f);  // before A: B (2 events), no hit
}

// A "watch" (type 0) is followed by a "click" (type 1) of the same item; a click alone is not.
// Before each event: A(watch) is newest with 1 event, a hit; A(click, 2 events), no hit;
// B(click) newest and A second, neither a hit; C(watch) newest, a hit, B second, A third.
TEST(RepeatPropensityTest, TheLatestEventTypeHasChancesOfItsOwn) {
  Interactions d;
  d.num_users = 1;
  d.num_items = 3;
  const std::pair<int32_t, uint8_t> events[] = {{0, 0}, {0, 1}, {1, 1}, {2, 0}, {2, 1}};
  int64_t t = 0;
  for (const auto& [item, type] : events) {
    d.Add(0, item, ++t);
    d.SetLastEventType(type);
  }
  const RepeatPropensity p = RepeatPropensity::Learn(d);
  EXPECT_FLOAT_EQ(p.Chance(0, 1, 0), 2.0f / 3);  // 2 chances, 2 hits
  EXPECT_FLOAT_EQ(p.Chance(0, 1, 1), 0.0f);      // B: 1 chance, no hit
  EXPECT_FLOAT_EQ(p.Chance(1, 1, 1), 0.0f);      // B second: 1 chance, no hit
  EXPECT_FLOAT_EQ(p.Chance(0, 2, 1), 0.0f);      // A after its click: 1 chance, no hit
  // Types past the first three share one bucket.
  EXPECT_EQ(RepeatPropensity::Bucket(0, 1, 3), RepeatPropensity::Bucket(0, 1, 200));
  EXPECT_NE(RepeatPropensity::Bucket(0, 1, 2), RepeatPropensity::Bucket(0, 1, 3));
}

// Past kRanks distinct items, the older ones share one bucket.
TEST(RepeatPropensityTest, OlderItemsShareTheLastRank) {
  Interactions d;
  d.num_users = 1;
  d.num_items = RepeatPropensity::kRanks + 1;
  int64_t t = 0;
  for (int32_t i = 0; i <= RepeatPropensity::kRanks; ++i) d.Add(0, i, ++t);
  d.Add(0, 0, ++t);  // item 0 is now at rank kRanks: the shared bucket's one chance, a hit
  const RepeatPropensity p = RepeatPropensity::Learn(d);
  EXPECT_FLOAT_EQ(p.Chance(RepeatPropensity::kRanks, 1), 0.5f);
  EXPECT_FLOAT_EQ(p.Chance(RepeatPropensity::kRanks + 40, 1), 0.5f);
  // Rank 0 had kRanks + 1 chances (one before each later event) and no hit.
  EXPECT_FLOAT_EQ(p.Chance(0, 1), 0.0f);
}

TEST(RepeatPropensityTest, LearnsNothingWhenNobodyComesBack) {
  Interactions d;
  d.num_users = 3;
  d.num_items = 30;
  for (int32_t u = 0; u < 3; ++u) {
    for (int32_t k = 0; k < 10; ++k) d.Add(u, u * 10 + k, k);
  }
  EXPECT_FALSE(RepeatPropensity::Learn(d, 2).any());
}

TEST(RepeatPropensityTest, SavesAndLoads) {
  Interactions d;
  d.num_users = 1;
  d.num_items = 2;
  for (int32_t i : {0, 0, 1, 0, 1}) d.Add(0, i, 0);
  const RepeatPropensity p = RepeatPropensity::Learn(d);
  std::string bytes;
  ByteWriter w(&bytes);
  p.Save(w);
  ByteReader r(bytes);
  RepeatPropensity q;
  ASSERT_TRUE(q.Load(r));
  for (int rank = 0; rank <= RepeatPropensity::kRanks; ++rank) {
    for (int count = 1; count <= RepeatPropensity::kCounts; ++count) {
      EXPECT_EQ(q.Chance(rank, count), p.Chance(rank, count));
    }
  }
  ByteReader short_reader(std::string_view(bytes).substr(0, bytes.size() - 1));
  EXPECT_FALSE(RepeatPropensity().Load(short_reader));
  std::string bad = bytes;
  const float two = 2;
  std::memcpy(bad.data(), &two, sizeof two);
  ByteReader bad_reader(bad);
  EXPECT_FALSE(RepeatPropensity().Load(bad_reader));
}

}  // namespace
}  // namespace tailor::algo
