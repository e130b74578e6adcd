#include "data/segment.h"

#include <cstring>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace tailor::data {
namespace {

class SegmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/tailor_segment_test_" + std::to_string(::getpid()) + ".tsg";
  }
  void TearDown() override { (void)Env::Default()->RemoveAll(path_); }

  // Writes two blocks: a string column (with a null) and a nullable long column.
  void WriteSample() {
    std::vector<SegmentColumn> columns = {{"ID", FieldType::kString, false},
                                          {"N", FieldType::kLong, true}};
    auto writer = SegmentWriter::Create(Env::Default(), path_, DatasetType::kItems, columns);
    ASSERT_TRUE(writer.ok());
    std::vector<ColumnBuffer> block(2);
    for (uint32_t rows : {3u, 2u}) {
      block[0].clear();
      block[1].clear();
      for (uint32_t r = 0; r < rows; ++r) {
        uint32_t code = r % 2;
        int64_t n = 10 * r;
        block[0].values.insert(block[0].values.end(), reinterpret_cast<char*>(&code),
                               reinterpret_cast<char*>(&code) + 4);
        block[1].values.insert(block[1].values.end(), reinterpret_cast<char*>(&n),
                               reinterpret_cast<char*>(&n) + 8);
        block[1].validity.push_back(r != 1);
      }
      ASSERT_TRUE((*writer)->AppendBlock(rows, block).ok());
    }
    ASSERT_TRUE((*writer)->Finish({{"a", "bb"}, {}}).ok());
    EXPECT_EQ((*writer)->num_rows(), 5);
  }

  std::string path_;
};

TEST_F(SegmentTest, RoundTripsBlocksAndDictionaries) {
  WriteSample();
  auto reader = SegmentReader::Open(Env::Default(), path_, /*verify_crc=*/true);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->type(), DatasetType::kItems);
  EXPECT_EQ((*reader)->num_rows(), 5);
  ASSERT_EQ((*reader)->num_blocks(), 2u);
  EXPECT_EQ((*reader)->block_rows(1), 2u);
  ASSERT_EQ((*reader)->columns().size(), 2u);
  EXPECT_EQ((*reader)->columns()[1].name, "N");
  EXPECT_TRUE((*reader)->columns()[1].nullable);
  EXPECT_EQ((*reader)->dictionary(0), (std::vector<std::string>{"a", "bb"}));
  std::vector<ColumnBuffer> block;
  ASSERT_TRUE((*reader)->ReadBlock(0, &block).ok());
  uint32_t code;
  std::memcpy(&code, block[0].values.data() + 4, 4);
  EXPECT_EQ(code, 1u);
  int64_t n;
  std::memcpy(&n, block[1].values.data() + 16, 8);
  EXPECT_EQ(n, 20);
  EXPECT_EQ(block[1].validity, (std::vector<uint8_t>{1, 0, 1}));
}

TEST_F(SegmentTest, DetectsEveryFlippedByte) {
  WriteSample();
  auto bytes = Env::Default()->ReadFile(path_);
  ASSERT_TRUE(bytes.ok());
  for (size_t i = 0; i < bytes->size(); ++i) {
    std::string corrupt = *bytes;
    corrupt[i] ^= 0x20;
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << corrupt;
    auto reader = SegmentReader::Open(Env::Default(), path_, /*verify_crc=*/true);
    // The reserved trailer word is the only byte range nobody checks.
    const size_t reserved = bytes->size() - 12;
    if (i >= reserved && i < reserved + 4) continue;
    EXPECT_FALSE(reader.ok()) << "byte " << i;
    if (!reader.ok()) {
      EXPECT_TRUE(reader.status().IsInternal()) << reader.status().ToString();
    }
  }
}

}  // namespace
}  // namespace tailor::data
