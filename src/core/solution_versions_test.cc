#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "algo/model.h"
#include "algo/user_personalization/user_personalization_model.h"
#include "core/control_plane.h"

namespace tailor::core {
namespace {

constexpr char kInteractionsSchema[] = R"({"type":"record","name":"Interactions",
  "namespace":"com.amazonaws.personalize.schema","fields":[
  {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
  {"name":"EVENT_TYPE","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"})";

// Trains real (small) models through the control plane: group → dataset → import → solution →
// version, then metrics, restart and reload.
const std::map<std::string, std::string> kSmallModel = {{"hidden_dimension", "8"},
                                                        {"iterations", "3"}};

class SolutionVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tailor_training_test_" + std::to_string(std::random_device{}()));
    Reopen();
  }
  void TearDown() override {
    cp_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    cp_.reset();
    ControlPlaneOptions options;
    options.data_dir = dir_.string();
    auto cp = ControlPlane::Open(Env::Default(), options);
    ASSERT_TRUE(cp.ok()) << cp.status().ToString();
    cp_ = std::move(cp).value();
  }
  // Two taste clusters: even users click even items, odd users odd items; 60 users x 20 events.
  // Each user clicks items of one parity among `half_items` × 2.
  std::string WriteCsv(int users, int events_per_user, int half_items = 30) {
    std::string path = (dir_ / "interactions.csv").string();
    std::ofstream out(path);
    out << "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n";
    std::mt19937 rng(1);
    for (int u = 0; u < users; ++u) {
      for (int e = 0; e < events_per_user; ++e) {
        int item = 2 * static_cast<int>(rng() % half_items) + u % 2;
        out << "u" << u << ",i" << item << "," << (e % 4 == 0 ? "buy" : "click") << ","
            << 1700000000 + u * 1000 + e * 10 << "\n";
      }
    }
    return path;
  }
  // An ACTIVE group with imported interactions; returns the group ARN.
  std::string MakeGroup(int users = 60, int events_per_user = 20, int half_items = 30) {
    auto group = cp_->CreateDatasetGroup({.name = "movies"});
    EXPECT_TRUE(group.ok()) << group.status().ToString();
    auto schema = cp_->CreateSchema({.name = "interactions", .schema = kInteractionsSchema});
    EXPECT_TRUE(schema.ok()) << schema.status().ToString();
    cp_->WaitForJobsForTesting();
    auto dataset = cp_->CreateDataset({.name = "interactions",
                                       .schema_arn = *schema,
                                       .dataset_group_arn = *group,
                                       .dataset_type = "Interactions"});
    EXPECT_TRUE(dataset.ok()) << dataset.status().ToString();
    cp_->WaitForJobsForTesting();
    auto job = cp_->CreateDatasetImportJob(
        {.job_name = "import",
         .dataset_arn = *dataset,
         .data_location = WriteCsv(users, events_per_user, half_items)});
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    cp_->WaitForJobsForTesting();
    return *group;
  }
  std::string MakeSolution(const std::string& group, CreateSolutionRequest req) {
    req.dataset_group_arn = group;
    auto solution = cp_->CreateSolution(req);
    EXPECT_TRUE(solution.ok()) << solution.status().ToString();
    cp_->WaitForJobsForTesting();
    return solution.ok() ? *solution : "";
  }
  // A user-personalization solution with few factors and iterations, named "up".
  std::string MakeSmallUpSolution(const std::string& group) {
    return MakeSolution(group,
                        {.name = "up",
                         .recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization",
                         .config = {.algorithm_hyper_parameters = kSmallModel}});
  }
  SolutionVersion Train(const std::string& solution) {
    auto version = cp_->CreateSolutionVersion({.solution_arn = solution});
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    cp_->WaitForJobsForTesting();
    auto described = cp_->DescribeSolutionVersion(*version);
    EXPECT_TRUE(described.ok()) << described.status().ToString();
    return *described;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ControlPlane> cp_;
};

TEST_F(SolutionVersionTest, TrainsToActiveWithMetricsAndReloadsAfterRestart) {
  std::string group = MakeGroup();
  std::string solution = MakeSmallUpSolution(group);
  SolutionVersion v = Train(solution);
  ASSERT_EQ(v.info.status, kActive) << v.info.failure_reason;
  EXPECT_EQ(v.num_interactions, 1200);
  for (const char* name :
       {"coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_5",
        "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25", "precision_at_5", "precision_at_10",
        "precision_at_25"}) {
    ASSERT_TRUE(v.metrics.count(name)) << name;
    EXPECT_GE(v.metrics.at(name), 0.0) << name;
    EXPECT_LE(v.metrics.at(name), 1.0) << name;
  }
  // Clustered data: a personalised model finds hits in the user's own cluster.
  EXPECT_GT(v.metrics.at("precision_at_25"), 0.0);
  auto solution_after = cp_->DescribeSolution(solution);
  ASSERT_TRUE(solution_after.ok());
  EXPECT_EQ(solution_after->latest_version_arn, v.info.arn);

  Reopen();
  auto again = cp_->GetSolutionMetrics(v.info.arn);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->metrics, v.metrics);
  auto model = cp_->LoadModel(v.info.arn);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  int32_t user = (*model)->UserIndex("u0");
  ASSERT_GE(user, 0);
  auto recs = (*model)->model->Recommend({.user = user}, {.num_results = 5});
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), 5u);
  int even = 0;
  for (const algo::ScoredItem& s : *recs) {
    even += std::stoi((*model)->item_ids[s.item].substr(1)) % 2 == 0;
  }
  EXPECT_GE(even, 4) << "u0 clicks even items only";
}

