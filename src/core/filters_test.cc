#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/control_plane.h"

namespace tailor::core {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kInteractionsSchema[] = R"({"type":"record","name":"Interactions",
  "namespace":"com.amazonaws.personalize.schema","fields":[
  {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
  {"name":"EVENT_TYPE","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"})";
constexpr char kItemsSchema[] = R"({"type":"record","name":"Items",
  "namespace":"com.amazonaws.personalize.schema","fields":[
  {"name":"ITEM_ID","type":"string"},
  {"name":"GENRES","type":["null","string"],"categorical":true}],"version":"1.0"})";

const std::map<std::string, std::string> kSmallModel = {{"hidden_dimension", "8"},
                                                        {"iterations", "3"}};

// Filters as resources and at serving time, on a real (small) trained campaign: 60 users, 60
// items; even users click even items, odd users odd items; every fourth event is a "buy".
class FilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tailor_filters_test_" + std::to_string(std::random_device{}()));
    ControlPlaneOptions options;
    options.data_dir = dir_.string();
    auto cp = ControlPlane::Open(Env::Default(), options);
    ASSERT_TRUE(cp.ok()) << cp.status().ToString();
    cp_ = std::move(cp).value();
  }
  void TearDown() override {
    cp_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string WriteInteractions() {
    std::string path = (dir_ / "interactions.csv").string();
    std::ofstream out(path);
    out << "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n";
    std::mt19937 rng(1);
    for (int u = 0; u < 60; ++u) {
      for (int e = 0; e < 20; ++e) {
        int item = 2 * static_cast<int>(rng() % 30) + u % 2;
        history_[u].insert("i" + std::to_string(item));
        if (e % 4 == 0) bought_[u].insert("i" + std::to_string(item));
        out << "u" << u << ",i" << item << "," << (e % 4 == 0 ? "buy" : "click") << ","
            << 1700000000 + u * 1000 + e * 10 << "\n";
      }
    }
    return path;
  }
  // GENRES: "drama" for items below `drama_below`, else "comedy"; multiples of 5 add "action".
  std::string WriteItems(int drama_below, const std::string& name) {
    std::string path = (dir_ / name).string();
    std::ofstream out(path);
    out << "ITEM_ID,GENRES\n";
    for (int i = 0; i < 60; ++i) {
      out << "i" << i << "," << (i < drama_below ? "drama" : "comedy")
          << (i % 5 == 0 ? "|action" : "") << "\n";
    }
    return path;
  }
  std::string MakeGroup(const std::string& name) {
    auto group = cp_->CreateDatasetGroup({.name = name});
    EXPECT_TRUE(group.ok()) << group.status().ToString();
    cp_->WaitForJobsForTesting();
    return group.ok() ? *group : "";
  }
  std::string MakeDataset(const std::string& group, const std::string& type,
                          const std::string& schema_text) {
    auto schema = cp_->CreateSchema(
        {.name = group.substr(group.rfind('/') + 1) + "-" + type, .schema = schema_text});
    EXPECT_TRUE(schema.ok()) << schema.status().ToString();
    auto dataset = cp_->CreateDataset({.name = group.substr(group.rfind('/') + 1) + "-" + type,
                                       .schema_arn = *schema,
                                       .dataset_group_arn = group,
                                       .dataset_type = type});
    EXPECT_TRUE(dataset.ok()) << dataset.status().ToString();
    cp_->WaitForJobsForTesting();
    return dataset.ok() ? *dataset : "";
  }
  void Import(const std::string& dataset, const std::string& path, const std::string& mode = "") {
    auto job = cp_->CreateDatasetImportJob({.job_name = "import-" + std::to_string(imports_++),
                                            .dataset_arn = dataset,
                                            .data_location = path,
                                            .import_mode = mode});
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    cp_->WaitForJobsForTesting();
    auto described = cp_->DescribeDatasetImportJob(*job);
    ASSERT_TRUE(described.ok());
    ASSERT_EQ(described->info.status, kActive) << described->info.failure_reason;
  }
  // A group with interactions and items, and an ACTIVE campaign of `recipe` on it.
  std::string MakeCampaign(const std::string& recipe) {
    group_ = MakeGroup("movies");
    Import(MakeDataset(group_, "Interactions", kInteractionsSchema), WriteInteractions());
    items_dataset_ = MakeDataset(group_, "Items", kItemsSchema);
    Import(items_dataset_, WriteItems(30, "items.csv"));
    auto solution = cp_->CreateSolution({.name = "sol",
                                         .dataset_group_arn = group_,
                                         .recipe_arn = recipe,
                                         .config = {.algorithm_hyper_parameters = kSmallModel}});
    EXPECT_TRUE(solution.ok()) << solution.status().ToString();
    cp_->WaitForJobsForTesting();
    auto version = cp_->CreateSolutionVersion({.solution_arn = *solution});
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    cp_->WaitForJobsForTesting();
    auto campaign = cp_->CreateCampaign({.name = "c", .solution_version_arn = *version});
    EXPECT_TRUE(campaign.ok()) << campaign.status().ToString();
    cp_->WaitForJobsForTesting();
    auto described = cp_->DescribeCampaign(*campaign);
    EXPECT_TRUE(described.ok() && described->info.status == kActive)
        << (described.ok() ? described->info.failure_reason : described.status().ToString());
    return campaign.ok() ? *campaign : "";
  }
  std::string MakeFilter(const std::string& name, const std::string& expression,
                         const std::string& group = "") {
    auto filter = cp_->CreateFilter({.name = name,
                                     .dataset_group_arn = group.empty() ? group_ : group,
                                     .filter_expression = expression});
    EXPECT_TRUE(filter.ok()) << filter.status().ToString();
    cp_->WaitForJobsForTesting();
    return filter.ok() ? *filter : "";
  }
  static std::set<std::string> Ids(const Recommendations& recs) {
    std::set<std::string> out;
    for (const RecommendedItem& item : recs.items) out.insert(item.item_id);
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ControlPlane> cp_;
  std::string group_;
  std::string items_dataset_;
  int imports_ = 0;
  std::map<int, std::set<std::string>> history_;  // user -> items interacted with
  std::map<int, std::set<std::string>> bought_;   // user -> items bought
};

TEST_F(FilterTest, CreateDescribeListDelete) {
  group_ = MakeGroup("g");
  auto arn = cp_->CreateFilter(
      {.name = "no-buys",
       .dataset_group_arn = group_,
       .filter_expression = R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy"))",
       .tags = {{"team", "recs"}}});
  ASSERT_TRUE(arn.ok()) << arn.status().ToString();
  EXPECT_EQ(*arn, "arn:aws:personalize:us-east-1:000000000000:filter/no-buys");
  cp_->WaitForJobsForTesting();
  auto filter = cp_->DescribeFilter(*arn);
  ASSERT_TRUE(filter.ok()) << filter.status().ToString();
  EXPECT_EQ(filter->info.name, "no-buys");
  EXPECT_EQ(filter->info.status, kActive);
  EXPECT_EQ(filter->dataset_group_arn, group_);
  EXPECT_EQ(filter->filter_expression,
            R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy"))");
  EXPECT_GT(filter->info.created_micros, 0);
  auto tags = cp_->ListTagsForResource(*arn);
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->at("team"), "recs");

  EXPECT_TRUE(cp_->CreateFilter({.name = "no-buys",
                                 .dataset_group_arn = group_,
                                 .filter_expression = "EXCLUDE ItemID WHERE Items.X IN (\"a\")"})
                  .status()
                  .IsAlreadyExists());
  auto listed = cp_->ListFilters(group_, {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].info.arn, *arn);
  auto all = cp_->ListFilters("", {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 1u);
  EXPECT_TRUE(cp_->ListFilters("arn:aws:personalize:us-east-1:000000000000:dataset-group/none", {})
                  .status()
                  .IsNotFound());

  EXPECT_TRUE(cp_->DeleteDatasetGroup(group_).IsInUse()) << "a filter remains";
  ASSERT_TRUE(cp_->DeleteFilter(*arn).ok());
  // The deletion runs in the background (no transition delay here): the filter is being
  // deleted or already gone.
  auto deleting = cp_->DescribeFilter(*arn);
  if (deleting.ok()) {
    EXPECT_THAT(deleting->info.status, StartsWith("DELETE"));
  } else {
    EXPECT_TRUE(deleting.status().IsNotFound()) << deleting.status().ToString();
  }
  Status again = cp_->DeleteFilter(*arn);
  EXPECT_TRUE(again.IsInUse() || again.IsNotFound()) << again.ToString();
  cp_->WaitForJobsForTesting();
  EXPECT_TRUE(cp_->DescribeFilter(*arn).status().IsNotFound());
  EXPECT_TRUE(cp_->DeleteFilter(*arn).IsNotFound());
  EXPECT_TRUE(cp_->DeleteDatasetGroup(group_).ok());
}

TEST_F(FilterTest, CreateFilterRejectsBadRequests) {
  group_ = MakeGroup("g");
  struct Case {
    std::string expression;
    std::string message;  // a substring of the InvalidInput message
  };
  const Case cases[] = {
      {"", "Could not create filter. Invalid filter expression: it is empty"},
      {std::string(2501, 'x'), "Could not create filter. Invalid filter expression: it has 2501"},
      {"EXCLUDE ItemID WHERE Items.GENRES WHEN (\"a\")",
       "Could not create filter. Invalid filter expression at position 35"},
      {"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"a\") AND Items.X IN (\"b\")",
       "Could not create filter. Invalid filter expression at position"},
  };
  for (const Case& c : cases) {
    auto s = cp_->CreateFilter(
        {.name = "f", .dataset_group_arn = group_, .filter_expression = c.expression});
    ASSERT_TRUE(s.status().IsInvalidInput()) << c.expression << ": " << s.status().ToString();
    EXPECT_THAT(s.status().message(), StartsWith(c.message)) << c.expression;
  }
  EXPECT_TRUE(cp_->CreateFilter({.name = "bad name!",
                                 .dataset_group_arn = group_,
                                 .filter_expression = "EXCLUDE ItemID WHERE Items.X IN (\"a\")"})
                  .status()
                  .IsInvalidInput());
  EXPECT_TRUE(cp_->CreateFilter({.name = "f",
                                 .dataset_group_arn =
                                     "arn:aws:personalize:us-east-1:000000000000:dataset-group/no",
                                 .filter_expression = "EXCLUDE ItemID WHERE Items.X IN (\"a\")"})
                  .status()
                  .IsNotFound());
  EXPECT_TRUE(cp_->DescribeFilter("arn:aws:personalize:us-east-1:000000000000:filter/none")
                  .status()
                  .IsNotFound());
}

TEST_F(FilterTest, ThirtyFiltersPerGroup) {
  group_ = MakeGroup("g");
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(cp_->CreateFilter({.name = "f" + std::to_string(i),
                                   .dataset_group_arn = group_,
                                   .filter_expression = "EXCLUDE ItemID WHERE Items.X IN (\"a\")"})
                    .ok());
  }
  auto s = cp_->CreateFilter({.name = "f30",
                              .dataset_group_arn = group_,
                              .filter_expression = "EXCLUDE ItemID WHERE Items.X IN (\"a\")"});
  EXPECT_TRUE(s.status().IsLimitExceeded()) << s.status().ToString();
}

