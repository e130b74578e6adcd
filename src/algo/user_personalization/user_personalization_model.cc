#include "algo/user_personalization/user_personalization_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "algo/dot_product.h"
#include "algo/model_io.h"

namespace tailor::algo {
namespace {

// z-scores `v` in place over its finite entries; a constant vector becomes all zero.
void Standardize(std::vector<float>& v) {
  double sum = 0, sq = 0;
  int64_t n = 0;
  for (float x : v) {
    if (std::isfinite(x)) {
      sum += x;
      sq += double(x) * x;
      ++n;
    }
  }
  if (n == 0) return;
  const double mean = sum / n;
  const double var = std::max(0.0, sq / n - mean * mean);
  const double inv = var > 0 ? 1.0 / std::sqrt(var) : 0.0;
  for (float& x : v) {
    if (std::isfinite(x)) x = static_cast<float>((x - mean) * inv);
  }
}

}  // namespace

UserPersonalizationModel::UserPersonalizationModel(
    const BlendConfig& blend, std::unique_ptr<als::IalsModel> als, NeighborLists sequence,
    std::vector<int64_t> item_day_indptr, std::vector<int32_t> item_days,
    std::vector<int64_t> user_last_ts, UserHistory history, std::vector<uint8_t> history_counts,
    std::vector<uint8_t> history_types, RepeatPropensity repeats, std::unique_ptr<EaseModel> ease)
    : blend_(blend),
      als_(std::move(als)),
      ease_(std::move(ease)),
      sequence_(std::move(sequence)),
      item_day_indptr_(std::move(item_day_indptr)),
      item_days_(std::move(item_days)),
      user_last_ts_(std::move(user_last_ts)),
      history_counts_(std::move(history_counts)),
      history_types_(std::move(history_types)),
      repeats_(repeats),
      repeats_learned_(true) {
  num_items_ = als_->num_items();
  history_ = std::move(history);
  DeriveFromHistory();
}

void UserPersonalizationModel::DeriveFromHistory() {
  for (int64_t t : user_last_ts_) max_ts_ = std::max(max_ts_, t);
  if (blend_.neighbor_weight != 0) {
    neighbors_ = SequenceNeighbors::Build(history_, user_last_ts_, num_items_);
  }
}

// 1 / the standard deviation of `values` over `n` items, the items not listed counting as 0;
// 0 when they are all equal.
template <typename Values, typename Value>
double InverseStd(const Values& values, int64_t n, Value value) {
  double sum = 0, sq = 0;
  for (const auto& v : values) {
    const double x = value(v);
    sum += x;
    sq += x * x;
  }
  if (n <= 0) return 0;
  const double mean = sum / n;
  const double var = std::max(0.0, sq / n - mean * mean);
  return var > 0 ? 1.0 / std::sqrt(var) : 0.0;
}

float UserPersonalizationModel::AlsScale(std::span<const float> x) const {
  if (blend_.als_weight == 0) return 0;
  const double var = als_->ScoreVariance(x);
  return var > 0 ? static_cast<float>(blend_.als_weight / std::sqrt(var)) : 0.0f;
}

int32_t UserPersonalizationModel::WindowDay(const UserQuery& query) const {
  int64_t t_last = -1;
  if (!query.timestamps.empty()) t_last = query.timestamps.back();
  if (t_last < 0 && query.user >= 0) t_last = user_last_ts_[query.user];
  if (t_last < 0) t_last = max_ts_;
  return static_cast<int32_t>(t_last / 86400);
}

void UserPersonalizationModel::SequenceScores(const UserQuery& query,
                                              std::vector<ScoredItem>* scored) const {
  std::vector<ScoredItem>& out = *scored;
  out.clear();
  // The user's newest items: training history (time-ordered), then the query's items.
  std::span<const int32_t> trained;
  if (query.user >= 0) trained = history_.row(query.user);
  const int64_t len = static_cast<int64_t>(trained.size() + query.items.size());
  auto item_at = [&](int64_t t) {
    return t < static_cast<int64_t>(trained.size())
               ? trained[t]
               : query.items[t - static_cast<int64_t>(trained.size())];
  };
  // A scratch vector over the catalogue, per thread, reset after use: the touched items are a
  // few hundred, the catalogue tens of thousands. The neighbours' votes are summed beside `out`,
  // entry by entry: they are scaled by their own standard deviation before they join it.
  thread_local std::vector<int32_t> slot;
  thread_local std::vector<float> votes;
  if (slot.size() < static_cast<size_t>(num_items_)) slot.resize(num_items_, -1);
  votes.clear();
  // Inlined on request: in the votes' loop GCC kept it a call, a fifth of their time.
  auto entry = [&](int32_t j) __attribute__((always_inline)) {
    if (slot[j] < 0) {
      slot[j] = static_cast<int32_t>(out.size());
      out.push_back({j, 0.0f});
      votes.push_back(0.0f);
    }
    return slot[j];
  };
  if (blend_.sequence_weight != 0) {
    const int64_t from = std::max<int64_t>(0, len - blend_.sequence_history);
    for (int64_t t = from; t < len; ++t) {
      const int32_t h = item_at(t);
      const double w =
          blend_.sequence_half_life > 0
              ? std::exp2(-static_cast<double>(len - 1 - t) / blend_.sequence_half_life)
              : 1.0;
      for (int64_t k = sequence_.indptr[h]; k < sequence_.indptr[h + 1]; ++k) {
        out[entry(sequence_.neighbor[k])].score += static_cast<float>(w * sequence_.score[k]);
      }
    }
    const float scale = static_cast<float>(
        blend_.sequence_weight *
        InverseStd(out, num_items_, [](const ScoredItem& s) { return s.score; }));
    for (ScoredItem& s : out) s.score *= scale;
  }
  if (blend_.neighbor_weight != 0 && !neighbors_.empty()) {
    thread_local std::vector<int32_t> recent;  // distinct, newest first
    recent.clear();
    const size_t wanted = static_cast<size_t>(std::max(0, blend_.neighbors.history));
    for (int64_t t = len - 1; t >= 0 && recent.size() < wanted; --t) {
      const int32_t h = item_at(t);
      if (std::find(recent.begin(), recent.end(), h) == recent.end()) recent.push_back(h);
    }
    auto vote = [&](int32_t j, float s) __attribute__((always_inline)) { votes[entry(j)] += s; };
    neighbors_.Score(recent, query.user, history_, blend_.neighbors, vote);
    const float scale = static_cast<float>(
        blend_.neighbor_weight * InverseStd(votes, num_items_, [](float v) { return v; }));
    for (size_t k = 0; k < out.size(); ++k) out[k].score += scale * votes[k];
  }
  for (const ScoredItem& s : out) slot[s.item] = -1;
}

Status UserPersonalizationModel::ScoreItems(const UserQuery& query, std::span<float> scores) const {
  // Each component is z-scored over the catalogue before weighting. A z-score's mean shifts
  // every item by the same amount, which changes neither the ranking nor a softmax, so the
  // components are added scaled by 1/std only: one pass over the catalogue for the dense
  // components and none for the sparse sequence scores.
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  const std::vector<float> x = als_->UserVector(query);
  als_->ScoreVector(x, scores);
  const float als_scale = AlsScale(x);
  if (blend_.popularity_weight != 0) {
    std::shared_ptr<const PopularityWindow> pop = WindowedPopularity(WindowDay(query));
    const float w = blend_.popularity_weight;
    for (int32_t i = 0; i < num_items_; ++i) scores[i] = als_scale * scores[i] + w * pop->z[i];
  } else {
    for (int32_t i = 0; i < num_items_; ++i) scores[i] *= als_scale;
  }
  std::vector<ScoredItem> sequence;
  SequenceScores(query, &sequence);
  for (const ScoredItem& s : sequence) scores[s.item] += s.score;
  if (ease_ != nullptr && blend_.ease_weight != 0) {
    // EASE scores unseen users from the query; a known user's training history comes from the
    // EASE model's own copy.
    std::vector<float> s(num_items_);
    TAILOR_RETURN_IF_ERROR(ease_->ScoreItems(query, s));
    const float floor_score = [&] {
      float m = std::numeric_limits<float>::infinity();
      for (float x : s) {
        if (std::isfinite(x)) m = std::min(m, x);
      }
      return std::isfinite(m) ? m : 0.0f;
    }();
    // Items outside EASE's kept set score as its worst item rather than -inf, so the other
    // components can still recommend them.
    for (float& x : s) {
      if (!std::isfinite(x)) x = floor_score;
    }
    Standardize(s);
    for (int32_t i = 0; i < num_items_; ++i) scores[i] += blend_.ease_weight * s[i];
  }
  return Status::OK();
}

void UserPersonalizationModel::PrepareForServing() {
  // Below a few thousand items a full pass costs less than the index's bookkeeping; EASE's
  // dense item-item scores and negative weights do not fit the threshold test.
  constexpr int32_t kMinIndexedItems = 4096;
  // Measured on a MovieLens-25M-shaped model (bench/serving_topk_bench.cc): 512 longest
  // vectors lift the recall of the exact top 25 from 0.995 to 0.9997; 256 sampled items keep
  // the softmax scores within 0.01% of exact.
  constexpr int32_t kPartitionSample = 256;
  constexpr size_t kLongestListed = 512;
  if (index_ != nullptr || num_items_ < kMinIndexedItems || blend_.als_weight < 0 ||
      blend_.popularity_weight < 0 || blend_.sequence_weight < 0 || blend_.neighbor_weight < 0 ||
      (ease_ != nullptr && blend_.ease_weight != 0)) {
    return;
  }
  const std::span<const float> factors = als_->item_factors();
  const int k = als_->config().factors;
  index_ = InnerProductIndex::Build(factors, num_items_, k);
  std::vector<std::pair<float, int32_t>> by_length;  // (−|y|, item)
  const std::span<const float> norms = als_->item_norms();
  for (int32_t i = 0; i < num_items_; ++i) by_length.push_back({-norms[i], i});
  const size_t longest = std::min<size_t>(kLongestListed, by_length.size());
  std::partial_sort(by_length.begin(), by_length.begin() + longest, by_length.end());
  longest_.clear();
  for (size_t r = 0; r < longest; ++r) longest_.push_back(by_length[r].second);
  partition_sample_.clear();
  for (int32_t r = 0; r < kPartitionSample; ++r) {
    partition_sample_.push_back(
        static_cast<int32_t>((int64_t(2 * r + 1) * num_items_) / (2 * kPartitionSample)));
  }
  // Every request multiplies these rows: a contiguous copy stays in cache, where the rows in
  // place are spread over the whole factor matrix.
  pinned_factors_.clear();
  for (const std::vector<int32_t>* rows : {&longest_, &partition_sample_}) {
    for (int32_t j : *rows) {
      pinned_factors_.insert(pinned_factors_.end(), factors.begin() + int64_t(j) * k,
                             factors.begin() + int64_t(j + 1) * k);
    }
  }
}

double UserPersonalizationModel::RepeatChances(const UserQuery& query,
                                               std::vector<ScoredItem>* chances) const {
  std::span<const int32_t> trained;
  size_t offset = 0;
  if (query.user >= 0) {
    trained = history_.row(query.user);
    offset = static_cast<size_t>(history_.indptr[query.user]);
  }
  // Per-thread event counts over the catalogue, reset before returning.
  thread_local std::vector<int32_t> count;
  if (count.size() < static_cast<size_t>(num_items_)) count.resize(num_items_, 0);
  for (size_t k = 0; k < trained.size(); ++k) count[trained[k]] += history_counts_[offset + k];
  for (int32_t i : query.items) ++count[i];
  // Newest first: the query's events are newer than the training history. An item is listed
  // at its newest event, with that event's type; its count is then negated to mark it listed.
  std::vector<ScoredItem>& out = *chances;
  out.clear();
  auto list = [&](int32_t i, int type) {
    if (count[i] <= 0) return;
    out.push_back({i, repeats_.Chance(static_cast<int64_t>(out.size()), count[i], type)});
    count[i] = -count[i];
  };
  for (size_t k = query.items.size(); k-- > 0;) {
    list(query.items[k], query.event_types.empty() ? 0 : query.event_types[k]);
  }
  for (size_t k = trained.size(); k-- > 0;) list(trained[k], history_types_[offset + k]);
  double mass = 0;
  for (const ScoredItem& s : out) {
    count[s.item] = 0;
    mass += s.score;
  }
  return mass;
}

StatusOr<std::vector<ScoredItem>> UserPersonalizationModel::RecommendWithRepeats(
    const UserQuery& query, const RecommendOptions& options) const {
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  RecommendOptions fresh_options = options;
  fresh_options.exclude_history = true;
  fresh_options.softmax = true;
  TAILOR_ASSIGN_OR_RETURN(std::vector<ScoredItem> fresh, RecommendByBlend(query, fresh_options));
  // Per-thread buffers, reused: a long history would make them large allocations per request.
  thread_local std::vector<ScoredItem> repeats;
  thread_local std::vector<std::pair<float, int32_t>> kept;  // (−chance, position in `repeats`)
  const double mass = RepeatChances(query, &repeats);
  // A mixture: the user's next item is one of their own with the chances learned, or else a
  // new one by the blend's softmax. The chances are bucket averages, so a long history can sum
  // past 1; they are then scaled to 1 and new items get nothing.
  const float repeat_scale = mass > 1 ? static_cast<float>(1 / mass) : 1.0f;
  const float fresh_scale = static_cast<float>(std::max(0.0, 1 - mass));
  const size_t n = static_cast<size_t>(std::max(0, options.num_results));
  // Only the best n history items can make the list: they are selected rather than the whole
  // history sorted (histories run to thousands of items; on the MovieLens-25M-shaped model of
  // bench/serving_topk_bench.cc this took p99 from 255 to 241 µs). Equal chances keep the
  // newest first, and come before equal new items.
  kept.clear();
  for (size_t r = 0; r < repeats.size(); ++r) {
    if (repeats[r].score > 0 && !IsExcluded(options.exclude, repeats[r].item)) {
      kept.push_back({-repeats[r].score, static_cast<int32_t>(r)});
    }
  }
  const size_t num_kept = std::min(n, kept.size());
  std::partial_sort(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(num_kept), kept.end());
  std::vector<ScoredItem> out;
  out.reserve(n);
  for (size_t r = 0, f = 0; out.size() < n && (r < num_kept || f < fresh.size());) {
    const float repeat = r < num_kept ? -kept[r].first * repeat_scale : -1.0f;
    const float fresh_score = f < fresh.size() ? fresh[f].score * fresh_scale : -1.0f;
    if (r < num_kept && repeat >= fresh_score) {
      out.push_back({repeats[kept[r++].second].item, repeat});
    } else {
      out.push_back({fresh[f++].item, fresh_score});
    }
  }
  if (out.size() < n) {
    // Fewer new items than asked for (a small catalogue, a narrow filter): the history items
    // with no chance fill the list, last, by the blend's order and with a score of 0, as a
    // list that keeps the history would have them.
    RecommendOptions all = options;
    all.softmax = false;
    TAILOR_ASSIGN_OR_RETURN(std::vector<ScoredItem> blended, RecommendByBlend(query, all));
    for (const ScoredItem& s : blended) {
      if (out.size() == n) break;
      if (std::none_of(out.begin(), out.end(),
                       [&](const ScoredItem& o) { return o.item == s.item; })) {
        out.push_back({s.item, 0.0f});
      }
    }
  }
  return out;
}

StatusOr<std::vector<ScoredItem>> UserPersonalizationModel::Rank(
    const UserQuery& query, std::span<const int32_t> candidates) const {
  if (!repeats_learned_) return Model::Rank(query, candidates);
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  TAILOR_RETURN_IF_ERROR(CheckCandidates(candidates));
  std::vector<float> scores(static_cast<size_t>(num_items_));
  TAILOR_RETURN_IF_ERROR(ScoreItems(query, scores));
  const double log_partition = LogSumExp(scores);
  std::vector<ScoredItem> ranked;
  ranked.reserve(candidates.size());
  for (int32_t c : candidates) ranked.push_back({c, scores[c]});
  // Each history item's chance, by item, for the candidates' lookup.
  std::vector<ScoredItem> repeats;
  const double mass = RepeatChances(query, &repeats);
  const double log_fresh = mass < 1 ? std::log1p(-mass) : -std::numeric_limits<double>::infinity();
  std::unordered_map<int32_t, float> chance;
  for (const ScoredItem& r : repeats) chance.emplace(r.item, r.score);
  for (ScoredItem& s : ranked) {
    auto it = chance.find(s.item);
    s.score = static_cast<float>(it == chance.end() ? log_fresh + s.score - log_partition
                                 : it->second > 0   ? std::log(static_cast<double>(it->second))
                                                    : -std::numeric_limits<double>::infinity());
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const ScoredItem& a, const ScoredItem& b) { return a.score > b.score; });
  return ranked;
}

