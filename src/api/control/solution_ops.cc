// CreateSolution, DescribeSolution, ListSolutions, DeleteSolution, CreateSolutionVersion,
// DescribeSolutionVersion, ListSolutionVersions, StopSolutionVersionCreation,
// GetSolutionMetrics (personalize-semantics.md §4, §5).
#include <optional>

#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

// --- Requests --------------------------------------------------------------------------------

// hpoConfig. The range lists' limits are the model's (≤100 each); hpoResourceConfig sends its
// counts as strings, at most "40" training jobs and "10" in parallel (semantics §4).
void ReadHpoConfig(JsonReader& hpo, core::HpoConfig* out) {
  JsonReader objective = hpo.Object("hpoObjective");
  out->objective_type = objective.String("type");
  out->objective_metric_name = objective.String("metricName");
  out->objective_metric_regex = objective.String("metricRegex");
  JsonReader resources = hpo.Object("hpoResourceConfig");
  out->max_number_of_training_jobs = resources.IntString("maxNumberOfTrainingJobs", 0, 1, 40);
  out->max_parallel_training_jobs = resources.IntString("maxParallelTrainingJobs", 0, 1, 10);
  JsonReader ranges = hpo.Object("algorithmHyperParameterRanges");
  ranges.ObjectList("integerHyperParameterRanges", [out](JsonReader& r) {
    core::IntegerRange range;
    range.name = r.String("name", true);
    range.min_value = r.Int("minValue", 0, true);
    range.max_value = r.Int("maxValue", 0, true);
    out->integer_ranges.push_back(std::move(range));
  });
  ranges.ObjectList("continuousHyperParameterRanges", [out](JsonReader& r) {
    core::ContinuousRange range;
    range.name = r.String("name", true);
    range.min_value = r.Double("minValue", 0, true);
    range.max_value = r.Double("maxValue", 0, true);
    out->continuous_ranges.push_back(std::move(range));
  });
  ranges.ObjectList("categoricalHyperParameterRanges", [out](JsonReader& r) {
    core::CategoricalRange range;
    range.name = r.String("name", true);
    range.values = r.StringList("values", true);
    out->categorical_ranges.push_back(std::move(range));
  });
}

// solutionConfig. autoTrainingConfig, which Tailor does not model, is ignored like any unknown
// member; optimizationObjective is read so that it can be refused.
void ReadSolutionConfig(JsonReader& config, core::SolutionConfig* out) {
  out->event_value_threshold = config.String("eventValueThreshold");
  JsonReader events = config.Object("eventsConfig");
  events.ObjectList(
      "eventParametersList",
      [out](JsonReader& e) {
        core::EventParameters p;
        p.event_type = e.String("eventType", /*required=*/true);
        p.has_event_value_threshold = e.Has("eventValueThreshold");
        p.event_value_threshold = e.Double("eventValueThreshold", 0);
        p.weight = e.Double("weight", 1);
        out->event_parameters.push_back(std::move(p));
      },
      10);
  out->algorithm_hyper_parameters = config.StringMap("algorithmHyperParameters");
  out->feature_transformation_parameters = config.StringMap("featureTransformationParameters");
  out->has_optimization_objective = config.Has("optimizationObjective");
  out->objective_sensitivity =
      config.Object("optimizationObjective").String("objectiveSensitivity");
  out->has_hpo_config = config.Has("hpoConfig");
  JsonReader hpo = config.Object("hpoConfig");
  if (out->has_hpo_config) ReadHpoConfig(hpo, &out->hpo_config);
  JsonReader auto_ml = config.Object("autoMLConfig");
  out->auto_ml_metric_name = auto_ml.String("metricName");
  out->auto_ml_recipe_list = auto_ml.StringList("recipeList");
  JsonReader training_data = config.Object("trainingDataConfig");
  out->excluded_dataset_columns = training_data.StringListMap("excludedDatasetColumns", 3);
  out->included_dataset_columns = training_data.StringListMap("includedDatasetColumns", 3);
}

// --- Answers ---------------------------------------------------------------------------------

json HpoConfigJson(const core::HpoConfig& h) {
  json out = json::object();
  json objective = json::object();
  SetIfNotEmpty(&objective, "type", h.objective_type);
  SetIfNotEmpty(&objective, "metricName", h.objective_metric_name);
  SetIfNotEmpty(&objective, "metricRegex", h.objective_metric_regex);
  if (!objective.empty()) out["hpoObjective"] = objective;
  json resources = json::object();
  if (h.max_number_of_training_jobs > 0) {
    resources["maxNumberOfTrainingJobs"] = std::to_string(h.max_number_of_training_jobs);
  }
  if (h.max_parallel_training_jobs > 0) {
    resources["maxParallelTrainingJobs"] = std::to_string(h.max_parallel_training_jobs);
  }
  if (!resources.empty()) out["hpoResourceConfig"] = resources;
  json ranges = json::object();
  for (const core::IntegerRange& r : h.integer_ranges) {
    ranges["integerHyperParameterRanges"].push_back(
        {{"name", r.name}, {"minValue", r.min_value}, {"maxValue", r.max_value}});
  }
  for (const core::ContinuousRange& r : h.continuous_ranges) {
    ranges["continuousHyperParameterRanges"].push_back(
        {{"name", r.name}, {"minValue", r.min_value}, {"maxValue", r.max_value}});
  }
  for (const core::CategoricalRange& r : h.categorical_ranges) {
    ranges["categoricalHyperParameterRanges"].push_back({{"name", r.name}, {"values", r.values}});
  }
  if (!ranges.empty()) out["algorithmHyperParameterRanges"] = ranges;
  return out;
}

