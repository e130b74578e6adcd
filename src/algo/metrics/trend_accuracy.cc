#include "algo/metrics/trend_accuracy.h"

#include <algorithm>
#include <functional>

#include "algo/model.h"

namespace tailor::algo {

StatusOr<std::optional<TrendSplit>> SplitForTrend(const Interactions& data,
                                                  int64_t window_seconds) {
  if (window_seconds <= 0) return Status::InvalidInput("the trend window must be positive");
  TAILOR_RETURN_IF_ERROR(data.Validate());
  if (data.size() == 0) return std::optional<TrendSplit>();
  int64_t newest = data.timestamp_at(0);
  for (size_t e = 0; e < data.size(); ++e) newest = std::max(newest, data.timestamp_at(e));
  // Held out: (newest - w, newest]; the model's last window: (newest - 2w, newest - w].
  const int64_t held_from = newest - window_seconds;
  const int64_t prior_from = held_from - window_seconds;
  TrendSplit split;
  split.train.num_users = data.num_users;
  split.train.num_items = data.num_items;
  split.train.item_features = data.item_features;
  split.train.user_features = data.user_features;
  split.gain.assign(data.num_items, 0);
  const bool typed = !data.event_type.empty();
  for (size_t e = 0; e < data.size(); ++e) {
    const int64_t t = data.timestamp_at(e);
    if (t > held_from) {
      ++split.gain[data.item[e]];
      continue;
    }
    if (t > prior_from) --split.gain[data.item[e]];
    split.train.Add(data.user[e], data.item[e], t, data.weight_at(e));
    if (typed) split.train.SetLastEventType(data.event_type[e]);
  }
  const bool any_gain =
      std::any_of(split.gain.begin(), split.gain.end(), [](int32_t g) { return g > 0; });
  if (split.train.size() == 0 || !any_gain) return std::optional<TrendSplit>();
  return std::optional<TrendSplit>(std::move(split));
}

StatusOr<double> TrendPredictionAccuracy(const Model& model, const TrendSplit& split, int32_t k) {
  TAILOR_ASSIGN_OR_RETURN(
      std::vector<ScoredItem> top,
      model.Recommend({.user = -1}, {.num_results = k, .exclude_history = false}));
  int64_t predicted = 0;
  for (const ScoredItem& s : top) predicted += split.gain[s.item];
  std::vector<int32_t> gains = split.gain;
  const size_t best = std::min<size_t>(gains.size(), static_cast<size_t>(std::max(k, 0)));
  std::partial_sort(gains.begin(), gains.begin() + best, gains.end(), std::greater<>());
  int64_t ideal = 0;
  for (size_t r = 0; r < best; ++r) ideal += std::max(gains[r], 0);
  if (ideal <= 0) return 0.0;
  return std::clamp(static_cast<double>(predicted) / static_cast<double>(ideal), 0.0, 1.0);
}

}  // namespace tailor::algo
