#include "data/demo/movielens.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tailor::data {
namespace {

class MovieLensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = ::testing::TempDir() + "tailor_movielens_" + info->name();
    ASSERT_TRUE(env_->RemoveAll(root_).ok());
    ASSERT_TRUE(env_->CreateDirs(root_ + "/src").ok());
  }
  void TearDown() override { (void)env_->RemoveAll(root_); }

  void Put(const std::string& name, std::string_view content) {
    ASSERT_TRUE(env_->WriteFileAtomically(root_ + "/src/" + name, content).ok());
  }
  std::string Read(const std::string& path) {
    auto text = env_->ReadFile(path);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    return text.ok() ? *text : "";
  }

  // A few lines in the ml-latest-small layout: a quoted title with a comma, a doubled quote, a
  // movie without year or genres, and a year range.
  void PutLatest(std::string_view newline = "\n") {
    auto lines = [&](std::initializer_list<std::string_view> rows) {
      std::string out;
      for (std::string_view row : rows) out.append(row).append(newline);
      return out;
    };
    Put("movies.csv", lines({"movieId,title,genres",
                             "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
                             R"x(11,"American President, The (1995)",Comedy|Drama|Romance)x",
                             R"x(26,"11'09""01 - September 11 (2002)",Drama)x",
                             "99,Black Mirror,(no genres listed)",
                             "171749,Death Note: Desu nôto (2006–2007),(no genres listed)"}));
    Put("ratings.csv", lines({"userId,movieId,rating,timestamp", "1,1,4.0,964982703",
                              "1,11,3.5,964981247", "2,26,5.0,1445714994", "1,99,0.5,964981300"}));
  }

  // ml-100k: '|'-separated latin-1 u.item with 19 genre flags, tab-separated u.data, u.user.
  void Put100k() {
    auto item = [](std::string_view head, std::initializer_list<int> genres) {
      std::string line(head);
      for (int g = 0; g < 19; ++g) {
        line += std::find(genres.begin(), genres.end(), g) != genres.end() ? "|1" : "|0";
      }
      return line + "\n";
    };
    Put("u.item", item("1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/x", {3, 4, 5}) +
                      item("242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/y", {5}) +
                      item("267|unknown|||", {0}) + item("500|Some Film|05-May-1998||", {8}) +
                      item("1234|Mis\xE9rables, Les (1995)|01-Jan-1995||", {8, 12}));
    Put("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t1\t5\t881250950\n");
    Put("u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n");
  }

  Env* env_ = Env::Default();
  std::string root_;
};

TEST_F(MovieLensTest, DetectsLayouts) {
  PutLatest();
  auto layout = DetectMovieLens(env_, root_ + "/src");
  ASSERT_TRUE(layout.ok()) << layout.status().ToString();
  EXPECT_EQ(*layout, MovieLensLayout::kLatest);

  ASSERT_TRUE(env_->RemoveAll(root_ + "/src").ok());
  ASSERT_TRUE(env_->CreateDirs(root_ + "/src").ok());
  Put100k();
  layout = DetectMovieLens(env_, root_ + "/src");
  ASSERT_TRUE(layout.ok()) << layout.status().ToString();
  EXPECT_EQ(*layout, MovieLensLayout::k100k);
}

TEST_F(MovieLensTest, DetectionErrorsNameWhatWasLookedFor) {
  auto missing = DetectMovieLens(env_, root_ + "/nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  EXPECT_NE(missing.status().message().find(root_ + "/nowhere"), std::string::npos);

  Put("ratings.csv", "userId,movieId,rating,timestamp\n");  // movies.csv is missing
  auto partial = DetectMovieLens(env_, root_ + "/src");
  ASSERT_FALSE(partial.ok());
  EXPECT_TRUE(partial.status().IsInvalidInput()) << partial.status().ToString();
  for (std::string_view name : {"ratings.csv", "movies.csv", "u.data", "u.item"}) {
    EXPECT_NE(partial.status().message().find(name), std::string::npos) << name;
  }

  Put("ratings.dat", "1::1193::5::978300760\n");
  auto ml1m = DetectMovieLens(env_, root_ + "/src");
  ASSERT_FALSE(ml1m.ok());
  EXPECT_NE(ml1m.status().message().find("ml-1m"), std::string::npos) << ml1m.status().ToString();
}

TEST_F(MovieLensTest, ConvertsLatestLayout) {
  PutLatest();
  auto files = ConvertMovieLens(env_, root_ + "/src", root_ + "/out");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->interactions_csv, root_ + "/out/interactions.csv");
  EXPECT_EQ(files->items_csv, root_ + "/out/items.csv");
  EXPECT_EQ(files->users_csv, "");
  EXPECT_EQ(files->users_schema, "");
  EXPECT_EQ(files->num_interactions, 4);
  EXPECT_EQ(files->num_items, 5);
  EXPECT_EQ(files->num_users, 2);
  EXPECT_EQ(Read(files->interactions_csv),
            "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
            "1,1,964982703,rating,4.0\n"
            "1,11,964981247,rating,3.5\n"
            "2,26,1445714994,rating,5.0\n"
            "1,99,964981300,rating,0.5\n");
  EXPECT_EQ(Read(files->items_csv),
            "ITEM_ID,TITLE,GENRES,YEAR\n"
            "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy,1995\n"
            "11,\"American President, The (1995)\",Comedy|Drama|Romance,1995\n"
            "26,\"11'09\"\"01 - September 11 (2002)\",Drama,2002\n"
            "99,Black Mirror,,\n"
            "171749,Death Note: Desu nôto (2006–2007),,2006\n");
  EXPECT_FALSE(env_->FileExists(root_ + "/out/users.csv"));
}

