// SequenceNeighbors: the user-personalization blend's neighbour component, a session-kNN over
// whole histories (after Ludewig & Jannach's SKNN and Garg et al.'s STAN). The training users who
// had the query's newest items are its neighbours, each weighted by the items it shares (newer
// ones count more); the `count` best vote for the items they had around the point where they
// had the newest of those items, nearer positions counting more.
// Where the sequence component (cooccurrence.h) sums what followed each recent item on its own,
// a neighbour has to share several of them to rank high, so it scores what followed the user's
// recent items together: on ml-latest-small this lifted the blend's NDCG@10 by 3–16% over the
// preparations and seed sets measured (user_personalization_recipe.cc).
// Each item keeps at most `max_users_per_item` users, the most recently active, which bounds a
// query's work and the lists' memory on large catalogues (the lists are rebuilt from the
// model's history on load, not stored). On ml-latest-small (its most popular movie has 329
// users) 200 and 300 score alike and 100 cost 1–2% of NDCG@10; on the MovieLens-25M-shaped
// data GetRecommendations served about 15% fewer requests/s than without the votes at 200,
// 10% at 100 and 20–30% at 300 (bench/runtime_load.py, README).
// Thread-safety: immutable after Build; FindNeighbors and Score are safe concurrently (their
// scratch is per thread).
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "algo/model.h"

namespace tailor::algo {

struct NeighborOptions {
  int history = 10;             // the query's newest distinct items that find neighbours
  double half_life = 3;         // in those items, newest first: 2^(−rank / half_life)
  int count = 50;               // neighbours that vote
  int window = 20;              // positions on each side of a neighbour's match that get a vote
  double window_half_life = 5;  // a vote at distance d weighs 2^(−(d−1) / window_half_life)
};

class SequenceNeighbors {
 public:
  static constexpr int kDefaultMaxUsersPerItem = 200;

  SequenceNeighbors() = default;
  // `history`: the training users' rows, oldest item first; `user_last_ts`: each one's latest
  // timestamp (which users an item keeps when it has too many).
  static SequenceNeighbors Build(const UserHistory& history, std::span<const int64_t> user_last_ts,
                                 int32_t num_items,
                                 int max_users_per_item = kDefaultMaxUsersPerItem);

  // One of a query's neighbours: a training user, the position in its row of the newest item it
  // shares with the query, and its weight.
  struct Neighbor {
    int32_t user = -1;
    int32_t anchor = 0;
    float similarity = 0.0f;
  };

  // The neighbours of a user whose newest distinct items, newest first, are `recent` (the first
  // options.history of them count; skip_user, a training user's own index or −1, is never its
  // own neighbour): the options.count best, in no particular order, into *best (cleared first).
  void FindNeighbors(std::span<const int32_t> recent, int32_t skip_user,
                     const NeighborOptions& options, std::vector<Neighbor>* best) const;

  // Calls vote(item, weight) for each vote of `best` (an item gets one call per neighbour and
  // position that votes for it; the caller sums them). `history` must be the one built on.
  // A template so that the caller's accumulator is inlined into the loop: the votes are a
  // request's hottest loop, and one scratch array (the caller's) serves them and the other
  // sparse scores.
  template <typename Vote>
  static void VoteAround(std::span<const Neighbor> best, const UserHistory& history,
                         const NeighborOptions& options, Vote&& vote);

  // FindNeighbors then VoteAround.
  template <typename Vote>
  void Score(std::span<const int32_t> recent, int32_t skip_user, const UserHistory& history,
             const NeighborOptions& options, Vote&& vote) const {
    thread_local std::vector<Neighbor> best;
    FindNeighbors(recent, skip_user, options, &best);
    VoteAround(best, history, options, vote);
  }

  bool empty() const { return user_.empty(); }

 private:
  // Per item, the (user, position in the user's row) of the users kept: CSR by item.
  std::vector<int64_t> indptr_{0};
  std::vector<int32_t> user_;
  std::vector<int32_t> position_;
};

template <typename Vote>
void SequenceNeighbors::VoteAround(std::span<const Neighbor> best, const UserHistory& history,
                                   const NeighborOptions& options, Vote&& vote) {
  const float step = options.window_half_life > 0
                         ? static_cast<float>(std::exp2(-1.0 / options.window_half_life))
                         : 1.0f;
  // Each neighbour's row lies elsewhere in memory: fetch every row's bounds, then the part of
  // each row around its match, before reading any of them.
  for (const Neighbor& m : best) __builtin_prefetch(&history.indptr[m.user]);
  for (const Neighbor& m : best) {
    const int32_t* at = history.items.data() + history.indptr[m.user] + m.anchor;
    __builtin_prefetch(at);
    __builtin_prefetch(at - 16);
    __builtin_prefetch(at + 16);
  }
  for (const Neighbor& m : best) {
    const std::span<const int32_t> row = history.row(m.user);
    const int64_t a = m.anchor, len = static_cast<int64_t>(row.size());
    float s = m.similarity;  // at distance d: similarity · step^(d−1)
    for (int64_t d = 1; d <= options.window; ++d, s *= step) {
      if (a + d < len) vote(row[a + d], s);
      if (a - d >= 0) vote(row[a - d], s);
    }
  }
}

}  // namespace tailor::algo
