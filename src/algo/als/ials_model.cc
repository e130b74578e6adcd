#include "algo/als/ials_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "algo/als/least_squares.h"
#include "algo/dot_product.h"
#include "algo/model_io.h"

namespace tailor::algo::als {

IalsModel::IalsModel(const IalsConfig& config, int32_t num_items, UserHistory history,
                     std::vector<float> user_factors, std::vector<float> item_factors)
    : config_(config),
      user_factors_(std::move(user_factors)),
      item_factors_(std::move(item_factors)) {
  num_items_ = num_items;
  history_ = std::move(history);
  Init();
}

void IalsModel::Init() {
  const int k = config_.factors;
  yty_ = Gramian(item_factors_, num_items_, k, config_.regularization, 1);
  item_norms_.resize(num_items_);
  item_mean_.assign(static_cast<size_t>(k), 0.0);
  for (int32_t i = 0; i < num_items_; ++i) {
    double s = 0;
    for (int a = 0; a < k; ++a) {
      const double y = item_factors_[int64_t(i) * k + a];
      s += y * y;
      item_mean_[a] += y;
    }
    item_norms_[i] = static_cast<float>(std::sqrt(s));
  }
  for (double& m : item_mean_) m /= std::max<int32_t>(num_items_, 1);
}

double IalsModel::ScoreVariance(std::span<const float> x) const {
  const int k = config_.factors;
  if (num_items_ == 0) return 0;
  // yty_ is YᵀY + λI (Gramian): take the λ|x|² back out.
  double quad = 0, mean = 0, norm = 0;
  for (int a = 0; a < k; ++a) {
    double row = 0;
    for (int b = 0; b < k; ++b) row += double(yty_[int64_t(a) * k + b]) * x[b];
    quad += x[a] * row;
    mean += x[a] * item_mean_[a];
    norm += double(x[a]) * x[a];
  }
  quad -= config_.regularization * norm;
  return std::max(0.0, quad / num_items_ - mean * mean);
}

std::vector<float> IalsModel::UserVector(const UserQuery& query) const {
  const int k = config_.factors;
  if (query.items.empty() && query.user >= 0) {
    return {user_factors_.begin() + int64_t(query.user) * k,
            user_factors_.begin() + int64_t(query.user + 1) * k};
  }
  // Fold-in: rebuild the row as training would (same decay), then solve it.
  Interactions row;
  row.num_users = 1;
  row.num_items = num_items_;
  if (query.user >= 0) {
    // Training values are not kept; known history counts once, at the oldest time.
    int64_t oldest = query.timestamps.empty() ? 0 : query.timestamps.front();
    for (int32_t i : history_.row(query.user)) row.Add(0, i, oldest, 1.0f);
  }
  for (size_t t = 0; t < query.items.size(); ++t) {
    row.Add(0, query.items[t], query.timestamps.empty() ? 0 : query.timestamps[t],
            query.weights.empty() ? 1.0f : query.weights[t]);
  }
  MatrixBuildOptions o;
  o.keep_timestamps = false;
  o.half_life_seconds = config_.half_life_seconds;
  o.half_life_events = config_.half_life_events;
  auto m = BuildUserItemMatrix(row, o);
  std::vector<float> x(k, 0.0f);
  if (!m.ok() || m->nnz() == 0) return x;
  if (query.user >= 0) {
    // A known user's new events move the solution a little from the trained one: a few CG
    // steps from it (as each training sweep takes) cost O(items·k) each, against the exact
    // solve's O(items·k² + k³), and this runs on every request of a user with fresh events.
    constexpr int kFoldInCgSteps = 4;
    std::copy_n(user_factors_.begin() + int64_t(query.user) * k, k, x.begin());
    SolveRowsCg(*m, item_factors_, yty_, k, config_.alpha, kFoldInCgSteps, x, 1);
    return x;
  }
  SolveRowExact(m->row_indices(0), m->row_values(0), item_factors_, yty_, k, config_.alpha, x);
  return x;
}

void IalsModel::ScoreVector(std::span<const float> x, std::span<float> scores) const {
  DotRows(x.data(), item_factors_.data(), num_items_, config_.factors, scores.data());
}

Status IalsModel::ScoreItems(const UserQuery& query, std::span<float> scores) const {
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  ScoreVector(UserVector(query), scores);
  return Status::OK();
}

StatusOr<std::vector<ScoredItem>> IalsModel::SimilarItems(int32_t item,
                                                          const RecommendOptions& options) const {
  if (item < 0 || item >= num_items_) {
    return Status::InvalidInput("item index " + std::to_string(item) + " out of range");
  }
  const int k = config_.factors;
  std::vector<float> scores(num_items_);
  const float* q = item_factors_.data() + int64_t(item) * k;
  for (int32_t i = 0; i < num_items_; ++i) {
    const float* y = item_factors_.data() + int64_t(i) * k;
    float s = 0;
    for (int a = 0; a < k; ++a) s += q[a] * y[a];
    const float d = item_norms_[i] * item_norms_[item];
    scores[i] = d > 0 ? s / d : -std::numeric_limits<float>::infinity();
  }
  scores[item] = -std::numeric_limits<float>::infinity();
  return TopK(scores, options.num_results,
              [&](int32_t i) { return IsExcluded(options.exclude, i); });
}

StatusOr<std::vector<ScoredItem>> IalsModel::Segment(int32_t item, int32_t num_users) const {
  if (item < 0 || item >= num_items_) {
    return Status::InvalidInput("item index " + std::to_string(item) + " out of range");
  }
  const int k = config_.factors;
  const int32_t n = this->num_users();
  std::vector<float> scores(n);
  const float* y = item_factors_.data() + int64_t(item) * k;
  for (int32_t u = 0; u < n; ++u) {
    const float* x = user_factors_.data() + int64_t(u) * k;
    float s = 0;
#pragma omp simd reduction(+ : s)
    for (int a = 0; a < k; ++a) s += x[a] * y[a];
    scores[u] = history_.row(u).empty() ? -std::numeric_limits<float>::infinity() : s;
  }
  return TopK(scores, num_users, [](int32_t) { return false; });
}

void IalsModel::SavePayload(ByteWriter& w) const {
  w.Put<int32_t>(config_.factors);
  w.Put<float>(config_.regularization);
  w.Put<float>(config_.alpha);
  w.Put<double>(config_.half_life_seconds);
  w.Put<double>(config_.half_life_events);
  w.PutVector(user_factors_);
  w.PutVector(item_factors_);
}

StatusOr<std::unique_ptr<Model>> IalsModel::Load(std::string_view payload) {
  ByteReader r(payload);
  std::unique_ptr<IalsModel> m(new IalsModel());
  TAILOR_RETURN_IF_ERROR(m->LoadBase(r));
  r.Get(&m->config_.factors);
  r.Get(&m->config_.regularization);
  r.Get(&m->config_.alpha);
  r.Get(&m->config_.half_life_seconds);
  r.Get(&m->config_.half_life_events);
  r.GetVector(&m->user_factors_);
  r.GetVector(&m->item_factors_);
  TAILOR_RETURN_IF_ERROR(r.status("ials factors"));
  const int64_t k = m->config_.factors;
  if (k <= 0 || m->user_factors_.size() != size_t(m->num_users() * k) ||
      m->item_factors_.size() != size_t(m->num_items_ * k)) {
    return Status::Internal("corrupt model artifact: ials factor sizes");
  }
  m->Init();
  return std::unique_ptr<Model>(std::move(m));
}

}  // namespace tailor::algo::als
