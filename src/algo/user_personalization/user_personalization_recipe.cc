#include "algo/user_personalization/user_personalization_recipe.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "algo/als/ials_recipe.h"
#include "algo/user_personalization/user_personalization_model.h"

namespace tailor::algo {
namespace {

// Defaults tuned on ml-latest-small under the §5 protocol (bench/algo_quality.cc, 5 user splits,
// seeds 7..11, checked on seeds 101..105). On top of iALS with recency-decayed confidence
// (half-life 10 events) and a 365-day popularity blend (0.108 NDCG@10), the forward sequence
// component is what lifts it to ~0.13: items other users went on to within 40 positions after
// each of the user's 20 newest items (positional half-life 10, newest items weighted more,
// half-life 6), at weight 0.7: from 0.2, 0.7 lifted NDCG@10 from 0.1283 to 0.1317 (seeds
// 101..105: 0.1215 to 0.1320) and coverage from 0.058 to 0.077, and on Personalize's sample
// preparation coverage from 0.078 to 0.085 at the same NDCG (0.258); 1.0 lowered NDCG. The
// symmetric window did not help; direction does, because the §5 truth is the user's *next*
// events. An EASE component (ease_weight) is available but off: it did not add on
// top of the sequence component, and its dense item×item matrix does not scale past ~20 k items,
// so the defaults train in O(events) memory at any catalogue size. With Items metadata
// (Interactions::item_features) iALS pulls each item toward the mean of the items sharing its
// values at item_metadata_weight 0.5: among items that kept only 2 users in training
// (algo_quality --cold-items) NDCG@10 0.2019 → 0.2161 (1.0: 0.2307, but all-ratings NDCG@10 0.1317
// → 0.1298), while the all-ratings and sample figures stay within the splits' noise (0.1313 and
// 0.2587 on seeds 7..11, 0.1330 on 101..105). Users metadata (user_features) pulls each user
// the same way, toward the users sharing their values, at user_metadata_weight 0.5, the item
// side's value: MovieLens has no Users data to measure it on.
// The neighbours' votes (sequence_neighbors.h) score what the users who shared the user's 10
// newest items had around them, the 40 best neighbours voting within 20 positions on either side
// (a window half-life of a quarter of that), at weight 0.6: NDCG@10 0.2587 → 0.2719 on the sample
// preparation (seeds 101..105: 0.2647 → 0.2712) and 0.1313 → 0.1357 on all ratings (0.1330 →
// 0.1540), coverage 0.0853 → 0.0846 and 0.0775 → 0.0779. Voting only forward, like the sequence
// component, lost most of the gain; 50 neighbours did as well on seeds 7..11 and worse on
// 101..105; 100 and 200 worse.
const std::map<std::string, std::string>& Defaults() {
  static const auto* d = new std::map<std::string, std::string>{
      {"factors", "128"},
      {"regularization", "5"},
      {"alpha", "8"},
      {"iterations", "15"},
      {"cg_steps", "3"},
      {"seed", "42"},
      {"recency_half_life_events", "10"},
      {"recency_half_life_days", "0"},
      {"item_metadata_weight", "0.5"},
      {"user_metadata_weight", "0.5"},
      {"als_weight", "1"},
      {"sequence_weight", "0.7"},
      {"sequence_window", "40"},
      {"sequence_position_half_life", "10"},
      {"sequence_min_count", "1"},
      {"sequence_discount", "0.5"},
      {"sequence_history", "20"},
      {"sequence_half_life", "6"},
      {"neighbor_weight", "0.6"},
      {"neighbor_count", "40"},
      {"neighbor_history", "10"},
      {"neighbor_window", "20"},
      {"popularity_weight", "0.3"},
      {"popularity_window_days", "365"},
      {"sequence_forward_only", "true"},
      {"ease_weight", "0"},
      {"ease_lambda", "500"},
      {"ease_min_item_users", "2"},
      {"ease_max_items", "20000"},
  };
  return *d;
}

// Each user's distinct items ordered by their latest event time, ties by item: the same rows
// as UserHistory::FromMatrixByTime(BuildUserItemMatrix(data)), built from `by_item` (the same
// rows in item order, as iALS keeps them) with one int64 per non-zero instead of a timestamped
// copy of the matrix. *last_ts gets each user's latest timestamp (0 for users with no events),
// *counts each row entry's number of events (at most 255), *types the type of its latest event
// (of equal timestamps, the last in input order).
UserHistory TimeOrderedHistory(const Interactions& data, const UserHistory& by_item,
                               std::vector<int64_t>* last_ts, std::vector<uint8_t>* counts,
                               std::vector<uint8_t>* types) {
  std::vector<int64_t> ts(by_item.items.size(), std::numeric_limits<int64_t>::min());
  std::vector<uint8_t> by_item_counts(by_item.items.size(), 0);
  std::vector<uint8_t> by_item_types(by_item.items.size(), 0);
  for (size_t e = 0; e < data.size(); ++e) {
    auto row = by_item.row(data.user[e]);
    auto it = std::lower_bound(row.begin(), row.end(), data.item[e]);
    if (it == row.end() || *it != data.item[e]) continue;  // not in the matrix (cannot happen)
    const int64_t at = by_item.indptr[data.user[e]] + (it - row.begin());
    if (data.timestamp_at(e) >= ts[at]) {
      ts[at] = data.timestamp_at(e);
      by_item_types[at] = data.event_type_at(e);
    }
    if (by_item_counts[at] < 255) ++by_item_counts[at];
  }
  counts->assign(by_item.items.size(), 0);
  types->assign(by_item.items.size(), 0);
  UserHistory h = by_item;
  last_ts->assign(static_cast<size_t>(by_item.num_users()), 0);
  std::vector<int32_t> order;
  for (int32_t u = 0; u < by_item.num_users(); ++u) {
    const int64_t begin = by_item.indptr[u], len = by_item.indptr[u + 1] - begin;
    order.resize(static_cast<size_t>(len));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int32_t a, int32_t b) { return ts[begin + a] < ts[begin + b]; });
    for (int64_t k = 0; k < len; ++k) {
      h.items[begin + k] = by_item.items[begin + order[k]];
      (*counts)[begin + k] = by_item_counts[begin + order[k]];
      (*types)[begin + k] = by_item_types[begin + order[k]];
    }
    if (len > 0) (*last_ts)[u] = ts[begin + order[len - 1]];
  }
  return h;
}

}  // namespace

