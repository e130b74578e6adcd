#include "serve/events/recent_events.h"

namespace tailor::serve {

void RecentEvents::Add(std::string_view user_id, RecentEvent event) {
  Shard& shard = ShardOf(user_id);
  std::lock_guard lock(shard.mu);
  auto it = shard.users.find(user_id);
  if (it == shard.users.end()) it = shard.users.emplace(std::string(user_id), 0).first;
  std::deque<RecentEvent>& events = it->second;
  // Events usually arrive in time order; one that is older than the newest kept goes to its
  // place, so that "newest" means newest by sentAt, as in training.
  auto pos = events.end();
  while (pos != events.begin() && std::prev(pos)->timestamp > event.timestamp) --pos;
  events.insert(pos, std::move(event));
  while (events.size() > max_per_user_) events.pop_front();
}

std::vector<RecentEvent> RecentEvents::Get(std::string_view user_id, uint64_t after_epoch) const {
  std::vector<RecentEvent> out;
  Shard& shard = ShardOf(user_id);
  std::lock_guard lock(shard.mu);
  auto it = shard.users.find(user_id);
  if (it == shard.users.end()) return out;
  for (const RecentEvent& e : it->second) {
    if (e.epoch > after_epoch) out.push_back(e);
  }
  return out;
}

size_t RecentEvents::num_users() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.users.size();
  }
  return n;
}

}  // namespace tailor::serve
