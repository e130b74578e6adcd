#include "algo/metrics/ranking_metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace tailor::algo {
namespace {

bool Contains(std::span<const int32_t> truth, int32_t item) {
  return std::find(truth.begin(), truth.end(), item) != truth.end();
}

}  // namespace

double PrecisionAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth, int k) {
  int hits = 0;
  for (int i = 0; i < k && i < static_cast<int>(ranked.size()); ++i)
    hits += Contains(truth, ranked[i]);
  return static_cast<double>(hits) / k;
}

double ReciprocalRankAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth, int k) {
  for (int i = 0; i < k && i < static_cast<int>(ranked.size()); ++i) {
    if (Contains(truth, ranked[i])) return 1.0 / (i + 1);
  }
  return 0;
}

double WeightedNdcgAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth,
                       std::span<const float> truth_weights, int k) {
  double dcg = 0, idcg = 0;
  for (int i = 1; i <= k && i <= static_cast<int>(ranked.size()); ++i) {
    auto hit = std::find(truth.begin(), truth.end(), ranked[i - 1]);
    if (hit != truth.end()) dcg += truth_weights[hit - truth.begin()] / std::log2(1.0 + i);
  }
  std::vector<float> ideal(truth_weights.begin(), truth_weights.end());
  std::sort(ideal.begin(), ideal.end(), std::greater<>());
  for (int i = 1; i <= k && i <= static_cast<int>(ideal.size()); ++i) {
    idcg += ideal[i - 1] / std::log2(1.0 + i);
  }
  return idcg > 0 ? dcg / idcg : 0;
}

double NdcgAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth, int k) {
  // Every hit gains 1: the weighted form with equal weights.
  const std::vector<float> ones(truth.size(), 1.0f);
  return WeightedNdcgAtK(ranked, truth, ones, k);
}

void MetricsAccumulator::Add(std::span<const int32_t> ranked, std::span<const int32_t> truth,
                             std::span<const float> truth_weights) {
  RankingMetrics& s = sums_;
  if (with_event_weights_) {
    s.weighted_ndcg_at_5 += WeightedNdcgAtK(ranked, truth, truth_weights, 5);
    s.weighted_ndcg_at_10 += WeightedNdcgAtK(ranked, truth, truth_weights, 10);
    s.weighted_ndcg_at_25 += WeightedNdcgAtK(ranked, truth, truth_weights, 25);
  }
  ++s.num_users;
  s.mean_reciprocal_rank_at_25 += ReciprocalRankAtK(ranked, truth, 25);
  s.ndcg_at_5 += NdcgAtK(ranked, truth, 5);
  s.ndcg_at_10 += NdcgAtK(ranked, truth, 10);
  s.ndcg_at_25 += NdcgAtK(ranked, truth, 25);
  s.precision_at_5 += PrecisionAtK(ranked, truth, 5);
  s.precision_at_10 += PrecisionAtK(ranked, truth, 10);
  s.precision_at_25 += PrecisionAtK(ranked, truth, 25);
  if (seen_.empty()) seen_.assign(num_catalog_items_, false);
  for (int32_t i : ranked) {
    if (i >= 0 && i < num_catalog_items_ && !seen_[i]) {
      seen_[i] = true;
      ++distinct_recommended_;
    }
  }
}

RankingMetrics MetricsAccumulator::Finish() const {
  RankingMetrics m;
  m.num_users = sums_.num_users;
  m.has_event_weights = with_event_weights_;
  if (m.num_users == 0) return m;
  const double n = static_cast<double>(m.num_users);
  m.mean_reciprocal_rank_at_25 = sums_.mean_reciprocal_rank_at_25 / n;
  m.ndcg_at_5 = sums_.ndcg_at_5 / n;
  m.ndcg_at_10 = sums_.ndcg_at_10 / n;
  m.ndcg_at_25 = sums_.ndcg_at_25 / n;
  m.precision_at_5 = sums_.precision_at_5 / n;
  m.precision_at_10 = sums_.precision_at_10 / n;
  m.precision_at_25 = sums_.precision_at_25 / n;
  m.weighted_ndcg_at_5 = sums_.weighted_ndcg_at_5 / n;
  m.weighted_ndcg_at_10 = sums_.weighted_ndcg_at_10 / n;
  m.weighted_ndcg_at_25 = sums_.weighted_ndcg_at_25 / n;
  m.coverage =
      num_catalog_items_ > 0 ? static_cast<double>(distinct_recommended_) / num_catalog_items_ : 0;
  return m;
}

std::map<std::string, double> RankingMetrics::ToMap() const {
  std::map<std::string, double> out = {
      {"coverage", coverage},
      {"mean_reciprocal_rank_at_25", mean_reciprocal_rank_at_25},
      {"normalized_discounted_cumulative_gain_at_5", ndcg_at_5},
      {"normalized_discounted_cumulative_gain_at_10", ndcg_at_10},
      {"normalized_discounted_cumulative_gain_at_25", ndcg_at_25},
      {"precision_at_5", precision_at_5},
      {"precision_at_10", precision_at_10},
      {"precision_at_25", precision_at_25},
  };
  if (has_event_weights) {
    out["normalized_discounted_cumulative_gain_with_event_weights_at_5"] = weighted_ndcg_at_5;
    out["normalized_discounted_cumulative_gain_with_event_weights_at_10"] = weighted_ndcg_at_10;
    out["normalized_discounted_cumulative_gain_with_event_weights_at_25"] = weighted_ndcg_at_25;
  }
  return out;
}

}  // namespace tailor::algo
