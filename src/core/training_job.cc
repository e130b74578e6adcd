#include "core/training_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "algo/context/context_lift.h"
#include "algo/metrics/evaluation_split.h"
#include "algo/metrics/segment_metrics.h"
#include "algo/metrics/trend_accuracy.h"
#include "algo/model.h"
#include "algo/popularity/trending_model.h"
#include "algo/recipe_registry.h"
#include "algo/tuning/random_search.h"
#include "data/schema.h"
#include "serve/metadata/item_tokens.h"

namespace tailor::core {
namespace {

constexpr const char kDefaultObjective[] = "normalized_discounted_cumulative_gain_at_10";

Status CheckMinimums(const algo::Interactions& data, const TrainingJobInput& input) {
  if (static_cast<int64_t>(data.size()) < input.min_interactions) {
    return Status::InvalidInput(fmt::format(
        "There are not enough interactions to train: {} after event selection; at least {} "
        "are needed.",
        data.size(), input.min_interactions));
  }
  std::vector<int32_t> per_user(data.num_users, 0);
  for (int32_t u : data.user) ++per_user[u];
  int64_t users = std::count_if(per_user.begin(), per_user.end(), [](int32_t n) { return n >= 2; });
  if (users < input.min_users) {
    return Status::InvalidInput(
        fmt::format("Dataset has fewer than {} users with at least 2 interactions each ({} have).",
                    input.min_users, users));
  }
  return Status::OK();
}

std::vector<algo::ParamRange> RangesOf(const HpoConfig& hpo) {
  using K = algo::ParamRange::Kind;
  std::vector<algo::ParamRange> out;
  for (const IntegerRange& r : hpo.integer_ranges) {
    out.push_back({r.name,
                   K::kInteger,
                   static_cast<double>(r.min_value),
                   static_cast<double>(r.max_value),
                   {},
                   false});
  }
  for (const ContinuousRange& r : hpo.continuous_ranges) {
    out.push_back({r.name, K::kContinuous, r.min_value, r.max_value, {}, false});
  }
  for (const CategoricalRange& r : hpo.categorical_ranges) {
    out.push_back({r.name, K::kCategorical, 0, 0, r.values, false});
  }
  return out;
}

class Trainer {
 public:
  Trainer(const algo::RecipeRegistry& registry, const TrainingJobInput& input,
          int32_t num_catalog_items)
      : registry_(registry), input_(input), num_catalog_items_(num_catalog_items) {}

  StatusOr<std::unique_ptr<algo::Model>> Train(const RecipeEntry& recipe,
                                               const algo::Interactions& data,
                                               const algo::HyperParams& params,
                                               const std::string& stage) const {
    const algo::Recipe* algo_recipe = registry_.Find(recipe.algo_recipe);
    if (algo_recipe == nullptr) {
      return Status::Internal("recipe " + std::string(recipe.name) + " has no trainer");
    }
    algo::TrainContext ctx;
    ctx.num_threads = input_.num_threads;
    ctx.cancelled = input_.cancelled;
    int last_decile = -1;
    ctx.progress = [&](double f) {
      int decile = static_cast<int>(f * 10);
      if (decile != last_decile && input_.report) {
        last_decile = decile;
        input_.report(fmt::format("{}: {}% trained", stage, decile * 10));
      }
    };
    ctx.log = [&](const std::string& line) {
      if (input_.report) input_.report(stage + ": " + line);
    };
    auto start = std::chrono::steady_clock::now();
    StatusOr<std::unique_ptr<algo::Model>> model = algo_recipe->Train(data, params, ctx);
    if (model.ok() && input_.report) {
      input_.report(fmt::format(
          "{}: trained {} on {} events in {:.1f} s", stage, recipe.name, data.size(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));
    }
    if (!model.ok() && model.status().IsUnavailable()) {
      return Status::Unavailable("training was stopped");
    }
    return model;
  }

  StatusOr<std::map<std::string, double>> Evaluate(const RecipeEntry& recipe,
                                                   const algo::EvaluationSplit& split,
                                                   const algo::HyperParams& params,
                                                   const std::string& stage) const {
    TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<algo::Model> model,
                            Train(recipe, split.train, params, stage));
    TAILOR_ASSIGN_OR_RETURN(
        algo::RankingMetrics metrics,
        algo::EvaluateModel(*model, split, num_catalog_items_, input_.num_threads,
                            /*with_event_weights=*/!input_.config.event_parameters.empty()));
    return metrics.ToMap();
  }

