// Inline definition of TopK (declared in model.h): a bounded min-heap over the score vector.
// Thread-safety: a pure function.
#pragma once

#include <algorithm>
#include <cmath>
#include <queue>

namespace tailor::algo {

template <typename Skip>
std::vector<ScoredItem> TopK(std::span<const float> scores, int32_t n, Skip&& skip) {
  std::vector<ScoredItem> heap;
  if (n <= 0) return heap;
  heap.reserve(n);
  // Worse-first ordering: a lower score, or an equal score with a higher index.
  auto better = [](const ScoredItem& a, const ScoredItem& b) {
    return a.score > b.score || (a.score == b.score && a.item < b.item);
  };
  for (int32_t i = 0; i < static_cast<int32_t>(scores.size()); ++i) {
    const float s = scores[i];
    if (std::isinf(s) && s < 0) continue;
    if (std::isnan(s)) continue;
    if (static_cast<int32_t>(heap.size()) == n && !better(ScoredItem{i, s}, heap.front())) {
      continue;
    }
    if (skip(i)) continue;
    if (static_cast<int32_t>(heap.size()) == n) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = ScoredItem{i, s};
    } else {
      heap.push_back(ScoredItem{i, s});
    }
    std::push_heap(heap.begin(), heap.end(), better);
  }
  std::sort(heap.begin(), heap.end(), better);
  return heap;
}

}  // namespace tailor::algo
