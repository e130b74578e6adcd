// The offline evaluation protocol (personalize-semantics.md §5): a seeded random 10% of users
// is held out of training; for each, events sorted by time split into the oldest 90% (input
// history) and the newest 10% (ground truth), with at least one truth event. Users with fewer
// than 2 events cannot be split and stay in training. EvaluateModel runs a model over the
// held-out users and averages the ranking metrics.
// Thread-safety: pure functions; EvaluateModel only reads the model (see model.h).
#pragma once

#include <cstdint>
#include <vector>

#include "algo/interaction_matrix.h"
#include "algo/metrics/ranking_metrics.h"
#include "common/status_or.h"

namespace tailor::algo {

class Model;

struct SplitOptions {
  // Fraction of users (with at least one event) held out as test users.
  double test_user_fraction = 0.1;
  // Fraction of a test user's events (newest) used as ground truth; rounded to nearest, >= 1.
  double truth_fraction = 0.1;
  uint64_t seed = 42;
};

struct TestUser {
  int32_t user = 0;                  // index in the original data (no rows in train)
  std::vector<int32_t> input_items;  // oldest first
  std::vector<int64_t> input_timestamps;
  std::vector<float> input_weights;
  std::vector<uint8_t> input_event_types;  // empty when the data has none
  std::vector<int32_t> truth;              // distinct items of the newest events
  std::vector<float> truth_weights;        // per truth item: the largest weight of its events
};

struct EvaluationSplit {
  // Every event of non-test users, in the same index space as the input.
  Interactions train;
  std::vector<TestUser> test;
};

// Splits `data` as described above. Deterministic for a given seed. InvalidInput when the data
// is invalid or a fraction is outside (0, 1).
StatusOr<EvaluationSplit> SplitForEvaluation(const Interactions& data, const SplitOptions& options);

// Each test user's top 25 from `model`, as EvaluateModel asks for them (below).
StatusOr<std::vector<std::vector<int32_t>>> RankForEvaluation(const Model& model,
                                                              const EvaluationSplit& split,
                                                              int num_threads = 1);

// Asks `model` for each test user's top 25 (user unseen in training: the query carries the
// input history; history items excluded; for a model without per-user scores, the items most
// similar to the newest input item) and accumulates the metrics, with `num_catalog_items`
// as the coverage denominator. with_event_weights adds the event-weighted NDCG (eventsConfig).
// Errors from the model are returned as-is.
StatusOr<RankingMetrics> EvaluateModel(const Model& model, const EvaluationSplit& split,
                                       int32_t num_catalog_items, int num_threads = 1,
                                       bool with_event_weights = false);

}  // namespace tailor::algo