StatusOr<std::vector<ScoredItem>> UserPersonalizationModel::Recommend(
    const UserQuery& query, const RecommendOptions& options) const {
  if (!options.exclude_history && repeats_learned_) return RecommendWithRepeats(query, options);
  return RecommendByBlend(query, options);
}

StatusOr<std::vector<ScoredItem>> UserPersonalizationModel::RecommendByBlend(
    const UserQuery& query, const RecommendOptions& options) const {
  if (index_ == nullptr || options.exact || options.num_results <= 0) {
    return Model::Recommend(query, options);
  }
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  bool certified = false;
  std::vector<ScoredItem> top = RecommendFromCandidates(query, options, &certified);
  if (certified) return top;
  full_scans_.fetch_add(1, std::memory_order_relaxed);
  return Model::Recommend(query, options);
}

std::vector<ScoredItem> UserPersonalizationModel::RecommendFromCandidates(
    const UserQuery& query, const RecommendOptions& options, bool* certified) const {
  *certified = false;
  const int k = als_->config().factors;
  const std::vector<float> x = als_->UserVector(query);
  const float a = AlsScale(x);
  const float w = blend_.popularity_weight;
  std::shared_ptr<const PopularityWindow> pop;
  if (w != 0) pop = WindowedPopularity(WindowDay(query));
  // Per-thread buffers, reused: their sizes (kilobytes) would otherwise make each request's
  // allocations consolidate the heap.
  thread_local std::vector<ScoredItem> sequence, candidates;
  thread_local std::vector<float> pinned_dots, scores;
  SequenceScores(query, &sequence);
  auto by_score = [](const ScoredItem& x, const ScoredItem& y) {
    return x.score > y.score || (x.score == y.score && x.item < y.item);
  };
  const std::span<const float> factors = als_->item_factors();

  // Per-thread scratch over the catalogue, reset before returning: 1 = candidate, 2 = excluded
  // by the user's history; and each candidate's sequence score.
  thread_local std::vector<uint8_t> mark;
  thread_local std::vector<float> sequence_score;
  if (mark.size() < static_cast<size_t>(num_items_)) {
    mark.resize(num_items_, 0);
    sequence_score.resize(num_items_, 0.0f);
  }
  for (const ScoredItem& s : sequence) sequence_score[s.item] = s.score;
  std::span<const int32_t> trained;
  if (query.user >= 0) trained = history_.row(query.user);
  if (options.exclude_history) {
    for (int32_t i : trained) mark[i] |= 2;
    for (int32_t i : query.items) mark[i] |= 2;
  }
  auto score_of = [&](int32_t j, float dot) {
    return a * dot + (pop != nullptr ? w * pop->z[j] : 0.0f) + sequence_score[j];
  };
  auto excluded = [&](int32_t j) { return (mark[j] & 2) != 0 || IsExcluded(options.exclude, j); };
  // The sparse list's items that cannot be answered (the history, a filter's) go last, and its
  // bound is read over the others only: the neighbours' votes go to the user's own items as
  // much as to new ones, and a head crowded with them kept the bound loose and the lists
  // widening. They stay candidates where they would lead the head, so the softmax's exact part
  // keeps them.
  const int32_t answerable =
      static_cast<int32_t>(std::partition(sequence.begin(), sequence.end(),
                                          [&](const ScoredItem& s) { return !excluded(s.item); }) -
                           sequence.begin());

  // x · y for the pinned rows: the longest vectors, then the partition sample.
  const size_t num_pinned = longest_.size() + partition_sample_.size();
  pinned_dots.resize(num_pinned);
  DotRows(x.data(), pinned_factors_.data(), static_cast<int64_t>(num_pinned), k,
          pinned_dots.data());

  candidates.clear();
  std::vector<ScoredItem> top;
  const int32_t n = options.num_results;
  // Lists twice the answer's length certify every top 25 on a MovieLens-25M-shaped model at
  // the first try when the history is kept; longer ones cost time for no measured recall
  // (bench/serving_topk_bench.cc). With the history left out, a user's own items lead the ALS
  // list: from 50, half the answers needed a second try. Lists that start a quarter of the
  // history's length longer, and double rather than quadruple, took the mean from 170 to
  // 110 µs; the history's whole length or half of it was slower (a longer first search that
  // half the answers do not need).
  constexpr int32_t kWiden = 2;
  const int32_t head_start =
      options.exclude_history ? static_cast<int32_t>((trained.size() + query.items.size()) / 4) : 0;
  for (int32_t count = std::max<int32_t>(2 * n, 50) + head_start;; count *= kWiden) {
    for (const ScoredItem& c : candidates) mark[c.item] &= ~1;
    candidates.clear();
    auto add = [&](int32_t j, float dot) {
      if (mark[j] & 1) return;
      mark[j] |= 1;
      candidates.push_back({j, score_of(j, dot)});
    };
    // The same for an item whose product is not known yet: it is computed only for an item not
    // already a candidate (the lists overlap: popular items are often the index's too).
    auto add_item = [&](int32_t j) {
      if (mark[j] & 1) return;
      add(j, Dot(x.data(), factors.data() + int64_t(j) * k, k));
    };
    const std::vector<ScoredItem> nearest = index_->Search(x, count);
    float nearest_last = std::numeric_limits<float>::infinity();
    for (const ScoredItem& s : nearest) {
      add(s.item, s.score);
      nearest_last = std::min(nearest_last, s.score);
    }
    // The graph search misses some of the longest item vectors, which lead many users' largest
    // products (without them recall of the exact top 25 was 0.982); they are few and are listed
    // whole. They add candidates only, not a bound.
    for (size_t r = 0; r < longest_.size(); ++r) add(longest_[r], pinned_dots[r]);
    const int32_t popular =
        pop != nullptr ? std::min(count, static_cast<int32_t>(pop->order.size())) : 0;
    for (int32_t r = 0; r < popular; ++r) add_item(pop->order[r]);
    // The sequence list's best `count`, like the other two lists (the whole list is rarely
    // needed, so only its head is ordered).
    const int32_t sequenced = std::min<int32_t>(count, answerable);
    std::nth_element(sequence.begin(), sequence.begin() + sequenced - (sequenced > 0),
                     sequence.begin() + answerable, by_score);
    for (int32_t r = 0; r < sequenced; ++r) add_item(sequence[r].item);
    const bool sequence_listed = sequenced == answerable;
    const float sequence_last = sequence_listed ? 0.0f : sequence[sequenced - 1].score;
    for (size_t r = static_cast<size_t>(answerable); r < sequence.size(); ++r) {
      if (sequence_listed || sequence[r].score >= sequence_last) add_item(sequence[r].item);
    }

    // The best any other item can score: its ALS product is at most the index's last (up to
    // the search's misses), its popularity at most the popular list's last, its sequence score
    // at most the sequence list's last (0 when the list was taken whole: the items it does not
    // touch score 0).
    const bool all_listed = static_cast<int32_t>(nearest.size()) < count;
    const float bound =
        all_listed ? -std::numeric_limits<float>::infinity()
                   : a * nearest_last + (popular > 0 ? w * pop->z[pop->order[popular - 1]] : 0.0f) +
                         sequence_last;
    top.clear();
    {
      scores.clear();
      for (const ScoredItem& c : candidates) scores.push_back(c.score);
      for (const ScoredItem& s : TopK(std::span<const float>(scores), n,
                                      [&](int32_t r) { return excluded(candidates[r].item); })) {
        top.push_back({candidates[s.item].item, s.score});
      }
    }
    // Ties with the bound are allowed: an unlisted item equal to the last kept one could only
    // swap with it.
    *certified = all_listed || (static_cast<int32_t>(top.size()) == n && top.back().score >= bound);
    if (*certified || int64_t(count) * kWiden > num_items_ / 4) break;
  }

  if (*certified && options.softmax && !top.empty()) {
    // Σ_j exp(s_j): exact over the candidates, and the rest estimated from a fixed sample of
    // the items outside them (their scores lie below every kept one, so the sample sees a
    // bounded range).
    float max = -std::numeric_limits<float>::infinity();
    for (const ScoredItem& c : candidates) max = std::max(max, c.score);
    double inside = 0, outside = 0;
    for (const ScoredItem& c : candidates) inside += std::exp(c.score - max);
    int64_t sampled = 0;
    for (size_t r = 0; r < partition_sample_.size(); ++r) {
      const int32_t j = partition_sample_[r];
      if (mark[j] & 1) continue;
      outside += std::exp(score_of(j, pinned_dots[longest_.size() + r]) - max);
      ++sampled;
    }
    const int64_t rest = num_items_ - static_cast<int64_t>(candidates.size());
    const double sum = inside + (sampled > 0 ? outside / sampled * rest : 0.0);
    ToProbabilities(max + std::log(sum), top);
  }
  for (const ScoredItem& c : candidates) mark[c.item] = 0;
  if (options.exclude_history) {
    for (int32_t i : trained) mark[i] = 0;
    for (int32_t i : query.items) mark[i] = 0;
  }
  for (const ScoredItem& s : sequence) sequence_score[s.item] = 0;
  return top;
}

