#include "data/demo/synthetic_dataset.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tailor::data {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// Rows of a CSV without quoting (all the generator writes), header first.
std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  auto text = Env::Default()->ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  std::vector<std::vector<std::string>> rows;
  if (!text.ok()) return rows;
  EXPECT_FALSE(text->empty());
  EXPECT_EQ(text->back(), '\n');
  for (const std::string& line : Split(*text, '\n')) {
    if (!line.empty()) rows.push_back(Split(line, ','));
  }
  return rows;
}

class SyntheticDatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = ::testing::TempDir() + "tailor_synthetic_" + info->name();
    ASSERT_TRUE(Env::Default()->RemoveAll(root_).ok());
  }
  void TearDown() override { (void)Env::Default()->RemoveAll(root_); }

  StatusOr<DemoDatasetFiles> Write(const std::string& sub, const SyntheticOptions& options) {
    return WriteSyntheticDataset(Env::Default(), root_ + "/" + sub, options);
  }

  std::string root_;
};

SyntheticOptions SmallOptions() {
  SyntheticOptions o;
  o.num_users = 300;
  o.num_items = 400;
  o.num_interactions = 20000;
  return o;
}

TEST_F(SyntheticDatasetTest, SameSeedGivesSameBytesAndOtherSeedDiffers) {
  SyntheticOptions o = SmallOptions();
  auto a = Write("a", o);
  auto b = Write("b", o);
  o.seed = 43;
  auto c = Write("c", o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok() && c.ok());
  Env* env = Env::Default();
  for (auto path : {&DemoDatasetFiles::interactions_csv, &DemoDatasetFiles::items_csv,
                    &DemoDatasetFiles::users_csv}) {
    EXPECT_EQ(*env->ReadFile((*a).*path), *env->ReadFile((*b).*path)) << (*a).*path;
  }
  EXPECT_NE(*env->ReadFile(a->interactions_csv), *env->ReadFile(c->interactions_csv));
  EXPECT_NE(*env->ReadFile(a->items_csv), *env->ReadFile(c->items_csv));
}

TEST_F(SyntheticDatasetTest, WritesRequestedCountsAndAbsolutePaths) {
  SyntheticOptions o = SmallOptions();
  auto files = Write("d", o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->num_interactions, o.num_interactions);
  EXPECT_EQ(files->num_items, o.num_items);
  EXPECT_EQ(files->num_users, o.num_users);
  EXPECT_EQ(files->interactions_csv, root_ + "/d/interactions.csv");
  EXPECT_EQ(files->items_csv, root_ + "/d/items.csv");
  EXPECT_EQ(files->users_csv, root_ + "/d/users.csv");
  EXPECT_EQ(files->interactions_csv.front(), '/');

  auto interactions = ReadCsv(files->interactions_csv);
  auto items = ReadCsv(files->items_csv);
  auto users = ReadCsv(files->users_csv);
  ASSERT_FALSE(interactions.empty() || items.empty() || users.empty());
  EXPECT_EQ(interactions[0], (std::vector<std::string>{"USER_ID", "ITEM_ID", "TIMESTAMP",
                                                       "EVENT_TYPE", "EVENT_VALUE"}));
  EXPECT_EQ(items[0],
            (std::vector<std::string>{"ITEM_ID", "GENRES", "YEAR", "CREATION_TIMESTAMP"}));
  EXPECT_EQ(users[0], (std::vector<std::string>{"USER_ID", "AGE_GROUP", "COUNTRY"}));
  EXPECT_EQ(static_cast<int64_t>(interactions.size()) - 1, o.num_interactions);
  EXPECT_EQ(static_cast<int64_t>(items.size()) - 1, o.num_items);
  EXPECT_EQ(static_cast<int64_t>(users.size()) - 1, o.num_users);
}

