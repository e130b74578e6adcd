// EventSelection: which events a solution trains on (personalize-semantics.md §4: eventType,
// solutionConfig.eventValueThreshold, eventsConfig's listed types with their own thresholds),
// as a test on one event, for real-time events that reach a model without retraining
// (Trending-Now's counts). Training applies the same rules to the imported table in bulk
// (SelectEvents, training_job.h).
// Thread-safety: a value type; const methods are safe from many threads.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "core/resources.h"

namespace tailor::core {

class EventSelection {
 public:
  EventSelection() = default;
  // The rules of a solution version (its eventType and solutionConfig, already validated).
  EventSelection(std::string event_type, const SolutionConfig& config);

  // Whether an event of `event_type` with `value` (NaN: none) trains. A threshold is passed by
  // a value at or above it; an event without a value fails every threshold.
  bool Selects(std::string_view event_type, float value) const;

 private:
  std::string event_type_;  // "" = any
  bool has_threshold_ = false;
  double threshold_ = 0;
  std::vector<EventParameters> listed_;  // eventsConfig; empty = every type
};

}  // namespace tailor::core