std::shared_ptr<const UserPersonalizationModel::PopularityWindow>
UserPersonalizationModel::WindowedPopularity(int32_t day) const {
  // Windows end on a grid of window/8 days (the day itself rounded down, so that no event after
  // the user's latest counts): the vector then depends on a handful of anchors rather than on
  // every user's last day, and is computed once per anchor instead of once per request — the
  // O(items · log events) scan was half of a request's time.
  const int32_t step = std::max(1, static_cast<int32_t>(blend_.popularity_window_days / 8));
  const int32_t anchor = day - ((day % step) + step) % step;
  {
    std::lock_guard lock(popularity_mu_);
    auto it = popularity_cache_.find(anchor);
    if (it != popularity_cache_.end()) return it->second;
  }
  const int32_t lo = anchor - static_cast<int32_t>(blend_.popularity_window_days);
  auto window = std::make_shared<PopularityWindow>();
  std::vector<float>& s = window->z;
  s.resize(num_items_);
  for (int32_t i = 0; i < num_items_; ++i) {
    auto b = item_days_.begin() + item_day_indptr_[i],
         e = item_days_.begin() + item_day_indptr_[i + 1];
    const auto n = std::upper_bound(b, e, anchor) - std::lower_bound(b, e, lo);
    s[i] = std::log1p(static_cast<float>(n));
  }
  Standardize(s);
  // Only the head of the order is kept: candidate lists are short, and a window is cached for
  // every anchor that requests touch.
  std::vector<int32_t> order(num_items_);
  for (int32_t i = 0; i < num_items_; ++i) order[i] = i;
  const size_t head = std::min<size_t>(kPopularHead, order.size());
  std::partial_sort(order.begin(), order.begin() + head, order.end(),
                    [&s](int32_t x, int32_t y) { return s[x] > s[y] || (s[x] == s[y] && x < y); });
  window->order.assign(order.begin(), order.begin() + head);
  std::lock_guard lock(popularity_mu_);
  // Bounded: a catalogue's span of years has a few hundred anchors at most, and requests
  // cluster on recent ones; when full, start over rather than track recency.
  if (popularity_cache_.size() >= kMaxCachedPopularity) popularity_cache_.clear();
  popularity_cache_.emplace(anchor, window);
  return window;
}