TEST_F(MovieLensTest, AcceptsCrLfLineEnds) {
  PutLatest("\r\n");
  auto files = ConvertMovieLens(env_, root_ + "/src", root_ + "/out");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  std::string items = Read(files->items_csv);
  EXPECT_EQ(items.find('\r'), std::string::npos);
  EXPECT_NE(items.find("11,\"American President, The (1995)\",Comedy|Drama|Romance,1995\n"),
            std::string::npos);
  EXPECT_EQ(Read(files->interactions_csv).find('\r'), std::string::npos);
  EXPECT_EQ(files->num_interactions, 4);
  EXPECT_EQ(files->num_items, 5);
}

TEST_F(MovieLensTest, Converts100kLayout) {
  Put100k();
  auto files = ConvertMovieLens(env_, root_ + "/src", root_ + "/out");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->users_csv, root_ + "/out/users.csv");
  EXPECT_EQ(files->num_interactions, 3);
  EXPECT_EQ(files->num_items, 5);
  EXPECT_EQ(files->num_users, 2);  // rows of u.user
  EXPECT_EQ(Read(files->interactions_csv),
            "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
            "196,242,881250949,rating,3\n"
            "186,302,891717742,rating,3\n"
            "196,1,881250950,rating,5\n");
  EXPECT_EQ(Read(files->items_csv),
            "ITEM_ID,TITLE,GENRES,YEAR\n"
            "1,Toy Story (1995),Animation|Children|Comedy,1995\n"
            "242,Kolya (1996),Comedy,1996\n"
            "267,unknown,,\n"
            "500,Some Film,Drama,1998\n"
            "1234,\"Mis\xC3\xA9rables, Les (1995)\",Drama|Musical,1995\n");
  EXPECT_EQ(Read(files->users_csv),
            "USER_ID,AGE,GENDER,OCCUPATION\n"
            "1,24,M,technician\n"
            "2,53,F,other\n");
}

TEST_F(MovieLensTest, SchemasMatchTheHeaders) {
  Put100k();
  auto files = ConvertMovieLens(env_, root_ + "/src", root_ + "/out");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  struct Case {
    const std::string* schema;
    const std::string* csv;
    std::string name;
  };
  for (const Case& c : {Case{&files->interactions_schema, &files->interactions_csv, "Interactions"},
                        Case{&files->items_schema, &files->items_csv, "Items"},
                        Case{&files->users_schema, &files->users_csv, "Users"}}) {
    SCOPED_TRACE(c.name);
    nlohmann::json schema = nlohmann::json::parse(*c.schema, nullptr, false);
    ASSERT_FALSE(schema.is_discarded()) << *c.schema;
    EXPECT_EQ(schema["type"], "record");
    EXPECT_EQ(schema["name"], c.name);
    EXPECT_EQ(schema["namespace"], "com.amazonaws.personalize.schema");
    EXPECT_EQ(schema["version"], "1.0");
    std::string header;
    for (const auto& field : schema["fields"]) {
      header += (header.empty() ? "" : ",") + field["name"].get<std::string>();
    }
    std::string text = Read(*c.csv);
    EXPECT_EQ(text.substr(0, text.find('\n')), header);
  }
  nlohmann::json items = nlohmann::json::parse(files->items_schema);
  EXPECT_EQ(items["fields"][2]["name"], "GENRES");
  EXPECT_EQ(items["fields"][2]["type"], nlohmann::json::array({"null", "string"}));
  EXPECT_EQ(items["fields"][2]["categorical"], true);
  EXPECT_EQ(items["fields"][3]["type"], nlohmann::json::array({"null", "int"}));
  EXPECT_FALSE(items["fields"][1].contains("textual"));
}

TEST_F(MovieLensTest, ReportsFileAndLineOfMalformedRows) {
  struct Case {
    std::string file, content, expected;
  };
  const Case cases[] = {
      {"ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,x,964982703\n",
       "ratings.csv line 3: rating \"x\" is not a number"},
      {"ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0\n", "ratings.csv line 2"},
      {"ratings.csv", "user,movie,rating,time\n", "no column \"userId\""},
      {"movies.csv", "movieId,title,genres\n1,\"Heat (1995),Action\n", "movies.csv line 2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    PutLatest();
    Put(c.file, c.content);
    auto files = ConvertMovieLens(env_, root_ + "/src", root_ + "/out");
    ASSERT_FALSE(files.ok());
    EXPECT_TRUE(files.status().IsInvalidInput()) << files.status().ToString();
    EXPECT_NE(files.status().message().find(c.expected), std::string::npos)
        << files.status().ToString();
  }
}

TEST_F(MovieLensTest, ConvertsRealMlLatestSmallWhenPresent) {
  const std::string dir = TAILOR_SOURCE_DIR "/../shared/datasets/ml-latest-small";
  if (!env_->FileExists(dir + "/ratings.csv")) {
    GTEST_SKIP() << "no MovieLens download at " << dir;
  }
  auto files = ConvertMovieLens(env_, dir, root_ + "/out");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->num_interactions, 100836);
  EXPECT_EQ(files->num_items, 9742);
  EXPECT_EQ(files->num_users, 610);
  std::string interactions = Read(files->interactions_csv);
  EXPECT_EQ(std::count(interactions.begin(), interactions.end(), '\n'), 100837);
  EXPECT_EQ(interactions.substr(0, interactions.find('\n', interactions.find('\n') + 1) + 1),
            "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n1,1,964982703,rating,4.0\n");
  std::string items = Read(files->items_csv);
  EXPECT_NE(items.find("\n11,\"American President, The (1995)\",Comedy|Drama|Romance,1995\n"),
            std::string::npos);
}

}  // namespace
}  // namespace tailor::data
