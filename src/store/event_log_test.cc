#include "store/event_log.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/event_log_test_util.h"
#include "store/file_event_log.h"
#include "store/log_format.h"

namespace tailor::store {
namespace {

using testing::EventLogTestBase;
using testing::FaultEnv;
using testing::ReadAll;
using testing::TestRecord;

class EventLogTest : public EventLogTestBase {};

TEST_F(EventLogTest, EmptyLogReadsNothing) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->stats().file_number, 1u);
  EXPECT_EQ(env_->FileSize(FirstFile()).value(), log::kFileHeaderSize);
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_TRUE(read.records.empty());
  EXPECT_EQ(read.dropped_bytes, 0u);
}

TEST_F(EventLogTest, MissingFolderIsNotFound) {
  EXPECT_TRUE(ReadAll(env_, root_ + "/none").status.IsNotFound());
}

TEST_F(EventLogTest, RoundTripsSmallLargeAndEmptyRecords) {
  std::vector<std::string> records = {
      "",
      "a",
      TestRecord(200, 1),
      "",
      TestRecord(log::kBlockSize - log::kHeaderSize, 2),  // a whole block's payload
      TestRecord(log::kBlockSize, 3),                     // just over one block
      TestRecord(100000, 4),                              // FIRST, MIDDLE..., LAST
      TestRecord((size_t{3} << 20) / 2, 5),               // 1.5 MiB
      "",
      TestRecord(7, 6),
  };
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    for (const std::string& r : records) ASSERT_TRUE(log->Append(r).ok());
    EXPECT_EQ(log->stats().records, records.size());
    EXPECT_EQ(log->stats().syncs, records.size());
  }
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.records, records);
  EXPECT_EQ(read.dropped_bytes, 0u);
}

// Records sized so that the block has 0..9 bytes left after them, across the 7-byte header
// threshold where the writer pads the block instead of starting a fragment.
TEST_F(EventLogTest, RoundTripsAroundBlockTrailers) {
  std::vector<std::string> records;
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    uint64_t offset = log::kFileHeaderSize;
    for (size_t left = 0; left < 10; ++left) {
      // Fill the rest of the current block so that `left` bytes remain in it.
      size_t in_block = offset % log::kBlockSize;
      size_t room = log::kBlockSize - in_block;
      if (room < log::kHeaderSize + left + 1) {
        std::string pad = TestRecord(room + 100, static_cast<uint32_t>(left));
        ASSERT_TRUE(log->Append(pad).ok());
        records.push_back(pad);
        offset = env_->FileSize(FirstFile()).value();
        in_block = offset % log::kBlockSize;
        room = log::kBlockSize - in_block;
      }
      std::string r = TestRecord(room - log::kHeaderSize - left, static_cast<uint32_t>(100 + left));
      ASSERT_TRUE(log->Append(r).ok());
      records.push_back(r);
      std::string small = TestRecord(left, static_cast<uint32_t>(200 + left));
      ASSERT_TRUE(log->Append(small).ok());
      records.push_back(small);
      offset = env_->FileSize(FirstFile()).value();
    }
  }
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.records, records);
}

TEST_F(EventLogTest, AppendBatchKeepsOrderInOneCommit) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  std::vector<std::string> events;
  for (int i = 0; i < 10; ++i) events.push_back("event-" + std::to_string(i));
  std::vector<std::string_view> views(events.begin(), events.end());
  ASSERT_TRUE(log->AppendBatch(views).ok());
  ASSERT_TRUE(log->AppendBatch({}).ok());
  EXPECT_EQ(log->stats().records, 10u);
  EXPECT_EQ(log->stats().syncs, 1u);
  EXPECT_EQ(ReadAll(env_, dir_).records, events);
}

