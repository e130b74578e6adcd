#include "core/event_stream.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include <gtest/gtest.h>

namespace tailor::core {
namespace {

class EventStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tailor_event_stream_test_" + std::to_string(std::random_device{}()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<EventStream> Open() {
    auto stream = EventStream::Open(Env::Default(), dir_.string());
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    return std::move(*stream);
  }

  std::filesystem::path dir_;
};

TrackedEvent Event(std::string user, std::string item, int64_t ts, std::string id = "") {
  TrackedEvent e;
  e.user_id = std::move(user);
  e.session_id = "s";
  e.item_id = std::move(item);
  e.event_type = "click";
  e.sent_at = ts;
  e.event_id = std::move(id);
  return e;
}

TEST_F(EventStreamTest, EncodingRoundTrips) {
  TrackedEvent e = Event("u1", "i1", 1700000000, "ev-1");
  e.event_value = 4.5f;
  e.properties = R"({"device":"phone"})";
  e.recommendation_id = "RID-1";
  e.impression = {"i1", "i2"};
  e.epoch = 7;
  StatusOr<TrackedEvent> back = DecodeTrackedEvent(EncodeTrackedEvent(e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->user_id, "u1");
  EXPECT_EQ(back->item_id, "i1");
  EXPECT_EQ(back->sent_at, 1700000000);
  EXPECT_FLOAT_EQ(back->event_value, 4.5f);
  EXPECT_EQ(back->properties, e.properties);
  EXPECT_EQ(back->impression, e.impression);
  EXPECT_EQ(back->epoch, 7u);
  EXPECT_TRUE(std::isnan(DecodeTrackedEvent(EncodeTrackedEvent(Event("u", "i", 1)))->event_value));
  EXPECT_TRUE(DecodeTrackedEvent("{not json").status().IsInternal());
}

TEST_F(EventStreamTest, EventsAreVisibleAtOnceAndSurviveReopening) {
  {
    auto stream = Open();
    ASSERT_TRUE(stream->Append({Event("u1", "a", 10), Event("u1", "b", 20)}).ok());
    ASSERT_TRUE(stream->Append({Event("u2", "c", 30)}).ok());
    EXPECT_EQ(stream->recent().Get("u1").size(), 2u);
    EXPECT_EQ(stream->events_recorded(), 3u);
  }
  auto reopened = Open();
  EXPECT_EQ(reopened->events_recorded(), 3u);
  auto u1 = reopened->recent().Get("u1");
  ASSERT_EQ(u1.size(), 2u);
  EXPECT_EQ(u1[0].item_id, "a");
  EXPECT_EQ(u1[1].item_id, "b");
}

TEST_F(EventStreamTest, AsyncAppendsAreVisibleWhenTheirCallbackRuns) {
  auto stream = Open();
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::vector<size_t> seen;  // u1's recent events as each callback found them
  for (int i = 0; i < 20; ++i) {
    stream->AppendAsync({Event("u1", "i" + std::to_string(i), i)}, [&](Status s) {
      EXPECT_TRUE(s.ok()) << s.ToString();
      std::lock_guard lock(mu);
      seen.push_back(stream->recent().Get("u1").size());
      ++done;
      cv.notify_one();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done == 20; });
  // Each callback found at least its own event, and callbacks run in append order.
  for (size_t k = 0; k < seen.size(); ++k) EXPECT_GE(seen[k], k + 1);
  EXPECT_EQ(stream->events_recorded(), 20u);
}

TEST_F(EventStreamTest, SealSplitsTrainedFromFreshEvents) {
  auto stream = Open();
  ASSERT_TRUE(stream->Append({Event("u", "trained", 1)}).ok());
  const uint64_t sealed = stream->Seal();
  ASSERT_TRUE(stream->Append({Event("u", "fresh", 2)}).ok());
  std::vector<std::string> read;
  ASSERT_TRUE(
      stream->ReadThrough(sealed, [&](const TrackedEvent& e) { read.push_back(e.item_id); }).ok());
  EXPECT_EQ(read, std::vector<std::string>{"trained"});
  auto fresh = stream->recent().Get("u", sealed);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].item_id, "fresh");
  // After a restart the epochs go on, so the sealed epoch keeps meaning the same events.
  stream.reset();
  auto reopened = Open();
  EXPECT_GT(reopened->Seal(), sealed);
  EXPECT_EQ(reopened->recent().Get("u", sealed).size(), 1u);
}

