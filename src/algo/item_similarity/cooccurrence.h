// Item-to-item co-occurrence with a popularity discount, the kernel behind aws-sims and the
// sequence-aware part of user-personalization. For items i ≠ j,
//   c(i, j) = Σ_users Σ_{events p of i, q of j, |pos(p) − pos(q)| ≤ window} 2^(−(|Δpos|−1)/h)
// (only pos(q) > pos(p) when forward_only)
// over each user's time-ordered history (window 0: the whole history; h 0: no positional decay),
// and
//   sim(i, j) = c(i, j) / (n_i · n_j)^β,
// with n_i the item's unique users and β = popularity_discount (SIMS "popularity_discount_factor",
// personalize-semantics.md §4). Pairs with c < min_count (or, with min_count_of_pairs, fewer
// co-occurring event pairs than min_count) are dropped; the top `top_k` neighbours of each item
// are kept. BuildCooccurrenceReference is the quadratic reference (X7).
// Thread-safety: the result is an immutable value; no state is shared between calls.
#pragma once

#include <cstdint>
#include <vector>

#include "algo/interaction_matrix.h"
#include "algo/model.h"
#include "common/status_or.h"

namespace tailor::algo {

struct CooccurrenceOptions {
  // Positions either side of an event that count as co-occurring; 0 = the whole history.
  int window = 0;
  // Positional half-life h (in events) inside the window; 0 = no decay.
  double position_half_life = 0;
  double popularity_discount = 0.5;
  double min_count = 3;
  // Compare min_count with the number of co-occurring event pairs (over distinct-item histories,
  // the number of users who had both items: SIMS's min_cointeraction_count) rather than with
  // the decayed c(i, j).
  bool min_count_of_pairs = false;
  int top_k = 100;
  // When true only later events count: c(i, j) sums over events of j that come after an event
  // of i (pos(q) > pos(p)), so row i lists what users went on to next. The matrix is then not
  // symmetric.
  bool forward_only = false;
  // Only each user's newest max_history events are used (caps the quadratic cost).
  int max_history = 500;
  int num_threads = 1;
};

// Neighbour lists: row i holds its neighbours, best first (CSR with indptr of num_items + 1).
struct NeighborLists {
  int32_t num_items = 0;
  std::vector<int64_t> indptr{0};
  std::vector<int32_t> neighbor;
  std::vector<float> score;
};

StatusOr<NeighborLists> BuildCooccurrence(const Interactions& data,
                                          const CooccurrenceOptions& options);
// The same from histories already in time order (UserHistory::FromMatrixByTime: distinct items
// per user, oldest first), without rebuilding the user×item matrix; the newest max_history items
// of each row are used. The kernel renumbers the items of *by_time in place while it runs (for
// its cache) and restores them before it returns, so *by_time must not be read meanwhile.
// InvalidInput when an item index is outside [0, num_items).
StatusOr<NeighborLists> BuildCooccurrence(UserHistory* by_time, int32_t num_items,
                                          const CooccurrenceOptions& options);
// The same result computed pair by pair with a std::map; for tests on small data only.
StatusOr<NeighborLists> BuildCooccurrenceReference(const Interactions& data,
                                                   const CooccurrenceOptions& options);

}  // namespace tailor::algo
