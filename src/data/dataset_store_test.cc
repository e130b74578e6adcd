#include "data/dataset_store.h"

#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

namespace tailor::data {
namespace {

constexpr char kInteractionsSchema[] =
    R"({"type":"record","name":"Interactions","fields":[)"
    R"({"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},)"
    R"({"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"},)"
    R"({"name":"EVENT_VALUE","type":["float","null"]}]})";

constexpr char kItemsSchema[] =
    R"({"type":"record","name":"Items","fields":[)"
    R"({"name":"ITEM_ID","type":"string"},)"
    R"({"name":"GENRES","type":["null","string"],"categorical":true},)"
    R"({"name":"YEAR","type":["null","int"]},{"name":"PRICE","type":"double"},)"
    R"({"name":"ADULT","type":"boolean"},{"name":"CREATION_TIMESTAMP","type":"long"}]})";

// Row i of a generated interactions file: user u<i%97>, item i<i%211>, timestamp 1e9+i,
// event "click"/"watch", value i%10/2 or null every 7th row.
std::string InteractionsCsv(int rows, int offset = 0) {
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n";
  for (int r = 0; r < rows; ++r) {
    int i = r + offset;
    csv += "u" + std::to_string(i % 97) + ",i" + std::to_string(i % 211) + "," +
           std::to_string(1000000000 + i) + "," + (i % 2 ? "watch" : "click") + "," +
           (i % 7 == 0 ? "" : std::to_string(i % 10 / 2.0)) + "\n";
  }
  return csv;
}

class DatasetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = "/tmp/tailor_dataset_store_test_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    (void)env_->RemoveAll(dir_);
    ASSERT_TRUE(env_->CreateDirs(dir_).ok());
    auto schema = ParseSchema(kInteractionsSchema);
    ASSERT_TRUE(schema.ok());
    schema_ = *schema;
  }
  void TearDown() override { (void)env_->RemoveAll(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::unique_ptr<DatasetStore> OpenStore(DatasetType type = DatasetType::kInteractions) {
    auto store = DatasetStore::Open(env_, dir_ + "/store", schema_, type);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  static ImportOptions Mode(ImportMode mode, int threads = 2) {
    ImportOptions options;
    options.mode = mode;
    options.threads = threads;
    return options;
  }
  static void ExpectRowsMatch(const InteractionTable& table, int rows, int offset = 0) {
    ASSERT_EQ(table.num_rows(), static_cast<size_t>(rows));
    ASSERT_EQ(table.event_values.size(), table.num_rows());
    ASSERT_EQ(table.event_type_per_row.size(), table.num_rows());
    for (int r = 0; r < rows; ++r) {
      int i = r + offset;
      ASSERT_EQ(table.user_ids[table.users[r]], "u" + std::to_string(i % 97)) << r;
      ASSERT_EQ(table.item_ids[table.items[r]], "i" + std::to_string(i % 211)) << r;
      ASSERT_EQ(table.timestamps[r], 1000000000 + i);
      ASSERT_EQ(table.event_types[table.event_type_per_row[r]], i % 2 ? "watch" : "click");
      if (i % 7 == 0) {
        ASSERT_TRUE(std::isnan(table.event_values[r])) << r;
      } else {
        ASSERT_EQ(table.event_values[r], static_cast<float>(i % 10 / 2.0)) << r;
      }
    }
  }
  std::vector<std::string> StoreFiles() {
    auto names = env_->ListDir(dir_ + "/store");
    return names.ok() ? *names : std::vector<std::string>{};
  }

  Env* env_ = Env::Default();
  std::string dir_;
  Schema schema_;
};

TEST_F(DatasetStoreTest, FullThenIncrementalAppends) {
  auto store = OpenStore();
  EXPECT_FALSE(store->has_imports());
  auto first = store->ImportCsv(Write("a.csv", InteractionsCsv(1500)), Mode(ImportMode::kFull));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->rows, 1500);
  EXPECT_GT(first->bytes_read, 0);
  auto second =
      store->ImportCsv(Write("b.csv", InteractionsCsv(1200, 1500)), Mode(ImportMode::kIncremental));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(store->has_imports());
  EXPECT_EQ(store->num_rows(), 2700);
  auto table = store->LoadInteractions();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ExpectRowsMatch(*table, 2700);
  EXPECT_EQ(table->user_ids.size(), 97u);
  EXPECT_EQ(table->item_ids.size(), 211u);
  EXPECT_EQ(table->event_types.size(), 2u);
}

TEST_F(DatasetStoreTest, LoadInteractionsCarriesTheContextColumnsAcrossSegments) {
  auto schema =
      ParseSchema(R"({"type":"record","name":"Interactions","fields":[)"
                  R"({"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},)"
                  R"({"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"},)"
                  R"({"name":"DEVICE","type":["null","string"],"categorical":true},)"
                  R"({"name":"RATING","type":["null","int"]}]})");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  schema_ = *schema;
  auto csv = [](int rows, int offset, bool with_device) {
    std::string out = with_device ? "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,DEVICE,RATING\n"
                                  : "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,RATING\n";
    for (int i = offset; i < offset + rows; ++i) {
      out += "u" + std::to_string(i % 13) + ",i" + std::to_string(i % 17) + "," +
             std::to_string(i) + ",click,";
      if (with_device) out += i % 5 == 0 ? "," : (i % 2 ? "mobile," : "desktop,");
      out += "3\n";
    }
    return out;
  };
  auto store = OpenStore();
  ASSERT_TRUE(store->ImportCsv(Write("a.csv", csv(1000, 0, true)), Mode(ImportMode::kFull)).ok());
  ASSERT_TRUE(
      store->ImportCsv(Write("b.csv", csv(1000, 1000, false)), Mode(ImportMode::kIncremental))
          .ok());
  auto table = store->LoadInteractions();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  // DEVICE is a context column; RATING is not a string, so it is not.
  ASSERT_EQ(table->context_columns.size(), 1u);
  const InteractionTable::ContextColumn& device = table->context_columns[0];
  EXPECT_EQ(device.name, "DEVICE");
  ASSERT_EQ(device.value_per_row.size(), 2000u);
  for (int r = 0; r < 2000; ++r) {
    const uint32_t code = device.value_per_row[r];
    if (r >= 1000 || r % 5 == 0) {
      ASSERT_EQ(code, InteractionTable::kNoEventType) << r;
    } else {
      ASSERT_LT(code, device.values.size()) << r;
      ASSERT_EQ(device.values[code], r % 2 ? "mobile" : "desktop") << r;
    }
  }
}

TEST_F(DatasetStoreTest, FullReplacesEarlierImportsAndDeletesTheirSegments) {
  auto store = OpenStore();
  ASSERT_TRUE(
      store->ImportCsv(Write("a.csv", InteractionsCsv(1000)), Mode(ImportMode::kFull)).ok());
  ASSERT_TRUE(
      store->ImportCsv(Write("b.csv", InteractionsCsv(1000, 1000)), Mode(ImportMode::kIncremental))
          .ok());
  ASSERT_TRUE(
      store->ImportCsv(Write("c.csv", InteractionsCsv(1100, 5000)), Mode(ImportMode::kFull)).ok());
  EXPECT_EQ(store->num_rows(), 1100);
  auto table = store->LoadInteractions();
  ASSERT_TRUE(table.ok());
  ExpectRowsMatch(*table, 1100, 5000);
  EXPECT_EQ(StoreFiles(), (std::vector<std::string>{"MANIFEST", "seg-00000003.tsg"}));
}

