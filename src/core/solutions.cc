// Solutions: a recipe and its training configuration in a dataset group that has an
// Interactions dataset (personalize-semantics.md §2.3, §4). Creating one trains nothing; each
// CreateSolutionVersion does (solution_versions.cc).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "algo/recipe_registry.h"
#include "algo/tuning/random_search.h"
#include "common/arn.h"
#include "core/control_plane.h"
#include "core/recipe_catalog.h"
#include "core/resource_codec.h"
#include "core/training_job.h"
#include "core/validation.h"
#include "data/schema.h"

namespace tailor::core {
namespace {

constexpr const char kSolutionConfig[] = "solutionConfig";

Status ValidateStringMap(const std::string& field, const std::map<std::string, std::string>& map) {
  if (map.size() > 100) return Status::InvalidInput(field + " may hold at most 100 entries.");
  for (const auto& [key, value] : map) {
    if (key.empty() || key.size() > 256) {
      return Status::InvalidInput(field +
                                  " has a key that is empty or longer than 256 "
                                  "characters.");
    }
    if (value.size() > 1000) {
      return Status::InvalidInput(field + "." + key + " is longer than 1000 characters.");
    }
  }
  return Status::OK();
}

// Checks what can be checked without data: the recipe, the event selection, the maps, HPO
// ranges and limits, and AutoML's recipe list.
Status ValidateSolution(const algo::RecipeRegistry& registry, const CreateSolutionRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateArn("datasetGroupArn", req.dataset_group_arn));
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));
  const RecipeEntry* recipe = nullptr;
  if (req.perform_auto_ml) {
    if (!req.recipe_arn.empty()) {
      return Status::InvalidInput(
          "recipeArn must be left out when performAutoML is true: AutoML picks the recipe.");
    }
  } else {
    if (req.recipe_arn.empty()) {
      return Status::InvalidInput("recipeArn is required unless performAutoML is true.");
    }
    TAILOR_ASSIGN_OR_RETURN(recipe, FindRecipe("recipeArn", req.recipe_arn));
  }
  if (req.event_type.size() > 256) {
    return Status::InvalidInput("eventType is longer than 256 characters.");
  }
  const SolutionConfig& c = req.config;
  if (!c.event_value_threshold.empty()) {
    char* end = nullptr;
    double v = std::strtod(c.event_value_threshold.c_str(), &end);
    if (c.event_value_threshold.size() > 256 || end == c.event_value_threshold.c_str() ||
        *end != '\0' || !std::isfinite(v)) {
      return Status::InvalidInput("solutionConfig.eventValueThreshold '" + c.event_value_threshold +
                                  "' is not a number.");
    }
  }
  for (size_t k = 0; k < c.event_parameters.size(); ++k) {
    const EventParameters& e = c.event_parameters[k];
    const std::string at =
        "solutionConfig.eventsConfig.eventParametersList[" + std::to_string(k) + "]";
    if (e.event_type.empty() || e.event_type.size() > 256) {
      return Status::InvalidInput(at + ".eventType must hold 1 to 256 characters.");
    }
    if (!(e.weight >= 0 && e.weight <= 1)) {
      return Status::InvalidInput(at + ".weight must be between 0 and 1; got " +
                                  std::to_string(e.weight) + ".");
    }
    if (e.has_event_value_threshold && !std::isfinite(e.event_value_threshold)) {
      return Status::InvalidInput(at + ".eventValueThreshold must be a finite number.");
    }
    for (size_t j = 0; j < k; ++j) {
      if (c.event_parameters[j].event_type == e.event_type) {
        return Status::InvalidInput(at + ".eventType '" + e.event_type + "' is listed twice.");
      }
    }
  }
  if (c.has_optimization_objective && c.objective_sensitivity != "OFF") {
    return Status::InvalidInput(
        "solutionConfig.optimizationObjective is not supported: Tailor does not optimise for an "
        "item attribute. Leave it out, or set objectiveSensitivity to OFF.");
  }
  if (c.event_parameters.size() > 10) {
    return Status::InvalidInput(
        "solutionConfig.eventsConfig.eventParametersList holds at most 10 event types.");
  }
  TAILOR_RETURN_IF_ERROR(ValidateStringMap(
      std::string(kSolutionConfig) + ".algorithmHyperParameters", c.algorithm_hyper_parameters));
  TAILOR_RETURN_IF_ERROR(
      ValidateStringMap(std::string(kSolutionConfig) + ".featureTransformationParameters",
                        c.feature_transformation_parameters));
  if (recipe != nullptr) TAILOR_RETURN_IF_ERROR(TrainingHyperParams(registry, *recipe, c).status());
  if (req.perform_hpo && recipe != nullptr) {
    const algo::Recipe* trainer = registry.Find(recipe->algo_recipe);
    if (trainer == nullptr || trainer->TunableRanges().empty()) {
      return Status::InvalidInput("performHPO needs a recipe with tunable hyper-parameters; " +
                                  std::string(recipe->name) + " has none.");
    }
  }
  for (const std::string& name : c.auto_ml_recipe_list) {
    TAILOR_ASSIGN_OR_RETURN(const RecipeEntry* entry,
                            FindRecipe("solutionConfig.autoMLConfig.recipeList", name));
    if (entry->recipe_type != std::string_view(kUserPersonalization)) {
      return Status::InvalidInput("solutionConfig.autoMLConfig.recipeList: " + name +
                                  " is not a USER_PERSONALIZATION recipe.");
    }
  }
  const bool event_weighted = !c.event_parameters.empty();
  TAILOR_RETURN_IF_ERROR(ValidateObjectiveMetric(c.auto_ml_metric_name, event_weighted));
  if (c.has_hpo_config) {
    const HpoConfig& h = c.hpo_config;
    if (h.max_number_of_training_jobs < 0 || h.max_number_of_training_jobs > 40) {
      return Status::InvalidInput(
          "solutionConfig.hpoConfig.hpoResourceConfig.maxNumberOfTrainingJobs must be between "
          "1 and 40.");
    }
    if (h.max_parallel_training_jobs < 0 || h.max_parallel_training_jobs > 10) {
      return Status::InvalidInput(
          "solutionConfig.hpoConfig.hpoResourceConfig.maxParallelTrainingJobs must be between "
          "1 and 10.");
    }
    TAILOR_RETURN_IF_ERROR(ValidateObjectiveMetric(h.objective_metric_name, event_weighted));
    std::vector<algo::ParamRange> ranges;
    using K = algo::ParamRange::Kind;
    for (const auto& r : h.integer_ranges) {
      ranges.push_back({r.name,
                        K::kInteger,
                        static_cast<double>(r.min_value),
                        static_cast<double>(r.max_value),
                        {},
                        false});
    }
    for (const auto& r : h.continuous_ranges) {
      ranges.push_back({r.name, K::kContinuous, r.min_value, r.max_value, {}, false});
    }
    for (const auto& r : h.categorical_ranges) {
      ranges.push_back({r.name, K::kCategorical, 0, 0, r.values, false});
    }
    const algo::Recipe* trainer = recipe ? registry.Find(recipe->algo_recipe) : nullptr;
    std::vector<algo::ParamRange> limits;
    if (trainer != nullptr) {
      limits = trainer->TunableRanges();
      const algo::HyperParams defaults = trainer->DefaultParams();
      for (const algo::ParamRange& r : ranges) {
        // Personalize's own names for the engine's parameters are accepted too.
        const bool personalize_name =
            r.name == "hidden_dimension" || r.name == "bptt" || r.name == "recency_mask";
        if (!defaults.Has(r.name) && !personalize_name) {
          return Status::InvalidInput("solutionConfig.hpoConfig.algorithmHyperParameterRanges: " +
                                      std::string(recipe->name) + " has no hyper-parameter " +
                                      r.name + ".");
        }
      }
    }
    TAILOR_RETURN_IF_ERROR(
        algo::ValidateRanges(ranges, limits)
            .WithPrefix("solutionConfig.hpoConfig.algorithmHyperParameterRanges"));
  }
  return Status::OK();
}

}  // namespace