TEST_F(FilterTest, FiltersApplyToUserPersonalization) {
  const std::string campaign = MakeCampaign("aws-user-personalization");
  ASSERT_FALSE(campaign.empty());
  const std::string seen =
      MakeFilter("seen", R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))");
  const std::string bought =
      MakeFilter("bought", R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("BUY"))");
  const std::string genre = MakeFilter("genre", "INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)");
  const std::string nothing =
      MakeFilter("nothing", R"(INCLUDE ItemID WHERE Items.GENRES IN ("none"))");

  for (int u : {0, 1, 7}) {
    const std::string user = "u" + std::to_string(u);
    auto recs = cp_->GetRecommendations(
        {.campaign_arn = campaign, .user_id = user, .num_results = 60, .filter_arn = seen});
    ASSERT_TRUE(recs.ok()) << recs.status().ToString();
    // 60 items, of which the user saw at most 20: what is left is exactly the unseen ones.
    EXPECT_EQ(recs->items.size(), 60 - history_[u].size());
    for (const RecommendedItem& item : recs->items) {
      EXPECT_FALSE(history_[u].count(item.item_id)) << user << " saw " << item.item_id;
    }
    auto no_buys = cp_->GetRecommendations(
        {.campaign_arn = campaign, .user_id = user, .num_results = 60, .filter_arn = bought});
    ASSERT_TRUE(no_buys.ok()) << no_buys.status().ToString();
    EXPECT_EQ(no_buys->items.size(), 60 - bought_[u].size()) << "event types ignore case";
  }
  // A cold user has no interactions: nothing is excluded from the popular list.
  auto cold = cp_->GetRecommendations(
      {.campaign_arn = campaign, .user_id = "stranger", .num_results = 10, .filter_arn = seen});
  ASSERT_TRUE(cold.ok());
  EXPECT_EQ(cold->items.size(), 10u);

  auto drama = cp_->GetRecommendations({.campaign_arn = campaign,
                                        .user_id = "u1",
                                        .num_results = 60,
                                        .filter_arn = genre,
                                        .filter_values = {{"GENRE", "\"drama\""}}});
  ASSERT_TRUE(drama.ok()) << drama.status().ToString();
  EXPECT_EQ(drama->items.size(), 30u) << "i0..i29 are drama";
  for (const RecommendedItem& item : drama->items) EXPECT_LT(std::stoi(item.item_id.substr(1)), 30);
  auto action = cp_->GetRecommendations({.campaign_arn = campaign,
                                         .user_id = "u1",
                                         .num_results = 60,
                                         .filter_arn = genre,
                                         .filter_values = {{"GENRE", "\"action\",\"none\""}}});
  ASSERT_TRUE(action.ok()) << action.status().ToString();
  EXPECT_EQ(action->items.size(), 12u) << "multiples of 5 are action too";

  auto empty =
      cp_->GetRecommendations({.campaign_arn = campaign, .user_id = "u1", .filter_arn = nothing});
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->items.empty());

  auto missing =
      cp_->GetRecommendations({.campaign_arn = campaign, .user_id = "u1", .filter_arn = genre});
  EXPECT_TRUE(missing.status().IsInvalidInput()) << missing.status().ToString();
  EXPECT_THAT(missing.status().message(), HasSubstr("GENRE"));
  auto bad_values = cp_->GetRecommendations({.campaign_arn = campaign,
                                             .user_id = "u1",
                                             .filter_arn = genre,
                                             .filter_values = {{"GENRE", "\"drama"}}});
  EXPECT_TRUE(bad_values.status().IsInvalidInput()) << bad_values.status().ToString();
  EXPECT_TRUE(cp_->GetRecommendations(
                     {.campaign_arn = campaign,
                      .user_id = "u1",
                      .filter_arn = "arn:aws:personalize:us-east-1:000000000000:filter/none"})
                  .status()
                  .IsNotFound());

  // A filter of another dataset group cannot be used with this campaign.
  const std::string other_group = MakeGroup("other");
  const std::string foreign =
      MakeFilter("foreign", R"(EXCLUDE ItemID WHERE Items.GENRES IN ("drama"))", other_group);
  auto s =
      cp_->GetRecommendations({.campaign_arn = campaign, .user_id = "u1", .filter_arn = foreign});
  EXPECT_TRUE(s.status().IsInvalidInput()) << s.status().ToString();

  // A new Items import is seen by the next filtered request.
  Import(items_dataset_, WriteItems(10, "items2.csv"));
  auto fewer = cp_->GetRecommendations({.campaign_arn = campaign,
                                        .user_id = "u1",
                                        .num_results = 60,
                                        .filter_arn = genre,
                                        .filter_values = {{"GENRE", "\"drama\""}}});
  ASSERT_TRUE(fewer.ok()) << fewer.status().ToString();
  EXPECT_EQ(fewer->items.size(), 10u);

  // A filter that does not fit the data fails at request time.
  const std::string unknown_column =
      MakeFilter("unknown-column", R"(EXCLUDE ItemID WHERE Items.PRICE IN ("1"))");
  auto unfit = cp_->GetRecommendations(
      {.campaign_arn = campaign, .user_id = "u1", .filter_arn = unknown_column});
  EXPECT_TRUE(unfit.status().IsInvalidInput()) << unfit.status().ToString();
}

