// Offline ranking metrics as GetSolutionMetrics reports them (personalize-semantics.md §5):
// precision_at_{5,10,25}, mean_reciprocal_rank_at_25, normalized_discounted_cumulative_gain_at_
// {5,10,25} and coverage, averaged over test users; with eventsConfig also normalized_discounted_
// cumulative_gain_with_event_weights_at_{5,10,25}. Per-user functions take the ranked list R_u
// (best first) and the ground truth G_u (distinct items).
// Thread-safety: the free functions are pure; a MetricsAccumulator is not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace tailor::algo {

// |R_u[1..k] ∩ G_u| / k.
double PrecisionAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth, int k);
// 1 / rank of the first hit within the top k, or 0 when there is none.
double ReciprocalRankAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth, int k);
// DCG / IDCG with DCG = Σ_{hits i ≤ k} 1/log2(1+i) and IDCG = Σ_{i=1..min(|G_u|,k)} 1/log2(1+i).
// The ratio does not depend on the log base. 0 when truth is empty.
double NdcgAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth, int k);
// NDCG where a hit's gain is its event weight (truth_weights[j] for truth[j]) and the ideal DCG
// takes the largest min(|G_u|, k) weights in order. Personalize divides each weight by the mean
// weight of eventsConfig (0.3 and 0.1 give gains 1.5 and 0.5); that factor is in DCG and IDCG
// alike, so it cancels. 0 when truth is empty or every weight is 0.
// REQUIRES: truth_weights.size() == truth.size(), weights >= 0.
double WeightedNdcgAtK(std::span<const int32_t> ranked, std::span<const int32_t> truth,
                       std::span<const float> truth_weights, int k);

// Averages of the per-user metrics over the users added, plus catalogue coverage.
struct RankingMetrics {
  int64_t num_users = 0;
  double coverage = 0;
  double mean_reciprocal_rank_at_25 = 0;
  double ndcg_at_5 = 0, ndcg_at_10 = 0, ndcg_at_25 = 0;
  double precision_at_5 = 0, precision_at_10 = 0, precision_at_25 = 0;
  // Only with eventsConfig; ToMap reports these only when has_event_weights.
  bool has_event_weights = false;
  double weighted_ndcg_at_5 = 0, weighted_ndcg_at_10 = 0, weighted_ndcg_at_25 = 0;

  // Keyed by Personalize's metric names ("normalized_discounted_cumulative_gain_at_10", ...).
  std::map<std::string, double> ToMap() const;
};

class MetricsAccumulator {
 public:
  // num_catalog_items: distinct items in Interactions and Items, the coverage denominator.
  // with_event_weights: also average WeightedNdcgAtK (the solution has an eventsConfig).
  explicit MetricsAccumulator(int32_t num_catalog_items, bool with_event_weights = false)
      : num_catalog_items_(num_catalog_items), with_event_weights_(with_event_weights) {}

  // Adds one test user. `ranked` should hold at least 25 items (fewer count as misses);
  // every ranked item counts toward coverage. REQUIRES: truth is non-empty and distinct; with
  // event weights, truth_weights holds one weight per truth item.
  void Add(std::span<const int32_t> ranked, std::span<const int32_t> truth,
           std::span<const float> truth_weights = {});
  // Averages so far; all zero when no user was added.
  RankingMetrics Finish() const;

 private:
  int32_t num_catalog_items_;
  bool with_event_weights_;
  RankingMetrics sums_;
  std::vector<bool> seen_;
  int64_t distinct_recommended_ = 0;
};

}  // namespace tailor::algo