Status ControlPlane::CheckTrainingDataConfig(std::string_view dataset_group_arn,
                                             const std::string& event_type,
                                             const SolutionConfig& config) {
  constexpr std::string_view kAt = "solutionConfig.trainingDataConfig.";
  // Whether an Interactions column trains, once both maps are checked.
  std::map<std::string, bool> interactions_columns;
  for (const auto* map : {&config.excluded_dataset_columns, &config.included_dataset_columns}) {
    const bool excluded = map == &config.excluded_dataset_columns;
    const std::string member =
        std::string(kAt) + (excluded ? "excludedDatasetColumns" : "includedDatasetColumns");
    for (const auto& [type, columns] : *map) {
      const std::string at = member + "." + type;
      if (excluded && config.included_dataset_columns.count(type) > 0) {
        return Status::InvalidInput(at +
                                    ": a dataset type takes excludedDatasetColumns or "
                                    "includedDatasetColumns, not both.");
      }
      StatusOr<data::DatasetType> parsed = data::ParseDatasetType(type);
      if (!parsed.ok()) {
        return Status::InvalidInput(at + ": '" + type +
                                    "' is not a dataset type (the keys are INTERACTIONS, ITEMS "
                                    "and USERS).");
      }
      StatusOr<Dataset> dataset = FindDatasetOfType(dataset_group_arn, *parsed);
      if (!dataset.ok()) {
        if (!dataset.status().IsNotFound()) return dataset.status();
        return Status::InvalidInput(at + ": dataset group " + std::string(dataset_group_arn) +
                                    " has no " + type +
                                    " dataset (the keys are INTERACTIONS, ITEMS and USERS).");
      }
      if (columns.size() > 50) {
        return Status::InvalidInput(at + " lists " + std::to_string(columns.size()) +
                                    " columns; at most 50 are allowed.");
      }
      TAILOR_ASSIGN_OR_RETURN(data::Schema schema, SchemaOf(*dataset));
      for (const std::string& column : columns) {
        if (schema.Find(column) == nullptr) {
          return Status::InvalidInput(at + ": '" + column + "' is not a field of the " +
                                      dataset->dataset_type + " schema.");
        }
        if (excluded && (column == "USER_ID" || column == "ITEM_ID" || column == "TIMESTAMP")) {
          return Status::InvalidInput(at + ": " + column +
                                      " is a required column and always trains.");
        }
      }
      if (dataset->dataset_type != "Interactions") continue;
      for (const data::Field& field : schema.fields) {
        const bool listed = std::find(columns.begin(), columns.end(), field.name) != columns.end();
        interactions_columns[field.name] = excluded ? !listed : listed;
      }
    }
  }
  auto left_out = [&](const std::string& column) {
    auto it = interactions_columns.find(column);
    return it != interactions_columns.end() && !it->second;
  };
  bool needs_event_value = !config.event_value_threshold.empty();
  for (const EventParameters& e : config.event_parameters) {
    needs_event_value |= e.has_event_value_threshold;
  }
  if (left_out("EVENT_TYPE") && (!event_type.empty() || !config.event_parameters.empty())) {
    return Status::InvalidInput(
        "solutionConfig.trainingDataConfig leaves EVENT_TYPE out of training, but the solution's "
        "eventType "
        "or eventsConfig selects events by it.");
  }
  if (left_out("EVENT_VALUE") && needs_event_value) {
    return Status::InvalidInput(
        "solutionConfig.trainingDataConfig leaves EVENT_VALUE out of training, but the solution's "
        "eventValueThreshold selects events by it.");
  }
  return Status::OK();
}