TEST_F(FilterTest, FiltersApplyToRankingAndRelatedItems) {
  const std::string campaign = MakeCampaign("aws-personalized-ranking");
  ASSERT_FALSE(campaign.empty());
  const std::string comedy =
      MakeFilter("comedy", R"(EXCLUDE ItemID WHERE Items.GENRES IN ("comedy"))");
  auto ranked = cp_->GetPersonalizedRanking({.campaign_arn = campaign,
                                             .user_id = "u0",
                                             .input_list = {"i2", "i40", "zzz", "i4", "i41"},
                                             .filter_arn = comedy});
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  ASSERT_EQ(ranked->items.size(), 3u);
  EXPECT_EQ(Ids(*ranked), (std::set<std::string>{"i2", "i4", "zzz"}))
      << "filtered items dropped; unknown ids kept";
  EXPECT_EQ(ranked->items.back().item_id, "zzz");
  EXPECT_NEAR(ranked->items[0].score + ranked->items[1].score, 1.0, 1e-6);

  auto sims =
      cp_->CreateSolution({.name = "sims", .dataset_group_arn = group_, .recipe_arn = "aws-sims"});
  ASSERT_TRUE(sims.ok());
  cp_->WaitForJobsForTesting();
  auto version = cp_->CreateSolutionVersion({.solution_arn = *sims});
  ASSERT_TRUE(version.ok());
  cp_->WaitForJobsForTesting();
  auto related = cp_->CreateCampaign({.name = "related", .solution_version_arn = *version});
  ASSERT_TRUE(related.ok());
  cp_->WaitForJobsForTesting();
  for (const char* item : {"i2", "nope"}) {
    auto similar = cp_->GetRecommendations(
        {.campaign_arn = *related, .item_id = item, .num_results = 60, .filter_arn = comedy});
    ASSERT_TRUE(similar.ok()) << similar.status().ToString();
    ASSERT_FALSE(similar->items.empty()) << item;
    for (const RecommendedItem& r : similar->items) {
      EXPECT_LT(std::stoi(r.item_id.substr(1)), 30) << item << ": " << r.item_id << " is comedy";
    }
  }
  // An Interactions filter needs the user even for related items (§7).
  const std::string seen =
      MakeFilter("seen", R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))");
  EXPECT_TRUE(
      cp_->GetRecommendations({.campaign_arn = *related, .item_id = "i2", .filter_arn = seen})
          .status()
          .IsInvalidInput());
  auto with_user = cp_->GetRecommendations({.campaign_arn = *related,
                                            .user_id = "u0",
                                            .item_id = "i2",
                                            .num_results = 60,
                                            .filter_arn = seen});
  ASSERT_TRUE(with_user.ok()) << with_user.status().ToString();
  for (const RecommendedItem& r : with_user->items) EXPECT_FALSE(history_[0].count(r.item_id));
}

}  // namespace
}  // namespace tailor::core
