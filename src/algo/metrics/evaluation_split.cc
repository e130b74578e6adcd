#include "algo/metrics/evaluation_split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "algo/model.h"
#include "algo/parallel.h"

namespace tailor::algo {

StatusOr<EvaluationSplit> SplitForEvaluation(const Interactions& data,
                                             const SplitOptions& options) {
  TAILOR_RETURN_IF_ERROR(data.Validate());
  if (!(options.test_user_fraction > 0 && options.test_user_fraction < 1)) {
    return Status::InvalidInput("test_user_fraction must be in (0, 1)");
  }
  if (!(options.truth_fraction > 0 && options.truth_fraction < 1)) {
    return Status::InvalidInput("truth_fraction must be in (0, 1)");
  }
  // Events per user, as positions into `data`.
  std::vector<int64_t> start(static_cast<size_t>(data.num_users) + 1, 0);
  for (int32_t u : data.user) ++start[u + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<int64_t> pos(data.size());
  {
    std::vector<int64_t> cursor(start.begin(), start.end() - 1);
    for (size_t i = 0; i < data.size(); ++i) pos[cursor[data.user[i]]++] = static_cast<int64_t>(i);
  }
  std::vector<int32_t> active;
  for (int32_t u = 0; u < data.num_users; ++u) {
    if (start[u + 1] > start[u]) active.push_back(u);
  }
  std::mt19937_64 rng(options.seed);
  std::shuffle(active.begin(), active.end(), rng);
  const size_t num_test =
      static_cast<size_t>(std::llround(options.test_user_fraction * active.size()));
  std::vector<bool> is_test(data.num_users, false);
  EvaluationSplit split;
  for (size_t k = 0; k < num_test && k < active.size(); ++k) {
    const int32_t u = active[k];
    const int64_t n = start[u + 1] - start[u];
    if (n < 2) continue;  // §5: cannot hold out truth and keep input; stays in training.
    is_test[u] = true;
    std::vector<int64_t> ev(pos.begin() + start[u], pos.begin() + start[u + 1]);
    std::stable_sort(ev.begin(), ev.end(), [&](int64_t a, int64_t b) {
      return data.timestamp_at(a) < data.timestamp_at(b);
    });
    int64_t num_truth = std::max<int64_t>(1, std::llround(options.truth_fraction * n));
    num_truth = std::min(num_truth, n - 1);
    TestUser t;
    t.user = u;
    for (int64_t k2 = 0; k2 < n - num_truth; ++k2) {
      t.input_items.push_back(data.item[ev[k2]]);
      t.input_timestamps.push_back(data.timestamp_at(ev[k2]));
      t.input_weights.push_back(data.weight_at(ev[k2]));
      if (!data.event_type.empty()) t.input_event_types.push_back(data.event_type[ev[k2]]);
    }
    for (int64_t k2 = n - num_truth; k2 < n; ++k2) {
      const int32_t item = data.item[ev[k2]];
      const float w = data.weight_at(ev[k2]);
      auto known = std::find(t.truth.begin(), t.truth.end(), item);
      if (known == t.truth.end()) {
        t.truth.push_back(item);
        t.truth_weights.push_back(w);
      } else {
        float& best = t.truth_weights[known - t.truth.begin()];
        best = std::max(best, w);
      }
    }
    split.test.push_back(std::move(t));
  }
  std::sort(split.test.begin(), split.test.end(),
            [](const TestUser& a, const TestUser& b) { return a.user < b.user; });
  Interactions& train = split.train;
  train.num_users = data.num_users;
  train.num_items = data.num_items;
  train.item_features = data.item_features;
  train.user_features = data.user_features;
  for (size_t i = 0; i < data.size(); ++i) {
    if (is_test[data.user[i]]) continue;
    train.user.push_back(data.user[i]);
    train.item.push_back(data.item[i]);
    if (!data.timestamp.empty()) train.timestamp.push_back(data.timestamp[i]);
    if (!data.weight.empty()) train.weight.push_back(data.weight[i]);
    if (!data.event_type.empty()) train.event_type.push_back(data.event_type[i]);
  }
  return split;
}

StatusOr<std::vector<std::vector<int32_t>>> RankForEvaluation(const Model& model,
                                                              const EvaluationSplit& split,
                                                              int num_threads) {
  std::vector<std::vector<int32_t>> ranked(split.test.size());
  std::vector<Status> errors(split.test.size());
  ParallelFor(
      0, static_cast<int64_t>(split.test.size()), num_threads,
      [&](int, int64_t k) {
        const TestUser& t = split.test[k];
        UserQuery q;
        q.user = -1;
        q.items = t.input_items;
        q.timestamps = t.input_timestamps;
        q.weights = t.input_weights;
        q.event_types = t.input_event_types;
        RecommendOptions o;
        o.num_results = 25;
        o.exact = true;  // metrics measure the model, not a serving index's recall
        // Serving keeps the history (Personalize drops it only by a filter); a model that ranks
        // it is measured that way, and the history is left out of the others' lists.
        o.exclude_history = !model.ranks_history();
        auto rec = model.Recommend(q, o);
        if (!rec.ok() && rec.status().IsNotSupported() && !t.input_items.empty()) {
          // Related-items models have no per-user scores: the user's newest item stands in
          // for them ("because you watched X"), with the rest of the history left out.
          std::vector<uint64_t> seen((static_cast<size_t>(model.num_items()) + 63) / 64, 0);
          for (int32_t i : t.input_items) {
            if (i >= 0 && i < model.num_items()) seen[i >> 6] |= uint64_t{1} << (i & 63);
          }
          o.exclude = seen;
          rec = model.SimilarItems(t.input_items.back(), o);
        }
        if (!rec.ok()) {
          errors[k] = rec.status();
          return;
        }
        for (const ScoredItem& s : *rec) ranked[k].push_back(s.item);
      },
      1);
  for (Status& s : errors) TAILOR_RETURN_IF_ERROR(s);
  return ranked;
}

StatusOr<RankingMetrics> EvaluateModel(const Model& model, const EvaluationSplit& split,
                                       int32_t num_catalog_items, int num_threads,
                                       bool with_event_weights) {
  TAILOR_ASSIGN_OR_RETURN(const std::vector<std::vector<int32_t>> ranked,
                          RankForEvaluation(model, split, num_threads));
  MetricsAccumulator acc(num_catalog_items, with_event_weights);
  for (size_t k = 0; k < split.test.size(); ++k) {
    acc.Add(ranked[k], split.test[k].truth, split.test[k].truth_weights);
  }
  return acc.Finish();
}

}  // namespace tailor::algo