 private:
  const algo::RecipeRegistry& registry_;
  const TrainingJobInput& input_;
  int32_t num_catalog_items_;
};

// The dataset type's entry of a trainingDataConfig map (keys in any case), or nullptr.
const std::vector<std::string>* ColumnsOf(
    const std::map<std::string, std::vector<std::string>>& map, data::DatasetType type) {
  for (const auto& [key, columns] : map) {
    StatusOr<data::DatasetType> parsed = data::ParseDatasetType(key);
    if (parsed.ok() && *parsed == type) return &columns;
  }
  return nullptr;
}

// Per row of `table`, the model's index of its item (-1 for an item the model lacks).
// REQUIRES: trained.BuildIndexes() has run.
std::vector<int32_t> ModelItemPerRow(const data::InteractionTable& table,
                                     const TrainedModel& trained) {
  std::vector<int32_t> table_to_model(table.item_ids.size());
  for (size_t i = 0; i < table.item_ids.size(); ++i) {
    table_to_model[i] = trained.ItemIndex(table.item_ids[i]);
  }
  std::vector<int32_t> item_per_row(table.num_rows());
  for (size_t r = 0; r < table.num_rows(); ++r) item_per_row[r] = table_to_model[table.items[r]];
  return item_per_row;
}

// Whether trainingDataConfig lets column `name` of a dataset of `dataset_type` train.
bool Trains(const SolutionConfig& config, data::DatasetType dataset_type, const std::string& name) {
  const auto* excluded = ColumnsOf(config.excluded_dataset_columns, dataset_type);
  const auto* included = ColumnsOf(config.included_dataset_columns, dataset_type);
  auto listed = [&](const std::vector<std::string>* columns) {
    return columns != nullptr &&
           std::find(columns->begin(), columns->end(), name) != columns->end();
  };
  return !listed(excluded) && (included == nullptr || listed(included));
}

// A column with more distinct values than this is an identifier rather than a context (a
// session or order id): learning it would cost memory for lifts that no value has the events
// to support, so it is left out, with a line in the log.
constexpr size_t kMaxContextValues = 100000;

using Report = std::function<void(const std::string&)>;

// Whether `values` distinct values are few enough to learn; reports the column when not.
bool FewEnoughValues(std::string_view what, const std::string& name, size_t values,
                     const Report& report) {
  if (values <= kMaxContextValues) return true;
  report(fmt::format("{} column {} has {} distinct values (more than {}); it is not learned", what,
                     name, values, kMaxContextValues));
  return false;
}

// An Items or Users dataset's columns that training learns from: the categorical ones other
// than `id_column` that trainingDataConfig keeps and that have few enough values.
std::vector<const data::TableColumn*> LearnedColumns(const data::DatasetTable& table,
                                                     data::DatasetType type,
                                                     const std::string& id_column,
                                                     const SolutionConfig& config,
                                                     const Report& report) {
  const std::string what(data::DatasetTypeName(type));
  std::vector<const data::TableColumn*> columns;
  for (const data::TableColumn& c : table.columns) {
    if (c.field.categorical && c.field.name != id_column && Trains(config, type, c.field.name) &&
        FewEnoughValues(what, c.field.name, c.dictionary.size(), report)) {
      columns.push_back(&c);
    }
  }
  return columns;
}

// The row of each id in a dataset's `ids` column (of `num_rows` rows): of a repeated id, the last.
std::unordered_map<std::string_view, int64_t> RowsById(const data::TableColumn& ids,
                                                       int64_t num_rows) {
  std::unordered_map<std::string_view, int64_t> row_of;
  for (int64_t row = 0; row < num_rows; ++row) row_of[ids.StringAt(static_cast<size_t>(row))] = row;
  return row_of;
}

// Counts how each context column's values go with the model's items (algo/context), over every
// event of an item the model knows. Columns trainingDataConfig leaves out are not learned.
// `item_per_row`: ModelItemPerRow(table, ...).
std::shared_ptr<const algo::ContextLift> LearnContext(const data::InteractionTable& table,
                                                      std::span<const int32_t> item_per_row,
                                                      int32_t num_items,
                                                      const SolutionConfig& config,
                                                      const Report& report) {
  std::vector<algo::ContextLift::ColumnInput> columns;
  for (const auto& column : table.context_columns) {
    if (!Trains(config, data::DatasetType::kInteractions, column.name)) continue;
    if (!FewEnoughValues("Interactions", column.name, column.values.size(), report)) continue;
    columns.push_back({column.name, column.values, column.value_per_row});
  }
  if (columns.empty()) return nullptr;
  auto lift = std::make_shared<algo::ContextLift>(
      algo::ContextLift::Build(num_items, item_per_row, columns));
  if (lift->empty()) return nullptr;
  return lift;
}

// The same counts for the Users dataset's categorical columns: each event takes the values of
// its user's row (users without a row have none). Columns trainingDataConfig leaves out are
// not learned.
std::shared_ptr<const algo::ContextLift> LearnUserMetadata(
    const data::InteractionTable& table, std::span<const int32_t> item_per_row, int32_t num_items,
    const data::DatasetTable& users, const SolutionConfig& config, const Report& report) {
  const data::TableColumn* ids = users.Find("USER_ID");
  if (ids == nullptr) return nullptr;
  const std::vector<const data::TableColumn*> columns =
      LearnedColumns(users, data::DatasetType::kUsers, "USER_ID", config, report);
  if (columns.empty()) return nullptr;
  const std::unordered_map<std::string_view, int64_t> row_of = RowsById(*ids, users.num_rows);
  std::vector<int64_t> user_row(table.user_ids.size(), -1);
  for (size_t u = 0; u < table.user_ids.size(); ++u) {
    auto it = row_of.find(table.user_ids[u]);
    if (it != row_of.end()) user_row[u] = it->second;
  }
  std::vector<std::vector<uint32_t>> per_row(columns.size());
  std::vector<algo::ContextLift::ColumnInput> inputs;
  for (size_t c = 0; c < columns.size(); ++c) {
    per_row[c].resize(table.num_rows());
    for (size_t r = 0; r < table.num_rows(); ++r) {
      const int64_t row = user_row[table.users[r]];
      per_row[c][r] =
          row < 0 ? algo::ContextLift::kNoValue : columns[c]->codes[static_cast<size_t>(row)];
    }
    inputs.push_back({columns[c]->field.name, columns[c]->dictionary, per_row[c]});
  }
  auto lift = std::make_shared<algo::ContextLift>(
      algo::ContextLift::Build(num_items, item_per_row, inputs));
  if (lift->empty()) return nullptr;
  return lift;
}

// A dataset's categorical values (Items: GENRES, STUDIO; Users: MEMBERSHIP…) as the features
// of the model's items or users (a value "Drama|Crime" is two, tokenized as serve::ItemTokens
// reads Items for serving), so that training places the items and users with little history
// near those that share them (algo/categorical_features.h). `id_column` names each row's item
// or user; `model_ids` are the model's, in index order. Columns trainingDataConfig leaves out,
// and identifier-like ones, are not used; null when no row of the model has a value.
std::shared_ptr<const algo::CategoricalFeatures> LearnableFeatures(
    const data::DatasetTable& table, data::DatasetType type, const std::string& id_column,
    const std::vector<std::string>& model_ids, const SolutionConfig& config, const Report& report) {
  const data::TableColumn* ids = table.Find(id_column);
  if (ids == nullptr) return nullptr;
  const std::string what(data::DatasetTypeName(type));
  data::DatasetTable used;
  used.num_rows = table.num_rows;
  std::string names;
  for (const data::TableColumn* c : LearnedColumns(table, type, id_column, config, report)) {
    used.columns.push_back(*c);
    names += (names.empty() ? "" : ", ") + c->field.name;
  }
  if (used.columns.empty()) return nullptr;
  const serve::ItemTokens tokens = serve::ItemTokens::Build(used, 0, {});
  const std::unordered_map<std::string_view, int64_t> row_of = RowsById(*ids, table.num_rows);
  auto features = std::make_shared<algo::CategoricalFeatures>();
  features->num_features = static_cast<int32_t>(tokens.num_tokens());
  std::vector<int32_t> of_row;
  size_t described = 0;
  for (const std::string& id : model_ids) {
    of_row.clear();
    auto it = row_of.find(id);
    if (it != row_of.end()) {
      for (uint32_t t : tokens.TokensOfRow(it->second)) of_row.push_back(static_cast<int32_t>(t));
    }
    described += of_row.empty() ? 0 : 1;
    features->AddRow(of_row);
  }
  if (described == 0) return nullptr;
  report(fmt::format("{} metadata: {} values of the columns {}, on {} of the {} {}", what,
                     features->num_features, names, described, model_ids.size(),
                     type == data::DatasetType::kItems ? "items" : "users"));
  return features;
}

// Trending-Now's own metric (algo/metrics/trend_accuracy.h), with the version's window; left
// out, with a log line, when the data has nothing before its newest window or nothing gained.
Status AddTrendAccuracy(const Trainer& trainer, const RecipeEntry& recipe,
                        const algo::Interactions& data, const algo::HyperParams& params,
                        const std::function<void(const std::string&)>& report,
                        std::map<std::string, double>* metrics) {
  TAILOR_ASSIGN_OR_RETURN(int64_t window, algo::TrendingModel::WindowSecondsOf(params));
  TAILOR_ASSIGN_OR_RETURN(std::optional<algo::TrendSplit> split, algo::SplitForTrend(data, window));
  if (!split) {
    report(
        "trend_prediction_accuracy left out: no events before the newest window, or no item "
        "gained events in it");
    return Status::OK();
  }
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<algo::Model> model,
                          trainer.Train(recipe, split->train, params, "trend accuracy"));
  TAILOR_ASSIGN_OR_RETURN(double accuracy, algo::TrendPredictionAccuracy(*model, *split));
  (*metrics)["trend_prediction_accuracy"] = accuracy;
  report(fmt::format("trend prediction accuracy on the newest window: {:.4f}", accuracy));
  return Status::OK();
}

}  // namespace

