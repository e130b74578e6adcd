// Item exploration (campaignConfig.itemExplorationConfig, personalize-semantics.md §7): a share
// of a user-personalization answer goes to items the model knows little about — new, young or
// rarely seen — so that they collect the interactions a later training needs. This file holds
// the arithmetic of where they go; core/exploration.cc chooses the candidates.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <vector>

namespace tailor::serve {

// Slots of an answer of `num_results` items given to exploration: explorationWeight 1 gives at
// most half of the list (the model's own choices always keep the other half), 0 none; any
// positive weight gives at least one slot.
size_t ExplorationSlots(size_t num_results, double exploration_weight);

// Positions in a list of `list_size` items where `slots` explored items go, spread evenly and
// never first (the best-scored item keeps the top): for 10 and 2, {3, 6}. Ascending; at most
// list_size - 1 positions.
std::vector<size_t> ExplorationPositions(size_t list_size, size_t slots);

}  // namespace tailor::serve
