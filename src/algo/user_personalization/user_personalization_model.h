// UserPersonalizationModel: the aws-user-personalization engine. A blend of three standardised
// per-item scores, each z-scored over the catalogue before weighting:
//   1. implicit ALS (als/ials_model.h), folded in from the query for unseen users;
//   2. a sequence-aware item-to-item score: Σ over the user's newest `sequence_history` items h_t
//      of 2^(−age_t / sequence_half_life) · sim(h_t, j), with sim from time-windowed
//      co-occurrence (item_similarity/cooccurrence.h), by default forward-only (what other users
//      went on to after h_t);
//   3. the votes of the training users whose histories share the user's newest items, for the
//      items they had around that point (sequence_neighbors.h);
//   4. optionally EASE item-item scores (item_similarity/ease_model.h) on small catalogues;
//   5. popularity in the `popularity_window_days` before the user's latest event (recency: under
//      a newest-10% evaluation split, what was popular when the user was last active matters).
// Those rank the items the user has not had. Asked to keep the history (exclude_history false,
// as serving asks), Recommend mixes in the user's own items by their learned chance of coming
// back (repeat_propensity.h): each history item scores that chance, the other items share the
// rest of the probability by the blend's softmax, and a history item with no chance comes only
// after every new item, with a score of 0.
// Serving (PrepareForServing) adds an approximate inner-product index over the ALS item factors:
// Recommend then scores only candidates — the index's best ALS items, the window's most popular
// items, the best items of the sequence and neighbour votes (one sparse list) and the items with
// the longest factor vectors — and accepts them when no other item can score higher (every weight
// is non-negative, so an item in none of the lists scores at most the weighted sum of the lists'
// last entries: the threshold test of Fagin's algorithm). Otherwise it widens the lists, and in the
// end scores the whole catalogue. The ALS list comes from a graph search, so an item the search
// misses can be missed: measured recall of the exact top 25 is 0.997 or better
// (bench/serving_topk_bench.cc).
// Thread-safety: immutable after construction or Load (and PrepareForServing) except for an
// internal, locked cache of popularity vectors; const methods are safe concurrently.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "algo/als/ials_model.h"
#include "algo/item_similarity/cooccurrence.h"
#include "algo/item_similarity/ease_model.h"
#include "algo/model.h"
#include "algo/retrieval/inner_product_index.h"
#include "algo/user_personalization/repeat_propensity.h"
#include "algo/user_personalization/sequence_neighbors.h"

namespace tailor::algo {

struct BlendConfig {
  float als_weight = 1.0f;
  float sequence_weight = 0.0f;
  int sequence_history = 10;
  double sequence_half_life = 3;
  float popularity_weight = 0.0f;
  double popularity_window_days = 30;
  // Weight of the neighbours' votes (0: off), and how they are found and vote.
  float neighbor_weight = 0.0f;
  NeighborOptions neighbors;
  // Weight of the EASE item-item scores (only when the catalogue is small enough to train it).
  float ease_weight = 0.0f;
};

class UserPersonalizationModel : public Model {
 public:
  static constexpr std::string_view kType = "user-personalization";
  // The largest neighbor window the recipe accepts (and Load trusts).
  static constexpr int32_t kMaxNeighborWindow = 1000;

  // item_days: per item, the ascending days (timestamp / 86400) of its training events (CSR).
  // user_last_ts: each training user's latest timestamp. history: each training user's items
  // ordered oldest to newest by their latest event; history_counts: each one's event count (at
  // most 255), and history_types the type of its latest event, in the same positions.
  UserPersonalizationModel(const BlendConfig& blend, std::unique_ptr<als::IalsModel> als,
                           NeighborLists sequence, std::vector<int64_t> item_day_indptr,
                           std::vector<int32_t> item_days, std::vector<int64_t> user_last_ts,
                           UserHistory history, std::vector<uint8_t> history_counts,
                           std::vector<uint8_t> history_types, RepeatPropensity repeats,
                           std::unique_ptr<EaseModel> ease = nullptr);
  static StatusOr<std::unique_ptr<Model>> Load(std::string_view payload);