// The configuration as given; empty parts are left out (an empty object when nothing was).
json SolutionConfigJson(const core::SolutionConfig& c) {
  json out = json::object();
  SetIfNotEmpty(&out, "eventValueThreshold", c.event_value_threshold);
  if (!c.event_parameters.empty()) {
    json list = json::array();
    for (const core::EventParameters& e : c.event_parameters) {
      json entry = {{"eventType", e.event_type}, {"weight", e.weight}};
      if (e.has_event_value_threshold) entry["eventValueThreshold"] = e.event_value_threshold;
      list.push_back(std::move(entry));
    }
    out["eventsConfig"] = {{"eventParametersList", std::move(list)}};
  }
  if (c.has_hpo_config) out["hpoConfig"] = HpoConfigJson(c.hpo_config);
  if (!c.algorithm_hyper_parameters.empty()) {
    out["algorithmHyperParameters"] = c.algorithm_hyper_parameters;
  }
  if (!c.feature_transformation_parameters.empty()) {
    out["featureTransformationParameters"] = c.feature_transformation_parameters;
  }
  json auto_ml = json::object();
  SetIfNotEmpty(&auto_ml, "metricName", c.auto_ml_metric_name);
  if (!c.auto_ml_recipe_list.empty()) auto_ml["recipeList"] = c.auto_ml_recipe_list;
  if (!auto_ml.empty()) out["autoMLConfig"] = auto_ml;
  json training_data = json::object();
  if (!c.excluded_dataset_columns.empty()) {
    training_data["excludedDatasetColumns"] = c.excluded_dataset_columns;
  }
  if (!c.included_dataset_columns.empty()) {
    training_data["includedDatasetColumns"] = c.included_dataset_columns;
  }
  if (!training_data.empty()) out["trainingDataConfig"] = training_data;
  return out;
}