TEST_F(DatasetStoreTest, AcceptsColumnsInAnyOrderAndAbsentNullableColumns) {
  std::string csv = "EVENT_TYPE,TIMESTAMP,ITEM_ID,USER_ID\n";
  for (int i = 0; i < 1000; ++i) {
    csv += "click," + std::to_string(i) + ",i" + std::to_string(i % 5) + ",\"u" +
           std::to_string(i % 3) + "\"\n";
  }
  auto store = OpenStore();
  auto result = store->ImportCsv(Write("a.csv", csv), Mode(ImportMode::kFull));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto table = store->LoadInteractions();
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->num_rows(), 1000u);
  EXPECT_EQ(table->user_ids[table->users[4]], "u1");
  EXPECT_EQ(table->item_ids[table->items[4]], "i4");
  EXPECT_EQ(table->timestamps[4], 4);
  EXPECT_TRUE(std::isnan(table->event_values[4]));
}

TEST_F(DatasetStoreTest, ParallelChunksGiveTheSameRowsAsOneThread) {
  // About 8 MB: several 4 MB chunks, parsed by different workers with their own dictionaries.
  const int rows = 250000;
  std::string path = Write("big.csv", InteractionsCsv(rows));
  for (int threads : {1, 3}) {
    auto store = OpenStore();
    std::vector<int64_t> progress;
    ImportOptions options = Mode(ImportMode::kFull, threads);
    options.progress = [&progress](int64_t done) { progress.push_back(done); };
    auto result = store->ImportCsv(path, options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back(), rows);
    auto table = store->LoadInteractions();
    ASSERT_TRUE(table.ok());
    ExpectRowsMatch(*table, rows);
  }
}

struct BadImportCase {
  const char* label;
  std::string csv;
  const char* expected;  // a substring of the InvalidInput message
};

TEST_F(DatasetStoreTest, FailedImportsLeaveThePreviousRowsIntact) {
  const std::string header = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n";
  const std::string good = InteractionsCsv(1500).substr(header.size());
  const BadImportCase cases[] = {
      {"bad timestamp", header + "u1,i1,abc,click,1\n" + good,
       "column 'TIMESTAMP': 'abc' is not a valid long"},
      {"bad float", header + good + "u1,i1,5,click,x1\n",
       "column 'EVENT_VALUE': 'x1' is not a valid float"},
      {"wrong column count", header + "u1,i1,5,click\n" + good, "Line 2: expected 5 values"},
      {"empty id", header + ",i1,5,click,1\n" + good, "Line 2, column 'USER_ID': the id is empty"},
      {"empty non-nullable", header + "u1,i1,5,,1\n" + good,
       "Line 2, column 'EVENT_TYPE': the value is empty, but the field is not nullable"},
      {"id too long", header + "u1," + std::string(257, 'x') + ",5,click,1\n" + good,
       "column 'ITEM_ID': the id is longer than 256 characters"},
      {"missing columns", "USER_ID,ITEM_ID\nu1,i1\n",
       "Input CSV is missing the following columns: [TIMESTAMP, EVENT_TYPE]"},
      {"unknown column", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,COLOR\n",
       "Column 'COLOR' in the CSV header is not a field of the schema"},
      {"duplicate column", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,USER_ID\n",
       "appears more than once"},
      {"empty file", "", "The CSV file is empty"},
      {"header only", header, "no data rows"},
      {"too few rows", InteractionsCsv(999), "at least 1000 rows; the file has 999"},
      {"bad utf8", header + "u1,i\xFF,5,click,1\n" + good,
       "Line 2, column 'ITEM_ID': invalid UTF-8"},
      {"unclosed quote", header + good + "u1,\"i1,5,click,1\n", "a quoted value is not closed"},
  };
  auto store = OpenStore();
  ASSERT_TRUE(
      store->ImportCsv(Write("good.csv", InteractionsCsv(1200)), Mode(ImportMode::kFull)).ok());
  for (const auto& c : cases) {
    for (ImportMode mode : {ImportMode::kFull, ImportMode::kIncremental}) {
      auto result = store->ImportCsv(Write("bad.csv", c.csv), Mode(mode));
      ASSERT_FALSE(result.ok()) << c.label;
      EXPECT_TRUE(result.status().IsInvalidInput())
          << c.label << ": " << result.status().ToString();
      EXPECT_NE(result.status().message().find(c.expected), std::string::npos)
          << c.label << ": " << result.status().message();
      EXPECT_EQ(store->num_rows(), 1200) << c.label;
    }
  }
  // The exact message, with a line number deep in the file.
  std::string csv = header;
  for (int i = 0; i < 1233; ++i) csv += "u1,i1,5,click,1\n";
  csv += "u1,i1,5,click,true\n";
  auto result = store->ImportCsv(Write("line.csv", csv), Mode(ImportMode::kFull));
  EXPECT_EQ(result.status().message(),
            "Line 1235, column 'EVENT_VALUE': 'true' is not a valid float");

  auto missing = store->ImportCsv(dir_ + "/nope.csv", Mode(ImportMode::kFull));
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();

  auto table = store->LoadInteractions();
  ASSERT_TRUE(table.ok());
  ExpectRowsMatch(*table, 1200);
  EXPECT_EQ(StoreFiles(), (std::vector<std::string>{"MANIFEST", "seg-00000001.tsg"}));
}

