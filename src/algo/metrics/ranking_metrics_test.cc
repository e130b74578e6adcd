#include "algo/metrics/ranking_metrics.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

// Ranked lists of 25 distinct items 100..124 with chosen positions (1-based) replaced by hits.
std::vector<int32_t> RankedWithHits(std::vector<std::pair<int, int32_t>> hits) {
  std::vector<int32_t> r;
  for (int i = 0; i < 25; ++i) r.push_back(100 + i);
  for (auto [rank, item] : hits) r[rank - 1] = item;
  return r;
}

// personalize-semantics.md §5: hits at ranks 2 and 5 with |G| = 2 give 0.6241.
TEST(RankingMetricsTest, NdcgMatchesDocumentedExample) {
  std::vector<int32_t> truth = {1, 2};
  auto ranked = RankedWithHits({{2, 1}, {5, 2}});
  EXPECT_NEAR(NdcgAtK(ranked, truth, 5), 0.6241, 5e-5);
  // (1/log2 3 + 1/log2 6) / (1 + 1/log2 3) = 1.01780 / 1.63093.
  EXPECT_NEAR(NdcgAtK(ranked, truth, 5), 1.0177825 / 1.6309298, 1e-6);
  // The ratio is the same with natural logs: the base cancels.
  double ln = (1 / std::log(3.0) + 1 / std::log(6.0)) / (1 / std::log(2.0) + 1 / std::log(3.0));
  EXPECT_NEAR(NdcgAtK(ranked, truth, 5), ln, 1e-12);
  // At k = 4 only the rank-2 hit counts.
  EXPECT_NEAR(NdcgAtK(ranked, truth, 4), (1 / std::log2(3.0)) / 1.6309298, 1e-6);
}

TEST(RankingMetricsTest, IdealDcgIsCappedAtK) {
  std::vector<int32_t> truth = {1, 2, 3, 4, 5, 6, 7};
  auto ranked = RankedWithHits({{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}});
  EXPECT_DOUBLE_EQ(NdcgAtK(ranked, truth, 5), 1.0);
  EXPECT_LT(NdcgAtK(ranked, truth, 10), 1.0);
}

TEST(RankingMetricsTest, PrecisionAndReciprocalRank) {
  std::vector<int32_t> truth = {7, 8, 9};
  auto ranked = RankedWithHits({{3, 7}, {6, 8}, {20, 9}});
  EXPECT_DOUBLE_EQ(PrecisionAtK(ranked, truth, 5), 1.0 / 5);
  EXPECT_DOUBLE_EQ(PrecisionAtK(ranked, truth, 10), 2.0 / 10);
  EXPECT_DOUBLE_EQ(PrecisionAtK(ranked, truth, 25), 3.0 / 25);
  EXPECT_DOUBLE_EQ(ReciprocalRankAtK(ranked, truth, 25), 1.0 / 3);
  EXPECT_DOUBLE_EQ(ReciprocalRankAtK(RankedWithHits({{26 - 1, 9}}), truth, 25), 1.0 / 25);
  EXPECT_DOUBLE_EQ(ReciprocalRankAtK(RankedWithHits({}), truth, 25), 0.0);
  // A short list counts missing positions as misses.
  std::vector<int32_t> short_list = {7};
  EXPECT_DOUBLE_EQ(PrecisionAtK(short_list, truth, 5), 0.2);
}

TEST(RankingMetricsTest, AccumulatorAveragesAndCountsCoverage) {
  MetricsAccumulator acc(/*num_catalog_items=*/100);
  std::vector<int32_t> a = {1, 2, 3}, b = {3, 4};
  std::vector<int32_t> ta = {1}, tb = {9};
  acc.Add(a, ta);  // hit at rank 1: NDCG 1, MRR 1, P@5 0.2
  acc.Add(b, tb);  // no hit
  RankingMetrics m = acc.Finish();
  EXPECT_EQ(m.num_users, 2);
  EXPECT_DOUBLE_EQ(m.ndcg_at_10, 0.5);
  EXPECT_DOUBLE_EQ(m.mean_reciprocal_rank_at_25, 0.5);
  EXPECT_DOUBLE_EQ(m.precision_at_5, 0.1);
  EXPECT_DOUBLE_EQ(m.precision_at_25, 0.02);
  EXPECT_DOUBLE_EQ(m.coverage, 4.0 / 100);
  auto map = m.ToMap();
  EXPECT_EQ(map.size(), 8u);
  EXPECT_DOUBLE_EQ(map.at("normalized_discounted_cumulative_gain_at_10"), 0.5);
  EXPECT_DOUBLE_EQ(map.at("mean_reciprocal_rank_at_25"), 0.5);
}

