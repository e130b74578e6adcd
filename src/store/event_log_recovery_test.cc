// Crash recovery and corruption handling of the event log (docs/formats/event_log.md,
// "Recovery"): torn tails at every byte offset, flipped bytes, damaged headers, zero fill.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/event_log.h"
#include "store/event_log_test_util.h"
#include "store/log_format.h"

namespace tailor::store {
namespace {

using testing::EventLogTestBase;
using testing::ReadAll;
using testing::TestRecord;
using testing::WriteFileNoSync;

class EventLogRecoveryTest : public EventLogTestBase {
 protected:
  // Appends `records` one by one; returns the first file's size after each.
  std::vector<uint64_t> Write(const std::vector<std::string>& records,
                              EventLogOptions options = {}) {
    std::vector<uint64_t> sizes;
    auto log = OpenLog(options);
    EXPECT_NE(log, nullptr);
    if (log == nullptr) return sizes;
    for (const std::string& r : records) {
      EXPECT_TRUE(log->Append(r).ok());
      sizes.push_back(env_->FileSize(FirstFile()).value());
    }
    return sizes;
  }
  std::string Bytes(const std::string& path) { return env_->ReadFile(path).value(); }
  void Flip(const std::string& path, uint64_t offset) {
    std::string bytes = Bytes(path);
    ASSERT_LT(offset, bytes.size());
    bytes[offset] = static_cast<char>(bytes[offset] ^ 0x20);
    WriteFileNoSync(env_, path, bytes);
  }
};

std::vector<std::string> FirstN(const std::vector<std::string>& v, size_t n) {
  return std::vector<std::string>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
}

// Cuts the file at every byte offset inside its last record (a crash mid-write): the reader
// returns every earlier record and reports the rest as dropped, never as an error.
class TornTailTest : public EventLogRecoveryTest, public ::testing::WithParamInterface<size_t> {};

TEST_P(TornTailTest, EveryCutInsideTheLastRecordKeepsEarlierRecords) {
  std::vector<std::string> records = {"one", TestRecord(5000, 1), "", TestRecord(GetParam(), 2)};
  std::vector<uint64_t> sizes = Write(records);
  ASSERT_EQ(sizes.size(), records.size());
  std::string full = Bytes(FirstFile());
  uint64_t start = sizes[2];
  testing::CutFileEnv cut_env(env_, FirstFile(), full);
  for (uint64_t cut = start; cut < full.size(); ++cut) {
    cut_env.set_size(cut);
    auto read = ReadAll(&cut_env, dir_);
    ASSERT_TRUE(read.status.ok()) << "cut at " << cut << ": " << read.status.ToString();
    ASSERT_EQ(read.records, FirstN(records, 3)) << "cut at " << cut;
    ASSERT_EQ(read.dropped_bytes, cut - start) << "cut at " << cut;
  }
  cut_env.set_size(full.size());
  EXPECT_EQ(ReadAll(&cut_env, dir_).records, records);
}

// 150 bytes: inside one block. 33000: FIRST and LAST fragments across a block boundary.
INSTANTIATE_TEST_SUITE_P(LastRecordSizes, TornTailTest, ::testing::Values(150, 33000));

TEST_F(EventLogRecoveryTest, ReopenAfterTornTailCutsItAndAppendsReadably) {
  std::vector<std::string> records = {"one", "two", TestRecord(150, 3), TestRecord(40000, 4)};
  std::vector<uint64_t> sizes = Write(records);
  ASSERT_EQ(sizes.size(), records.size());
  std::string full = Bytes(FirstFile());
  std::string torn_dir = root_ + "/torn";
  ASSERT_TRUE(env_->CreateDirs(torn_dir).ok());
  // Every cut inside the small record; every 997th inside the large one (each reopen syncs).
  std::vector<std::pair<uint64_t, size_t>> cuts;  // cut offset, records that survive
  for (uint64_t cut = sizes[1]; cut < sizes[2]; ++cut) cuts.emplace_back(cut, 2);
  for (uint64_t cut = sizes[2]; cut < sizes[3]; cut += 997) cuts.emplace_back(cut, 3);
  for (auto [cut, kept] : cuts) {
    WriteFileNoSync(env_, torn_dir + "/00000001.log", std::string_view(full).substr(0, cut));
    uint64_t expected_dropped = cut - sizes[kept - 1];
    {
      auto log = OpenFileEventLog(env_, torn_dir);
      ASSERT_TRUE(log.ok()) << log.status().ToString();
      ASSERT_EQ((*log)->stats().recovered_dropped_bytes, expected_dropped) << "cut at " << cut;
      ASSERT_TRUE((*log)->Append("new").ok());
    }
    auto read = ReadAll(env_, torn_dir);
    ASSERT_TRUE(read.status.ok()) << read.status.ToString();
    std::vector<std::string> expected = FirstN(records, kept);
    expected.push_back("new");
    ASSERT_EQ(read.records, expected) << "cut at " << cut;
    ASSERT_EQ(read.dropped_bytes, 0u);
  }
}

TEST_F(EventLogRecoveryTest, FlippedByteInTheMiddleIsCorruption) {
  std::vector<std::string> records;
  for (int i = 0; i < 100; ++i) records.push_back(TestRecord(1000, static_cast<uint32_t>(i)));
  std::vector<uint64_t> sizes = Write(records);
  ASSERT_EQ(sizes.size(), records.size());
  uint64_t flip_at = sizes[9] + 500;  // inside record 10's payload
  Flip(FirstFile(), flip_at);

  auto strict = ReadAll(env_, dir_);
  EXPECT_TRUE(strict.status.IsInternal()) << strict.status.ToString();
  EXPECT_NE(strict.status.message().find("00000001.log is corrupt at byte offset " +
                                         std::to_string(sizes[9])),
            std::string::npos)
      << strict.status.message();
  EXPECT_EQ(strict.records, FirstN(records, 10));

  EventLogReadOptions skip;
  skip.skip_corruption = true;
  auto skipped = ReadAll(env_, dir_, skip);
  ASSERT_TRUE(skipped.status.ok()) << skipped.status.ToString();
  std::vector<std::string> expected = records;
  expected.erase(expected.begin() + 10);
  EXPECT_EQ(skipped.records, expected);
  EXPECT_EQ(skipped.skipped_bytes, sizes[10] - sizes[9]);
  EXPECT_EQ(skipped.dropped_bytes, 0u);

  // Appending after unread corruption would hide it; opening refuses.
  Status s = OpenFileEventLog(env_, dir_).status();
  EXPECT_TRUE(s.IsInternal()) << s.ToString();
}

TEST_F(EventLogRecoveryTest, DamagedLengthSkipsTheRestOfItsBlock) {
  std::vector<std::string> records;
  for (int i = 0; i < 100; ++i) records.push_back(TestRecord(1000, static_cast<uint32_t>(i)));
  std::vector<uint64_t> sizes = Write(records);
  ASSERT_EQ(sizes.size(), records.size());
  Flip(FirstFile(), sizes[9] + 5);  // the high byte of record 10's length: 1000 -> 9192

  EXPECT_TRUE(ReadAll(env_, dir_).status.IsInternal());
  EventLogReadOptions skip;
  skip.skip_corruption = true;
  auto read = ReadAll(env_, dir_, skip);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  // Records 10 up to the first one starting in the second block are lost.
  size_t first_in_block1 = 0;
  while (sizes[first_in_block1] < log::kBlockSize) ++first_in_block1;
  ++first_in_block1;  // the record straddling the boundary loses its FIRST fragment too
  std::vector<std::string> expected = FirstN(records, 10);
  expected.insert(expected.end(), records.begin() + static_cast<std::ptrdiff_t>(first_in_block1),
                  records.end());
  EXPECT_EQ(read.records, expected);
  EXPECT_GT(read.skipped_bytes, 0u);
}

// Damage to the very last record looks exactly like a torn write, and is treated as one.
TEST_F(EventLogRecoveryTest, FlippedByteInTheLastRecordReadsAsATornTail) {
  std::vector<std::string> records = {"one", "two", TestRecord(300, 3)};
  std::vector<uint64_t> sizes = Write(records);
  ASSERT_EQ(sizes.size(), records.size());
  Flip(FirstFile(), sizes[1] + 100);
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.records, FirstN(records, 2));
  EXPECT_EQ(read.dropped_bytes, sizes[2] - sizes[1]);
}

TEST_F(EventLogRecoveryTest, ZeroFilledTailIsATornTail) {
  std::vector<std::string> records = {"one", TestRecord(2000, 2)};
  Write(records);
  std::string bytes = Bytes(FirstFile()) + std::string(40000, '\0');
  WriteFileNoSync(env_, FirstFile(), bytes);
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.records, records);
  EXPECT_EQ(read.dropped_bytes, 40000u);
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->stats().recovered_dropped_bytes, 40000u);
    ASSERT_TRUE(log->Append("three").ok());
  }
  records.push_back("three");
  EXPECT_EQ(ReadAll(env_, dir_).records, records);
}