TEST_F(DatasetStoreTest, ReopenSeesTheCommittedRows) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(
        store->ImportCsv(Write("a.csv", InteractionsCsv(1000)), Mode(ImportMode::kFull)).ok());
    ASSERT_TRUE(
        store
            ->ImportCsv(Write("b.csv", InteractionsCsv(1000, 1000)), Mode(ImportMode::kIncremental))
            .ok());
  }
  // Leftovers of a crashed import must not be mistaken for data.
  Write("store/seg-00000003.tsg.tmp", "partial");
  auto store = OpenStore();
  EXPECT_TRUE(store->has_imports());
  EXPECT_EQ(store->num_rows(), 2000);
  auto table = store->LoadInteractions();
  ASSERT_TRUE(table.ok());
  ExpectRowsMatch(*table, 2000);
  EXPECT_EQ(StoreFiles(),
            (std::vector<std::string>{"MANIFEST", "seg-00000001.tsg", "seg-00000002.tsg"}));
}

TEST_F(DatasetStoreTest, ACorruptSegmentIsAnErrorOnReopen) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(
        store->ImportCsv(Write("a.csv", InteractionsCsv(1000)), Mode(ImportMode::kFull)).ok());
  }
  const std::string segment = dir_ + "/store/seg-00000001.tsg";
  auto bytes = env_->ReadFile(segment);
  ASSERT_TRUE(bytes.ok());
  std::string corrupt = *bytes;
  corrupt[100] ^= 0x01;  // a timestamp or id code, well inside the payload
  std::ofstream(segment, std::ios::binary | std::ios::trunc) << corrupt;
  auto store = DatasetStore::Open(env_, dir_ + "/store", schema_, DatasetType::kInteractions);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsInternal());
  EXPECT_NE(store.status().message().find("CRC32 mismatch"), std::string::npos)
      << store.status().message();

  // A truncated segment is caught too.
  std::ofstream(segment, std::ios::binary | std::ios::trunc) << bytes->substr(0, 40);
  store = DatasetStore::Open(env_, dir_ + "/store", schema_, DatasetType::kInteractions);
  EXPECT_FALSE(store.ok());
  // And a missing one.
  (void)env_->RemoveAll(segment);
  store = DatasetStore::Open(env_, dir_ + "/store", schema_, DatasetType::kInteractions);
  EXPECT_FALSE(store.ok());
}