StatusOr<std::string> ControlPlane::CreateSolution(const CreateSolutionRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateSolution(*recipes_, req));
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto group_record,
                          GetRecord("datasetGroupArn", req.dataset_group_arn, kDatasetGroupType));
  if (group_record.status != kActive) {
    return Status::InUse("Dataset group " + group_record.arn + " is " + group_record.status +
                         "; wait until it is ACTIVE.");
  }
  if (!FindInteractionsDataset(group_record.arn).ok()) {
    return Status::InvalidInput("Dataset group " + group_record.arn +
                                " has no Interactions dataset; create one and import "
                                "interactions before creating a solution.");
  }
  TAILOR_RETURN_IF_ERROR(CheckTrainingDataConfig(group_record.arn, req.event_type, req.config));
  store::ListQuery active;
  active.type = kSolutionType;
  active.parent_arn = group_record.arn;
  active.statuses = {kCreatePending, kCreateInProgress, kActive};
  TAILOR_ASSIGN_OR_RETURN(int64_t solutions, catalog_->Count(active));
  if (solutions >= options_.max_active_solutions_per_group) {
    return Status::LimitExceeded("Dataset group " + group_record.arn + " already has " +
                                 std::to_string(solutions) + " active solutions; the limit is " +
                                 std::to_string(options_.max_active_solutions_per_group) + ".");
  }

  Solution solution;
  solution.info.arn =
      MakeArn(ArnContextFor(req.region), std::string(kSolutionType) + "/" + req.name);
  solution.info.name = req.name;
  solution.info.status = kCreatePending;
  solution.info.created_micros = solution.info.updated_micros = env_->NowMicros();
  solution.dataset_group_arn = group_record.arn;
  if (!req.recipe_arn.empty()) {
    TAILOR_ASSIGN_OR_RETURN(const RecipeEntry* recipe, FindRecipe("recipeArn", req.recipe_arn));
    solution.recipe_arn = RecipeArn(recipe->name);
  }
  solution.event_type = req.event_type;
  solution.perform_hpo = req.perform_hpo || req.perform_auto_ml;
  solution.perform_auto_ml = req.perform_auto_ml;
  solution.config = req.config;
  store::CatalogRecord record = ToRecord(solution);
  record.tags = req.tags;
  Status s = catalog_->Insert(record);
  if (s.IsAlreadyExists()) {
    return Status::AlreadyExists("A solution named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  ScheduleActivation(solution.info.arn);
  return solution.info.arn;
}

StatusOr<Solution> ControlPlane::DescribeSolution(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("solutionArn", arn, kSolutionType));
  return SolutionFromRecord(record);
}

