#include "serve/events/item_event_counts.h"

#include <cmath>

#include <gtest/gtest.h>

namespace tailor::serve {
namespace {

constexpr int64_t kBucket = 1800;
constexpr int64_t kT0 = 1'700'006'400;  // a bucket edge

TEST(ItemEventCountsTest, CountsPerBucketTypeAndEpoch) {
  ItemEventCounts counts;
  counts.Add("a", "click", NAN, kT0 + 1, 1);
  counts.Add("a", "click", NAN, kT0 + kBucket - 1, 1);
  counts.Add("a", "watch", NAN, kT0 + 5, 1);
  counts.Add("b", "click", NAN, kT0 + kBucket, 2);
  const int64_t b0 = kT0 / kBucket;
  auto all = counts.Get(0, b0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].item_id, "a");
  EXPECT_EQ(all[0].event_type, "click");
  EXPECT_EQ(all[0].bucket, b0);
  EXPECT_EQ(all[0].count, 2);
  EXPECT_EQ(all[1].event_type, "watch");
  EXPECT_EQ(all[1].count, 1);
  EXPECT_EQ(all[2].item_id, "b");
  EXPECT_EQ(all[2].bucket, b0 + 1);
  // Epoch 1 is the model's: only epoch 2's event is fresh.
  auto fresh = counts.Get(1, b0);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].item_id, "b");
  // Buckets before since_bucket are left out.
  EXPECT_EQ(counts.Get(0, b0 + 1).size(), 1u);
  EXPECT_EQ(counts.newest_bucket(), b0 + 1);
}

TEST(ItemEventCountsTest, KeepsTheValues) {
  ItemEventCounts counts;
  counts.Add("a", "rate", 4.0f, kT0, 1);
  counts.Add("a", "rate", 2.0f, kT0, 1);
  counts.Add("a", "rate", 4.0f, kT0, 1);
  counts.Add("a", "rate", NAN, kT0, 1);
  auto all = counts.Get(0, INT64_MIN);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(std::isnan(all[0].value));
  EXPECT_EQ(all[0].count, 1);
  EXPECT_EQ(all[1].value, 2.0f);
  EXPECT_EQ(all[1].count, 1);
  EXPECT_EQ(all[2].value, 4.0f);
  EXPECT_EQ(all[2].count, 2);
}

TEST(ItemEventCountsTest, DropsBucketsOlderThanTwoDays) {
  ItemEventCounts counts;
  counts.Add("old", "click", NAN, kT0, 1);
  const uint64_t before = counts.version();
  counts.Add("new", "click", NAN, kT0 + ItemEventCounts::kKeptBuckets * kBucket, 1);
  EXPECT_NE(counts.version(), before);
  auto all = counts.Get(0, INT64_MIN);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].item_id, "new");
  // An event older than what is kept is not counted.
  counts.Add("late", "click", NAN, kT0, 1);
  EXPECT_EQ(counts.Get(0, INT64_MIN).size(), 1u);
}

}  // namespace
}  // namespace tailor::serve
