// `tailor quickstart`: the main job on its embedded default. It makes a data folder, writes a
// demo dataset (a synthetic catalogue, or real MovieLens files with --movielens), imports it
// through the same ControlPlane calls the API uses, and serves, printing the endpoint with
// boto3 and AWS CLI snippets to paste.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "cli/commands/command.h"
#include "cli/commands/server_runner.h"
#include "common/logging.h"
#include "data/demo/movielens.h"
#include "data/demo/synthetic_dataset.h"

namespace tailor::cli {
namespace {

struct DemoPlan {
  std::string group_name;
  data::DemoDatasetFiles files;
};

class QuickstartCommand final : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* cmd = app.add_subcommand(
        "quickstart", "Import a demo dataset and serve it, printing copy-paste examples");
    cmd->footer(
        "Without --movielens, generates a synthetic catalogue (items with genres and years, users\n"
        "with skewed activity, timestamped events). With --movielens DIR, imports MovieLens files\n"
        "(ml-latest-small, ml-latest, ml-25m or ml-100k layouts). Data goes through the same\n"
        "CreateDatasetGroup / CreateSchema / CreateDataset / CreateDatasetImportJob calls as the\n"
        "API. A second run on the same folder reuses what is there.");
    server_.data_dir = DefaultDataDir("quickstart");
    server_.port = 8080;
    cmd->add_option("--data-dir", server_.data_dir, "Folder for the catalog and datasets")
        ->capture_default_str();
    cmd->add_option("--movielens", movielens_dir_, "Import this MovieLens folder instead");
    cmd->add_option("--port", server_.port, "Port to listen on; 0 picks a free one")
        ->capture_default_str();
    cmd->add_option("--address", server_.address, "Address to listen on")->capture_default_str();
    cmd->add_option("--users", synthetic_.num_users, "Synthetic users")->capture_default_str();
    cmd->add_option("--items", synthetic_.num_items, "Synthetic items")->capture_default_str();
    cmd->add_option("--interactions", synthetic_.num_interactions, "Synthetic interactions")
        ->capture_default_str();
    cmd->add_option("--seed", synthetic_.seed, "Seed of the synthetic generator")
        ->capture_default_str();
    cmd->add_flag("--no-serve", no_serve_, "Exit once the data is ready instead of serving");
    cmd->add_flag("--no-train", no_train_, "Import only; train no solutions");
    cmd->add_option("--log-level", log_level_, "trace, debug, info, warn, error or off")
        ->capture_default_str();
    return cmd;
  }

  int Run() override {
    InitLogging(log_level_);
    auto runner = ServerRunner::Start(server_);
    if (!runner.ok()) {
      std::cerr << "tailor quickstart: " << runner.status().message() << "\n";
      if (runner.status().IsUnavailable()) std::cerr << "Try another --port, or --port 0.\n";
      return 1;
    }
    std::printf("tailor quickstart: data folder %s\n", server_.data_dir.c_str());
    std::printf("tailor: listening on %s\n", (*runner)->endpoint().c_str());
    std::fflush(stdout);

    StatusOr<std::string> group_arn = ImportDemo((*runner)->control_plane());
    if (!group_arn.ok()) {
      std::cerr << "tailor quickstart: " << group_arn.status().message() << "\n";
      return 1;
    }
    std::vector<std::string> versions;
    if (!no_train_) {
      StatusOr<std::vector<std::string>> trained =
          TrainDemo((*runner)->control_plane(), *group_arn);
      if (!trained.ok()) {
        std::cerr << "tailor quickstart: " << trained.status().message() << "\n";
        return 1;
      }
      versions = std::move(trained).value();
    }
    std::vector<std::string> campaigns;
    if (!versions.empty()) {
      StatusOr<std::vector<std::string>> deployed =
          DeployDemo((*runner)->control_plane(), versions);
      if (!deployed.ok()) {
        std::cerr << "tailor quickstart: " << deployed.status().message() << "\n";
        return 1;
      }
      campaigns = std::move(deployed).value();
    }
    PrintExamples((*runner)->endpoint(), *group_arn, versions);
    if (!campaigns.empty()) {
      Status shown = PrintRecommendations((*runner)->control_plane(), (*runner)->endpoint(),
                                          *group_arn, versions, campaigns);
      if (!shown.ok()) {
        std::cerr << "tailor quickstart: " << shown.message() << "\n";
        return 1;
      }
    }
    if (no_serve_) return 0;
    std::printf("Serving until Ctrl-C.\n");
    std::fflush(stdout);
    WaitForShutdownSignal();
    (*runner)->Shutdown();
    return 0;
  }