// Campaigns answer large catalogues from the serving index: the freshly trained model (kept in
// memory) and the one read back after a restart both have it.
TEST_F(SolutionVersionTest, LargeCataloguesAreServedWithAnIndex) {
  std::string group = MakeGroup(/*users=*/400, /*events_per_user=*/30, /*half_items=*/2500);
  std::string solution = MakeSmallUpSolution(group);
  SolutionVersion v = Train(solution);
  ASSERT_EQ(v.info.status, kActive) << v.info.failure_reason;
  auto indexed = [&] {
    auto model = cp_->LoadModel(v.info.arn);
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    if (!model.ok()) return false;
    EXPECT_GE((*model)->model->num_items(), 4096);
    auto* up = dynamic_cast<const algo::UserPersonalizationModel*>((*model)->model.get());
    return up != nullptr && up->serving_index() != nullptr;
  };
  EXPECT_TRUE(indexed());
  Reopen();
  EXPECT_TRUE(indexed());
}

TEST_F(SolutionVersionTest, EventTypeSelectsEventsAndUnknownTypeFails) {
  std::string group = MakeGroup();
  std::string buys = MakeSolution(
      group, {.name = "buys", .recipe_arn = "aws-popularity-count", .event_type = "buy"});
  SolutionVersion v = Train(buys);
  // 1200 events, one in four a buy: below the 1000-interaction minimum.
  EXPECT_EQ(v.info.status, kCreateFailed);
  EXPECT_NE(v.info.failure_reason.find("300 after event selection"), std::string::npos)
      << v.info.failure_reason;
  std::string none = MakeSolution(
      group, {.name = "none", .recipe_arn = "aws-popularity-count", .event_type = "watch"});
  v = Train(none);
  EXPECT_EQ(v.info.status, kCreateFailed);
  EXPECT_NE(v.info.failure_reason.find("'watch'"), std::string::npos) << v.info.failure_reason;
  auto metrics = cp_->GetSolutionMetrics(v.info.arn);
  EXPECT_TRUE(metrics.status().IsInUse()) << metrics.status().ToString();
}