json VersionSummary(const core::SolutionVersion& v) {
  json out = {{"solutionVersionArn", v.info.arn},
              {"status", v.info.status},
              {"creationDateTime", WireTime(v.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(v.info.updated_micros)}};
  SetIfNotEmpty(&out, "trainingMode", v.training_mode);
  SetIfNotEmpty(&out, "trainingType", v.training_type);
  SetIfNotEmpty(&out, "failureReason", v.info.failure_reason);
  return out;
}

json Version(const core::SolutionVersion& v) {
  json out = {{"solutionVersionArn", v.info.arn}};
  SetIfNotEmpty(&out, "name", v.version_name);
  SetIfNotEmpty(&out, "solutionArn", v.solution_arn);
  out["performHPO"] = v.perform_hpo;
  out["performAutoML"] = v.perform_auto_ml;
  SetIfNotEmpty(&out, "recipeArn", v.recipe_arn);
  SetIfNotEmpty(&out, "eventType", v.event_type);
  SetIfNotEmpty(&out, "datasetGroupArn", v.dataset_group_arn);
  json config = SolutionConfigJson(v.config);
  if (!config.empty()) out["solutionConfig"] = config;
  // Training time is known once the training has run; before that the member is absent.
  if (v.info.status == core::kActive || v.training_hours > 0) {
    out["trainingHours"] = v.training_hours;
  }
  SetIfNotEmpty(&out, "trainingMode", v.training_mode);
  if ((v.perform_hpo || v.perform_auto_ml) && !v.tuned_hyper_parameters.empty()) {
    out["tunedHPOParams"] = {{"algorithmHyperParameters", v.tuned_hyper_parameters}};
  }
  out["status"] = v.info.status;
  SetIfNotEmpty(&out, "failureReason", v.info.failure_reason);
  out["creationDateTime"] = WireTime(v.info.created_micros);
  out["lastUpdatedDateTime"] = WireTime(v.info.updated_micros);
  SetIfNotEmpty(&out, "trainingType", v.training_type);
  return out;
}

json SolutionSummary(const core::Solution& s) {
  json out = {{"name", s.info.name},
              {"solutionArn", s.info.arn},
              {"status", s.info.status},
              {"creationDateTime", WireTime(s.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(s.info.updated_micros)}};
  SetIfNotEmpty(&out, "recipeArn", s.recipe_arn);
  return out;
}

// The Solution shape has no failureReason member, so none is sent.
json SolutionJson(core::ControlPlane& cp, const core::Solution& s) {
  // core::Solution keeps only the ARN of its latest version; the summary is looked up. A
  // version that cannot be read (being deleted with its solution) is left out.
  std::optional<core::SolutionVersion> latest;
  if (!s.latest_version_arn.empty()) {
    StatusOr<core::SolutionVersion> v = cp.DescribeSolutionVersion(s.latest_version_arn);
    if (v.ok()) latest = std::move(*v);
  }
  json out = {{"name", s.info.name},
              {"solutionArn", s.info.arn},
              {"performHPO", s.perform_hpo},
              {"performAutoML", s.perform_auto_ml}};
  if (s.perform_auto_ml) {
    // With AutoML, recipeArn stays absent as the caller left it; the search's choice shows as
    // autoMLResult.bestRecipeArn. core::Solution does not record it, so it is the recipe the
    // latest version trained, once that version is ACTIVE.
    std::string best = s.recipe_arn;
    if (best.empty() && latest && latest->info.status == core::kActive) best = latest->recipe_arn;
    if (!best.empty()) out["autoMLResult"] = {{"bestRecipeArn", best}};
  } else {
    SetIfNotEmpty(&out, "recipeArn", s.recipe_arn);
  }
  out["datasetGroupArn"] = s.dataset_group_arn;
  SetIfNotEmpty(&out, "eventType", s.event_type);
  json config = SolutionConfigJson(s.config);
  if (!config.empty()) out["solutionConfig"] = config;
  out["status"] = s.info.status;
  out["creationDateTime"] = WireTime(s.info.created_micros);
  out["lastUpdatedDateTime"] = WireTime(s.info.updated_micros);
  if (latest) out["latestSolutionVersion"] = VersionSummary(*latest);
  return out;
}

}  // namespace

void AddSolutionOperations(OperationTable* table) {
  (*table)["CreateSolution"] = [](core::ControlPlane& cp, const CallContext& call,
                                  JsonReader& in) -> StatusOr<json> {
    core::CreateSolutionRequest req;
    req.region = call.region;
    req.name = in.String("name", true);
    req.dataset_group_arn = in.String("datasetGroupArn", true);
    req.recipe_arn = in.String("recipeArn");
    req.event_type = in.String("eventType");
    req.perform_hpo = in.Bool("performHPO", false);
    req.perform_auto_ml = in.Bool("performAutoML", false);
    // Tailor trains only when asked (no scheduled retraining) and has no incremental updates;
    // the flags are type-checked and otherwise not used.
    in.Bool("performAutoTraining", false);
    in.Bool("performIncrementalUpdate", false);
    JsonReader config = in.Object("solutionConfig");
    ReadSolutionConfig(config, &req.config);
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateSolution(req));
    return json{{"solutionArn", arn}};
  };
  (*table)["DescribeSolution"] = [](core::ControlPlane& cp, const CallContext&,
                                    JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("solutionArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::Solution s, cp.DescribeSolution(arn));
    return json{{"solution", SolutionJson(cp, s)}};
  };
  (*table)["ListSolutions"] = [](core::ControlPlane& cp, const CallContext& call,
                                 JsonReader& in) -> StatusOr<json> {
    std::string group = in.String("datasetGroupArn");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListSolutions(group, page));
    json out = {{"solutions", json::array()}};
    for (const auto& s : result.items) out["solutions"].push_back(SolutionSummary(s));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["DeleteSolution"] = [](core::ControlPlane& cp, const CallContext&,
                                  JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("solutionArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.DeleteSolution(arn));
    return json::object();
  };
  (*table)["CreateSolutionVersion"] = [](core::ControlPlane& cp, const CallContext&,
                                         JsonReader& in) -> StatusOr<json> {
    core::CreateSolutionVersionRequest req;
    req.name = in.String("name");
    req.solution_arn = in.String("solutionArn", true);
    req.training_mode = in.String("trainingMode");
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateSolutionVersion(req));
    return json{{"solutionVersionArn", arn}};
  };
  (*table)["DescribeSolutionVersion"] = [](core::ControlPlane& cp, const CallContext&,
                                           JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("solutionVersionArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::SolutionVersion v, cp.DescribeSolutionVersion(arn));
    return json{{"solutionVersion", Version(v)}};
  };
  (*table)["ListSolutionVersions"] = [](core::ControlPlane& cp, const CallContext& call,
                                        JsonReader& in) -> StatusOr<json> {
    std::string solution = in.String("solutionArn");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListSolutionVersions(solution, page));
    json out = {{"solutionVersions", json::array()}};
    for (const auto& v : result.items) out["solutionVersions"].push_back(VersionSummary(v));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["StopSolutionVersionCreation"] = [](core::ControlPlane& cp, const CallContext&,
                                               JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("solutionVersionArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.StopSolutionVersionCreation(arn));
    return json::object();
  };
  (*table)["GetSolutionMetrics"] = [](core::ControlPlane& cp, const CallContext&,
                                      JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("solutionVersionArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::SolutionVersion v, cp.GetSolutionMetrics(arn));
    json metrics = json::object();
    for (const auto& [name, value] : v.metrics) metrics[name] = value;
    return json{{"solutionVersionArn", v.info.arn}, {"metrics", metrics}};
  };
}

}  // namespace tailor::api