TEST_F(DatasetStoreTest, CancelLeavesNothingCommitted) {
  auto store = OpenStore();
  ASSERT_TRUE(
      store->ImportCsv(Write("a.csv", InteractionsCsv(1000)), Mode(ImportMode::kFull)).ok());
  std::atomic<bool> cancel{false};
  ImportOptions options = Mode(ImportMode::kFull);
  options.cancel = &cancel;
  // Cancel from the progress callback, part-way through a multi-chunk file.
  options.progress = [&cancel](int64_t) { cancel = true; };
  auto result = store->ImportCsv(Write("big.csv", InteractionsCsv(1500000)), options);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsUnavailable()) << result.status().ToString();
  EXPECT_EQ(store->num_rows(), 1000);
  EXPECT_EQ(StoreFiles(), (std::vector<std::string>{"MANIFEST", "seg-00000001.tsg"}));
  cancel = true;
  options.progress = nullptr;
  result = store->ImportCsv(dir_ + "/a.csv", options);
  EXPECT_TRUE(result.status().IsUnavailable());
  EXPECT_EQ(store->num_rows(), 1000);
}

TEST_F(DatasetStoreTest, ManySmallItemImportsAreCompactedWithoutChangingTheRows) {
  auto schema = ParseSchema(kItemsSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  schema_ = *schema;
  auto store = OpenStore(DatasetType::kItems);
  const std::string header = "ITEM_ID,GENRES,YEAR,PRICE,ADULT,CREATION_TIMESTAMP\n";
  ASSERT_TRUE(
      store
          ->ImportCsv(Write("a.csv", header + "i0,\"Comedy, dark|Drama\",1999,0.1,false,1\n"),
                      Mode(ImportMode::kFull))
          .ok());
  // 60 calls as PutItems makes them: one or two rows each, ids repeating, so later rows
  // replace earlier ones.
  for (int k = 1; k <= 60; ++k) {
    std::string rows = "i" + std::to_string(k % 25) + ",Genre" + std::to_string(k) + "," +
                       (k % 3 == 0 ? "" : std::to_string(1900 + k)) + "," + std::to_string(k) +
                       ".25," + (k % 2 ? "true" : "false") + "," + std::to_string(1000 + k) + "\n";
    if (k % 10 == 0) rows += "\"q\"\"uote" + std::to_string(k) + "\",,,1e-7,false,5\n";
    auto result = store->ImportCsv(Write("b" + std::to_string(k) + ".csv", header + rows),
                                   Mode(ImportMode::kIncremental));
    ASSERT_TRUE(result.ok()) << k << ": " << result.status().ToString();
  }
  // Never more than kCompactAfterSegments + 1 segment files, and the superseded rows are gone.
  EXPECT_LE(StoreFiles().size(), 1u + 17u);
  EXPECT_LT(store->num_rows(), 61);
  auto check = [](const DatasetTable& table) {
    ASSERT_EQ(table.num_rows, 25 + 6);
    const TableColumn* id = table.Find("ITEM_ID");
    const TableColumn* genres = table.Find("GENRES");
    const TableColumn* year = table.Find("YEAR");
    const TableColumn* price = table.Find("PRICE");
    const TableColumn* adult = table.Find("ADULT");
    std::map<std::string, size_t> row_of;
    for (size_t r = 0; r < 31; ++r) row_of[std::string(id->StringAt(r))] = r;
    // i0 was last written by call 50; i1 by call 51; ...
    for (int k = 36; k <= 60; ++k) {
      const size_t r = row_of.at("i" + std::to_string(k % 25));
      EXPECT_EQ(genres->StringAt(r), "Genre" + std::to_string(k));
      EXPECT_EQ(year->valid[r] != 0, k % 3 != 0) << k;
      if (k % 3 != 0) {
        EXPECT_EQ(year->ints[r], 1900 + k);
      }
      EXPECT_DOUBLE_EQ(price->doubles[r], k + 0.25);
      EXPECT_EQ(adult->ints[r], k % 2);
    }
    const size_t quoted = row_of.at("q\"uote60");
    EXPECT_FALSE(genres->valid[quoted]);
    EXPECT_DOUBLE_EQ(price->doubles[quoted], 1e-7);
  };
  auto table = store->ReadTable();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  check(*table);
  // What was compacted is durable: a reopened store reads the same rows.
  store.reset();
  store = OpenStore(DatasetType::kItems);
  table = store->ReadTable();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  check(*table);
}

TEST_F(DatasetStoreTest, ItemsKeepTheLatestRowPerIdWithTypedColumns) {
  auto schema = ParseSchema(kItemsSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  schema_ = *schema;
  auto store = OpenStore(DatasetType::kItems);
  const std::string header = "ITEM_ID,GENRES,YEAR,PRICE,ADULT,CREATION_TIMESTAMP\n";
  ASSERT_TRUE(store
                  ->ImportCsv(Write("a.csv", header + "i1,Comedy|Drama,1999,9.5,false,100\n"
                                                      "i2,,,0.25,true,200\n"
                                                      "i3,Horror,2001,1e2,false,300\n"
                                                      "i1,Comedy,2000,8,false,101\n"),
                              Mode(ImportMode::kFull))
                  .ok());
  auto result = store->ImportCsv(Write("b.csv",
                                       "PRICE,ITEM_ID,ADULT,CREATION_TIMESTAMP\n"
                                       "3.5,i3,true,301\n4,i4,false,400\n"),
                                 Mode(ImportMode::kIncremental));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(store->num_rows(), 6);
  auto table = store->ReadTable();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->num_rows, 4);
  const TableColumn* id = table->Find("ITEM_ID");
  const TableColumn* genres = table->Find("GENRES");
  const TableColumn* year = table->Find("YEAR");
  const TableColumn* price = table->Find("PRICE");
  const TableColumn* adult = table->Find("ADULT");
  const TableColumn* created = table->Find("CREATION_TIMESTAMP");
  ASSERT_TRUE(id && genres && year && price && adult && created);
  // Survivors in the order of their last occurrence: i2, i1 (2nd row), i3 (import 2), i4.
  std::vector<std::string> ids;
  for (int r = 0; r < 4; ++r) ids.emplace_back(id->StringAt(r));
  EXPECT_EQ(ids, (std::vector<std::string>{"i2", "i1", "i3", "i4"}));
  EXPECT_EQ(genres->StringAt(0), "");
  EXPECT_EQ(genres->valid[0], 0);
  EXPECT_EQ(genres->StringAt(1), "Comedy");
  EXPECT_EQ(genres->valid[2], 0);  // GENRES was absent from the second file
  EXPECT_EQ(year->ints[1], 2000);
  EXPECT_EQ(year->valid[0], 0);
  EXPECT_EQ(price->doubles[0], 0.25);
  EXPECT_EQ(price->doubles[2], 3.5);
  EXPECT_EQ(adult->ints[0], 1);
  EXPECT_EQ(adult->ints[1], 0);
  EXPECT_EQ(created->ints[3], 400);

  auto bad = store->ImportCsv(Write("c.csv", header + "i9,x,1,1,TRUE,5\n"),
                              Mode(ImportMode::kIncremental));
  EXPECT_NE(bad.status().message().find("'TRUE' is not a valid boolean"), std::string::npos)
      << bad.status().ToString();
  bad = store->ImportCsv(Write("d.csv", header + "i9,x,99999999999,1,true,5\n"),
                         Mode(ImportMode::kIncremental));
  EXPECT_NE(bad.status().message().find("column 'YEAR'"), std::string::npos);
  bad = store->ImportCsv(Write("e.csv", header + "i9," + std::string(1001, 'g') + ",1,1,true,5\n"),
                         Mode(ImportMode::kIncremental));
  EXPECT_NE(bad.status().message().find("longer than 1000 characters"), std::string::npos);
  EXPECT_EQ(store->num_rows(), 6);
}

TEST_F(DatasetStoreTest, LoadInteractionsNeedsAnInteractionsSchema) {
  auto schema = ParseSchema(kItemsSchema);
  ASSERT_TRUE(schema.ok());
  schema_ = *schema;
  auto store = OpenStore(DatasetType::kItems);
  EXPECT_TRUE(store->LoadInteractions().status().IsInvalidInput());
}

}  // namespace
}  // namespace tailor::data