StatusOr<Page<Solution>> ControlPlane::ListSolutions(std::string_view dataset_group_arn,
                                                     const PageRequest& page) {
  if (!dataset_group_arn.empty()) {
    TAILOR_RETURN_IF_ERROR(
        GetRecord("datasetGroupArn", dataset_group_arn, kDatasetGroupType).status());
  }
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kSolutionType, dataset_group_arn, page));
  Page<Solution> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(Solution s, SolutionFromRecord(r));
    out.items.push_back(std::move(s));
  }
  out.next_token = records.next_page_token;
  return out;
}

Status ControlPlane::DeleteSolution(std::string_view arn) {
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("solutionArn", arn, kSolutionType));
  store::ListQuery versions;
  versions.type = kSolutionVersionType;
  versions.parent_arn = std::string(arn);
  versions.statuses = {kCreatePending, kCreateInProgress, kCreateStopping};
  TAILOR_ASSIGN_OR_RETURN(int64_t training, catalog_->Count(versions));
  if (training > 0) {
    return Status::InUse("Solution " + std::string(arn) +
                         " has a solution version in training; stop it or wait until it ends.");
  }
  store::ListQuery campaigns;
  campaigns.type = kCampaignType;
  campaigns.parent_arn = std::string(arn);
  TAILOR_ASSIGN_OR_RETURN(int64_t deployed, catalog_->Count(campaigns));
  if (deployed > 0) {
    return Status::InUse("Solution " + std::string(arn) + " has " + std::to_string(deployed) +
                         " campaign(s); delete them first.");
  }
  TAILOR_RETURN_IF_ERROR(CheckDeletable(record));
  // The versions go with their solution; their artifacts live in the solution's folder.
  versions.statuses.clear();
  versions.page_size = 1000;
  while (true) {
    TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(versions));
    for (const auto& v : page.records) {
      {
        std::lock_guard lock(training_mu_);
        models_.erase(v.arn);
      }
      Status s = catalog_->Delete(v.arn);
      if (!s.ok() && !s.IsNotFound()) return s;
    }
    if (page.next_page_token.empty()) break;
  }
  TAILOR_RETURN_IF_ERROR(SetStatus(record.arn, kDeletePending));
  ScheduleDeletion(record.arn, /*show_in_progress=*/true, ModelsDirOf(record));
  return Status::OK();
}

}  // namespace tailor::core
