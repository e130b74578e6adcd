// ItemEventCounts: how many real-time events (PutEvents) each item had in each 30-minute bucket
// of the last two days, by event type, event value and the training epoch they were recorded in
// (core/event_stream.h), so that a trending campaign counts the events its model has not
// trained on (algo/popularity/trending_model.h) without retraining. Two days hold both windows
// of the longest trend_discovery_frequency (1 day); older buckets are dropped.
// Thread-safety: every method is safe to call from many threads at once.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tailor::serve {

class ItemEventCounts {
 public:
  // Buckets kept, counted back from the newest event's.
  static constexpr int64_t kKeptBuckets = 96;

  struct Count {
    std::string item_id;
    std::string event_type;
    float value = NAN;   // the events' EVENT_VALUE; NaN for events without one
    int64_t bucket = 0;  // algo::TrendingModel::BucketOf(sentAt)
    int32_t count = 0;
  };

  // `value` NaN: the event has none. Values are kept so that a solution's thresholds apply.
  void Add(std::string_view item_id, std::string_view event_type, float value, int64_t timestamp,
           uint64_t epoch);
  // The counts of epochs > `after_epoch` in buckets ≥ `since_bucket`, by bucket.
  std::vector<Count> Get(uint64_t after_epoch, int64_t since_bucket) const;
  // The newest bucket with an event (INT64_MIN before the first).
  int64_t newest_bucket() const;
  // Changes with every Add: a cached answer computed from Get is stale once it differs.
  uint64_t version() const;

 private:
  using Key = std::pair<int64_t, uint64_t>;  // (bucket, epoch)
  struct ByValue {
    int32_t without_value = 0;
    std::map<float, int32_t> with_value;
  };
  mutable std::mutex mu_;
  // Protected by mu_: (bucket, epoch) → item id → event type → events by value.
  std::map<Key, std::unordered_map<std::string, std::map<std::string, ByValue, std::less<>>>>
      counts_;
  int64_t newest_bucket_ = INT64_MIN;  // protected by mu_
  uint64_t version_ = 0;               // protected by mu_
};

}  // namespace tailor::serve