StatusOr<std::vector<ScoredItem>> UserPersonalizationModel::SimilarItems(
    int32_t item, const RecommendOptions& options) const {
  return als_->SimilarItems(item, options);
}

StatusOr<std::vector<ScoredItem>> UserPersonalizationModel::Segment(int32_t item,
                                                                    int32_t num_users) const {
  return als_->Segment(item, num_users);
}

void UserPersonalizationModel::SavePayload(ByteWriter& w) const {
  w.Put<float>(blend_.als_weight);
  w.Put<float>(blend_.sequence_weight);
  w.Put<int32_t>(blend_.sequence_history);
  w.Put<double>(blend_.sequence_half_life);
  w.Put<float>(blend_.popularity_weight);
  w.Put<double>(blend_.popularity_window_days);
  w.Put<float>(blend_.ease_weight);
  // The nested models' artifacts are written in place (Model::Save cannot fail).
  (void)w.PutSection([&](std::string* buffer) { return als_->Save(buffer); });
  (void)w.PutSection(
      [&](std::string* buffer) { return ease_ != nullptr ? ease_->Save(buffer) : Status::OK(); });
  w.PutVector(sequence_.indptr);
  w.PutVector(sequence_.neighbor);
  w.PutVector(sequence_.score);
  w.PutVector(item_day_indptr_);
  w.PutVector(item_days_);
  w.PutVector(user_last_ts_);
  // Added after the first artifacts; Load treats their absence as "not learned".
  repeats_.Save(w);
  w.PutVector(history_counts_);
  w.PutVector(history_types_);
  // Added after the repeats; Load treats their absence as "no neighbour votes".
  w.Put<float>(blend_.neighbor_weight);
  w.Put<int32_t>(blend_.neighbors.history);
  w.Put<double>(blend_.neighbors.half_life);
  w.Put<int32_t>(blend_.neighbors.count);
  w.Put<int32_t>(blend_.neighbors.window);
  w.Put<double>(blend_.neighbors.window_half_life);
}

