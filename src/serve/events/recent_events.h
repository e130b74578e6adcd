// RecentEvents: each user's newest real-time events (PutEvents), kept in memory so that the
// very next request for that user sees them: user-personalization folds them into the user's
// scores and interaction filters ("exclude what I have seen") exclude their items. Training
// folds events into the model later; each event carries the epoch it was recorded in, so that
// a campaign folds in only the events its model has not trained on (core/event_stream.h).
// Thread-safety: every method is safe to call from many threads at once; users are sharded so
// that writers for different users rarely contend.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_map.h"

namespace tailor::serve {

struct RecentEvent {
  std::string item_id;
  std::string event_type;
  int64_t timestamp = 0;  // epoch seconds (the event's sentAt)
  float value = NAN;      // eventValue; NaN when the event had none
  uint64_t epoch = 0;     // the training epoch it was recorded in (core/event_stream.h)
};

class RecentEvents {
 public:
  // Keeps at most `max_per_user` events per user, dropping the oldest: Personalize's filters
  // consider a user's latest 100 interactions per event type, and folding in reads the newest.
  explicit RecentEvents(size_t max_per_user = 200) : max_per_user_(max_per_user) {}
  RecentEvents(const RecentEvents&) = delete;
  RecentEvents& operator=(const RecentEvents&) = delete;

  void Add(std::string_view user_id, RecentEvent event);

  // The user's kept events with epoch > `after_epoch`, oldest first; empty for an unknown user.
  std::vector<RecentEvent> Get(std::string_view user_id, uint64_t after_epoch = 0) const;

  // Users with at least one kept event.
  size_t num_users() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    // Protected by mu.
    StringMap<std::deque<RecentEvent>> users;
  };
  static constexpr size_t kShards = 64;
  Shard& ShardOf(std::string_view user_id) const {
    return shards_[std::hash<std::string_view>{}(user_id) % kShards];
  }

  const size_t max_per_user_;
  mutable Shard shards_[kShards];
};

}  // namespace tailor::serve
