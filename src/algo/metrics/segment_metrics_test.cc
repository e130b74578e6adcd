#include "algo/metrics/segment_metrics.h"

#include <gtest/gtest.h>

#include "algo/model.h"

namespace tailor::algo {
namespace {

// A model whose segment of item i is the fixed list segments[i].
class FixedSegments : public Model {
 public:
  FixedSegments(int32_t num_users, std::vector<std::vector<int32_t>> segments)
      : segments_(std::move(segments)) {
    num_items_ = static_cast<int32_t>(segments_.size());
    history_.indptr.assign(static_cast<size_t>(num_users) + 1, 0);
  }
  std::string_view type() const override { return "fixed"; }
  StatusOr<std::vector<ScoredItem>> Segment(int32_t item, int32_t num_users) const override {
    std::vector<ScoredItem> out;
    for (int32_t u : segments_[item]) {
      if (static_cast<int32_t>(out.size()) < num_users) out.push_back({u, 1.0f});
    }
    return out;
  }

 private:
  void SavePayload(ByteWriter&) const override {}
  std::vector<std::vector<int32_t>> segments_;
};

TEST(SegmentMetricsTest, HoldsOutEachUsersNewestFifth) {
  Interactions data;
  data.num_users = 3;
  data.num_items = 4;
  for (int t = 0; t < 10; ++t) data.Add(0, t % 2, 100 + t);  // user 0: 10 events, newest 2 out
  data.Add(1, 2, 5);                                         // user 1: one event, stays
  data.Add(2, 3, 9);
  data.Add(2, 2, 1);  // user 2: 2 events, the newest (item 3, ts 9) out
  StatusOr<SegmentSplit> split = SplitForSegments(data);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_EQ(split->train.size(), 10u);
  ASSERT_EQ(split->truth.size(), 3u);
  EXPECT_EQ(split->truth[0].item, 0);  // ts 108
  EXPECT_EQ(split->truth[0].users, std::vector<int32_t>{0});
  EXPECT_EQ(split->truth[1].item, 1);  // ts 109
  EXPECT_EQ(split->truth[2].item, 3);
  EXPECT_EQ(split->truth[2].users, std::vector<int32_t>{2});
  EXPECT_TRUE(SplitForSegments(data, 1.0).status().IsInvalidInput());
}

TEST(SegmentMetricsTest, HitAndRecallByHand) {
  // 200 users: segments of 2. Item 0: truth {1, 2, 3}, segment {1, 9} → hit, recall 1/3.
  // Item 1: truth {4}, segment {5, 6} → no hit, recall 0. Item 2: truth {7, 8}, segment
  // {8, 7, 1} cut to {8, 7} → hit, recall 1.
  // User 0 interacted with item 0 in training: it is passed over, not counted in the 2.
  FixedSegments model(200, {{0, 1, 9}, {5, 6}, {8, 7, 1}});
  SegmentSplit split;
  split.train.num_users = 200;
  split.train.num_items = 3;
  split.train.Add(0, 0, 1);
  split.truth = {{0, {1, 2, 3}}, {1, {4}}, {2, {7, 8}}};
  EXPECT_EQ(SegmentSize(200), 2);
  EXPECT_EQ(SegmentSize(50), 1);
  StatusOr<SegmentMetrics> m = EvaluateSegments(model, split);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->items, 3);
  EXPECT_DOUBLE_EQ(m->hit, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m->recall, (1.0 / 3 + 0 + 1) / 3);
  EXPECT_EQ(m->ToMap().count("hit"), 1u);
}

}  // namespace
}  // namespace tailor::algo