StatusOr<std::unique_ptr<Model>> UserPersonalizationModel::Load(std::string_view payload) {
  ByteReader r(payload);
  std::unique_ptr<UserPersonalizationModel> m(new UserPersonalizationModel());
  TAILOR_RETURN_IF_ERROR(m->LoadBase(r));
  BlendConfig& b = m->blend_;
  r.Get(&b.als_weight);
  r.Get(&b.sequence_weight);
  r.Get(&b.sequence_history);
  r.Get(&b.sequence_half_life);
  r.Get(&b.popularity_weight);
  r.Get(&b.popularity_window_days);
  r.Get(&b.ease_weight);
  std::string als, ease;
  r.GetString(&als);
  r.GetString(&ease);
  r.GetVector(&m->sequence_.indptr);
  r.GetVector(&m->sequence_.neighbor);
  r.GetVector(&m->sequence_.score);
  r.GetVector(&m->item_day_indptr_);
  r.GetVector(&m->item_days_);
  r.GetVector(&m->user_last_ts_);
  if (r.ok() && r.remaining() > 0) {
    if (!m->repeats_.Load(r)) return Status::Internal("corrupt model artifact: repeat chances");
    r.GetVector(&m->history_counts_);
    r.GetVector(&m->history_types_);
    m->repeats_learned_ = true;
  }
  if (r.ok() && r.remaining() > 0) {
    r.Get(&b.neighbor_weight);
    r.Get(&b.neighbors.history);
    r.Get(&b.neighbors.half_life);
    r.Get(&b.neighbors.count);
    r.Get(&b.neighbors.window);
    r.Get(&b.neighbors.window_half_life);
  }
  TAILOR_RETURN_IF_ERROR(r.status("user-personalization model"));
  TAILOR_ASSIGN_OR_RETURN(ModelEnvelope env, ReadModelEnvelope(als));
  if (env.tag != als::IalsModel::kType)
    return Status::Internal("corrupt model artifact: nested ials");
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<Model> inner, als::IalsModel::Load(env.payload));
  m->als_.reset(static_cast<als::IalsModel*>(inner.release()));
  if (!ease.empty()) {
    TAILOR_ASSIGN_OR_RETURN(ModelEnvelope ease_env, ReadModelEnvelope(ease));
    if (ease_env.tag != EaseModel::kType) {
      return Status::Internal("corrupt model artifact: nested ease");
    }
    TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<Model> e, EaseModel::Load(ease_env.payload));
    if (e->num_items() != m->num_items_) return Status::Internal("corrupt model artifact: ease");
    m->ease_.reset(static_cast<EaseModel*>(e.release()));
  }
  const size_t n = static_cast<size_t>(m->num_items_);
  auto& q = m->sequence_;
  q.num_items = m->num_items_;
  if (m->als_->num_items() != m->num_items_ || q.indptr.size() != n + 1 ||
      q.indptr.back() != static_cast<int64_t>(q.neighbor.size()) ||
      q.score.size() != q.neighbor.size() || m->item_day_indptr_.size() != n + 1 ||
      m->item_day_indptr_.back() != static_cast<int64_t>(m->item_days_.size()) ||
      m->user_last_ts_.size() != static_cast<size_t>(m->num_users()) ||
      (m->repeats_learned_ && (m->history_counts_.size() != m->history_.items.size() ||
                               m->history_types_.size() != m->history_.items.size())) ||
      b.neighbors.history < 0 || b.neighbors.count < 0 || b.neighbors.window < 0 ||
      b.neighbors.window > kMaxNeighborWindow || !(b.neighbors.half_life > 0) ||
      !(b.neighbors.window_half_life > 0) || !std::isfinite(b.neighbor_weight)) {
    return Status::Internal("corrupt model artifact: user-personalization sizes");
  }
  for (int32_t j : q.neighbor) {
    if (j < 0 || j >= m->num_items_) return Status::Internal("corrupt model artifact: neighbour");
  }
  m->DeriveFromHistory();
  return std::unique_ptr<Model>(std::move(m));
}

}  // namespace tailor::algo
