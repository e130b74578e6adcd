#include "core/control_plane.h"

#include <filesystem>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor::core {
namespace {

constexpr char kInteractionsSchema[] = R"({"type":"record","name":"Interactions",
  "namespace":"com.amazonaws.personalize.schema","fields":[
  {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
  {"name":"TIMESTAMP","type":"long"}],"version":"1.0"})";

class ControlPlaneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tailor_core_test_" + std::to_string(std::random_device{}()));
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
  std::string WriteCsv(const std::string& name, int rows) {
    std::string path = (dir_ / name).string();
    std::ofstream out(path);
    out << "USER_ID,ITEM_ID,TIMESTAMP\n";
    for (int i = 0; i < rows; ++i)
      out << "u" << i % 50 << ",i" << i % 70 << "," << 1000 + i << "\n";
    return path;
  }
  // Creates an ACTIVE group with an ACTIVE Interactions dataset; returns the dataset ARN.
  std::string MakeDataset(const std::string& name) {
    auto group = cp_->CreateDatasetGroup({.name = name});
    EXPECT_TRUE(group.ok()) << group.status().ToString();
    auto schema = cp_->CreateSchema({.name = name + "-schema", .schema = kInteractionsSchema});
    EXPECT_TRUE(schema.ok()) << schema.status().ToString();
    cp_->WaitForJobsForTesting();
    auto dataset = cp_->CreateDataset({.name = name + "-interactions",
                                       .schema_arn = *schema,
                                       .dataset_group_arn = *group,
                                       .dataset_type = "Interactions"});
    EXPECT_TRUE(dataset.ok()) << dataset.status().ToString();
    cp_->WaitForJobsForTesting();
    return *dataset;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ControlPlane> cp_;
};

TEST_F(ControlPlaneTest, DatasetGroupBecomesActiveAndListsNewestFirst) {
  auto a = cp_->CreateDatasetGroup({.name = "a"});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a, "arn:aws:personalize:us-east-1:000000000000:dataset-group/a");
  auto b = cp_->CreateDatasetGroup({.name = "b"});
  ASSERT_TRUE(b.ok());
  cp_->WaitForJobsForTesting();
  auto described = cp_->DescribeDatasetGroup(*a);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->info.status, kActive);
  auto list = cp_->ListDatasetGroups({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].info.name, "b");
}

TEST_F(ControlPlaneTest, RejectsDuplicatesBadNamesAndUnknownArns) {
  ASSERT_TRUE(cp_->CreateDatasetGroup({.name = "dup"}).ok());
  EXPECT_TRUE(cp_->CreateDatasetGroup({.name = "dup"}).status().IsAlreadyExists());
  Status bad = cp_->CreateDatasetGroup({.name = "bad name"}).status();
  EXPECT_TRUE(bad.IsInvalidInput());
  EXPECT_NE(bad.message().find("name"), std::string::npos);
  EXPECT_TRUE(
      cp_->DescribeDatasetGroup("arn:aws:personalize:us-east-1:000000000000:dataset-group/nope")
          .status()
          .IsNotFound());
  EXPECT_TRUE(cp_->DescribeDatasetGroup("garbage").status().IsInvalidInput());
  // A schema ARN is not a dataset group even if it exists.
  auto schema = cp_->CreateSchema({.name = "s", .schema = kInteractionsSchema});
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(cp_->DescribeDatasetGroup(*schema).status().IsNotFound());
}

TEST_F(ControlPlaneTest, SchemaErrorsNameTheField) {
  Status s = cp_->CreateSchema({.name = "x", .schema = "{not json"}).status();
  EXPECT_TRUE(s.IsInvalidInput());
  s = cp_->CreateSchema({.name = "x", .schema = std::string(20001, ' ')}).status();
  EXPECT_TRUE(s.IsInvalidInput());
}

TEST_F(ControlPlaneTest, DatasetRulesAndDeletionOrder) {
  std::string dataset = MakeDataset("movies");
  auto d = cp_->DescribeDataset(dataset);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->info.arn, "arn:aws:personalize:us-east-1:000000000000:dataset/movies/INTERACTIONS");
  EXPECT_EQ(d->dataset_type, "Interactions");
  EXPECT_EQ(d->info.status, kActive);
  // A second Interactions dataset in the same group.
  auto second = cp_->CreateDataset({.name = "other",
                                    .schema_arn = d->schema_arn,
                                    .dataset_group_arn = d->dataset_group_arn,
                                    .dataset_type = "interactions"});
  EXPECT_TRUE(second.status().IsAlreadyExists()) << second.status().ToString();
  // An Interactions schema cannot back an Items dataset.
  auto items = cp_->CreateDataset({.name = "items",
                                   .schema_arn = d->schema_arn,
                                   .dataset_group_arn = d->dataset_group_arn,
                                   .dataset_type = "Items"});
  EXPECT_TRUE(items.status().IsInvalidInput()) << items.status().ToString();
  EXPECT_TRUE(cp_->DeleteDatasetGroup(d->dataset_group_arn).IsInUse());
  EXPECT_TRUE(cp_->DeleteSchema(d->schema_arn).IsInUse());
  ASSERT_TRUE(cp_->DeleteDataset(dataset).ok());
  // With no transition delay the job may already have moved it on, or finished.
  auto deleting = cp_->DescribeDataset(dataset);
  if (deleting.ok()) {
    EXPECT_THAT(deleting->info.status, ::testing::AnyOf(kDeletePending, kDeleteInProgress));
  } else {
    EXPECT_TRUE(deleting.status().IsNotFound()) << deleting.status().ToString();
  }
  // Refused while it is being deleted; once the job has finished (it may already have), gone.
  Status again = cp_->DeleteDataset(dataset);
  EXPECT_TRUE(again.IsInUse() || again.IsNotFound()) << again.ToString();
  cp_->WaitForJobsForTesting();
  EXPECT_TRUE(cp_->DescribeDataset(dataset).status().IsNotFound());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "datasets" / "movies" / "INTERACTIONS"));
  EXPECT_TRUE(cp_->DeleteSchema(d->schema_arn).ok());
  EXPECT_TRUE(cp_->DeleteDatasetGroup(d->dataset_group_arn).ok());
  cp_->WaitForJobsForTesting();
  EXPECT_TRUE(cp_->DescribeDatasetGroup(d->dataset_group_arn).status().IsNotFound());
}