TEST_F(SyntheticDatasetTest, RowsAreConsistentWithItemsUsersAndTime) {
  SyntheticOptions o = SmallOptions();
  auto files = Write("d", o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  auto interactions = ReadCsv(files->interactions_csv);
  auto items = ReadCsv(files->items_csv);
  auto users = ReadCsv(files->users_csv);

  std::unordered_map<std::string, int64_t> creation;
  for (size_t i = 1; i < items.size(); ++i) {
    ASSERT_EQ(items[i].size(), 4u);
    EXPECT_TRUE(creation.emplace(items[i][0], std::stoll(items[i][3])).second) << items[i][0];
    auto genres = Split(items[i][1], '|');
    EXPECT_GE(genres.size(), 1u);
    EXPECT_LE(genres.size(), 3u);
    int year = std::stoi(items[i][2]);
    EXPECT_GE(year, 1920);
    EXPECT_LE(year, 2022);
  }
  std::map<std::string, int> user_rows;
  for (size_t i = 1; i < users.size(); ++i) {
    ASSERT_EQ(users[i].size(), 3u);
    EXPECT_TRUE(user_rows.emplace(users[i][0], 0).second) << users[i][0];
    EXPECT_FALSE(users[i][1].empty());
    EXPECT_FALSE(users[i][2].empty());
  }

  const int64_t end = o.start_time + o.span_seconds;
  std::string previous_user;
  int64_t previous_time = 0;
  for (size_t i = 1; i < interactions.size(); ++i) {
    const auto& row = interactions[i];
    ASSERT_EQ(row.size(), 5u) << "row " << i;
    ASSERT_TRUE(creation.count(row[1])) << row[1];
    ASSERT_TRUE(user_rows.count(row[0])) << row[0];
    ++user_rows[row[0]];
    int64_t t = std::stoll(row[2]);
    EXPECT_GE(t, o.start_time);
    EXPECT_LT(t, end);
    EXPECT_GE(t, creation[row[1]]) << "row " << i << " predates item " << row[1];
    if (row[0] == previous_user) {
      EXPECT_GE(t, previous_time) << "row " << i;
    }
    previous_user = row[0];
    previous_time = t;
    double value = std::stod(row[4]);
    if (row[3] == "click") {
      EXPECT_EQ(value, 1.0);
    } else if (row[3] == "watch") {
      EXPECT_GE(value, 0.05);
      EXPECT_LE(value, 1.0);
    } else {
      ASSERT_EQ(row[3], "rating");
      EXPECT_GE(value, 0.5);
      EXPECT_LE(value, 5.0);
    }
  }
  // Rows come grouped by user, and every user has some since there are more rows than users.
  for (const auto& [user, rows] : user_rows) EXPECT_GE(rows, 1) << user;
}

TEST_F(SyntheticDatasetTest, PopularityAndActivityAreSkewed) {
  SyntheticOptions o = SmallOptions();
  auto files = Write("d", o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  auto interactions = ReadCsv(files->interactions_csv);
  std::unordered_map<std::string, int> per_item, per_user;
  for (size_t i = 1; i < interactions.size(); ++i) {
    ++per_item[interactions[i][1]];
    ++per_user[interactions[i][0]];
  }
  std::vector<int> counts;
  for (const auto& [item, n] : per_item) counts.push_back(n);
  std::sort(counts.rbegin(), counts.rend());
  int64_t top = 0;
  for (int64_t i = 0; i < o.num_items / 10 && i < static_cast<int64_t>(counts.size()); ++i) {
    top += counts[i];
  }
  // Uniform popularity would give the top 10% of items about 10% of the rows.
  EXPECT_GT(static_cast<double>(top) / o.num_interactions, 0.35);

  std::vector<int> activity;
  for (const auto& [user, n] : per_user) activity.push_back(n);
  std::sort(activity.begin(), activity.end());
  const int median = activity[activity.size() / 2];
  EXPECT_GT(activity.back(), 5 * median);  // heavy users exist
}

TEST_F(SyntheticDatasetTest, UsersConcentrateOnFewGenres) {
  SyntheticOptions o = SmallOptions();
  auto files = Write("d", o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  auto interactions = ReadCsv(files->interactions_csv);
  auto items = ReadCsv(files->items_csv);
  std::unordered_map<std::string, std::vector<std::string>> genres;
  for (size_t i = 1; i < items.size(); ++i) genres[items[i][0]] = Split(items[i][1], '|');
  std::map<std::string, std::map<std::string, int>> per_user_genre;
  std::map<std::string, int> per_user;
  for (size_t i = 1; i < interactions.size(); ++i) {
    ++per_user[interactions[i][0]];
    for (const auto& g : genres[interactions[i][1]]) ++per_user_genre[interactions[i][0]][g];
  }
  double share_sum = 0;
  int users = 0;
  for (const auto& [user, by_genre] : per_user_genre) {
    if (per_user[user] < 20) continue;
    int best = 0;
    for (const auto& [g, n] : by_genre) best = std::max(best, n);
    share_sum += static_cast<double>(best) / per_user[user];
    ++users;
  }
  ASSERT_GT(users, 50);
  // Without tastes a user's commonest genre covers about a third of their rows; with them a
  // user's favourite genre covers about two thirds of their rows.
  EXPECT_GT(share_sum / users, 0.55);
}

TEST_F(SyntheticDatasetTest, SchemasAreAvroRecordsMatchingTheHeaders) {
  auto files = Write("d", SmallOptions());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  struct Case {
    std::string text;
    std::string name;
    std::vector<std::pair<std::string, nlohmann::json>> fields;
  };
  const Case cases[] = {
      {files->interactions_schema,
       "Interactions",
       {{"USER_ID", "string"},
        {"ITEM_ID", "string"},
        {"TIMESTAMP", "long"},
        {"EVENT_TYPE", "string"},
        {"EVENT_VALUE", nlohmann::json::array({"float", "null"})}}},
      {files->items_schema,
       "Items",
       {{"ITEM_ID", "string"},
        {"GENRES", "string"},
        {"YEAR", "int"},
        {"CREATION_TIMESTAMP", "long"}}},
      {files->users_schema,
       "Users",
       {{"USER_ID", "string"}, {"AGE_GROUP", "string"}, {"COUNTRY", "string"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    nlohmann::json schema = nlohmann::json::parse(c.text, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(schema.is_discarded()) << c.text;
    EXPECT_EQ(schema["type"], "record");
    EXPECT_EQ(schema["name"], c.name);
    EXPECT_EQ(schema["namespace"], "com.amazonaws.personalize.schema");
    EXPECT_EQ(schema["version"], "1.0");
    ASSERT_EQ(schema["fields"].size(), c.fields.size());
    for (size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(schema["fields"][i]["name"], c.fields[i].first);
      EXPECT_EQ(schema["fields"][i]["type"], c.fields[i].second);
    }
  }
  nlohmann::json items = nlohmann::json::parse(files->items_schema);
  EXPECT_EQ(items["fields"][1]["categorical"], true);
  nlohmann::json users = nlohmann::json::parse(files->users_schema);
  EXPECT_EQ(users["fields"][1]["categorical"], true);
  EXPECT_EQ(users["fields"][2]["categorical"], true);
}

TEST_F(SyntheticDatasetTest, SkipsItemsAndUsersWhenAsked) {
  SyntheticOptions o = SmallOptions();
  o.write_items = false;
  o.write_users = false;
  auto files = Write("d", o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->items_csv, "");
  EXPECT_EQ(files->users_csv, "");
  EXPECT_EQ(files->items_schema, "");
  EXPECT_EQ(files->users_schema, "");
  EXPECT_FALSE(Env::Default()->FileExists(root_ + "/d/items.csv"));
  EXPECT_FALSE(Env::Default()->FileExists(root_ + "/d/users.csv"));
  // The interactions do not depend on whether the other files are written.
  auto full = Write("e", SmallOptions());
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(*Env::Default()->ReadFile(files->interactions_csv),
            *Env::Default()->ReadFile(full->interactions_csv));
}

TEST_F(SyntheticDatasetTest, HandlesFewerRowsThanUsers) {
  SyntheticOptions o;
  o.num_users = 50;
  o.num_items = 3;
  o.num_interactions = 20;
  auto files = Write("d", o);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(ReadCsv(files->interactions_csv).size(), 21u);
  EXPECT_EQ(ReadCsv(files->users_csv).size(), 51u);
}

TEST_F(SyntheticDatasetTest, RejectsBadOptions) {
  struct Case {
    void (*mutate)(SyntheticOptions&);
    std::string_view field;
  };
  const Case cases[] = {
      {[](SyntheticOptions& o) { o.num_users = 0; }, "num_users"},
      {[](SyntheticOptions& o) { o.num_items = -1; }, "num_items"},
      {[](SyntheticOptions& o) { o.num_interactions = -1; }, "num_interactions"},
      {[](SyntheticOptions& o) { o.span_seconds = 0; }, "span_seconds"},
      {[](SyntheticOptions& o) { o.item_zipf_exponent = -0.5; }, "item_zipf_exponent"},
      {[](SyntheticOptions& o) { o.user_activity_skew = -1; }, "user_activity_skew"},
  };
  for (const Case& c : cases) {
    SyntheticOptions o = SmallOptions();
    c.mutate(o);
    auto files = Write("d", o);
    ASSERT_FALSE(files.ok()) << c.field;
    EXPECT_TRUE(files.status().IsInvalidInput()) << files.status().ToString();
    EXPECT_NE(files.status().message().find(c.field), std::string::npos)
        << files.status().ToString();
  }
}

}  // namespace
}  // namespace tailor::data