TEST_F(EventLogTest, ConcurrentAppendsAreEachReadBackOnceInPerThreadOrder) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 150;
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread;) {
        std::string a = std::to_string(t) + ":" + std::to_string(i) + ":" + TestRecord(t * 10, t);
        if (i % 3 == 2 && i + 1 < kPerThread) {  // some calls are two-record batches
          std::string b = std::to_string(t) + ":" + std::to_string(i + 1) + ":";
          std::string_view batch[] = {a, b};
          if (!log->AppendBatch(batch).ok()) failures++;
          i += 2;
        } else {
          if (!log->Append(a).ok()) failures++;
          i += 1;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EventLogStats stats = log->stats();
  EXPECT_EQ(stats.records, uint64_t{kThreads * kPerThread});
  EXPECT_LE(stats.syncs, stats.records);

  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  ASSERT_EQ(read.records.size(), size_t{kThreads * kPerThread});
  std::map<int, int> next;  // thread -> next index expected from it
  for (const std::string& r : read.records) {
    size_t colon = r.find(':');
    size_t colon2 = r.find(':', colon + 1);
    int t = std::stoi(r.substr(0, colon));
    int i = std::stoi(r.substr(colon + 1, colon2 - colon - 1));
    EXPECT_EQ(i, next[t]) << "thread " << t;
    next[t] = i + 1;
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kPerThread);
}

// Callers that queue up while a commit is syncing are all covered by the next single commit.
TEST_F(EventLogTest, CallersQueuedDuringASyncShareTheNextCommit) {
  constexpr int kQueued = 10;
  FaultEnv env(env_);
  auto opened = FileEventLog::Open(&env, dir_, {});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  FileEventLog& log = **opened;

  env.HoldSyncs();
  std::thread first([&] { EXPECT_TRUE(log.Append("first").ok()); });
  env.WaitUntilSyncHeld();
  std::vector<std::thread> queued;
  for (int i = 0; i < kQueued; ++i) {
    queued.emplace_back([&, i] { EXPECT_TRUE(log.Append("queued-" + std::to_string(i)).ok()); });
  }
  // Spin (no sleep) until every caller waits behind the held commit.
  while (log.TEST_QueuedWriters() < kQueued + 1) std::this_thread::yield();
  env.ReleaseSyncs();
  first.join();
  for (auto& th : queued) th.join();

  EXPECT_EQ(log.stats().records, uint64_t{kQueued + 1});
  EXPECT_EQ(log.stats().syncs, 2u);
  auto read = ReadAll(env_, dir_);
  ASSERT_EQ(read.records.size(), size_t{kQueued + 1});
  EXPECT_EQ(read.records[0], "first");
}

TEST_F(EventLogTest, FailedSyncFailsTheCallAndEveryLaterOne) {
  FaultEnv env(env_);
  {
    auto log = OpenLog({}, &env);
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->Append("durable").ok());
    env.set_fail_sync(true);
    Status s = log->Append("lost");
    EXPECT_TRUE(s.IsInternal()) << s.ToString();
    env.set_fail_sync(false);
    EXPECT_TRUE(log->Append("after").IsInternal());
    std::string_view batch[] = {"x"};
    EXPECT_TRUE(log->AppendBatch(batch).IsInternal());
    EXPECT_TRUE(log->AppendBatch({}).IsInternal());
    EXPECT_EQ(log->stats().records, 1u);
  }
  // Reopening clears the error. "lost" was written but not acknowledged: it may be there.
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Append("again").ok());
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  ASSERT_GE(read.records.size(), 2u);
  EXPECT_EQ(read.records.front(), "durable");
  EXPECT_EQ(read.records.back(), "again");
}

// An async call's callback runs only once its records are synced; calls queued behind a held
// commit share the next one, and their callbacks run in queue order.
TEST_F(EventLogTest, AsyncCallbacksRunAfterTheSyncAndQueuedCallsShareACommit) {
  constexpr int kQueued = 10;
  FaultEnv env(env_);
  auto opened = FileEventLog::Open(&env, dir_, {});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  FileEventLog& log = **opened;

  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> acknowledged;
  auto append = [&](std::string record) {
    log.AppendBatchAsync({record}, [&, record](Status s) {
      EXPECT_TRUE(s.ok()) << s.ToString();
      std::lock_guard lock(mu);
      acknowledged.push_back(record);
      cv.notify_all();
    });
  };
  env.HoldSyncs();
  append("first");
  env.WaitUntilSyncHeld();
  for (int i = 0; i < kQueued; ++i) append("queued-" + std::to_string(i));
  EXPECT_EQ(log.TEST_QueuedWriters(), size_t{kQueued + 1});
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(acknowledged.empty());  // nothing is acknowledged before its sync
  }
  env.ReleaseSyncs();
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return acknowledged.size() == kQueued + 1; });
  EXPECT_EQ(acknowledged.front(), "first");
  for (int i = 0; i < kQueued; ++i) EXPECT_EQ(acknowledged[i + 1], "queued-" + std::to_string(i));
  EXPECT_EQ(log.stats().syncs, 2u);
  EXPECT_EQ(ReadAll(env_, dir_).records, acknowledged);
}

TEST_F(EventLogTest, AsyncCallbacksAreReleasedOnceTheyHaveRun) {
  // A callback can hold what waits for it (an HTTP session and its work guard): the writer must
  // drop it after running it, not keep it until the next commit while the log is idle.
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  {
    std::shared_ptr<int> held(new int(0), [&](int* p) {
      delete p;
      std::lock_guard lock(mu);
      released = true;
      cv.notify_all();
    });
    log->AppendBatchAsync({"r"}, [held](Status s) { EXPECT_TRUE(s.ok()) << s.ToString(); });
  }
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return released; }));
}

TEST_F(EventLogTest, ClosingTheLogCommitsWhatIsQueued) {
  int acknowledged = 0;  // touched by the writer thread only, read after it has joined
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    for (int i = 0; i < 50; ++i) {
      log->AppendBatchAsync({"r" + std::to_string(i)}, [&](Status s) {
        EXPECT_TRUE(s.ok()) << s.ToString();
        ++acknowledged;
      });
    }
  }
  EXPECT_EQ(acknowledged, 50);
  EXPECT_EQ(ReadAll(env_, dir_).records.size(), 50u);
}

