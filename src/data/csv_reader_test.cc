#include "data/csv_reader.h"

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "data/file_reader.h"

namespace tailor::data {
namespace {

using Records = std::vector<std::vector<std::string>>;

// Parses `text` as one chunk; returns the records or the error.
StatusOr<Records> ParseAll(std::string text, std::vector<int64_t>* lines = nullptr,
                           size_t max_record = kMaxCsvRecordBytes) {
  CsvParser parser(text.data(), text.size(), 1, max_record);
  Records records;
  std::vector<std::string_view> fields;
  while (true) {
    bool has_record = false;
    TAILOR_RETURN_IF_ERROR(parser.Next(&fields, &has_record));
    if (!has_record) break;
    records.emplace_back(fields.begin(), fields.end());
    if (lines != nullptr) lines->push_back(parser.line());
  }
  return records;
}

struct ParseCase {
  const char* label;
  std::string input;
  Records expected;
};

TEST(CsvParserTest, ParsesRfc4180) {
  const ParseCase cases[] = {
      {"simple", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}},
      {"no final newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
      {"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
      {"empty fields", ",a,,\n", {{"", "a", "", ""}}},
      {"quoted", "\"a,b\",c\n", {{"a,b", "c"}}},
      {"doubled quote", "\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}},
      {"backslash quote", "\"say \\\"hi\\\"\",x\n", {{"say \"hi\"", "x"}}},
      {"backslash backslash", "\"a\\\\b\"\n", {{"a\\b"}}},
      {"other backslash kept", "\"a\\nb\",c\\d\n", {{"a\\nb", "c\\d"}}},
      {"embedded newline", "\"line1\nline2\",x\ny,z\n", {{"line1\nline2", "x"}, {"y", "z"}}},
      {"embedded crlf", "\"a\r\nb\"\r\n", {{"a\r\nb"}}},
      {"quoted empty", "\"\",a\n", {{"", "a"}}},
      {"blank lines skipped", "a\n\n\r\nb\n", {{"a"}, {"b"}}},
      {"bare cr is data", "a\rb,c\n", {{"a\rb", "c"}}},
      {"utf8",
       "caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80\n",
       {{"caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}}},
  };
  for (const auto& c : cases) {
    auto records = ParseAll(c.input);
    ASSERT_TRUE(records.ok()) << c.label << ": " << records.status().ToString();
    EXPECT_EQ(*records, c.expected) << c.label;
  }
}

TEST(CsvParserTest, ReportsThePhysicalLineWhereEachRecordStarts) {
  std::vector<int64_t> lines;
  auto records = ParseAll("h1,h2\n\"multi\nline\",x\n\nlast,y\n", &lines);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 5}));
}

struct ErrorCase {
  const char* label;
  std::string input;
  const char* expected;
};

TEST(CsvParserTest, RejectsMalformedInputNamingLineAndColumn) {
  const ErrorCase cases[] = {
      {"unclosed quote", "a,b\n1,\"open\n", "Line 2, column 2: a quoted value is not closed"},
      {"junk after quote", "a,b\n\"x\"y,2\n", "Line 2, column 1: unexpected character"},
      {"quote inside field", "a,b\n1,x\"y\n", "Line 2, column 2: a quote inside an unquoted"},
      {"bad utf8", "a,b\n1,2\n3,caf\xC3(\n", "Line 3, column 2: invalid UTF-8"},
      {"overlong utf8", "a\n\xC0\xAF\n", "Line 2, column 1: invalid UTF-8"},
      {"surrogate", "a\n\xED\xA0\x80\n", "Line 2, column 1: invalid UTF-8"},
      {"bad utf8 in quotes", "a\n\"\xFF\"\n", "Line 2, column 1: invalid UTF-8"},
  };
  for (const auto& c : cases) {
    auto records = ParseAll(c.input);
    ASSERT_FALSE(records.ok()) << c.label;
    EXPECT_TRUE(records.status().IsInvalidInput()) << c.label;
    EXPECT_NE(records.status().message().find(c.expected), std::string::npos)
        << c.label << ": " << records.status().message();
  }
}

TEST(CsvParserTest, NamesColumnsWhenGivenTheHeader) {
  std::string text = "1,\xFF\n";
  std::vector<std::string> names = {"USER_ID", "TIMESTAMP"};
  CsvParser parser(text.data(), text.size(), 1234);
  parser.set_column_names(&names);
  std::vector<std::string_view> fields;
  bool has_record;
  Status s = parser.Next(&fields, &has_record);
  EXPECT_EQ(s.message(), "Line 1234, column 'TIMESTAMP': invalid UTF-8");
}

TEST(CsvParserTest, RejectsARecordOverTheCap) {
  auto records = ParseAll("a\n" + std::string(100, 'x') + "\n", nullptr, 50);
  ASSERT_FALSE(records.ok());
  EXPECT_NE(records.status().message().find("Line 2: the record is longer than 50 bytes"),
            std::string::npos)
      << records.status().message();
}

TEST(CsvWholeRecordsPrefixTest, StopsAtTheLastNewlineOutsideQuotes) {
  const std::pair<std::string, size_t> cases[] = {
      {"", 0},
      {"abc", 0},
      {"a\nb", 2},
      {"a\nb\n", 4},
      {"a\n\"b\nc", 2},       // the second newline is inside an open quote
      {"a\n\"b\nc\"\nd", 8},  // ...and here the quote closed
      {"a\n\"x\"\"\ny", 2},   // "" keeps the quote open
      {"a\n\"x\\\"\ny", 2},   // \" keeps the quote open
      {"a\nx\"y\nz", 6},      // a quote mid-field opens nothing
  };
  for (const auto& [data, expected] : cases) {
    EXPECT_EQ(CsvWholeRecordsPrefix(data), expected) << data;
  }
}

class CsvFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = "/tmp/tailor_csv_reader_test_" + std::to_string(::getpid());
    ASSERT_TRUE(Env::Default()->CreateDirs(dir_).ok());
  }
  void TearDown() override { (void)Env::Default()->RemoveAll(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(CsvFileTest, ChunkerSplitsOnlyBetweenRecords) {
  // Many records with quoted newlines, read with chunks far smaller than the file, must come
  // back exactly as one parse of the whole text, with the right line numbers.
  std::string text = "id,note\n";
  Records expected = {{"id", "note"}};
  for (int i = 0; i < 500; ++i) {
    std::string note = i % 3 == 0 ? "multi\nline \"" + std::to_string(i) + "\"" : "plain";
    text += std::to_string(i) + ",\"" +
            (i % 3 == 0 ? "multi\nline \"\"" + std::to_string(i) + "\"\"" : std::string("plain")) +
            "\"\r\n";
    expected.push_back({std::to_string(i), note});
  }
  std::string path = Write("chunks.csv", text);
  auto file = FileReader::Open(Env::Default(), path);
  ASSERT_TRUE(file.ok());
  CsvChunker chunker(file->get(), 64);
  Records records;
  std::vector<int64_t> lines;
  CsvChunk chunk;
  int chunks = 0;
  while (true) {
    bool done = false;
    ASSERT_TRUE(chunker.Next(&chunk, &done).ok());
    if (done) break;
    ++chunks;
    CsvParser parser(chunk.data.data(), chunk.data.size(), chunk.first_line);
    std::vector<std::string_view> fields;
    bool has_record;
    while (true) {
      ASSERT_TRUE(parser.Next(&fields, &has_record).ok());
      if (!has_record) break;
      records.emplace_back(fields.begin(), fields.end());
      lines.push_back(parser.line());
    }
  }
  EXPECT_GT(chunks, 10);
  EXPECT_EQ(records, expected);
  ASSERT_EQ(lines.size(), 501u);
  EXPECT_EQ(lines[1], 2);
  EXPECT_EQ(lines[2], 4);  // record 0 spans lines 2-3
  EXPECT_EQ(lines[3], 5);
}

TEST_F(CsvFileTest, ReaderStreamsAFile) {
  std::string path = Write("r.csv", "a,b\n1,\"x\ny\"\n2,z");
  auto reader = CsvReader::Open(Env::Default(), path);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string_view> fields;
  bool has_record;
  Records records;
  std::vector<int64_t> lines;
  while (true) {
    ASSERT_TRUE((*reader)->Next(&fields, &has_record).ok());
    if (!has_record) break;
    records.emplace_back(fields.begin(), fields.end());
    lines.push_back((*reader)->line());
  }
  EXPECT_EQ(records, (Records{{"a", "b"}, {"1", "x\ny"}, {"2", "z"}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 4}));
}

TEST_F(CsvFileTest, AHugeLineEndsInAClearError) {
  // 8 MB without a newline: the chunker must give up at the cap, naming the line, instead of
  // buffering the whole line.
  std::string path = Write("huge.csv", "a,b\n1,2\n" + std::string(8 << 20, 'x'));
  auto file = FileReader::Open(Env::Default(), path);
  ASSERT_TRUE(file.ok());
  CsvChunker chunker(file->get(), 1 << 20);
  CsvChunk chunk;
  bool done = false;
  Status s;
  for (int i = 0; i < 20 && s.ok() && !done; ++i) s = chunker.Next(&chunk, &done);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsInvalidInput());
  EXPECT_NE(s.message().find("Line 3: the record is longer than"), std::string::npos)
      << s.message();
  EXPECT_LT(chunk.data.capacity(), 4u << 20);
}

TEST_F(CsvFileTest, OpeningAMissingFileIsNotFound) {
  auto reader = CsvReader::Open(Env::Default(), dir_ + "/missing.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_TRUE(reader.status().IsNotFound());
}

TEST(Utf8Test, ValidatesAndCounts) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_EQ(Utf8Length("caf\xC3\xA9"), 4u);
}

}  // namespace
}  // namespace tailor::data
