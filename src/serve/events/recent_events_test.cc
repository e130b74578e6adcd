#include "serve/events/recent_events.h"

#include <thread>

#include <gtest/gtest.h>

namespace tailor::serve {
namespace {

RecentEvent At(std::string item, int64_t ts, uint64_t epoch = 1) {
  return {.item_id = std::move(item), .event_type = "click", .timestamp = ts, .epoch = epoch};
}

std::vector<std::string> Items(const std::vector<RecentEvent>& events) {
  std::vector<std::string> out;
  for (const RecentEvent& e : events) out.push_back(e.item_id);
  return out;
}

TEST(RecentEventsTest, KeepsTheNewestInTimeOrderPerUser) {
  RecentEvents recent(/*max_per_user=*/3);
  recent.Add("u1", At("a", 10));
  recent.Add("u1", At("c", 30));
  recent.Add("u1", At("b", 20));  // late arrival goes to its place
  recent.Add("u2", At("x", 5));
  EXPECT_EQ(Items(recent.Get("u1")), (std::vector<std::string>{"a", "b", "c"}));
  recent.Add("u1", At("d", 40));
  EXPECT_EQ(Items(recent.Get("u1")), (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(Items(recent.Get("u2")), (std::vector<std::string>{"x"}));
  EXPECT_TRUE(recent.Get("nobody").empty());
  EXPECT_EQ(recent.num_users(), 2u);
}

TEST(RecentEventsTest, GetSkipsEventsOfTrainedEpochs) {
  RecentEvents recent;
  recent.Add("u", At("old", 1, /*epoch=*/1));
  recent.Add("u", At("new", 2, /*epoch=*/2));
  EXPECT_EQ(Items(recent.Get("u", /*after_epoch=*/1)), (std::vector<std::string>{"new"}));
  EXPECT_EQ(Items(recent.Get("u", /*after_epoch=*/0)), (std::vector<std::string>{"old", "new"}));
  EXPECT_TRUE(recent.Get("u", /*after_epoch=*/2).empty());
}

TEST(RecentEventsTest, ConcurrentWritersLoseNothing) {
  RecentEvents recent(/*max_per_user=*/1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&recent, t] {
      for (int i = 0; i < 500; ++i) recent.Add("u" + std::to_string(i % 10), At("i", t * 1000 + i));
    });
  }
  for (auto& th : threads) th.join();
  size_t total = 0;
  for (int u = 0; u < 10; ++u) total += recent.Get("u" + std::to_string(u)).size();
  EXPECT_EQ(total, 2000u);
}

}  // namespace
}  // namespace tailor::serve