TEST_F(SolutionVersionTest, HpoPicksHyperParametersInsideTheRanges) {
  std::string group = MakeGroup();
  SolutionConfig config;
  config.algorithm_hyper_parameters = {{"iterations", "2"}};
  config.has_hpo_config = true;
  config.hpo_config.max_number_of_training_jobs = 3;
  config.hpo_config.integer_ranges = {{"factors", 16, 24}};
  config.hpo_config.continuous_ranges = {{"regularization", 0.5, 2.0}};
  std::string solution = MakeSolution(
      group, {.name = "hpo", .recipe_arn = "tailor-ials", .perform_hpo = true, .config = config});
  SolutionVersion v = Train(solution);
  ASSERT_EQ(v.info.status, kActive) << v.info.failure_reason;
  int64_t factors = std::stoll(v.tuned_hyper_parameters.at("factors"));
  EXPECT_GE(factors, 16);
  EXPECT_LE(factors, 24);
  double reg = std::stod(v.tuned_hyper_parameters.at("regularization"));
  EXPECT_GE(reg, 0.5);
  EXPECT_LE(reg, 2.0);
  EXPECT_EQ(v.tuned_hyper_parameters.at("iterations"), "2");
}

TEST_F(SolutionVersionTest, AutoMlRecordsTheWinningRecipe) {
  std::string group = MakeGroup();
  SolutionConfig config;
  config.auto_ml_recipe_list = {"arn:aws:personalize:::recipe/aws-popularity-count",
                                "arn:aws:personalize:::recipe/tailor-ease"};
  std::string solution =
      MakeSolution(group, {.name = "automl", .perform_auto_ml = true, .config = config});
  SolutionVersion v = Train(solution);
  ASSERT_EQ(v.info.status, kActive) << v.info.failure_reason;
  // Popularity cannot tell the two clusters apart; EASE can.
  EXPECT_EQ(v.recipe_arn, "arn:aws:personalize:::recipe/tailor-ease");
}

TEST_F(SolutionVersionTest, BadHyperParameterFailsNamingIt) {
  std::string group = MakeGroup();
  std::string solution = MakeSolution(
      group, {.name = "bad",
              .recipe_arn = "aws-user-personalization",
              .config = {.algorithm_hyper_parameters = {{"hidden_dimension", "abc"}}}});
  SolutionVersion v = Train(solution);
  EXPECT_EQ(v.info.status, kCreateFailed);
  EXPECT_NE(v.info.failure_reason.find("hidden_dimension"), std::string::npos)
      << v.info.failure_reason;
}

TEST_F(SolutionVersionTest, TooFewUsersFails) {
  std::string group = MakeGroup(/*users=*/20, /*events_per_user=*/60);
  std::string solution = MakeSolution(group, {.name = "pop", .recipe_arn = "aws-popularity-count"});
  SolutionVersion v = Train(solution);
  EXPECT_EQ(v.info.status, kCreateFailed);
  EXPECT_NE(v.info.failure_reason.find("fewer than 25 users"), std::string::npos)
      << v.info.failure_reason;
}

TEST_F(SolutionVersionTest, CreateSolutionRejectsBadRequests) {
  std::string group = MakeGroup();
  auto unknown = cp_->CreateSolution(
      {.name = "x", .dataset_group_arn = group, .recipe_arn = "arn:aws:personalize:::recipe/nope"});
  EXPECT_TRUE(unknown.status().IsInvalidInput()) << unknown.status().ToString();
  auto both = cp_->CreateSolution(
      {.name = "x", .dataset_group_arn = group, .recipe_arn = "aws-sims", .perform_auto_ml = true});
  EXPECT_TRUE(both.status().IsInvalidInput()) << both.status().ToString();
  SolutionConfig empty_range;
  empty_range.has_hpo_config = true;
  empty_range.hpo_config.integer_ranges = {{"factors", 64, 32}};
  auto empty = cp_->CreateSolution({.name = "x",
                                    .dataset_group_arn = group,
                                    .recipe_arn = "aws-user-personalization",
                                    .perform_hpo = true,
                                    .config = empty_range});
  EXPECT_TRUE(empty.status().IsInvalidInput()) << empty.status().ToString();
  EXPECT_NE(empty.status().message().find("factors"), std::string::npos);

  auto bare = cp_->CreateDatasetGroup({.name = "bare"});
  ASSERT_TRUE(bare.ok());
  cp_->WaitForJobsForTesting();
  auto no_data =
      cp_->CreateSolution({.name = "x", .dataset_group_arn = *bare, .recipe_arn = "aws-sims"});
  EXPECT_TRUE(no_data.status().IsInvalidInput()) << no_data.status().ToString();

  // A group with solutions cannot be deleted.
  MakeSolution(group, {.name = "sims", .recipe_arn = "aws-sims"});
  EXPECT_TRUE(cp_->DeleteDatasetGroup(group).IsInUse());
}