TEST_F(ControlPlaneTest, ImportJobRunsAndSurvivesRestart) {
  std::string dataset = MakeDataset("imp");
  EXPECT_TRUE(cp_->CreateDatasetImportJob({.job_name = "early-incremental",
                                           .dataset_arn = dataset,
                                           .data_location = WriteCsv("a.csv", 1200),
                                           .import_mode = "INCREMENTAL"})
                  .status()
                  .IsInvalidInput());
  auto job = cp_->CreateDatasetImportJob({.job_name = "full",
                                          .dataset_arn = dataset,
                                          .data_location = "file://" + WriteCsv("b.csv", 1500)});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  cp_->WaitForJobsForTesting();
  auto described = cp_->DescribeDatasetImportJob(*job);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->info.status, kActive) << described->info.failure_reason;
  EXPECT_EQ(described->rows_imported, 1500);

  Reopen();
  auto again = cp_->DescribeDatasetImportJob(*job);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->info.status, kActive);
  EXPECT_EQ(again->info.created_micros, described->info.created_micros);
  // The earlier import persisted, so INCREMENTAL is now accepted.
  auto inc = cp_->CreateDatasetImportJob({.job_name = "inc",
                                          .dataset_arn = dataset,
                                          .data_location = WriteCsv("c.csv", 1000),
                                          .import_mode = "INCREMENTAL"});
  ASSERT_TRUE(inc.ok()) << inc.status().ToString();
  cp_->WaitForJobsForTesting();
  EXPECT_EQ(cp_->DescribeDatasetImportJob(*inc)->info.status, kActive);
}

TEST_F(ControlPlaneTest, FailedImportRecordsReason) {
  std::string dataset = MakeDataset("bad");
  auto missing = cp_->CreateDatasetImportJob({.job_name = "missing",
                                              .dataset_arn = dataset,
                                              .data_location = (dir_ / "none.csv").string()});
  ASSERT_TRUE(missing.ok());
  cp_->WaitForJobsForTesting();
  auto job = cp_->DescribeDatasetImportJob(*missing);
  EXPECT_EQ(job->info.status, kCreateFailed);
  EXPECT_NE(job->info.failure_reason.find("none.csv"), std::string::npos)
      << job->info.failure_reason;
  EXPECT_TRUE(
      cp_->CreateDatasetImportJob(
             {.job_name = "s3", .dataset_arn = dataset, .data_location = "s3://bucket/x.csv"})
          .status()
          .IsInvalidInput());
  EXPECT_TRUE(cp_->CreateDatasetImportJob(
                     {.job_name = "rel", .dataset_arn = dataset, .data_location = "relative.csv"})
                  .status()
                  .IsInvalidInput());
}

TEST_F(ControlPlaneTest, TagsMergeRemoveAndLimit) {
  auto group = cp_->CreateDatasetGroup({.name = "tagged", .tags = {{"team", "data"}}});
  ASSERT_TRUE(group.ok());
  ASSERT_TRUE(cp_->TagResource(*group, {{"env", "dev"}}).ok());
  auto tags = cp_->ListTagsForResource(*group);
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, (Tags{{"env", "dev"}, {"team", "data"}}));
  ASSERT_TRUE(cp_->UntagResource(*group, {"team"}).ok());
  EXPECT_EQ(*cp_->ListTagsForResource(*group), (Tags{{"env", "dev"}}));
  Tags many;
  for (int i = 0; i < 50; ++i) many["k" + std::to_string(i)] = "v";
  EXPECT_TRUE(cp_->TagResource(*group, many).IsTooManyTags());
  EXPECT_EQ(cp_->ListTagsForResource(*group)->size(), 1u);  // nothing half-applied
  EXPECT_TRUE(cp_->TagResource(*group, {{"bad*key", "v"}}).IsInvalidInput());
}

TEST_F(ControlPlaneTest, PaginationValidatesMaxResults) {
  EXPECT_TRUE(cp_->ListSchemas({.max_results = 0}).status().IsInvalidInput());
  EXPECT_TRUE(cp_->ListSchemas({.max_results = 101}).status().IsInvalidInput());
  EXPECT_TRUE(
      cp_->ListSchemas({.max_results = 5, .next_token = "garbage"}).status().IsInvalidNextToken());
}

}  // namespace
}  // namespace tailor::core
