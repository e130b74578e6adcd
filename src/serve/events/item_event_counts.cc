#include "serve/events/item_event_counts.h"

#include "algo/popularity/trending_model.h"

namespace tailor::serve {

void ItemEventCounts::Add(std::string_view item_id, std::string_view event_type, float value,
                          int64_t timestamp, uint64_t epoch) {
  const int64_t bucket = algo::TrendingModel::BucketOf(timestamp);
  std::lock_guard lock(mu_);
  ++version_;
  if (bucket > newest_bucket_) {
    newest_bucket_ = bucket;
    counts_.erase(counts_.begin(), counts_.lower_bound({newest_bucket_ - kKeptBuckets + 1, 0}));
  }
  if (bucket <= newest_bucket_ - kKeptBuckets) return;  // older than anything a trend reads
  auto& types = counts_[{bucket, epoch}][std::string(item_id)];
  auto it = types.find(event_type);
  if (it == types.end()) it = types.emplace(std::string(event_type), ByValue{}).first;
  if (std::isnan(value)) {
    ++it->second.without_value;
  } else {
    ++it->second.with_value[value];
  }
}

std::vector<ItemEventCounts::Count> ItemEventCounts::Get(uint64_t after_epoch,
                                                         int64_t since_bucket) const {
  std::vector<Count> out;
  std::lock_guard lock(mu_);
  for (auto it = counts_.lower_bound({since_bucket, 0}); it != counts_.end(); ++it) {
    if (it->first.second <= after_epoch) continue;
    for (const auto& [item, types] : it->second) {
      for (const auto& [type, counts] : types) {
        if (counts.without_value > 0) {
          out.push_back({item, type, NAN, it->first.first, counts.without_value});
        }
        for (const auto& [value, n] : counts.with_value) {
          out.push_back({item, type, value, it->first.first, n});
        }
      }
    }
  }
  return out;
}

int64_t ItemEventCounts::newest_bucket() const {
  std::lock_guard lock(mu_);
  return newest_bucket_;
}

uint64_t ItemEventCounts::version() const {
  std::lock_guard lock(mu_);
  return version_;
}

}  // namespace tailor::serve