// personalize-semantics.md §5: with eventsConfig weights 0.3 (purchase) and 0.1 (click) the gains
// are 1.5 and 0.5; the mean weight divides DCG and IDCG alike.
TEST(RankingMetricsTest, WeightedNdcgGivesHeavierEventsMoreGain) {
  std::vector<int32_t> truth = {1, 2};
  std::vector<float> weights = {0.3f, 0.1f};  // item 1 was bought, item 2 clicked
  // The purchase at rank 1, the click at rank 2: the ideal order.
  EXPECT_NEAR(WeightedNdcgAtK(RankedWithHits({{1, 1}, {2, 2}}), truth, weights, 10), 1.0, 1e-9);
  // Swapped: DCG = 0.5 + 1.5/log2 3, IDCG = 1.5 + 0.5/log2 3.
  const double swapped = (0.5 + 1.5 / std::log2(3.0)) / (1.5 + 0.5 / std::log2(3.0));
  EXPECT_NEAR(WeightedNdcgAtK(RankedWithHits({{1, 2}, {2, 1}}), truth, weights, 10), swapped, 1e-6);
  // Only the click found, at rank 1: 0.5 / (1.5 + 0.5/log2 3); the unweighted NDCG says more.
  auto click_only = RankedWithHits({{1, 2}});
  const double click = 0.5 / (1.5 + 0.5 / std::log2(3.0));
  EXPECT_NEAR(WeightedNdcgAtK(click_only, truth, weights, 10), click, 1e-6);
  EXPECT_GT(NdcgAtK(click_only, truth, 10), click);
  // Only the purchase at rank 1 scores 3x the click-only list.
  EXPECT_NEAR(WeightedNdcgAtK(RankedWithHits({{1, 1}}), truth, weights, 10), 3 * click, 1e-6);
  // Equal weights give the plain NDCG; no weight gives 0, not a division by zero.
  std::vector<float> equal = {0.2f, 0.2f};
  auto ranked = RankedWithHits({{2, 1}, {5, 2}});
  EXPECT_NEAR(WeightedNdcgAtK(ranked, truth, equal, 5), NdcgAtK(ranked, truth, 5), 1e-6);
  std::vector<float> zero = {0.0f, 0.0f};
  EXPECT_EQ(WeightedNdcgAtK(ranked, truth, zero, 5), 0.0);
}

TEST(RankingMetricsTest, AccumulatorReportsWeightedNdcgOnlyWithEventWeights) {
  std::vector<int32_t> ranked = {2, 1}, truth = {1, 2};
  std::vector<float> weights = {0.3f, 0.1f};
  MetricsAccumulator plain(/*num_catalog_items=*/10);
  plain.Add(ranked, truth);
  EXPECT_EQ(plain.Finish().ToMap().count(
                "normalized_discounted_cumulative_gain_with_event_weights_at_10"),
            0u);
  MetricsAccumulator weighted(/*num_catalog_items=*/10, /*with_event_weights=*/true);
  weighted.Add(ranked, truth, weights);
  auto map = weighted.Finish().ToMap();
  EXPECT_EQ(map.size(), 11u);
  EXPECT_NEAR(map.at("normalized_discounted_cumulative_gain_with_event_weights_at_10"),
              WeightedNdcgAtK(ranked, truth, weights, 10), 1e-12);
  EXPECT_LT(map.at("normalized_discounted_cumulative_gain_with_event_weights_at_10"),
            map.at("normalized_discounted_cumulative_gain_at_10"));
}

}  // namespace
}  // namespace tailor::algo
