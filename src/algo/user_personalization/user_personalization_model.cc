#include "algo/user_personalization/user_personalization_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

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
    std::vector<int64_t> user_last_ts, UserHistory history, std::unique_ptr<EaseModel> ease)
    : blend_(blend),
      als_(std::move(als)),
      ease_(std::move(ease)),
      sequence_(std::move(sequence)),
      item_day_indptr_(std::move(item_day_indptr)),
      item_days_(std::move(item_days)),
      user_last_ts_(std::move(user_last_ts)) {
  num_items_ = als_->num_items();
  history_ = std::move(history);
  for (int64_t t : user_last_ts_) max_ts_ = std::max(max_ts_, t);
}

// 1 / the standard deviation of `values` over `n` items, the items not listed counting as 0;
// 0 when they are all equal.
template <typename Values>
double InverseStd(const Values& values, int64_t n) {
  double sum = 0, sq = 0;
  for (float x : values) {
    sum += x;
    sq += double(x) * x;
  }
  if (n <= 0) return 0;
  const double mean = sum / n;
  const double var = std::max(0.0, sq / n - mean * mean);
  return var > 0 ? 1.0 / std::sqrt(var) : 0.0;
}

Status UserPersonalizationModel::ScoreItems(const UserQuery& query, std::span<float> scores) const {
  // Each component is z-scored over the catalogue before weighting. A z-score's mean shifts
  // every item by the same amount, which changes neither the ranking nor a softmax, so the
  // components are added scaled by 1/std only: one pass over the catalogue for the dense
  // components and none for the sparse sequence scores (this is the serving hot path).
  TAILOR_RETURN_IF_ERROR(als_->ScoreItems(query, scores));
  const float als_scale =
      blend_.als_weight != 0
          ? static_cast<float>(blend_.als_weight * InverseStd(scores, num_items_))
          : 0.0f;
  if (blend_.popularity_weight != 0) {
    int64_t t_last = -1;
    if (!query.timestamps.empty()) t_last = query.timestamps.back();
    if (t_last < 0 && query.user >= 0) t_last = user_last_ts_[query.user];
    if (t_last < 0) t_last = max_ts_;
    std::shared_ptr<const std::vector<float>> pop =
        WindowedPopularity(static_cast<int32_t>(t_last / 86400));
    const float w = blend_.popularity_weight;
    for (int32_t i = 0; i < num_items_; ++i) scores[i] = als_scale * scores[i] + w * (*pop)[i];
  } else {
    for (int32_t i = 0; i < num_items_; ++i) scores[i] *= als_scale;
  }
  if (blend_.sequence_weight != 0) {
    // The user's history, newest last: training history (time-ordered) then the query's items.
    std::vector<int32_t> recent;
    if (query.user >= 0) {
      auto row = history_.row(query.user);
      recent.assign(row.begin(), row.end());
    }
    recent.insert(recent.end(), query.items.begin(), query.items.end());
    std::vector<float> s(num_items_, 0.0f);
    std::vector<int32_t> touched;
    const int64_t len = static_cast<int64_t>(recent.size());
    const int64_t from = std::max<int64_t>(0, len - blend_.sequence_history);
    for (int64_t t = from; t < len; ++t) {
      const int32_t h = recent[t];
      const double w =
          blend_.sequence_half_life > 0
              ? std::exp2(-static_cast<double>(len - 1 - t) / blend_.sequence_half_life)
              : 1.0;
      for (int64_t k = sequence_.indptr[h]; k < sequence_.indptr[h + 1]; ++k) {
        const int32_t j = sequence_.neighbor[k];
        if (s[j] == 0.0f) touched.push_back(j);
        s[j] += static_cast<float>(w * sequence_.score[k]);
      }
    }
    std::vector<float> values;
    values.reserve(touched.size());
    for (int32_t j : touched) values.push_back(s[j]);
    const float scale = static_cast<float>(blend_.sequence_weight * InverseStd(values, num_items_));
    for (int32_t j : touched) scores[j] += scale * s[j];
  }
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

std::shared_ptr<const std::vector<float>> UserPersonalizationModel::WindowedPopularity(
    int32_t day) const {
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
  auto s = std::make_shared<std::vector<float>>(num_items_);
  for (int32_t i = 0; i < num_items_; ++i) {
    auto b = item_days_.begin() + item_day_indptr_[i],
         e = item_days_.begin() + item_day_indptr_[i + 1];
    const auto n = std::upper_bound(b, e, anchor) - std::lower_bound(b, e, lo);
    (*s)[i] = std::log1p(static_cast<float>(n));
  }
  Standardize(*s);
  std::lock_guard lock(popularity_mu_);
  // Bounded: a catalogue's span of years has a few hundred anchors at most, and requests
  // cluster on recent ones; when full, start over rather than track recency.
  if (popularity_cache_.size() >= kMaxCachedPopularity) popularity_cache_.clear();
  popularity_cache_.emplace(anchor, s);
  return s;
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
  std::string als, ease;
  (void)als_->Save(&als);
  w.PutString(als);
  if (ease_ != nullptr) (void)ease_->Save(&ease);
  w.PutString(ease);
  w.PutVector(sequence_.indptr);
  w.PutVector(sequence_.neighbor);
  w.PutVector(sequence_.score);
  w.PutVector(item_day_indptr_);
  w.PutVector(item_days_);
  w.PutVector(user_last_ts_);
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
      m->user_last_ts_.size() != static_cast<size_t>(m->num_users())) {
    return Status::Internal("corrupt model artifact: user-personalization sizes");
  }
  for (int32_t j : q.neighbor) {
    if (j < 0 || j >= m->num_items_) return Status::Internal("corrupt model artifact: neighbour");
  }
  for (int64_t t : m->user_last_ts_) m->max_ts_ = std::max(m->max_ts_, t);
  return std::unique_ptr<Model>(std::move(m));
}

}  // namespace tailor::algo