TEST_F(SolutionVersionTest, DeleteSolutionRemovesItsVersions) {
  std::string group = MakeGroup();
  std::string solution = MakeSolution(group, {.name = "sims", .recipe_arn = "aws-sims"});
  SolutionVersion v = Train(solution);
  ASSERT_EQ(v.info.status, kActive) << v.info.failure_reason;
  ASSERT_TRUE(cp_->DeleteSolution(solution).ok());
  cp_->WaitForJobsForTesting();
  EXPECT_TRUE(cp_->DescribeSolution(solution).status().IsNotFound());
  EXPECT_TRUE(cp_->DescribeSolutionVersion(v.info.arn).status().IsNotFound());
  EXPECT_FALSE(std::filesystem::exists(dir_ / v.model_path));
}

TEST_F(SolutionVersionTest, CampaignServesRecommendationsAndSurvivesRestart) {
  std::string group = MakeGroup();
  std::string up = MakeSolution(group, {.name = "up",
                                        .recipe_arn = "aws-user-personalization",
                                        .config = {.algorithm_hyper_parameters = kSmallModel}});
  SolutionVersion v = Train(up);
  ASSERT_EQ(v.info.status, kActive) << v.info.failure_reason;
  auto campaign = cp_->CreateCampaign({.name = "c", .solution_version_arn = v.info.arn});
  ASSERT_TRUE(campaign.ok()) << campaign.status().ToString();
  cp_->WaitForJobsForTesting();
  auto described = cp_->DescribeCampaign(*campaign);
  ASSERT_TRUE(described.ok());
  ASSERT_EQ(described->info.status, kActive) << described->info.failure_reason;

  auto recs =
      cp_->GetRecommendations({.campaign_arn = *campaign, .user_id = "u1", .num_results = 10});
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->items.size(), 10u);
  EXPECT_LE(recs->recommendation_id.size(), 40u);
  double total = 0;
  int odd = 0;
  for (size_t k = 0; k < recs->items.size(); ++k) {
    ASSERT_TRUE(recs->items[k].has_score);
    total += recs->items[k].score;
    if (k > 0) {
      EXPECT_LE(recs->items[k].score, recs->items[k - 1].score);
    }
    odd += std::stoi(recs->items[k].item_id.substr(1)) % 2;
  }
  EXPECT_GT(total, 0);
  EXPECT_LE(total, 1.0 + 1e-6) << "softmax over the whole catalogue";
  EXPECT_GE(odd, 8) << "u1 clicks odd items";

  // An unknown user gets the popular list, without an error.
  auto cold = cp_->GetRecommendations({.campaign_arn = *campaign, .user_id = "stranger"});
  ASSERT_TRUE(cold.ok()) << cold.status().ToString();
  EXPECT_EQ(cold->items.size(), 25u);
  EXPECT_TRUE(cp_->GetRecommendations({.campaign_arn = *campaign, .num_results = 501})
                  .status()
                  .IsInvalidInput());
  EXPECT_TRUE(cp_->GetRecommendations(
                     {.campaign_arn = "arn:aws:personalize:us-east-1:000000000000:campaign/nope",
                      .user_id = "u1"})
                  .status()
                  .IsNotFound());
  EXPECT_TRUE(cp_->DeleteSolution(up).IsInUse()) << "a campaign still serves it";

  Reopen();
  cp_->WaitForJobsForTesting();
  auto after =
      cp_->GetRecommendations({.campaign_arn = *campaign, .user_id = "u1", .num_results = 10});
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_EQ(after->items.size(), recs->items.size());
  for (size_t k = 0; k < recs->items.size(); ++k) {
    EXPECT_EQ(after->items[k].item_id, recs->items[k].item_id);
  }
}