 private:
  StatusOr<DemoPlan> WriteDemoFiles() {
    DemoPlan plan;
    Env* env = Env::Default();
    const std::string input_dir = server_.data_dir + "/demo-input";
    TAILOR_RETURN_IF_ERROR(env->CreateDirs(input_dir));
    if (!movielens_dir_.empty()) {
      plan.group_name = "movielens";
      std::printf("Converting MovieLens files from %s ...\n", movielens_dir_.c_str());
      std::fflush(stdout);
      TAILOR_ASSIGN_OR_RETURN(
          plan.files, data::ConvertMovieLens(env, movielens_dir_, input_dir + "/movielens"));
    } else {
      plan.group_name = "tailor-demo";
      std::printf(
          "Generating a synthetic catalogue: %lld users, %lld items, %lld interactions ...\n",
          static_cast<long long>(synthetic_.num_users),
          static_cast<long long>(synthetic_.num_items),
          static_cast<long long>(synthetic_.num_interactions));
      std::fflush(stdout);
      TAILOR_ASSIGN_OR_RETURN(
          plan.files, data::WriteSyntheticDataset(env, input_dir + "/synthetic", synthetic_));
    }
    return plan;
  }

  // Waits for an import job to end, printing its status changes; error if it failed.
  static Status WaitForImport(core::ControlPlane& cp, const std::string& job_arn) {
    std::string last_status;
    while (true) {
      TAILOR_ASSIGN_OR_RETURN(core::DatasetImportJob job, cp.DescribeDatasetImportJob(job_arn));
      if (job.info.status != last_status) {
        std::printf("  %s: %s\n", job.info.name.c_str(), job.info.status.c_str());
        std::fflush(stdout);
        last_status = job.info.status;
      }
      if (job.info.status == core::kActive) return Status::OK();
      if (job.info.status == core::kCreateFailed) {
        return Status::Internal("import job " + job.info.name +
                                " failed: " + job.info.failure_reason);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  static StatusOr<std::string> WaitForActive(
      const std::function<StatusOr<std::string>()>& status_of) {
    while (true) {
      TAILOR_ASSIGN_OR_RETURN(std::string status, status_of());
      if (status == core::kActive) return status;
      if (status == core::kCreateFailed) return Status::Internal("resource creation failed");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Imports the demo data unless an earlier run did; returns the dataset group's ARN.
  StatusOr<std::string> ImportDemo(core::ControlPlane& cp) {
    const std::string group_name = movielens_dir_.empty() ? "tailor-demo" : "movielens";
    const std::string group_arn = MakeArn(cp.arn_context(), "dataset-group/" + group_name);
    if (cp.DescribeDatasetGroup(group_arn).ok()) {
      std::printf("Dataset group %s already exists in this folder; reusing it.\n",
                  group_name.c_str());
      TAILOR_ASSIGN_OR_RETURN(auto datasets, cp.ListDatasets(group_arn, core::PageRequest{}));
      for (const auto& dataset : datasets.items) {
        TAILOR_ASSIGN_OR_RETURN(auto jobs,
                                cp.ListDatasetImportJobs(dataset.info.arn, core::PageRequest{}));
        for (const auto& job : jobs.items) TAILOR_RETURN_IF_ERROR(WaitForImport(cp, job.info.arn));
      }
      return group_arn;
    }

    TAILOR_ASSIGN_OR_RETURN(DemoPlan plan, WriteDemoFiles());
    core::CreateDatasetGroupRequest group;
    group.name = plan.group_name;
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateDatasetGroup(group));
    TAILOR_RETURN_IF_ERROR(WaitForActive([&]() -> StatusOr<std::string> {
                             TAILOR_ASSIGN_OR_RETURN(auto g, cp.DescribeDatasetGroup(arn));
                             return g.info.status;
                           }).status());
    std::printf("Dataset group %s is ACTIVE.\n", arn.c_str());

    struct Part {
      const char* type;
      const char* suffix;
      const std::string& csv;
      const std::string& schema;
    };
    const Part parts[] = {
        {"Interactions", "interactions", plan.files.interactions_csv,
         plan.files.interactions_schema},
        {"Items", "items", plan.files.items_csv, plan.files.items_schema},
        {"Users", "users", plan.files.users_csv, plan.files.users_schema},
    };
    std::vector<std::string> jobs;
    for (const Part& part : parts) {
      if (part.csv.empty()) continue;
      const std::string base = plan.group_name + "-" + part.suffix;
      core::CreateSchemaRequest schema;
      schema.name = base;
      schema.schema = part.schema;
      TAILOR_ASSIGN_OR_RETURN(std::string schema_arn, cp.CreateSchema(schema));
      core::CreateDatasetRequest dataset;
      dataset.name = base;
      dataset.dataset_group_arn = arn;
      dataset.dataset_type = part.type;
      dataset.schema_arn = schema_arn;
      TAILOR_ASSIGN_OR_RETURN(std::string dataset_arn, cp.CreateDataset(dataset));
      TAILOR_RETURN_IF_ERROR(WaitForActive([&]() -> StatusOr<std::string> {
                               TAILOR_ASSIGN_OR_RETURN(auto d, cp.DescribeDataset(dataset_arn));
                               return d.info.status;
                             }).status());
      core::CreateDatasetImportJobRequest job;
      job.job_name = base + "-import";
      job.dataset_arn = dataset_arn;
      job.data_location = "file://" + part.csv;
      TAILOR_ASSIGN_OR_RETURN(std::string job_arn, cp.CreateDatasetImportJob(job));
      std::printf("Importing %s from %s\n", part.type, part.csv.c_str());
      jobs.push_back(job_arn);
    }
    for (const auto& job_arn : jobs) TAILOR_RETURN_IF_ERROR(WaitForImport(cp, job_arn));
    return arn;
  }

  // Trains one solution per demo recipe (reusing versions an earlier run left ACTIVE), printing
  // the training's progress and a table of offline metrics; returns the version ARNs.
  StatusOr<std::vector<std::string>> TrainDemo(core::ControlPlane& cp,
                                               const std::string& group_arn) {
    const std::string group_name = group_arn.substr(group_arn.rfind('/') + 1);
    const char* recipes[] = {"aws-user-personalization", "aws-sims", "aws-popularity-count",
                             "aws-trending-now"};
    std::vector<std::string> versions;
    for (const char* recipe : recipes) {
      const std::string name = group_name + "-" + std::string(recipe).substr(4);
      const std::string solution_arn = MakeArn(cp.arn_context(), "solution/" + name);
      if (!cp.DescribeSolution(solution_arn).ok()) {
        core::CreateSolutionRequest req;
        req.name = name;
        req.dataset_group_arn = group_arn;
        req.recipe_arn = std::string("arn:aws:personalize:::recipe/") + recipe;
        TAILOR_RETURN_IF_ERROR(cp.CreateSolution(req).status());
      }
      TAILOR_RETURN_IF_ERROR(WaitForActive([&]() -> StatusOr<std::string> {
                               TAILOR_ASSIGN_OR_RETURN(auto x, cp.DescribeSolution(solution_arn));
                               return x.info.status;
                             }).status());
      TAILOR_ASSIGN_OR_RETURN(core::Solution solution, cp.DescribeSolution(solution_arn));
      std::string version_arn = solution.latest_version_arn;
      if (version_arn.empty() || !cp.GetSolutionMetrics(version_arn).ok()) {
        TAILOR_ASSIGN_OR_RETURN(version_arn,
                                cp.CreateSolutionVersion({.solution_arn = solution_arn}));
        std::printf("Training %s (%s) ...\n", name.c_str(), recipe);
        std::fflush(stdout);
      }
      while (true) {
        TAILOR_ASSIGN_OR_RETURN(core::SolutionVersion v, cp.DescribeSolutionVersion(version_arn));
        if (v.info.status == core::kActive) break;
        if (v.info.status == core::kCreateFailed) {
          return Status::Internal("training " + name + " failed: " + v.info.failure_reason);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      versions.push_back(version_arn);
    }
    std::printf(
        "\nOffline metrics (10%% of users held out; their newest 10%% of events as truth):\n");
    std::printf("  %-26s %9s %9s %9s %9s %9s\n", "recipe", "ndcg@10", "prec@10", "mrr@25",
                "coverage", "train s");
    for (const std::string& arn : versions) {
      TAILOR_ASSIGN_OR_RETURN(core::SolutionVersion v, cp.GetSolutionMetrics(arn));
      auto metric = [&](const char* key) {
        auto it = v.metrics.find(key);
        return it == v.metrics.end() ? 0.0 : it->second;
      };
      std::printf("  %-26s %9.4f %9.4f %9.4f %9.4f %9.1f\n",
                  v.recipe_arn.substr(v.recipe_arn.rfind('/') + 1).c_str(),
                  metric("normalized_discounted_cumulative_gain_at_10"), metric("precision_at_10"),
                  metric("mean_reciprocal_rank_at_25"), metric("coverage"),
                  v.training_hours * 3600);
    }
    std::fflush(stdout);
    return versions;
  }

  // A campaign per trained version (reusing those an earlier run made); returns their ARNs.
  static StatusOr<std::vector<std::string>> DeployDemo(core::ControlPlane& cp,
                                                       const std::vector<std::string>& versions) {
    std::vector<std::string> campaigns;
    for (const std::string& version_arn : versions) {
      const std::string solution_arn = version_arn.substr(0, version_arn.rfind('/'));
      const std::string name = solution_arn.substr(solution_arn.rfind('/') + 1);
      const std::string campaign_arn = MakeArn(cp.arn_context(), "campaign/" + name);
      StatusOr<core::Campaign> existing = cp.DescribeCampaign(campaign_arn);
      if (!existing.ok()) {
        std::printf("Deploying campaign %s ...\n", name.c_str());
        std::fflush(stdout);
        TAILOR_RETURN_IF_ERROR(
            cp.CreateCampaign({.name = name, .solution_version_arn = version_arn}).status());
      } else if (existing->solution_version_arn != version_arn) {
        TAILOR_RETURN_IF_ERROR(
            cp.UpdateCampaign({.campaign_arn = campaign_arn, .solution_version_arn = version_arn})
                .status());
      }
      while (true) {
        TAILOR_ASSIGN_OR_RETURN(core::Campaign c, cp.DescribeCampaign(campaign_arn));
        if (c.info.status == core::kActive && c.solution_version_arn == version_arn) break;
        if (c.info.status == core::kCreateFailed) {
          return Status::Internal("campaign " + name + " failed: " + c.info.failure_reason);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      campaigns.push_back(campaign_arn);
    }
    return campaigns;
  }

  // Asks the first campaign (user-personalization) for one user's recommendations and the
  // second (SIMS) for the items like that user's first recommendation, through the same
  // runtime calls the API serves, and prints them with the boto3 lines that do the same.
  // The dataset group's event tracker, created on the first run; returns its trackingId.
  static StatusOr<std::string> DemoTrackingId(core::ControlPlane& cp,
                                              const std::string& group_arn) {
    TAILOR_ASSIGN_OR_RETURN(auto trackers, cp.ListEventTrackers(group_arn, core::PageRequest{}));
    std::string arn;
    if (trackers.items.empty()) {
      const std::string name = group_arn.substr(group_arn.rfind('/') + 1) + "-events";
      TAILOR_ASSIGN_OR_RETURN(
          core::EventTracker created,
          cp.CreateEventTracker({.name = name, .dataset_group_arn = group_arn}));
      arn = created.info.arn;
    } else {
      arn = trackers.items.front().info.arn;
    }
    while (true) {
      TAILOR_ASSIGN_OR_RETURN(core::EventTracker t, cp.DescribeEventTracker(arn));
      if (t.info.status == core::kActive) return t.tracking_id;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  Status PrintRecommendations(core::ControlPlane& cp, const std::string& endpoint,
                              const std::string& group_arn,
                              const std::vector<std::string>& versions,
                              const std::vector<std::string>& campaigns) const {
    TAILOR_ASSIGN_OR_RETURN(auto model, cp.LoadModel(versions.front()));
    if (model->user_ids.empty()) return Status::OK();
    const std::string& user = model->user_ids.front();
    core::RecommendationRequest for_user;
    for_user.campaign_arn = campaigns.front();
    for_user.user_id = user;
    for_user.num_results = 5;
    TAILOR_ASSIGN_OR_RETURN(core::Recommendations recs, cp.GetRecommendations(for_user));
    std::printf("Recommendations for user %s (campaign %s):\n", user.c_str(),
                campaigns.front().c_str());
    for (const auto& item : recs.items) {
      std::printf("  %-12s score %.4f\n", item.item_id.c_str(), item.score);
    }
    if (campaigns.size() > 1 && !recs.items.empty()) {
      core::RecommendationRequest similar;
      similar.campaign_arn = campaigns[1];
      similar.item_id = recs.items.front().item_id;
      similar.num_results = 5;
      TAILOR_ASSIGN_OR_RETURN(core::Recommendations like, cp.GetRecommendations(similar));
      std::printf("Items similar to %s (campaign %s):\n ", similar.item_id.c_str(),
                  campaigns[1].c_str());
      for (const auto& item : like.items) std::printf(" %s", item.item_id.c_str());
      std::printf("\n");
    }
    if (campaigns.size() > 3) {
      // Trending-Now needs no user: the same list for everyone, moved by new events.
      core::RecommendationRequest trending;
      trending.campaign_arn = campaigns[3];
      trending.num_results = 5;
      TAILOR_ASSIGN_OR_RETURN(core::Recommendations now, cp.GetRecommendations(trending));
      std::printf("Trending now (campaign %s):\n ", campaigns[3].c_str());
      for (const auto& item : now.items) std::printf(" %s", item.item_id.c_str());
      std::printf("\n");
    }
    std::printf(
        "\nThe same from Python:\n"
        "  rt = boto3.client('personalize-runtime', endpoint_url='%s', region_name='%s',\n"
        "                    aws_access_key_id='tailor', aws_secret_access_key='tailor')\n"
        "  rt.get_recommendations(campaignArn='%s', userId='%s', numResults=5)['itemList']\n\n",
        endpoint.c_str(), server_.region.c_str(), campaigns.front().c_str(), user.c_str());
    TAILOR_ASSIGN_OR_RETURN(std::string tracking_id, DemoTrackingId(cp, group_arn));
    const std::string item =
        recs.items.empty() ? model->item_ids.front() : recs.items.back().item_id;
    std::printf(
        "Record an event; the very next get_recommendations for that user reflects it:\n"
        "  import time\n"
        "  ev = boto3.client('personalize-events', endpoint_url='%s', region_name='%s',\n"
        "                    aws_access_key_id='tailor', aws_secret_access_key='tailor')\n"
        "  ev.put_events(trackingId='%s', userId='%s', sessionId='demo',\n"
        "                eventList=[{'eventType': 'click', 'itemId': '%s', 'sentAt': "
        "time.time()}])\n\n",
        endpoint.c_str(), server_.region.c_str(), tracking_id.c_str(), user.c_str(), item.c_str());
    std::fflush(stdout);
    return Status::OK();
  }

  void PrintExamples(const std::string& endpoint, const std::string& group_arn,
                     const std::vector<std::string>& versions) const {
    std::printf(
        "\nTailor is ready at %s with dataset group %s\n"
        "\nPython (boto3):\n"
        "  import boto3\n"
        "  pz = boto3.client('personalize', endpoint_url='%s', region_name='%s',\n"
        "                    aws_access_key_id='tailor', aws_secret_access_key='tailor')\n"
        "  for d in pz.list_datasets(datasetGroupArn='%s')['datasets']:\n"
        "      print(d['datasetType'], d['status'], d['datasetArn'])\n"
        "\nAWS CLI:\n"
        "  AWS_ACCESS_KEY_ID=tailor AWS_SECRET_ACCESS_KEY=tailor aws --endpoint-url %s \\\n"
        "      --region %s personalize list-dataset-import-jobs\n\n",
        endpoint.c_str(), group_arn.c_str(), endpoint.c_str(), server_.region.c_str(),
        group_arn.c_str(), endpoint.c_str(), server_.region.c_str());
    if (!versions.empty()) {
      std::printf(
          "Training metrics from Python:\n"
          "  print(pz.get_solution_metrics(solutionVersionArn='%s')['metrics'])\n\n",
          versions.front().c_str());
    }
    std::fflush(stdout);
  }

  ServerOptions server_;
  data::SyntheticOptions synthetic_;
  std::string movielens_dir_;
  bool no_serve_ = false;
  bool no_train_ = false;
  std::string log_level_ = "info";
};

}  // namespace

std::unique_ptr<Command> NewQuickstartCommand() { return std::make_unique<QuickstartCommand>(); }

}  // namespace tailor::cli
