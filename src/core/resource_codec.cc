#include "core/resource_codec.h"

#include <string>

#include <nlohmann/json.hpp>

#include "common/arn.h"

namespace tailor::core {
namespace {

using nlohmann::json;

}  // namespace

std::string ScopeOfArn(std::string_view arn) {
  StatusOr<ParsedArn> parsed = ParseArn("arn", arn);
  return parsed.ok() ? parsed->region + ":" + parsed->account : std::string();
}

namespace {

store::CatalogRecord BaseRecord(const ResourceInfo& info, const char* type, std::string parent_arn,
                                const json& body) {
  store::CatalogRecord r;
  r.arn = info.arn;
  r.type = type;
  r.name = info.name;
  r.parent_arn = std::move(parent_arn);
  r.scope = ScopeOfArn(info.arn);
  r.status = info.status;
  r.created_micros = info.created_micros;
  r.updated_micros = info.updated_micros;
  json b = body;
  if (!info.failure_reason.empty()) b["failure_reason"] = info.failure_reason;
  r.body = b.dump();
  return r;
}

// Parses the body and fills the common fields; calls `fill` with the body for the rest.
template <typename T, typename Fill>
StatusOr<T> FromRecord(const store::CatalogRecord& r, const char* type, Fill fill) {
  if (r.type != type) {
    return Status::Internal("record " + r.arn + " has type " + r.type + ", expected " + type);
  }
  try {
    json b = json::parse(r.body.empty() ? std::string("{}") : r.body);
    T out;
    out.info.arn = r.arn;
    out.info.name = r.name;
    out.info.status = r.status;
    out.info.created_micros = r.created_micros;
    out.info.updated_micros = r.updated_micros;
    out.info.failure_reason = b.value("failure_reason", "");
    fill(b, out);
    return out;
  } catch (const json::exception& e) {
    return Status::Internal("stored record " + r.arn + " is corrupt: " + e.what());
  }
}

json ConfigToJson(const SolutionConfig& c) {
  json out = {{"event_value_threshold", c.event_value_threshold},
              {"algorithm_hyper_parameters", c.algorithm_hyper_parameters},
              {"feature_transformation_parameters", c.feature_transformation_parameters},
              {"auto_ml_metric_name", c.auto_ml_metric_name},
              {"auto_ml_recipe_list", c.auto_ml_recipe_list}};
  if (!c.event_parameters.empty()) {
    json events = json::array();
    for (const EventParameters& e : c.event_parameters) {
      json entry = {{"event_type", e.event_type}, {"weight", e.weight}};
      if (e.has_event_value_threshold) entry["event_value_threshold"] = e.event_value_threshold;
      events.push_back(std::move(entry));
    }
    out["event_parameters"] = std::move(events);
  }
  if (!c.excluded_dataset_columns.empty()) {
    out["excluded_dataset_columns"] = c.excluded_dataset_columns;
  }
  if (!c.included_dataset_columns.empty()) {
    out["included_dataset_columns"] = c.included_dataset_columns;
  }
  if (c.has_hpo_config) {
    const HpoConfig& h = c.hpo_config;
    json ranges = {
        {"integer", json::array()}, {"continuous", json::array()}, {"categorical", json::array()}};
    for (const auto& r : h.integer_ranges) {
      ranges["integer"].push_back({{"name", r.name}, {"min", r.min_value}, {"max", r.max_value}});
    }
    for (const auto& r : h.continuous_ranges) {
      ranges["continuous"].push_back(
          {{"name", r.name}, {"min", r.min_value}, {"max", r.max_value}});
    }
    for (const auto& r : h.categorical_ranges) {
      ranges["categorical"].push_back({{"name", r.name}, {"values", r.values}});
    }
    out["hpo_config"] = {{"objective_type", h.objective_type},
                         {"objective_metric_name", h.objective_metric_name},
                         {"objective_metric_regex", h.objective_metric_regex},
                         {"max_number_of_training_jobs", h.max_number_of_training_jobs},
                         {"max_parallel_training_jobs", h.max_parallel_training_jobs},
                         {"ranges", ranges}};
  }
  return out;
}

SolutionConfig ConfigFromJson(const json& j) {
  SolutionConfig c;
  if (!j.is_object()) return c;
  c.event_value_threshold = j.value("event_value_threshold", "");
  c.algorithm_hyper_parameters =
      j.value("algorithm_hyper_parameters", std::map<std::string, std::string>{});
  c.feature_transformation_parameters =
      j.value("feature_transformation_parameters", std::map<std::string, std::string>{});
  c.auto_ml_metric_name = j.value("auto_ml_metric_name", "");
  c.auto_ml_recipe_list = j.value("auto_ml_recipe_list", std::vector<std::string>{});
  using ColumnMap = std::map<std::string, std::vector<std::string>>;
  c.excluded_dataset_columns = j.value("excluded_dataset_columns", ColumnMap{});
  c.included_dataset_columns = j.value("included_dataset_columns", ColumnMap{});
  if (j.contains("event_parameters")) {
    for (const json& e : j["event_parameters"]) {
      EventParameters p;
      p.event_type = e.value("event_type", "");
      p.weight = e.value("weight", 1.0);
      p.has_event_value_threshold = e.contains("event_value_threshold");
      p.event_value_threshold = e.value("event_value_threshold", 0.0);
      c.event_parameters.push_back(std::move(p));
    }
  }
  if (j.contains("hpo_config")) {
    const json& h = j["hpo_config"];
    c.has_hpo_config = true;
    c.hpo_config.objective_type = h.value("objective_type", "");
    c.hpo_config.objective_metric_name = h.value("objective_metric_name", "");
    c.hpo_config.objective_metric_regex = h.value("objective_metric_regex", "");
    c.hpo_config.max_number_of_training_jobs = h.value("max_number_of_training_jobs", 0);
    c.hpo_config.max_parallel_training_jobs = h.value("max_parallel_training_jobs", 0);
    const json& ranges = h.at("ranges");
    for (const auto& r : ranges.at("integer")) {
      c.hpo_config.integer_ranges.push_back(
          {r.at("name"), r.at("min").get<int64_t>(), r.at("max").get<int64_t>()});
    }
    for (const auto& r : ranges.at("continuous")) {
      c.hpo_config.continuous_ranges.push_back(
          {r.at("name"), r.at("min").get<double>(), r.at("max").get<double>()});
    }
    for (const auto& r : ranges.at("categorical")) {
      c.hpo_config.categorical_ranges.push_back(
          {r.at("name"), r.at("values").get<std::vector<std::string>>()});
    }
  }
  return c;
}

}  // namespace

store::CatalogRecord ToRecord(const DatasetGroup& g) {
  return BaseRecord(
      g.info, kDatasetGroupType, "",
      {{"role_arn", g.role_arn}, {"kms_key_arn", g.kms_key_arn}, {"domain", g.domain}});
}

store::CatalogRecord ToRecord(const DatasetSchema& s) {
  return BaseRecord(s.info, kSchemaType, "", {{"schema", s.schema}, {"domain", s.domain}});
}

store::CatalogRecord ToRecord(const Dataset& d) {
  return BaseRecord(d.info, kDatasetType, d.dataset_group_arn,
                    {{"dataset_type", d.dataset_type},
                     {"schema_arn", d.schema_arn},
                     {"storage_dir", d.storage_dir}});
}

store::CatalogRecord ToRecord(const DatasetImportJob& j) {
  return BaseRecord(j.info, kDatasetImportJobType, j.dataset_arn,
                    {{"data_location", j.data_location},
                     {"role_arn", j.role_arn},
                     {"import_mode", j.import_mode},
                     {"publish_attribution_metrics_to_s3", j.publish_attribution_metrics_to_s3},
                     {"rows_imported", j.rows_imported}});
}

store::CatalogRecord ToRecord(const Solution& s) {
  return BaseRecord(s.info, kSolutionType, s.dataset_group_arn,
                    {{"recipe_arn", s.recipe_arn},
                     {"event_type", s.event_type},
                     {"perform_hpo", s.perform_hpo},
                     {"perform_auto_ml", s.perform_auto_ml},
                     {"config", ConfigToJson(s.config)},
                     {"latest_version_arn", s.latest_version_arn}});
}

store::CatalogRecord ToRecord(const SolutionVersion& v) {
  return BaseRecord(v.info, kSolutionVersionType, v.solution_arn,
                    {{"version_name", v.version_name},
                     {"dataset_group_arn", v.dataset_group_arn},
                     {"recipe_arn", v.recipe_arn},
                     {"event_type", v.event_type},
                     {"perform_hpo", v.perform_hpo},
                     {"perform_auto_ml", v.perform_auto_ml},
                     {"config", ConfigToJson(v.config)},
                     {"training_mode", v.training_mode},
                     {"training_type", v.training_type},
                     {"training_hours", v.training_hours},
                     {"tuned_hyper_parameters", v.tuned_hyper_parameters},
                     {"metrics", v.metrics},
                     {"model_path", v.model_path},
                     {"num_interactions", v.num_interactions},
                     {"events_epoch", v.events_epoch}});
}

// A campaign's parent is its solution (ListCampaigns filters by solution); the version is in
// the body.
store::CatalogRecord ToRecord(const Campaign& c) {
  std::string solution_arn = c.solution_version_arn.substr(0, c.solution_version_arn.rfind('/'));
  return BaseRecord(c.info, kCampaignType, solution_arn,
                    {{"solution_version_arn", c.solution_version_arn},
                     {"min_provisioned_tps", c.min_provisioned_tps},
                     {"item_exploration_config", c.item_exploration_config},
                     {"enable_metadata", c.enable_metadata_with_recommendations},
                     {"update_solution_version_arn", c.update_solution_version_arn},
                     {"update_status", c.update_status},
                     {"update_created_micros", c.update_created_micros},
                     {"update_updated_micros", c.update_updated_micros}});
}

// An event tracker's parent is its dataset group.
store::CatalogRecord ToRecord(const EventTracker& t) {
  return BaseRecord(t.info, kEventTrackerType, t.dataset_group_arn,
                    {{"tracking_id", t.tracking_id}, {"account_id", t.account_id}});
}

StatusOr<EventTracker> EventTrackerFromRecord(const store::CatalogRecord& r) {
  return FromRecord<EventTracker>(r, kEventTrackerType, [&r](const json& b, EventTracker& t) {
    t.dataset_group_arn = r.parent_arn;
    t.tracking_id = b.value("tracking_id", "");
    t.account_id = b.value("account_id", "");
  });
}

StatusOr<Campaign> CampaignFromRecord(const store::CatalogRecord& r) {
  return FromRecord<Campaign>(r, kCampaignType, [](const json& b, Campaign& c) {
    c.solution_version_arn = b.value("solution_version_arn", "");
    c.min_provisioned_tps = b.value("min_provisioned_tps", 1);
    c.item_exploration_config =
        b.value("item_exploration_config", std::map<std::string, std::string>{});
    c.enable_metadata_with_recommendations = b.value("enable_metadata", false);
    c.update_solution_version_arn = b.value("update_solution_version_arn", "");
    c.update_status = b.value("update_status", "");
    c.update_created_micros = b.value("update_created_micros", int64_t{0});
    c.update_updated_micros = b.value("update_updated_micros", int64_t{0});
  });
}

// A filter's parent is its dataset group (ListFilters filters by group).
store::CatalogRecord ToRecord(const Filter& f) {
  return BaseRecord(f.info, kFilterType, f.dataset_group_arn,
                    {{"filter_expression", f.filter_expression}});
}

StatusOr<Filter> FilterFromRecord(const store::CatalogRecord& r) {
  return FromRecord<Filter>(r, kFilterType, [&r](const json& b, Filter& f) {
    f.dataset_group_arn = r.parent_arn;
    f.filter_expression = b.value("filter_expression", "");
  });
}

StatusOr<Solution> SolutionFromRecord(const store::CatalogRecord& r) {
  return FromRecord<Solution>(r, kSolutionType, [&r](const json& b, Solution& s) {
    s.dataset_group_arn = r.parent_arn;
    s.recipe_arn = b.value("recipe_arn", "");
    s.event_type = b.value("event_type", "");
    s.perform_hpo = b.value("perform_hpo", false);
    s.perform_auto_ml = b.value("perform_auto_ml", false);
    s.config = ConfigFromJson(b.value("config", json::object()));
    s.latest_version_arn = b.value("latest_version_arn", "");
  });
}

StatusOr<SolutionVersion> SolutionVersionFromRecord(const store::CatalogRecord& r) {
  return FromRecord<SolutionVersion>(
      r, kSolutionVersionType, [&r](const json& b, SolutionVersion& v) {
        v.solution_arn = r.parent_arn;
        v.version_name = b.value("version_name", "");
        v.dataset_group_arn = b.value("dataset_group_arn", "");
        v.recipe_arn = b.value("recipe_arn", "");
        v.event_type = b.value("event_type", "");
        v.perform_hpo = b.value("perform_hpo", false);
        v.perform_auto_ml = b.value("perform_auto_ml", false);
        v.config = ConfigFromJson(b.value("config", json::object()));
        v.training_mode = b.value("training_mode", "FULL");
        v.training_type = b.value("training_type", "MANUAL");
        v.training_hours = b.value("training_hours", 0.0);
        v.tuned_hyper_parameters =
            b.value("tuned_hyper_parameters", std::map<std::string, std::string>{});
        v.metrics = b.value("metrics", std::map<std::string, double>{});
        v.model_path = b.value("model_path", "");
        v.num_interactions = b.value("num_interactions", int64_t{0});
        v.events_epoch = b.value("events_epoch", uint64_t{0});
      });
}

StatusOr<DatasetGroup> DatasetGroupFromRecord(const store::CatalogRecord& r) {
  return FromRecord<DatasetGroup>(r, kDatasetGroupType, [](const json& b, DatasetGroup& g) {
    g.role_arn = b.value("role_arn", "");
    g.kms_key_arn = b.value("kms_key_arn", "");
    g.domain = b.value("domain", "");
  });
}

StatusOr<DatasetSchema> SchemaFromRecord(const store::CatalogRecord& r) {
  return FromRecord<DatasetSchema>(r, kSchemaType, [](const json& b, DatasetSchema& s) {
    s.schema = b.value("schema", "");
    s.domain = b.value("domain", "");
  });
}

StatusOr<Dataset> DatasetFromRecord(const store::CatalogRecord& r) {
  return FromRecord<Dataset>(r, kDatasetType, [&r](const json& b, Dataset& d) {
    d.dataset_group_arn = r.parent_arn;
    d.dataset_type = b.value("dataset_type", "");
    d.schema_arn = b.value("schema_arn", "");
    d.storage_dir = b.value("storage_dir", "");
  });
}

StatusOr<DatasetImportJob> DatasetImportJobFromRecord(const store::CatalogRecord& r) {
  return FromRecord<DatasetImportJob>(
      r, kDatasetImportJobType, [&r](const json& b, DatasetImportJob& j) {
        j.dataset_arn = r.parent_arn;
        j.data_location = b.value("data_location", "");
        j.role_arn = b.value("role_arn", "");
        j.import_mode = b.value("import_mode", "FULL");
        j.publish_attribution_metrics_to_s3 = b.value("publish_attribution_metrics_to_s3", false);
        j.rows_imported = b.value("rows_imported", int64_t{0});
      });
}

}  // namespace tailor::core