TEST_F(EventLogRecoveryTest, DamageAtTheEndOfAnEarlierFileIsCorruption) {
  EventLogOptions options;
  options.max_file_size = 1000;
  std::vector<std::string> records;
  for (int i = 0; i < 6; ++i) records.push_back(TestRecord(600, static_cast<uint32_t>(i)));
  Write(records, options);  // two records per file
  std::string first = FirstFile();
  uint64_t size = env_->FileSize(first).value();
  Flip(first, size - 10);  // inside file 1's last record

  auto strict = ReadAll(env_, dir_);
  EXPECT_TRUE(strict.status.IsInternal()) << strict.status.ToString();
  EXPECT_EQ(strict.records, FirstN(records, 1));

  EventLogReadOptions skip;
  skip.skip_corruption = true;
  auto read = ReadAll(env_, dir_, skip);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  std::vector<std::string> expected = records;
  expected.erase(expected.begin() + 1);
  EXPECT_EQ(read.records, expected);
  EXPECT_EQ(read.skipped_bytes, 600u + log::kHeaderSize);
}

TEST_F(EventLogRecoveryTest, TornHeaderOfANewFileIsDroppedAndRewritten) {
  EventLogOptions options;
  options.max_file_size = 100;
  std::vector<std::string> records = {TestRecord(200, 1), TestRecord(200, 2)};
  Write(records, options);  // one record per file
  std::string second = dir_ + "/00000002.log";
  WriteFileNoSync(env_, second, Bytes(second).substr(0, 10));  // crash while creating it
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.records, FirstN(records, 1));
  EXPECT_EQ(read.dropped_bytes, 10u);
  {
    auto log = OpenLog(options);
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->stats().recovered_dropped_bytes, 10u);
    EXPECT_EQ(log->stats().file_number, 2u);
    ASSERT_TRUE(log->Append("again").ok());
  }
  EXPECT_EQ(ReadAll(env_, dir_).records, (std::vector<std::string>{records[0], "again"}));
}

TEST_F(EventLogRecoveryTest, DamagedHeaderWithNothingAfterItIsATornTail) {
  Write({});
  Flip(FirstFile(), 3);
  auto read = ReadAll(env_, dir_);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.dropped_bytes, log::kFileHeaderSize);
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->Append("x").ok());
  EXPECT_EQ(ReadAll(env_, dir_).records, (std::vector<std::string>{"x"}));
}

TEST_F(EventLogRecoveryTest, DamagedHeaderWithRecordsAfterItIsInternal) {
  Write({"one", "two"});
  for (uint64_t offset : {uint64_t{0}, uint64_t{9}, uint64_t{17}, uint64_t{25}}) {
    SCOPED_TRACE("offset " + std::to_string(offset));
    std::string saved = Bytes(FirstFile());
    Flip(FirstFile(), offset);
    EXPECT_TRUE(ReadAll(env_, dir_).status.IsInternal());
    EXPECT_TRUE(OpenFileEventLog(env_, dir_).status().IsInternal());
    WriteFileNoSync(env_, FirstFile(), saved);
  }
  EXPECT_EQ(ReadAll(env_, dir_).records.size(), 2u);
}

}  // namespace
}  // namespace tailor::store