TEST_F(EventLogTest, AsyncCallsOnAFailedLogAreRefusedAtOnce) {
  FaultEnv env(env_);
  auto log = OpenLog({}, &env);
  ASSERT_NE(log, nullptr);
  env.set_fail_sync(true);
  EXPECT_TRUE(log->Append("lost").IsInternal());
  env.set_fail_sync(false);
  const std::thread::id caller = std::this_thread::get_id();
  bool called = false;
  log->AppendBatchAsync({"after"}, [&](Status s) {
    EXPECT_TRUE(s.IsInternal()) << s.ToString();
    EXPECT_EQ(std::this_thread::get_id(), caller);
    called = true;
  });
  EXPECT_TRUE(called);
  called = false;
  log->AppendBatchAsync({}, [&](Status s) {
    EXPECT_TRUE(s.IsInternal());
    called = true;
  });
  EXPECT_TRUE(called);
}

TEST_F(EventLogTest, ReopenAppendsAfterExistingRecords) {
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->Append("one").ok());
    ASSERT_TRUE(log->Append(TestRecord(50000, 9)).ok());
  }
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->stats().recovered_dropped_bytes, 0u);
  ASSERT_TRUE(log->Append("three").ok());
  EXPECT_EQ(ReadAll(env_, dir_).records,
            (std::vector<std::string>{"one", TestRecord(50000, 9), "three"}));
}

TEST_F(EventLogTest, RollsToNumberedFilesAndReadsThemInOrder) {
  EventLogOptions options;
  options.max_file_size = 4096;
  std::vector<std::string> records;
  {
    auto log = OpenLog(options);
    ASSERT_NE(log, nullptr);
    for (int i = 0; i < 200; ++i) {
      records.push_back(std::to_string(i) + TestRecord(100, static_cast<uint32_t>(i)));
      ASSERT_TRUE(log->Append(records.back()).ok());
    }
    records.push_back(TestRecord(10000, 1));  // bigger than a file: it still fits in one
    ASSERT_TRUE(log->Append(records.back()).ok());
    EXPECT_GT(log->stats().file_number, 4u);
  }
  auto names = env_->ListDir(dir_).value();
  ASSERT_GT(names.size(), 4u);
  EXPECT_EQ(names.front(), "00000001.log");
  for (const std::string& name : names) {
    EXPECT_LE(env_->FileSize(dir_ + "/" + name).value(), 4096u + 10000u + 2 * log::kHeaderSize);
  }

  // Reopening continues in the last file.
  {
    auto log = OpenLog(options);
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->stats().file_number, names.size());
    records.push_back("last");
    ASSERT_TRUE(log->Append(records.back()).ok());
  }
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.records, records);
}

TEST_F(EventLogTest, MissingFileInTheMiddleIsInternal) {
  EventLogOptions options;
  options.max_file_size = 100;
  {
    auto log = OpenLog(options);
    ASSERT_NE(log, nullptr);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(log->Append(TestRecord(200, 1)).ok());
  }
  ASSERT_TRUE(env_->RemoveAll(dir_ + "/00000003.log").ok());
  auto read = ReadAll(env_, dir_);
  EXPECT_TRUE(read.status.IsInternal());
  EXPECT_NE(read.status.message().find("00000003.log"), std::string::npos);

  // Files removed from the front (retention) are fine.
  ASSERT_TRUE(env_->RemoveAll(dir_ + "/00000001.log").ok());
  ASSERT_TRUE(env_->RemoveAll(dir_ + "/00000002.log").ok());
  read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.records.size(), 2u);
}

TEST_F(EventLogTest, OtherTypeTagIsRejected) {
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->Append("x").ok());
  }
  EventLogReadOptions read_options;
  read_options.type_tag = 2;
  EXPECT_TRUE(ReadAll(env_, dir_, read_options).status.IsInternal());
  EventLogOptions options;
  options.type_tag = 2;
  EXPECT_TRUE(OpenFileEventLog(env_, dir_, options).status().IsInternal());
}

TEST_F(EventLogTest, ZeroMaxFileSizeIsInvalidInput) {
  EventLogOptions options;
  options.max_file_size = 0;
  EXPECT_TRUE(OpenFileEventLog(env_, dir_, options).status().IsInvalidInput());
}

TEST(LogFileNameTest, FormatsAndParses) {
  EXPECT_EQ(log::LogFileName("/d", 7), "/d/00000007.log");
  EXPECT_EQ(log::LogFileName("/d", 123456789), "/d/123456789.log");
  struct Case {
    const char* name;
    bool ok;
    uint64_t number;
  };
  const Case cases[] = {
      {"00000007.log", true, 7}, {"123456789.log", true, 123456789},
      {".log", false, 0},        {"0000000a.log", false, 0},
      {"00000007.lo", false, 0}, {"00000007.log.tmp", false, 0},
      {"LOCK", false, 0},        {"99999999999999999999.log", false, 0},
  };
  for (const Case& c : cases) {
    uint64_t number = 0;
    EXPECT_EQ(log::ParseLogFileName(c.name, &number), c.ok) << c.name;
    if (c.ok) {
      EXPECT_EQ(number, c.number) << c.name;
    }
  }
}

}  // namespace
}  // namespace tailor::store
