#include "algo/user_personalization/sequence_neighbors.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tailor::algo {
SequenceNeighbors SequenceNeighbors::Build(const UserHistory& history,
                                           std::span<const int64_t> user_last_ts, int32_t num_items,
                                           int max_users_per_item) {
  SequenceNeighbors n;
  const int32_t num_users = history.num_users();
  std::vector<int64_t> kept(static_cast<size_t>(num_items) + 1, 0);
  for (int32_t i : history.items) ++kept[i + 1];
  for (int32_t i = 0; i < num_items; ++i) {
    kept[i + 1] = kept[i] + std::min<int64_t>(kept[i + 1], max_users_per_item);
  }
  n.indptr_ = kept;
  n.user_.resize(kept.back());
  n.position_.resize(kept.back());
  // Users newest first, so that a full item has kept its most recently active users; one pass,
  // without a temporary copy of every (user, item).
  std::vector<int32_t> by_recency(static_cast<size_t>(num_users));
  std::iota(by_recency.begin(), by_recency.end(), 0);
  std::stable_sort(by_recency.begin(), by_recency.end(),
                   [&](int32_t a, int32_t b) { return user_last_ts[a] > user_last_ts[b]; });
  std::vector<int64_t> cursor(kept.begin(), kept.end() - 1);
  for (int32_t u : by_recency) {
    const std::span<const int32_t> row = history.row(u);
    for (size_t p = 0; p < row.size(); ++p) {
      const int32_t i = row[p];
      if (cursor[i] == kept[i + 1]) continue;
      n.user_[cursor[i]] = u;
      n.position_[cursor[i]] = static_cast<int32_t>(p);
      ++cursor[i];
    }
  }
  return n;
}

void SequenceNeighbors::FindNeighbors(std::span<const int32_t> recent, int32_t skip_user,
                                      const NeighborOptions& options,
                                      std::vector<Neighbor>* best) const {
  best->clear();
  const int32_t num_items = static_cast<int32_t>(indptr_.size()) - 1;
  const size_t used = std::min(recent.size(), static_cast<size_t>(std::max(0, options.history)));
  // The users met are a few thousand of the model's users: they are gathered in an open-
  // addressing table sized to the postings read (half full or less), which stays in the
  // near caches. A scratch entry per model user (1.3 MB on a MovieLens-25M-shaped model) cost
  // each request that many cache misses and left the index search after it with cold caches:
  // mean 150 µs against 78 without the votes in bench/serving_topk_bench.cc --index-only.
  int64_t postings = 0;
  for (size_t r = 0; r < used; ++r) {
    const int32_t i = recent[r];
    if (i >= 0 && i < num_items) postings += indptr_[i + 1] - indptr_[i];
  }
  thread_local std::vector<Neighbor> table;   // user −1: an empty slot
  thread_local std::vector<int32_t> touched;  // slots of `table` in use
  int shift = 64 - 4;
  while ((int64_t{1} << (64 - shift)) < 2 * postings) --shift;
  const size_t capacity = size_t{1} << (64 - shift);
  if (table.size() < capacity) table.resize(capacity);
  const size_t mask = capacity - 1;
  touched.clear();
  for (size_t r = 0; r < used; ++r) {
    const int32_t i = recent[r];
    if (i < 0 || i >= num_items) continue;
    const float w = static_cast<float>(
        options.half_life > 0 ? std::exp2(-static_cast<double>(r) / options.half_life) : 1.0);
    const int64_t end = indptr_[i + 1];
    for (int64_t k = indptr_[i]; k < end; ++k) {
      const int32_t v = user_[k];
      if (v == skip_user) continue;
      size_t h = static_cast<size_t>((uint64_t{static_cast<uint32_t>(v)} * 0x9E3779B97F4A7C15ull) >>
                                     shift);
      while (table[h].user >= 0 && table[h].user != v) h = (h + 1) & mask;
      Neighbor& m = table[h];
      if (m.user < 0) {
        m.user = v;
        m.anchor = position_[k];  // `recent` is newest first
        touched.push_back(static_cast<int32_t>(h));
      }
      m.similarity += w;
    }
  }
  // The `count` best neighbours, in no particular order (their votes are summed); ties go to
  // the lower user index, so the set does not depend on the order users were met.
  const size_t count = std::min(touched.size(), static_cast<size_t>(std::max(0, options.count)));
  if (count > 0 && count < touched.size()) {
    std::nth_element(
        touched.begin(), touched.begin() + (count - 1), touched.end(), [&](int32_t a, int32_t b) {
          const Neighbor &x = table[a], &y = table[b];
          return x.similarity > y.similarity || (x.similarity == y.similarity && x.user < y.user);
        });
  }
  for (size_t r = 0; r < count; ++r) best->push_back(table[touched[r]]);
  for (int32_t h : touched) table[h] = Neighbor{};
}

}  // namespace tailor::algo
