// Offline ranking metrics as GetSolutionMetrics reports them (personalize-semantics.md §5):
// precision_at_{5,10,25}, mean_reciprocal_rank_at_25, normalized_discounted_cumulative_gain_at_
// {5,10,25} and coverage, averaged over test users. Per-user functions take the ranked list R_u
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

// Averages of the per-user metrics over the users added, plus catalogue coverage.
struct RankingMetrics {
  int64_t num_users = 0;
  double coverage = 0;
  double mean_reciprocal_rank_at_25 = 0;
  double ndcg_at_5 = 0, ndcg_at_10 = 0, ndcg_at_25 = 0;
  double precision_at_5 = 0, precision_at_10 = 0, precision_at_25 = 0;

  // Keyed by Personalize's metric names ("normalized_discounted_cumulative_gain_at_10", ...).
  std::map<std::string, double> ToMap() const;
};

class MetricsAccumulator {
 public:
  // num_catalog_items: distinct items in Interactions and Items, the coverage denominator.
  explicit MetricsAccumulator(int32_t num_catalog_items) : num_catalog_items_(num_catalog_items) {}

  // Adds one test user. `ranked` should hold at least 25 items (fewer count as misses);
  // every ranked item counts toward coverage. REQUIRES: truth is non-empty and distinct.
  void Add(std::span<const int32_t> ranked, std::span<const int32_t> truth);
  // Averages so far; all zero when no user was added.
  RankingMetrics Finish() const;

 private:
  int32_t num_catalog_items_;
  RankingMetrics sums_;
  std::vector<bool> seen_;
  int64_t distinct_recommended_ = 0;
};

}  // namespace tailor::algo
