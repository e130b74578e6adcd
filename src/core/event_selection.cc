#include "core/event_selection.h"

#include <cstdlib>
#include <utility>

namespace tailor::core {

EventSelection::EventSelection(std::string event_type, const SolutionConfig& config)
    : event_type_(std::move(event_type)), listed_(config.event_parameters) {
  if (!config.event_value_threshold.empty()) {
    has_threshold_ = true;
    threshold_ = std::strtod(config.event_value_threshold.c_str(), nullptr);
  }
}

bool EventSelection::Selects(std::string_view event_type, float value) const {
  if (!event_type_.empty() && event_type != event_type_) return false;
  // NaN fails the comparisons, so an event without a value fails a threshold.
  if (has_threshold_ && !(value >= threshold_)) return false;
  if (listed_.empty()) return true;
  for (const EventParameters& e : listed_) {
    if (e.event_type != event_type) continue;
    if (e.has_event_value_threshold && !(value >= e.event_value_threshold)) return false;
    return e.weight > 0;  // a weight of 0 trains nothing
  }
  return false;
}

}  // namespace tailor::core