StatusOr<SelectedEvents> SelectEvents(const data::InteractionTable& table,
                                      const std::string& event_type,
                                      const std::string& threshold_text,
                                      const std::vector<EventParameters>& event_parameters) {
  uint32_t wanted_type = data::InteractionTable::kNoEventType;
  if (!event_type.empty()) {
    if (table.event_type_per_row.empty()) {
      return Status::InvalidInput("The solution trains on eventType '" + event_type +
                                  "', but the Interactions dataset has no EVENT_TYPE column.");
    }
    auto it = std::find(table.event_types.begin(), table.event_types.end(), event_type);
    if (it == table.event_types.end()) {
      return Status::InvalidInput("No interactions have the event type '" + event_type +
                                  "' the solution trains on.");
    }
    wanted_type = static_cast<uint32_t>(it - table.event_types.begin());
  }
  bool use_threshold = !threshold_text.empty();
  double threshold = 0;
  if (use_threshold) {
    char* end = nullptr;
    threshold = std::strtod(threshold_text.c_str(), &end);
    if (end == threshold_text.c_str() || *end != '\0' || !std::isfinite(threshold)) {
      return Status::InvalidInput("solutionConfig.eventValueThreshold '" + threshold_text +
                                  "' is not a number.");
    }
    if (table.event_values.empty()) {
      return Status::InvalidInput(
          "solutionConfig.eventValueThreshold needs an EVENT_VALUE column in the Interactions "
          "dataset.");
    }
  }
  // eventsConfig: per event type of the table, whether it trains, its threshold and weight.
  struct TypeRule {
    bool listed = false;
    bool has_threshold = false;
    double threshold = 0;
    float weight = 1;
  };
  std::vector<TypeRule> rules;
  if (!event_parameters.empty()) {
    if (table.event_type_per_row.empty()) {
      return Status::InvalidInput(
          "solutionConfig.eventsConfig needs an EVENT_TYPE column in the Interactions dataset.");
    }
    rules.resize(table.event_types.size());
    for (const EventParameters& e : event_parameters) {
      auto it = std::find(table.event_types.begin(), table.event_types.end(), e.event_type);
      if (it == table.event_types.end()) {
        return Status::InvalidInput("No interactions have the event type '" + e.event_type +
                                    "' that solutionConfig.eventsConfig lists.");
      }
      if (e.has_event_value_threshold && table.event_values.empty()) {
        return Status::InvalidInput(
            "solutionConfig.eventsConfig gives an eventValueThreshold, but the Interactions "
            "dataset has no EVENT_VALUE column.");
      }
      rules[it - table.event_types.begin()] = {
          true, e.has_event_value_threshold, e.event_value_threshold, static_cast<float>(e.weight)};
    }
  }
  SelectedEvents out;
  std::vector<int32_t> user_map(table.user_ids.size(), -1), item_map(table.item_ids.size(), -1);
  // The table's event type index (and one more for none) -> the index the model learns.
  std::vector<int32_t> type_map(table.event_types.size() + 1, -1);
  for (size_t row = 0; row < table.num_rows(); ++row) {
    if (wanted_type != data::InteractionTable::kNoEventType &&
        table.event_type_per_row[row] != wanted_type) {
      continue;
    }
    // NaN (a null EVENT_VALUE) fails the comparison, so such events are left out.
    if (use_threshold && !(table.event_values[row] >= threshold)) continue;
    float weight = 1;
    if (!rules.empty()) {
      const uint32_t type = table.event_type_per_row[row];
      if (type >= rules.size() || !rules[type].listed) continue;
      const TypeRule& rule = rules[type];
      if (rule.has_threshold && !(table.event_values[row] >= rule.threshold)) continue;
      // A weight of 0 keeps the events out of the confidence; they cannot train anything.
      if (rule.weight <= 0) continue;
      weight = rule.weight;
    }
    int32_t& u = user_map[table.users[row]];
    if (u < 0) {
      u = static_cast<int32_t>(out.user_ids.size());
      out.user_ids.push_back(table.user_ids[table.users[row]]);
    }
    int32_t& i = item_map[table.items[row]];
    if (i < 0) {
      i = static_cast<int32_t>(out.item_ids.size());
      out.item_ids.push_back(table.item_ids[table.items[row]]);
    }
    if (rules.empty()) {
      out.data.Add(u, i, table.timestamps[row]);
    } else {
      out.data.Add(u, i, table.timestamps[row], weight);
    }
    if (!table.event_type_per_row.empty()) {
      const uint32_t type = table.event_type_per_row[row];
      int32_t& t = type_map[type < table.event_types.size() ? type : table.event_types.size()];
      if (t < 0) {
        t = static_cast<int32_t>(std::min<size_t>(out.event_types.size(), 255));
        if (t < 255) {
          out.event_types.push_back(type < table.event_types.size() ? table.event_types[type]
                                                                    : std::string());
        }
      }
      out.data.SetLastEventType(static_cast<uint8_t>(t));
    }
  }
  out.data.num_users = static_cast<int32_t>(out.user_ids.size());
  out.data.num_items = static_cast<int32_t>(out.item_ids.size());
  return out;
}