  std::string_view type() const override { return kType; }
  Status ScoreItems(const UserQuery& query, std::span<float> scores) const override;
  StatusOr<std::vector<ScoredItem>> Recommend(const UserQuery& query,
                                              const RecommendOptions& options) const override;
  // With the repeat chances learned, scores are log-probabilities of the same mixture as
  // Recommend keeps the history with: a softmax over the candidates ranks them alike.
  StatusOr<std::vector<ScoredItem>> Rank(const UserQuery& query,
                                         std::span<const int32_t> candidates) const override;
  void PrepareForServing() override;
  bool ranks_history() const override { return repeats_learned_; }
  // The serving index; null until PrepareForServing (or when the blend cannot use it).
  const InnerProductIndex* serving_index() const { return index_.get(); }
  const als::IalsModel& als() const { return *als_; }
  // How many Recommend calls the index's candidates could not answer, so that they scored the
  // whole catalogue (for benchmarks and logs).
  int64_t full_scans() const { return full_scans_.load(std::memory_order_relaxed); }
  StatusOr<std::vector<ScoredItem>> SimilarItems(int32_t item,
                                                 const RecommendOptions& options) const override;
  StatusOr<std::vector<ScoredItem>> Segment(int32_t item, int32_t num_users) const override;

 private:
  UserPersonalizationModel() = default;
  void SavePayload(ByteWriter& w) const override;
  // What serving derives from the stored state, for a trained model and a loaded one alike:
  // the newest timestamp and, when neighbor_weight is not 0, the neighbour lists.
  void DeriveFromHistory();

  BlendConfig blend_;
  std::unique_ptr<als::IalsModel> als_;
  std::unique_ptr<EaseModel> ease_;  // null when ease_weight is 0
  NeighborLists sequence_;
  SequenceNeighbors neighbors_;  // DeriveFromHistory
  std::vector<int64_t> item_day_indptr_;
  std::vector<int32_t> item_days_;
  std::vector<int64_t> user_last_ts_;
  std::vector<uint8_t> history_counts_;
  std::vector<uint8_t> history_types_;
  RepeatPropensity repeats_;
  // False for artifacts saved before repeats were learned: ranks_history() is then false, and
  // serving leaves the history out, as their offline metrics did.
  bool repeats_learned_ = false;
  int64_t max_ts_ = 0;  // DeriveFromHistory
  std::unique_ptr<InnerProductIndex> index_;
  mutable std::atomic<int64_t> full_scans_{0};
  // Items whose scores estimate the softmax's denominator outside the candidates (every
  // (n/size)-th item).
  std::vector<int32_t> partition_sample_;
  // The items with the longest factor vectors, longest first: always candidates.
  std::vector<int32_t> longest_;
  // The factor rows of longest_ then partition_sample_, contiguous.
  std::vector<float> pinned_factors_;

  // Standardized log-popularity over the items in a window, and the kPopularHead most popular
  // items, best first.
  struct PopularityWindow {
    std::vector<float> z;
    std::vector<int32_t> order;
  };
  static constexpr size_t kPopularHead = 4096;
  // The window ending on `day` (rounded down to an anchor), computed on first use and cached.
  std::shared_ptr<const PopularityWindow> WindowedPopularity(int32_t day) const;
  // The day the query's popularity window ends: its user's latest event.
  int32_t WindowDay(const UserQuery& query) const;
  // The sparse components' weighted scores, summed, of the items they touch (every other item:
  // 0), into *scored (cleared first; callers reuse its capacity): the sequence component and
  // the neighbours' votes.
  void SequenceScores(const UserQuery& query, std::vector<ScoredItem>* scored) const;
  // The ALS component's weight for this user: als_weight / std of x·y over the catalogue.
  float AlsScale(std::span<const float> x) const;
  // The query's distinct history items, newest first, each with its chance of coming back, into
  // *chances (cleared first). Returns the chances' sum: the chance of coming back at all.
  double RepeatChances(const UserQuery& query, std::vector<ScoredItem>* chances) const;
  // Recommend by the blend alone, the history scored like every item unless excluded.
  StatusOr<std::vector<ScoredItem>> RecommendByBlend(const UserQuery& query,
                                                     const RecommendOptions& options) const;
  // Recommend with the history mixed in by RepeatChances (exclude_history false).
  StatusOr<std::vector<ScoredItem>> RecommendWithRepeats(const UserQuery& query,
                                                         const RecommendOptions& options) const;
  // Recommend from the index's candidates; false in *certified when they could not be shown to
  // hold the top items (the caller then scores the whole catalogue).
  std::vector<ScoredItem> RecommendFromCandidates(const UserQuery& query,
                                                  const RecommendOptions& options,
                                                  bool* certified) const;
  static constexpr size_t kMaxCachedPopularity = 256;
  mutable std::mutex popularity_mu_;
  // Protected by popularity_mu_: anchor day → the popularity window.
  mutable std::map<int32_t, std::shared_ptr<const PopularityWindow>> popularity_cache_;
};

}  // namespace tailor::algo
