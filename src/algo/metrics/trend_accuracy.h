// Trend prediction accuracy, the offline metric of aws-trending-now (personalize-semantics.md
// §5): the data's newest window of trend_discovery_frequency is held out and the model trains on
// the events before it. Each item's gain is its held-out events minus its events in the window
// before (the model's last window). The accuracy is the gain of the model's top K items over the
// gain of the K items that actually gained the most, clamped to [0, 1]: 1 when the model named
// what went on to rise.
// Thread-safety: pure functions; TrendPredictionAccuracy only reads the model.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "algo/interaction_matrix.h"
#include "common/status_or.h"

namespace tailor::algo {

class Model;

struct TrendSplit {
  Interactions train;         // events at or before the held-out window's start; same index spaces
  std::vector<int32_t> gain;  // per item: held-out events minus the window before's
};

// nullopt when the data has no events before the held-out window (nothing to train on) or no
// item gained (nothing to predict). InvalidInput for a window that is not positive.
StatusOr<std::optional<TrendSplit>> SplitForTrend(const Interactions& data, int64_t window_seconds);

// The accuracy of `model` (trained on split.train) at its top `k` items.
StatusOr<double> TrendPredictionAccuracy(const Model& model, const TrendSplit& split,
                                         int32_t k = 25);

}  // namespace tailor::algo