Status ValidateObjectiveMetric(const std::string& metric_name, bool with_event_weights) {
  if (metric_name.empty()) return Status::OK();
  algo::RankingMetrics all;
  all.has_event_weights = with_event_weights;
  std::map<std::string, double> names = all.ToMap();
  if (names.count(metric_name) == 0) {
    std::string known;
    for (const auto& [name, v] : names) known += (known.empty() ? "" : ", ") + name;
    return Status::InvalidInput("The objective metric '" + metric_name +
                                "' is not one Tailor computes; use one of " + known + ".");
  }
  return Status::OK();
}

StatusOr<TrainingJobResult> TrainSolutionVersion(const algo::RecipeRegistry& registry,
                                                 const TrainingJobInput& input) {
  auto cancelled = [&] { return input.cancelled && input.cancelled(); };
  auto report = [&](const std::string& line) {
    if (input.report) input.report(line);
  };
  TAILOR_ASSIGN_OR_RETURN(SelectedEvents events, SelectEvents(*input.interactions, input.event_type,
                                                              input.config.event_value_threshold,
                                                              input.config.event_parameters));
  TAILOR_RETURN_IF_ERROR(CheckMinimums(events.data, input));
  report(fmt::format("{} events of {} users on {} items selected", events.data.size(),
                     events.user_ids.size(), events.item_ids.size()));
  if (input.items != nullptr) {
    events.data.item_features = LearnableFeatures(*input.items, data::DatasetType::kItems,
                                                  "ITEM_ID", events.item_ids, input.config, report);
  }
  if (input.users != nullptr) {
    events.data.user_features = LearnableFeatures(*input.users, data::DatasetType::kUsers,
                                                  "USER_ID", events.user_ids, input.config, report);
  }

  std::unordered_set<std::string_view> catalog(events.item_ids.begin(), events.item_ids.end());
  if (input.items != nullptr) {
    if (const data::TableColumn* ids = input.items->Find("ITEM_ID")) {
      for (int64_t row = 0; row < input.items->num_rows; ++row) {
        catalog.insert(ids->StringAt(static_cast<size_t>(row)));
      }
    }
  }
  Trainer trainer(registry, input, static_cast<int32_t>(catalog.size()));

  TAILOR_ASSIGN_OR_RETURN(algo::EvaluationSplit split,
                          algo::SplitForEvaluation(events.data, {.seed = input.seed}));
  const bool search = input.perform_auto_ml || input.perform_hpo;
  algo::EvaluationSplit validation;
  if (search) {
    TAILOR_ASSIGN_OR_RETURN(validation,
                            algo::SplitForEvaluation(split.train, {.seed = input.seed + 1}));
  }
  const HpoConfig& hpo = input.config.hpo_config;
  const std::string objective =
      hpo.objective_metric_name.empty() ? kDefaultObjective : hpo.objective_metric_name;
  const bool event_weighted = !input.config.event_parameters.empty();
  TAILOR_RETURN_IF_ERROR(ValidateObjectiveMetric(objective, event_weighted));
  algo::HyperParams given(input.config.algorithm_hyper_parameters);
  if (input.recipe != nullptr) {
    TAILOR_ASSIGN_OR_RETURN(given, TrainingHyperParams(registry, *input.recipe, input.config));
  }

  // AutoML: the USER_PERSONALIZATION recipe that scores best on the validation users.
  const RecipeEntry* recipe = input.recipe;
  if (input.perform_auto_ml) {
    std::vector<const RecipeEntry*> candidates;
    for (const std::string& name : input.config.auto_ml_recipe_list) {
      TAILOR_ASSIGN_OR_RETURN(const RecipeEntry* entry,
                              FindRecipe("solutionConfig.autoMLConfig.recipeList", name));
      candidates.push_back(entry);
    }
    if (candidates.empty()) {
      for (const char* name : {"aws-user-personalization", "tailor-ials", "tailor-ease"}) {
        TAILOR_ASSIGN_OR_RETURN(const RecipeEntry* entry, FindRecipe("recipe", name));
        candidates.push_back(entry);
      }
    }
    const std::string metric =
        input.config.auto_ml_metric_name.empty() ? objective : input.config.auto_ml_metric_name;
    TAILOR_RETURN_IF_ERROR(ValidateObjectiveMetric(metric, event_weighted));
    double best = -1;
    for (size_t k = 0; k < candidates.size(); ++k) {
      if (cancelled()) return Status::Unavailable("training was stopped");
      const std::string stage =
          fmt::format("AutoML candidate {}/{} ({})", k + 1, candidates.size(), candidates[k]->name);
      StatusOr<std::map<std::string, double>> m =
          trainer.Evaluate(*candidates[k], validation, {}, stage);
      if (!m.ok()) {
        if (m.status().IsUnavailable()) return m.status();
        report(stage + " failed: " + m.status().message());
        continue;
      }
      report(fmt::format("{}: {} {:.4f}", stage, metric, m->at(metric)));
      if (m->at(metric) > best) {
        best = m->at(metric);
        recipe = candidates[k];
      }
    }
    if (best < 0) return Status::InvalidInput("No AutoML candidate recipe could be trained.");
  }

  algo::HyperParams chosen = given;
  if (input.perform_hpo) {
    const algo::Recipe* algo_recipe = registry.Find(recipe->algo_recipe);
    std::vector<algo::ParamRange> limits =
        algo_recipe ? algo_recipe->TunableRanges() : std::vector<algo::ParamRange>{};
    std::vector<algo::ParamRange> ranges = RangesOf(hpo);
    if (ranges.empty()) ranges = limits;
    TAILOR_RETURN_IF_ERROR(algo::ValidateRanges(ranges, limits));
    int jobs = hpo.max_number_of_training_jobs > 0 ? hpo.max_number_of_training_jobs
                                                   : input.default_hpo_training_jobs;
    // The search starts from what the user gave, plus the recipe's defaults for the searched
    // parameters only, so that an alias the user gave (hidden_dimension for factors) is not
    // overridden by a default under its other name.
    algo::HyperParams base = given;
    const algo::HyperParams defaults =
        algo_recipe ? algo_recipe->DefaultParams() : algo::HyperParams();
    for (const algo::ParamRange& r : ranges) {
      if (!base.Has(r.name) && defaults.Has(r.name)) base.Set(r.name, defaults.values().at(r.name));
    }
    std::vector<algo::HyperParams> candidates =
        algo::SampleCandidates(base, ranges, std::max(1, jobs), input.seed);
    double best = -1;
    Status first_failure;
    for (size_t k = 0; k < candidates.size(); ++k) {
      if (cancelled()) return Status::Unavailable("training was stopped");
      const std::string stage = fmt::format("HPO candidate {}/{}", k + 1, candidates.size());
      StatusOr<std::map<std::string, double>> m =
          trainer.Evaluate(*recipe, validation, candidates[k], stage);
      if (!m.ok()) {
        if (m.status().IsUnavailable()) return m.status();
        if (first_failure.ok()) first_failure = m.status();
        report(stage + " failed: " + m.status().message());
        continue;
      }
      report(fmt::format("{}: {} {:.4f}", stage, objective, m->at(objective)));
      if (m->at(objective) > best) {
        best = m->at(objective);
        chosen = candidates[k];
      }
    }
    // A bad fixed hyper-parameter fails every candidate: its error names it.
    if (best < 0) return first_failure;
  }

  if (cancelled()) return Status::Unavailable("training was stopped");
  using MetricMap = std::map<std::string, double>;
  MetricMap metrics;
  if (recipe->recipe_type == std::string_view(kUserSegmentation)) {
    // Segments are judged by the users they find (§5): hit and recall of the top 1% of users,
    // on each user's newest 20% of events.
    TAILOR_ASSIGN_OR_RETURN(algo::SegmentSplit segment_split, algo::SplitForSegments(events.data));
    TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<algo::Model> model,
                            trainer.Train(*recipe, segment_split.train, chosen, "offline metrics"));
    TAILOR_ASSIGN_OR_RETURN(algo::SegmentMetrics segments,
                            algo::EvaluateSegments(*model, segment_split));
    metrics = segments.ToMap();
    report(fmt::format(
        "offline metrics on {} items with held-out events: hit {:.4f}, recall "
        "{:.4f} (segments of {} users)",
        segments.items, segments.hit, segments.recall, algo::SegmentSize(events.data.num_users)));
  } else {
    TAILOR_ASSIGN_OR_RETURN(metrics, trainer.Evaluate(*recipe, split, chosen, "offline metrics"));
    report(
        fmt::format("offline metrics on {} held-out users: ndcg@10 {:.4f}, precision@10 "
                    "{:.4f}, coverage {:.4f}",
                    split.test.size(), metrics.at("normalized_discounted_cumulative_gain_at_10"),
                    metrics.at("precision_at_10"), metrics.at("coverage")));
  }
  if (recipe->recipe_type == std::string_view(kPopularItems)) {
    TAILOR_RETURN_IF_ERROR(
        AddTrendAccuracy(trainer, *recipe, events.data, chosen, report, &metrics));
  }
  if (cancelled()) return Status::Unavailable("training was stopped");
  // The held-out copies are done with: the final model trains on everything without them beside
  // it (on 25 M interactions they are another 90% of the events).
  split = algo::EvaluationSplit();
  validation = algo::EvaluationSplit();
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<algo::Model> final_model,
                          trainer.Train(*recipe, events.data, chosen, "final model"));
  // Campaigns serve this very model (it is not read back from its artifact): build its serving
  // indexes now, as loading an artifact does.
  final_model->PrepareForServing();

  TrainingJobResult result;
  result.recipe = recipe;
  result.hyper_parameters = chosen.values();
  result.metrics = std::move(metrics);
  result.num_interactions = static_cast<int64_t>(events.data.size());
  auto trained = std::make_shared<TrainedModel>();
  trained->recipe_name = std::string(recipe->name);
  trained->user_ids = std::move(events.user_ids);
  trained->item_ids = std::move(events.item_ids);
  trained->event_types = std::move(events.event_types);
  trained->model = std::move(final_model);
  trained->BuildIndexes();
  // Context (GetRecommendations' `context`) re-weights personal scores, and the Users
  // dataset's metadata answers users without history: the recipes that have them learn both.
  const data::InteractionTable& table = *input.interactions;
  if ((recipe->recipe_type == std::string_view(kUserPersonalization) ||
       recipe->recipe_type == std::string_view(kPersonalizedRanking)) &&
      (!table.context_columns.empty() || input.users != nullptr)) {
    const std::vector<int32_t> item_per_row = ModelItemPerRow(table, *trained);
    const int32_t num_items = static_cast<int32_t>(trained->item_ids.size());
    trained->context = LearnContext(table, item_per_row, num_items, input.config, report);
    if (trained->context) {
      std::string names;
      for (const std::string& n : trained->context->ColumnNames()) {
        names += (names.empty() ? "" : ", ") + n;
      }
      report("context learned from the Interactions columns " + names);
    }
    if (input.users != nullptr) {
      trained->user_metadata =
          LearnUserMetadata(table, item_per_row, num_items, *input.users, input.config, report);
    }
  }
  result.model = std::move(trained);
  return result;
}

}  // namespace tailor::core
