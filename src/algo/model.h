// Model: a trained recipe's answer to queries (style.md X1). Recommend and Rank work from a
// per-item score vector (ScoreItems); SimilarItems and Segment are optional. Capabilities a
// model lacks return NotSupported (style.md E6). Every model keeps its training users'
// histories (item indices only) so known users need no history in the query, and a user unseen
// in training is answered by folding in the history the query carries.
// Thread-safety: a trained or loaded Model is immutable; every const method is safe to call
// from many threads at once (campaigns share one snapshot, style.md O2).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "algo/interaction_matrix.h"
#include "common/status.h"
#include "common/status_or.h"

namespace tailor::algo {

class ByteReader;
class ByteWriter;

struct ScoredItem {
  int32_t item = 0;
  float score = 0;
};

// Who is asking. `user` is the training index, or -1 for a user unseen in training. `items`
// (oldest first) are events the model has not trained on: all of an unseen user's history, or
// a known user's newer events (the real-time path). `timestamps`, `weights` and `event_types`
// are empty or match `items` in size. All spans are borrowed for the duration of the call.
struct UserQuery {
  int32_t user = -1;
  std::span<const int32_t> items{};
  std::span<const int64_t> timestamps{};
  std::span<const float> weights{};
  // Empty, or each item's event type as in Interactions::event_type.
  std::span<const uint8_t> event_types{};
};

// Per-request options for Recommend and SimilarItems (style.md C3).
struct RecommendOptions {
  int32_t num_results = 25;
  // Skip items in the user's training history and in the query's items. False keeps them: a
  // model whose ranks_history() is true then ranks them by its own measure of users coming
  // back to their items; any other scores them like every item.
  bool exclude_history = true;
  // A bitset over items, 64 per word; a set bit excludes the item. Empty: no filter. Borrowed.
  std::span<const uint64_t> exclude{};
  // Return probabilities rather than raw scores: exp(s_i) / Σ_j exp(s_j), the sum over every
  // item the model scores, excluded or not (user-personalization's softmax over the catalogue,
  // personalize-semantics.md §7). A model answering from an approximate search estimates Σ_j.
  bool softmax = false;
  // Score the whole catalogue even when the model has a faster approximate path (metrics).
  bool exact = false;
};

// Whether bitset `exclude` (RecommendOptions::exclude's layout; empty: nothing) excludes `item`.
inline bool IsExcluded(std::span<const uint64_t> exclude, int32_t item) {
  const size_t word = static_cast<size_t>(item) >> 6;
  return word < exclude.size() && ((exclude[word] >> (item & 63)) & 1u);
}

// A user's history as the base model keeps it: item indices per training user (CSR).
struct UserHistory {
  std::vector<int64_t> indptr{0};
  std::vector<int32_t> items;
  int32_t num_users() const { return static_cast<int32_t>(indptr.size()) - 1; }
  std::span<const int32_t> row(int32_t u) const {
    return {items.data() + indptr[u], static_cast<size_t>(indptr[u + 1] - indptr[u])};
  }
  static UserHistory FromMatrix(const CsrMatrix& user_item);
  // Rows ordered by last_timestamp (oldest first, ties by item). REQUIRES: timestamps kept.
  static UserHistory FromMatrixByTime(const CsrMatrix& user_item);
};

class Model {
 public:
  virtual ~Model() = default;

  // The artifact tag of this model type ("ials", "ease", "sims", ...).
  virtual std::string_view type() const = 0;
  int32_t num_items() const { return num_items_; }
  int32_t num_users() const { return history_.num_users(); }
  // Training users' items (CSR); row order is the model's choice (by item or by time).
  const UserHistory& history() const { return history_; }

  // Writes a score for every item into scores (size num_items()); higher is better, -inf marks
  // items that must never be recommended. InvalidInput when query.user is out of range or an
  // item index is; NotSupported when the model cannot score for a user (e.g. item-to-item).
  virtual Status ScoreItems(const UserQuery& query, std::span<float> scores) const;

  // The top options.num_results items by score, best first, never a filtered item and never
  // an item scored -inf. Fewer when fewer items qualify. Errors as ScoreItems.
  virtual StatusOr<std::vector<ScoredItem>> Recommend(const UserQuery& query,
                                                      const RecommendOptions& options) const;
  // Whether Recommend without exclude_history ranks the history by a learned chance of users
  // coming back to their items. Offline metrics then ask for what serving asks for.
  virtual bool ranks_history() const { return false; }

  // `candidates` ordered by score, best first (ties keep input order). Unknown candidate
  // indices are InvalidInput. Errors as ScoreItems.
  virtual StatusOr<std::vector<ScoredItem>> Rank(const UserQuery& query,
                                                 std::span<const int32_t> candidates) const;

  // Items most similar to `item`, best first, never `item` itself. NotSupported by default.
  virtual StatusOr<std::vector<ScoredItem>> SimilarItems(int32_t item,
                                                         const RecommendOptions& options) const;

  // The training users most likely to interact with `item`, best first (item affinity; the
  // ScoredItem.item field holds a user index). NotSupported by default.
  virtual StatusOr<std::vector<ScoredItem>> Segment(int32_t item, int32_t num_users) const;

  // Appends the artifact (envelope, model_io.h) to *out.
  Status Save(std::string* out) const;

  // Builds what makes serving faster, such as an approximate top-K index; called once on a
  // loaded model before it is shared (not thread-safe itself). Recommend may then answer from an
  // approximate search unless options.exact. The default does nothing.
  virtual void PrepareForServing() {}

 protected:
  Model() = default;
  // Subclasses write and read their own state after the base state.
  virtual void SavePayload(ByteWriter& w) const = 0;
  void SaveBase(ByteWriter& w) const;
  Status LoadBase(ByteReader& r);
  // InvalidInput when the query names an unknown user or item.
  Status CheckQuery(const UserQuery& query) const;
  // InvalidInput when a candidate is not an item index.
  Status CheckCandidates(std::span<const int32_t> candidates) const;

  int32_t num_items_ = 0;
  UserHistory history_;
};

// Selects the top `n` of `scores` (skipping -inf and items for which skip(i) is true), best
// first; ties go to the lower index. Exposed for recipes and tests.
template <typename Skip>
std::vector<ScoredItem> TopK(std::span<const float> scores, int32_t n, Skip&& skip);

// log Σ exp(s) over the finite entries of `scores` (-inf when there are none).
double LogSumExp(std::span<const float> scores);
// Turns raw scores into softmax probabilities given the log of the softmax's denominator.
void ToProbabilities(double log_partition, std::span<ScoredItem> items);

}  // namespace tailor::algo

#include "algo/top_k_inl.h"
