#include "algo/popularity/trending_model.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>

#include "algo/model_io.h"

namespace tailor::algo {
namespace {

constexpr std::array<std::pair<std::string_view, int64_t>, 5> kFrequencies = {{
    {"30 minutes", 1800},
    {"1 hour", 3600},
    {"2 hours", 7200},
    {"3 hours", 10800},
    {"1 day", 86400},
}};

}  // namespace

int64_t TrendingModel::BucketOf(int64_t timestamp) {
  return timestamp >= 0 ? timestamp / kBucketSeconds
                        : -((-timestamp + kBucketSeconds - 1) / kBucketSeconds);
}

StatusOr<int64_t> TrendingModel::WindowSeconds(std::string_view trend_discovery_frequency) {
  std::string known;
  for (const auto& [name, seconds] : kFrequencies) {
    if (name == trend_discovery_frequency) return seconds;
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  return Status::InvalidInput("trend_discovery_frequency '" +
                              std::string(trend_discovery_frequency) + "' must be one of " + known +
                              ".");
}

StatusOr<int64_t> TrendingModel::WindowSecondsOf(const HyperParams& params) {
  auto it = params.values().find("trend_discovery_frequency");
  return WindowSeconds(it != params.values().end() ? std::string_view(it->second)
                                                   : kDefaultFrequency);
}

TrendingModel::TrendingModel(const Interactions& data, int64_t window_seconds)
    : window_buckets_(window_seconds / kBucketSeconds) {
  num_items_ = data.num_items;
  unique_users_.assign(num_items_, 0.0f);
  MatrixBuildOptions o;
  o.keep_timestamps = false;
  // Built for the base model's user histories and the unique-user counts; the matrix is valid
  // (Train checks the data first).
  StatusOr<CsrMatrix> m = BuildUserItemMatrix(data, o);
  if (m.ok()) {
    history_ = UserHistory::FromMatrix(*m);
    for (int32_t i : m->indices) unique_users_[i] += 1.0f;
  }
  for (size_t e = 0; e < data.size(); ++e) {
    newest_bucket_ = std::max(newest_bucket_, BucketOf(data.timestamp_at(e)));
  }
  if (data.timestamp.empty()) newest_bucket_ = 0;
  const int64_t oldest = oldest_relevant_bucket();
  for (size_t e = 0; e < data.size(); ++e) {
    const int64_t b = BucketOf(data.timestamp_at(e));
    if (b >= oldest) recent_.push_back({data.item[e], b, 1});
  }
  // One entry per (item, bucket).
  std::sort(recent_.begin(), recent_.end(), [](const BucketCount& a, const BucketCount& b) {
    return a.item != b.item ? a.item < b.item : a.bucket < b.bucket;
  });
  size_t kept = 0;
  for (size_t k = 0; k < recent_.size(); ++k) {
    if (kept > 0 && recent_[kept - 1].item == recent_[k].item &&
        recent_[kept - 1].bucket == recent_[k].bucket) {
      recent_[kept - 1].count += recent_[k].count;
    } else {
      recent_[kept++] = recent_[k];
    }
  }
  recent_.resize(kept);
  Prepare();
}

void TrendingModel::Prepare() {
  by_popularity_.resize(num_items_);
  for (int32_t i = 0; i < num_items_; ++i) by_popularity_[i] = i;
  std::stable_sort(by_popularity_.begin(), by_popularity_.end(),
                   [&](int32_t a, int32_t b) { return unique_users_[a] > unique_users_[b]; });
  trained_scores_ = Scores({});
}

TrendingModel::Windows TrendingModel::WindowsEndingAt(int64_t newest_fresh_bucket) const {
  Windows w;
  w.newest = std::max(newest_bucket_, newest_fresh_bucket);
  w.last_from = w.newest - window_buckets_ + 1;
  w.previous_from = w.last_from - window_buckets_;
  return w;
}

std::vector<float> TrendingModel::Scores(std::span<const BucketCount> fresh) const {
  int64_t newest = INT64_MIN;
  for (const BucketCount& c : fresh) newest = std::max(newest, c.bucket);
  return Scores(fresh, WindowsEndingAt(newest));
}

std::vector<float> TrendingModel::Scores(std::span<const BucketCount> fresh, const Windows& windows,
                                         std::vector<int32_t>* rises) const {
  std::vector<int32_t> last(num_items_, 0), previous(num_items_, 0);
  auto count = [&](const BucketCount& c) {
    if (c.item < 0 || c.item >= num_items_) return;
    const int side = windows.Side(c.bucket);
    if (side > 0) last[c.item] += c.count;
    if (side < 0) previous[c.item] += c.count;
  };
  for (const BucketCount& c : recent_) count(c);
  for (const BucketCount& c : fresh) count(c);
  if (rises != nullptr) {
    rises->resize(num_items_);
    for (int32_t i = 0; i < num_items_; ++i) (*rises)[i] = last[i] - previous[i];
  }

  std::vector<int32_t> rising;
  for (int32_t i = 0; i < num_items_; ++i) {
    if (last[i] > previous[i]) rising.push_back(i);
  }
  std::sort(rising.begin(), rising.end(), [&](int32_t a, int32_t b) {
    const int32_t ra = last[a] - previous[a], rb = last[b] - previous[b];
    if (ra != rb) return ra > rb;
    if (last[a] != last[b]) return last[a] > last[b];
    if (unique_users_[a] != unique_users_[b]) return unique_users_[a] > unique_users_[b];
    return a < b;
  });
  // Scores are the items' places counted from the end: exact in a float up to 2^24 items.
  std::vector<float> scores(num_items_, 0.0f);
  std::vector<uint8_t> placed(num_items_, 0);
  float next = static_cast<float>(num_items_);
  for (int32_t i : rising) {
    scores[i] = next--;
    placed[i] = 1;
  }
  for (int32_t i : by_popularity_) {
    if (!placed[i]) scores[i] = next--;
  }
  return scores;
}

Status TrendingModel::ScoreItems(const UserQuery& query, std::span<float> scores) const {
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  std::copy(trained_scores_.begin(), trained_scores_.end(), scores.begin());
  return Status::OK();
}

void TrendingModel::SavePayload(ByteWriter& w) const {
  w.Put<int64_t>(window_buckets_);
  w.Put<int64_t>(newest_bucket_);
  std::vector<int32_t> items, counts;
  std::vector<int64_t> buckets;
  for (const BucketCount& c : recent_) {
    items.push_back(c.item);
    buckets.push_back(c.bucket);
    counts.push_back(c.count);
  }
  w.PutVector(items);
  w.PutVector(buckets);
  w.PutVector(counts);
  w.PutVector(unique_users_);
}

StatusOr<std::unique_ptr<Model>> TrendingModel::Load(std::string_view payload) {
  ByteReader r(payload);
  std::unique_ptr<TrendingModel> m(new TrendingModel());
  TAILOR_RETURN_IF_ERROR(m->LoadBase(r));
  std::vector<int32_t> items, counts;
  std::vector<int64_t> buckets;
  r.Get(&m->window_buckets_);
  r.Get(&m->newest_bucket_);
  r.GetVector(&items);
  r.GetVector(&buckets);
  r.GetVector(&counts);
  r.GetVector(&m->unique_users_);
  TAILOR_RETURN_IF_ERROR(r.status("trending counts"));
  if (m->window_buckets_ <= 0 || items.size() != buckets.size() || items.size() != counts.size() ||
      m->unique_users_.size() != static_cast<size_t>(m->num_items_)) {
    return Status::Internal("corrupt model artifact: trending counts");
  }
  for (size_t k = 0; k < items.size(); ++k) {
    if (items[k] < 0 || items[k] >= m->num_items_ || counts[k] < 0) {
      return Status::Internal("corrupt model artifact: trending counts");
    }
    m->recent_.push_back({items[k], buckets[k], counts[k]});
  }
  m->Prepare();
  return std::unique_ptr<Model>(std::move(m));
}

HyperParams TrendingNowRecipe::DefaultParams() const {
  return HyperParams(std::map<std::string, std::string>{
      {"trend_discovery_frequency", std::string(TrendingModel::kDefaultFrequency)}});
}

StatusOr<std::unique_ptr<Model>> TrendingNowRecipe::Train(const Interactions& data,
                                                          const HyperParams& params,
                                                          const TrainContext& ctx) const {
  TAILOR_RETURN_IF_ERROR(params.CheckKnown({"trend_discovery_frequency"}));
  TAILOR_RETURN_IF_ERROR(data.Validate());
  TAILOR_ASSIGN_OR_RETURN(int64_t window, TrendingModel::WindowSecondsOf(params));
  auto model = std::make_unique<TrendingModel>(data, window);
  ctx.Progress(1.0);
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace tailor::algo
