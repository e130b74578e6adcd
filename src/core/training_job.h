// TrainSolutionVersion: the work of one solution version, independent of the catalog so it can
// be tested on its own. From the dataset group's interactions it selects the events the
// solution asks for, checks Personalize's data minimums, holds out users for the offline
// metrics (personalize-semantics.md §5), runs AutoML and HPO on a validation split of the
// training users when asked, and trains the final model on every event.
// Thread-safety: a pure function of its inputs; the callbacks are called from its thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "algo/interaction_matrix.h"
#include "common/status_or.h"
#include "core/recipe_catalog.h"
#include "core/resources.h"
#include "core/trained_model.h"
#include "data/table.h"

namespace tailor::core {

// The events a solution trains on, with dense indices over the users and items that remain.
// Every event carries weight 1, except under eventsConfig, where only the listed event types
// remain, each event with its type's weight (the confidence ALS trains with).
struct SelectedEvents {
  algo::Interactions data;
  std::vector<std::string> user_ids;
  std::vector<std::string> item_ids;
  // data.event_type's names, in order of first appearance ("" for events without a type);
  // the 256th and later types share index 255 and are not listed.
  std::vector<std::string> event_types;
};

// Selects the events of `event_type` ("" = all), with EVENT_VALUE >= `threshold_text` (""
// = no threshold), and under `event_parameters` (solutionConfig.eventsConfig; empty = none).
// InvalidInput naming what does not fit the table.
StatusOr<SelectedEvents> SelectEvents(const data::InteractionTable& table,
                                      const std::string& event_type,
                                      const std::string& threshold_text,
                                      const std::vector<EventParameters>& event_parameters);

struct TrainingJobInput {
  // Borrowed for the duration of the call.
  const data::InteractionTable* interactions = nullptr;
  // The Users dataset (null when there is none): its categorical columns tell which items users
  // without history are likelier to want (TrainedModel::user_metadata), and place the users
  // with little history near the users that share them.
  const data::DatasetTable* users = nullptr;
  // The Items dataset (null when there is none): with the interactions' items its ITEM_IDs are
  // the catalogue whose share of recommended items is `coverage`, and its categorical values
  // place the items with little history near the items that share them
  // (algo::CategoricalFeatures).
  const data::DatasetTable* items = nullptr;

  const RecipeEntry* recipe = nullptr;  // REQUIRES: non-null unless perform_auto_ml
  std::string event_type;               // "" = every event type
  bool perform_hpo = false;
  bool perform_auto_ml = false;
  SolutionConfig config;

  int num_threads = 2;
  int default_hpo_training_jobs = 8;
  int64_t min_interactions = 1000;
  int64_t min_users = 25;
  uint64_t seed = 42;

  // Polled between steps and inside training; true stops the job with Unavailable.
  std::function<bool()> cancelled;
  // Human-readable progress lines ("HPO candidate 3/8: ndcg@10 0.1021"), for the log.
  std::function<void(const std::string&)> report;
};

struct TrainingJobResult {
  const RecipeEntry* recipe = nullptr;                  // the recipe trained (the AutoML winner)
  std::map<std::string, std::string> hyper_parameters;  // what the final model used
  std::map<std::string, double> metrics;
  int64_t num_interactions = 0;  // events trained on
  std::shared_ptr<const TrainedModel> model;
};

// InvalidInput with a user-facing reason (the version's failureReason) when the data or the
// configuration cannot be trained: no events after selection, too few interactions or users, a
// bad hyper-parameter (named), an empty HPO range. Unavailable when cancelled.
StatusOr<TrainingJobResult> TrainSolutionVersion(const algo::RecipeRegistry& registry,
                                                 const TrainingJobInput& input);

// The metric HPO and AutoML maximise for `metric_name` ("" = NDCG@10). InvalidInput for an
// unknown name; the event-weighted NDCG names are known only with_event_weights (eventsConfig).
Status ValidateObjectiveMetric(const std::string& metric_name, bool with_event_weights = false);

}  // namespace tailor::core