HyperParams UserPersonalizationRecipe::DefaultParams() const { return HyperParams(Defaults()); }

std::vector<ParamRange> UserPersonalizationRecipe::TunableRanges() const {
  using K = ParamRange::Kind;
  return {{"factors", K::kInteger, 16, 256, {}, true},
          {"regularization", K::kContinuous, 0.01, 1000, {}, true},
          {"alpha", K::kContinuous, 0.1, 100, {}, true},
          {"sequence_weight", K::kContinuous, 0, 2, {}, false},
          {"neighbor_weight", K::kContinuous, 0, 2, {}, false},
          {"popularity_weight", K::kContinuous, 0, 2, {}, false}};
}

StatusOr<std::unique_ptr<Model>> UserPersonalizationRecipe::Train(const Interactions& data,
                                                                  const HyperParams& given,
                                                                  const TrainContext& ctx) const {
  HyperParams params = DefaultParams();
  for (const auto& [k, v] : given.values()) params.Set(k, v);
  if (given.Has("hidden_dimension") && !given.Has("factors")) {
    params.Set("factors", given.values().at("hidden_dimension"));
  }
  static const std::vector<std::string> kBlend = {"als_weight",
                                                  "sequence_weight",
                                                  "sequence_window",
                                                  "sequence_position_half_life",
                                                  "sequence_min_count",
                                                  "sequence_discount",
                                                  "sequence_history",
                                                  "sequence_half_life",
                                                  "neighbor_weight",
                                                  "neighbor_count",
                                                  "neighbor_history",
                                                  "neighbor_window",
                                                  "popularity_weight",
                                                  "ease_weight",
                                                  "ease_lambda",
                                                  "ease_min_item_users",
                                                  "ease_max_items",
                                                  "popularity_window_days",
                                                  "sequence_forward_only",
                                                  "recency_mask",
                                                  "bptt",
                                                  "min_user_history_length_percentile",
                                                  "max_user_history_length_percentile"};
  TAILOR_ASSIGN_OR_RETURN(als::IalsTrainOptions als_options, als::ParseIalsOptions(params, kBlend));
  BlendConfig b;
  CooccurrenceOptions co;
  TAILOR_ASSIGN_OR_RETURN(bool recency, params.GetBool("recency_mask", true));
  TAILOR_ASSIGN_OR_RETURN(int64_t bptt, params.GetInt("bptt", 32, 2, 32));
  (void)bptt;
  TAILOR_ASSIGN_OR_RETURN(double min_pct,
                          params.GetDouble("min_user_history_length_percentile", 0, 0, 1));
  TAILOR_ASSIGN_OR_RETURN(double max_pct,
                          params.GetDouble("max_user_history_length_percentile", 0.99, 0, 1));
  (void)min_pct;
  (void)max_pct;
  TAILOR_ASSIGN_OR_RETURN(double als_w, params.GetDouble("als_weight", 1, 0, 100));
  TAILOR_ASSIGN_OR_RETURN(double seq_w, params.GetDouble("sequence_weight", 0, 0, 100));
  TAILOR_ASSIGN_OR_RETURN(int64_t window, params.GetInt("sequence_window", 5, 1, 1000));
  TAILOR_ASSIGN_OR_RETURN(double pos_hl,
                          params.GetDouble("sequence_position_half_life", 2, 0, 1000));
  TAILOR_ASSIGN_OR_RETURN(double min_count, params.GetDouble("sequence_min_count", 1, 0, 1000));
  TAILOR_ASSIGN_OR_RETURN(double discount, params.GetDouble("sequence_discount", 0.5, 0, 1));
  TAILOR_ASSIGN_OR_RETURN(int64_t seq_hist, params.GetInt("sequence_history", 10, 1, 10000));
  TAILOR_ASSIGN_OR_RETURN(double seq_hl, params.GetDouble("sequence_half_life", 3, 0, 1e6));
  TAILOR_ASSIGN_OR_RETURN(double neighbor_w, params.GetDouble("neighbor_weight", 0, 0, 100));
  TAILOR_ASSIGN_OR_RETURN(int64_t neighbor_count, params.GetInt("neighbor_count", 50, 1, 10000));
  TAILOR_ASSIGN_OR_RETURN(int64_t neighbor_hist, params.GetInt("neighbor_history", 10, 1, 1000));
  TAILOR_ASSIGN_OR_RETURN(
      int64_t neighbor_window,
      params.GetInt("neighbor_window", 20, 1, UserPersonalizationModel::kMaxNeighborWindow));
  TAILOR_ASSIGN_OR_RETURN(double pop_w, params.GetDouble("popularity_weight", 0, 0, 100));
  TAILOR_ASSIGN_OR_RETURN(double pop_days,
                          params.GetDouble("popularity_window_days", 30, 1, 36500));
  TAILOR_ASSIGN_OR_RETURN(double ease_w, params.GetDouble("ease_weight", 0, 0, 100));
  TAILOR_ASSIGN_OR_RETURN(double ease_lambda, params.GetDouble("ease_lambda", 500, 1, 1e6));
  TAILOR_ASSIGN_OR_RETURN(int64_t ease_min, params.GetInt("ease_min_item_users", 2, 1, 1000));
  TAILOR_ASSIGN_OR_RETURN(int64_t ease_max, params.GetInt("ease_max_items", 20000, 1, 50000));
  TAILOR_ASSIGN_OR_RETURN(co.forward_only, params.GetBool("sequence_forward_only", false));
  b.ease_weight = static_cast<float>(ease_w);
  b.als_weight = static_cast<float>(als_w);
  b.sequence_weight = static_cast<float>(seq_w);
  b.sequence_history = static_cast<int>(seq_hist);
  b.sequence_half_life = seq_hl;
  b.neighbor_weight = static_cast<float>(neighbor_w);
  b.neighbors.count = static_cast<int>(neighbor_count);
  b.neighbors.history = static_cast<int>(neighbor_hist);
  b.neighbors.window = static_cast<int>(neighbor_window);
  // A quarter of the window: the measured best half-life (5 of 20) scaled with it.
  b.neighbors.window_half_life = static_cast<double>(neighbor_window) / 4;
  b.popularity_weight = recency ? static_cast<float>(pop_w) : 0.0f;
  b.popularity_window_days = pop_days;
  if (!recency) {
    als_options.config.half_life_events = 0;
    als_options.config.half_life_seconds = 0;
  }
  co.window = static_cast<int>(window);
  co.position_half_life = pos_hl;
  co.min_count = min_count;
  co.popularity_discount = discount;
  co.top_k = 100;
  co.num_threads = ctx.num_threads;

  TrainContext als_ctx = ctx;
  als_ctx.progress = [&ctx](double f) { ctx.Progress(0.9 * f); };
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<als::IalsModel> als_model,
                          als::TrainIals(data, als_options, als_ctx));
  // Phases run one after another so their temporaries do not overlap (the 25 M-event budget in
  // bench/algo_train_bench.cc is 1 GB with the input itself resident): iALS first, then the time
  // order from iALS's own history rather than a second timestamped user×item matrix.
  std::vector<int64_t> last_ts;
  std::vector<uint8_t> history_counts, history_types;
  UserHistory history =
      TimeOrderedHistory(data, als_model->history(), &last_ts, &history_counts, &history_types);
  const RepeatPropensity repeats = RepeatPropensity::Learn(data, ctx.num_threads);
  if (ctx.IsCancelled()) return Status::Unavailable("training cancelled");
  NeighborLists seq;
  seq.num_items = data.num_items;
  seq.indptr.assign(static_cast<size_t>(data.num_items) + 1, 0);
  if (b.sequence_weight > 0) {
    TAILOR_ASSIGN_OR_RETURN(seq, BuildCooccurrence(&history, data.num_items, co));
  }
  if (ctx.IsCancelled()) return Status::Unavailable("training cancelled");
  // Per-item event days, ascending (for windowed popularity).
  std::vector<int64_t> day_indptr(static_cast<size_t>(data.num_items) + 1, 0);
  std::vector<int32_t> days;
  if (b.popularity_weight > 0) {
    for (int32_t i : data.item) ++day_indptr[i + 1];
    std::partial_sum(day_indptr.begin(), day_indptr.end(), day_indptr.begin());
    days.resize(data.size());
    std::vector<int64_t> cursor(day_indptr.begin(), day_indptr.end() - 1);
    for (size_t e = 0; e < data.size(); ++e) {
      days[cursor[data.item[e]]++] = static_cast<int32_t>(data.timestamp_at(e) / 86400);
    }
    for (int32_t i = 0; i < data.num_items; ++i) {
      std::sort(days.begin() + day_indptr[i], days.begin() + day_indptr[i + 1]);
    }
  }
  std::unique_ptr<EaseModel> ease;
  if (b.ease_weight > 0) {
    EaseOptions eo;
    eo.lambda = static_cast<float>(ease_lambda);
    eo.min_item_users = static_cast<int>(ease_min);
    eo.max_items = static_cast<int>(ease_max);
    eo.half_life_events = als_options.config.half_life_events;
    eo.num_threads = ctx.num_threads;
    TAILOR_ASSIGN_OR_RETURN(ease, EaseModel::Train(data, eo));
  }
  ctx.Progress(1.0);
  return std::unique_ptr<Model>(std::make_unique<UserPersonalizationModel>(
      b, std::move(als_model), std::move(seq), std::move(day_indptr), std::move(days),
      std::move(last_ts), std::move(history), std::move(history_counts), std::move(history_types),
      repeats, std::move(ease)));
}

}  // namespace tailor::algo