TEST_F(EventStreamTest, SealWaitsForAppendsOfItsEpoch) {
  auto stream = Open();
  std::atomic<bool> stop{false};
  std::atomic<int64_t> acknowledged{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        if (stream->Append({Event("u" + std::to_string(t), "i", i)}).ok()) ++acknowledged;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const int64_t before = acknowledged.load();
  const uint64_t sealed = stream->Seal();
  int64_t read = 0;
  ASSERT_TRUE(stream->ReadThrough(sealed, [&](const TrackedEvent&) { ++read; }).ok());
  stop = true;
  for (auto& w : writers) w.join();
  // Everything acknowledged before the seal is in the sealed epoch, and the sealed epoch is
  // complete: reading it again after the writers stopped gives the same count.
  EXPECT_GE(read, before);
  int64_t again = 0;
  ASSERT_TRUE(stream->ReadThrough(sealed, [&](const TrackedEvent&) { ++again; }).ok());
  EXPECT_EQ(again, read);
}

TEST_F(EventStreamTest, TrainingTableGetsEventsOnceWithNewIds) {
  auto stream = Open();
  ASSERT_TRUE(stream
                  ->Append({Event("old-user", "new-item", 5, "e1"),
                            Event("old-user", "new-item", 5, "e1"),  // same eventId
                            Event("new-user", "old-item", 6), Event("new-user", "old-item", 6)})
                  .ok());
  data::InteractionTable table;
  table.user_ids = {"old-user"};
  table.item_ids = {"old-item"};
  table.event_types = {"click"};
  table.users = {0};
  table.items = {0};
  table.timestamps = {1};
  table.event_type_per_row = {0};
  ASSERT_TRUE(AppendTrackedEvents(*stream, stream->Seal(), &table).ok());
  ASSERT_EQ(table.num_rows(), 3u);
  EXPECT_EQ(table.user_ids, (std::vector<std::string>{"old-user", "new-user"}));
  EXPECT_EQ(table.item_ids, (std::vector<std::string>{"old-item", "new-item"}));
  EXPECT_EQ(table.users, (std::vector<uint32_t>{0, 0, 1}));
  EXPECT_EQ(table.items, (std::vector<uint32_t>{0, 1, 0}));
  EXPECT_EQ(table.event_type_per_row, (std::vector<uint32_t>{0, 0, 0}));
  EXPECT_TRUE(table.event_values.empty());  // the table has no EVENT_VALUE column
}

TEST_F(EventStreamTest, TrainingTableTakesContextFromTheEventsProperties) {
  auto stream = Open();
  TrackedEvent mobile = Event("u", "i", 5), tablet = Event("u", "i", 6), bare = Event("u", "i", 7);
  mobile.properties = R"({"device": "mobile", "numberOfRatings": 3})";
  tablet.properties = R"({"DEVICE": "tablet"})";
  ASSERT_TRUE(stream->Append({mobile, tablet, bare}).ok());
  data::InteractionTable table;
  table.user_ids = {"u"};
  table.item_ids = {"i"};
  table.users = {0};
  table.items = {0};
  table.timestamps = {1};
  table.context_columns.push_back({.name = "DEVICE", .values = {"mobile"}, .value_per_row = {0}});
  ASSERT_TRUE(AppendTrackedEvents(*stream, stream->Seal(), &table).ok());
  ASSERT_EQ(table.num_rows(), 4u);
  const auto& device = table.context_columns[0];
  // "device" names DEVICE ignoring case; a new value gets the next code; no property, no value.
  EXPECT_EQ(device.values, (std::vector<std::string>{"mobile", "tablet"}));
  EXPECT_EQ(device.value_per_row,
            (std::vector<uint32_t>{0, 0, 1, data::InteractionTable::kNoEventType}));
}

}  // namespace
}  // namespace tailor::core
