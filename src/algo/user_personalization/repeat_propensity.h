// RepeatPropensity: how likely a user's next event is about an item already in their history,
// given that item's recency rank among the user's distinct items (0: the one of their newest
// event), how many events they had with it and the type of the latest of them (an "add to
// cart" is followed by a "purchase" of the same item far more often than a "purchase" is). Learned
// from training users' event sequences: before each event, every distinct earlier item is one
// chance and the item the event is about, if earlier, one hit.
//
// Why: Personalize does not drop what a user has seen, so its models rank the history with
// everything else. Data where nobody comes back (each MovieLens rating is of a new movie)
// learns zeros, and user-personalization then leaves the history out, as a filter would; data
// with repeats (repeat purchases, a "watch" followed by a "click" on the same item) puts the
// items users do come back to where their chance says.
// Thread-safety: immutable after Learn or Load.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

#include "algo/interaction_matrix.h"
#include "algo/model_io.h"

namespace tailor::algo {

class RepeatPropensity {
 public:
  // Ranks below kRanks have a chance each; the rest share one.
  static constexpr int kRanks = 16;
  // Event counts 1, 2, and 3 or more.
  static constexpr int kCounts = 3;
  // Event types 0, 1, 2, and the rest together.
  static constexpr int kTypes = 4;
  // Users whose sequences are read, at most (evenly spread over the user indices): enough for
  // rates over a few dozen buckets, and it bounds the cost on large datasets.
  static constexpr int32_t kMaxUsers = 20000;

  // Learns from `data`'s events in time order per user (ties: in input order). Learned but
  // all zero when no user comes back to an item.
  static RepeatPropensity Learn(const Interactions& data, int num_threads = 1);

  // The chance that the next event is about the history item at `rank` with `count` events,
  // the latest of type `type`.
  float Chance(int64_t rank, int64_t count, int type = 0) const {
    return chance_[Bucket(rank, count, type)];
  }
  static constexpr int Bucket(int64_t rank, int64_t count, int type) {
    const int r = rank < kRanks ? static_cast<int>(rank) : kRanks;
    const int c = count < kCounts ? static_cast<int>(std::max<int64_t>(count, 1)) - 1 : kCounts - 1;
    const int t = type < kTypes ? std::max(type, 0) : kTypes - 1;
    return (r * kCounts + c) * kTypes + t;
  }
  static constexpr int kBuckets = (kRanks + 1) * kCounts * kTypes;
  // Whether any chance is above zero.
  bool any() const;

  void Save(ByteWriter& w) const;
  // False when the bytes are short or a chance is not in [0, 1].
  bool Load(ByteReader& r);

 private:
  std::array<float, kBuckets> chance_{};
};

}  // namespace tailor::algo