TEST_F(SolutionVersionTest, RankingAndRelatedItemsCampaigns) {
  std::string group = MakeGroup();
  std::string pr = MakeSolution(group, {.name = "pr",
                                        .recipe_arn = "aws-personalized-ranking",
                                        .config = {.algorithm_hyper_parameters = kSmallModel}});
  SolutionVersion v = Train(pr);
  ASSERT_EQ(v.info.status, kActive) << v.info.failure_reason;
  auto campaign = cp_->CreateCampaign({.name = "rank", .solution_version_arn = v.info.arn});
  ASSERT_TRUE(campaign.ok()) << campaign.status().ToString();
  cp_->WaitForJobsForTesting();
  auto ranked = cp_->GetPersonalizedRanking(
      {.campaign_arn = *campaign, .user_id = "u0", .input_list = {"i1", "i2", "zzz", "i3", "i4"}});
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  ASSERT_EQ(ranked->items.size(), 5u);
  // u0 clicks even items: they rank first; the unknown item comes last, without a score.
  EXPECT_EQ(std::stoi(ranked->items[0].item_id.substr(1)) % 2, 0);
  EXPECT_EQ(std::stoi(ranked->items[1].item_id.substr(1)) % 2, 0);
  EXPECT_EQ(ranked->items[4].item_id, "zzz");
  EXPECT_FALSE(ranked->items[4].has_score);
  double total = 0;
  for (size_t k = 0; k < 4; ++k) total += ranked->items[k].score;
  EXPECT_NEAR(total, 1.0, 1e-6) << "softmax over the input list";
  EXPECT_TRUE(cp_->GetRecommendations({.campaign_arn = *campaign, .user_id = "u0"})
                  .status()
                  .IsInvalidInput());

  std::string sims = MakeSolution(group, {.name = "sims", .recipe_arn = "aws-sims"});
  SolutionVersion sv = Train(sims);
  ASSERT_EQ(sv.info.status, kActive) << sv.info.failure_reason;
  auto related = cp_->CreateCampaign({.name = "related", .solution_version_arn = sv.info.arn});
  ASSERT_TRUE(related.ok());
  cp_->WaitForJobsForTesting();
  auto similar =
      cp_->GetRecommendations({.campaign_arn = *related, .item_id = "i2", .num_results = 5});
  ASSERT_TRUE(similar.ok()) << similar.status().ToString();
  ASSERT_FALSE(similar->items.empty());
  for (const RecommendedItem& item : similar->items) {
    EXPECT_FALSE(item.has_score);
    EXPECT_NE(item.item_id, "i2");
  }
  EXPECT_TRUE(cp_->GetRecommendations({.campaign_arn = *related, .user_id = "u0"})
                  .status()
                  .IsInvalidInput())
      << "itemId is required";
  auto unknown = cp_->GetRecommendations({.campaign_arn = *related, .item_id = "nope"});
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->items.empty()) << "popular items for an unknown item";

  // UpdateCampaign swaps to another version of the same solution.
  SolutionVersion v2 = Train(pr);
  ASSERT_EQ(v2.info.status, kActive);
  auto updated =
      cp_->UpdateCampaign({.campaign_arn = *campaign, .solution_version_arn = v2.info.arn});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  cp_->WaitForJobsForTesting();
  auto after = cp_->DescribeCampaign(*campaign);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->solution_version_arn, v2.info.arn);
  EXPECT_EQ(after->update_status, kActive);
  EXPECT_TRUE(cp_->UpdateCampaign({.campaign_arn = *campaign, .solution_version_arn = sv.info.arn})
                  .status()
                  .IsInvalidInput())
      << "a version of another solution";
}

}  // namespace
}  // namespace tailor::core
