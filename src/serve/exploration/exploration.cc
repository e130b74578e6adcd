#include "serve/exploration/exploration.h"

#include <algorithm>
#include <cmath>

namespace tailor::serve {

size_t ExplorationSlots(size_t num_results, double exploration_weight) {
  if (num_results == 0 || !(exploration_weight > 0)) return 0;
  const double w = std::min(1.0, exploration_weight);
  const auto slots = static_cast<size_t>(std::lround(0.5 * w * static_cast<double>(num_results)));
  return std::clamp<size_t>(slots, 1, std::max<size_t>(1, num_results / 2));
}

std::vector<size_t> ExplorationPositions(size_t list_size, size_t slots) {
  std::vector<size_t> out;
  if (list_size < 2) return out;
  slots = std::min(slots, list_size - 1);
  for (size_t k = 1; k <= slots; ++k) {
    size_t p = k * list_size / (slots + 1);
    if (!out.empty()) p = std::max(p, out.back() + 1);
    out.push_back(std::max<size_t>(p, 1));
  }
  return out;
}

}  // namespace tailor::serve
