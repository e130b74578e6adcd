#include "algo/metrics/segment_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "algo/model.h"

namespace tailor::algo {

StatusOr<SegmentSplit> SplitForSegments(const Interactions& data, double test_fraction) {
  if (!(test_fraction > 0 && test_fraction < 1)) {
    return Status::InvalidInput("the held-out fraction must be between 0 and 1");
  }
  TAILOR_RETURN_IF_ERROR(data.Validate());
  // Each user's events, oldest first (ties in input order).
  std::vector<std::vector<size_t>> by_user(static_cast<size_t>(data.num_users));
  for (size_t e = 0; e < data.size(); ++e) by_user[data.user[e]].push_back(e);
  std::vector<uint8_t> held_out(data.size(), 0);
  for (auto& events : by_user) {
    if (events.size() < 2) continue;
    std::stable_sort(events.begin(), events.end(), [&](size_t a, size_t b) {
      return data.timestamp_at(a) < data.timestamp_at(b);
    });
    size_t n = static_cast<size_t>(std::lround(test_fraction * static_cast<double>(events.size())));
    n = std::clamp<size_t>(n, 1, events.size() - 1);
    for (size_t k = events.size() - n; k < events.size(); ++k) held_out[events[k]] = 1;
  }
  SegmentSplit split;
  split.train.num_users = data.num_users;
  split.train.num_items = data.num_items;
  split.train.item_features = data.item_features;
  split.train.user_features = data.user_features;
  std::vector<std::vector<int32_t>> truth(static_cast<size_t>(data.num_items));
  for (size_t e = 0; e < data.size(); ++e) {
    if (held_out[e]) {
      truth[data.item[e]].push_back(data.user[e]);
    } else {
      split.train.Add(data.user[e], data.item[e], data.timestamp_at(e), data.weight_at(e));
    }
  }
  for (int32_t i = 0; i < data.num_items; ++i) {
    std::vector<int32_t>& users = truth[i];
    if (users.empty()) continue;
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    split.truth.push_back({i, std::move(users)});
  }
  return split;
}

int32_t SegmentSize(int32_t num_users) {
  return std::max<int32_t>(1, static_cast<int32_t>(std::ceil(0.01 * num_users)));
}

StatusOr<SegmentMetrics> EvaluateSegments(const Model& model, const SegmentSplit& split) {
  SegmentMetrics m;
  const int32_t k = SegmentSize(model.num_users());
  // The users who already interacted with each item in training: a segment is judged by the
  // users it finds who had not, so they are passed over.
  std::vector<std::vector<int32_t>> trained_users(static_cast<size_t>(split.train.num_items));
  for (size_t e = 0; e < split.train.size(); ++e) {
    trained_users[split.train.item[e]].push_back(split.train.user[e]);
  }
  for (auto& users : trained_users) {
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
  }
  for (const SegmentSplit::Truth& t : split.truth) {
    const std::vector<int32_t>& known = trained_users[t.item];
    TAILOR_ASSIGN_OR_RETURN(std::vector<ScoredItem> segment,
                            model.Segment(t.item, k + static_cast<int32_t>(known.size())));
    std::vector<int32_t> users;
    for (const ScoredItem& s : segment) {  // .item holds the user
      if (static_cast<int32_t>(users.size()) == k) break;
      if (!std::binary_search(known.begin(), known.end(), s.item)) users.push_back(s.item);
    }
    std::sort(users.begin(), users.end());
    std::vector<int32_t> found;
    std::set_intersection(users.begin(), users.end(), t.users.begin(), t.users.end(),
                          std::back_inserter(found));
    m.hit += found.empty() ? 0 : 1;
    m.recall += static_cast<double>(found.size()) / static_cast<double>(t.users.size());
    ++m.items;
  }
  if (m.items > 0) {
    m.hit /= static_cast<double>(m.items);
    m.recall /= static_cast<double>(m.items);
  }
  return m;
}

}  // namespace tailor::algo
