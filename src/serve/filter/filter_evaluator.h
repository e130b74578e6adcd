// FilterEvaluator: a FilterPlan bound to a FilterIndex, turning each request into an exclusion
// bitset over the catalogue (set bit = filtered out), the form of RecommendOptions::exclude
// (algo/model.h). Conditions that do not depend on the request are evaluated once, at Create;
// the rest cost O(catalogue / 64) word operations each, plus the request's interactions.
// Thread-safety: immutable after Create; Evaluate is safe from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"
#include "serve/filter/filter_expression.h"
#include "serve/filter/filter_values.h"

namespace tailor::serve {

class FilterIndex;
struct CompiledFilterExpression;

// One of the requesting user's interactions, for Interactions (or ActionInteractions)
// conditions of item (action) filters.
struct FilterInteraction {
  int32_t item = -1;            // dense catalogue index; entries outside [0, size) are ignored
  std::string_view event_type;  // matched ignoring case; "" when the event has no type
};

// Per-request inputs (style.md C3). Everything is borrowed for the duration of the call.
struct FilterRequest {
  // The request's filterValues; null or empty when it has none.
  const FilterValueMap* filter_values = nullptr;
  // The requesting user, for IF CurrentUser (looked up in the Users table). Empty when the
  // request has none; an IF clause then does not hold.
  std::string_view user_id;
  // The user's recent interactions, for item / action filters with Interactions conditions.
  // Personalize considers the latest 100 interactions per event type (300 for action
  // interactions, §9); the caller chooses and passes them, in any order. Ignored by UserID
  // filters, which read every user's interactions from the FilterIndex.
  std::span<const FilterInteraction> interactions{};
  // The request's itemId, for CurrentItem.X (looked up in the Items table, so an item unknown
  // to the model still works). Empty when the request has none.
  std::string_view current_item_id;
};

// Semantics (§9), for one catalogue entry e (an item, user or action):
//   - A metadata condition (Items / Users / Actions) never matches when e has no row. On a
//     string column, IN matches when any value of e (each '|'-separated part of a categorical
//     column, the whole value otherwise) equals a listed value exactly; = is IN with one value;
//     NOT IN is "has a row and IN does not match", so it matches a null value. On a numeric
//     column (int, long, float, double, timestamps) the listed values are numbers: IN is
//     numeric equality with any of them, comparisons need a non-null value.
//   - CurrentItem.X on the right stands for the current item's values of X (none when the
//     request's item has no Items row or X is null: IN and comparisons then match nothing).
//   - Interactions.EVENT_TYPE IN (...) matches e when the user has an interaction with e whose
//     event type equals a listed one ignoring case, or any interaction when "*" is listed;
//     NOT IN matches when one of them has a type outside the list (never with "*"). For UserID
//     filters "the user" is e itself and the item does not matter.
//   - An expression's result is the OR of its AND groups. It applies only when its IF clause
//     holds for the requesting user (a user without a Users row fails every IF condition).
//   - An EXCLUDE expression with a placeholder that has no value is skipped; an INCLUDE one is
//     an error. A blank value (empty or spaces) counts as no value.
//   - The entries kept are (the union of the INCLUDE results that apply, or everything when
//     none applies) minus the union of the EXCLUDE results that apply.
class FilterEvaluator {
 public:
  // Binds `plan` to `index` and evaluates whatever does not depend on the request. Returns
  // InvalidInput when:
  //   - the plan's target differs from the index's (an ItemID filter on a user catalogue...);
  //   - the plan uses a dataset the index was built without (no Items table for Items.X, no
  //     Users table for IF CurrentUser.X, no interactions for a UserID filter's Interactions);
  //   - a column does not exist (names match exactly, else ignoring case), or is textual or
  //     boolean (§9);
  //   - a comparison (<, <=, >, >=) is on a string column, or a listed value of a numeric
  //     column is not a number;
  //   - CurrentItem.X has another kind (string / numeric) than the column it is compared with.
  // The evaluator shares ownership of `index` (REQUIRES: non-null).
  static StatusOr<std::unique_ptr<FilterEvaluator>> Create(
      FilterPlan plan, std::shared_ptr<const FilterIndex> index);

  ~FilterEvaluator();
  FilterEvaluator(const FilterEvaluator&) = delete;
  FilterEvaluator& operator=(const FilterEvaluator&) = delete;

  // Writes to *exclude BitsetWords(size()) words: bit i set = entry i is filtered out. A filter
  // that removes everything yields every bit set (bits past size() stay zero); that is not an
  // error. Returns InvalidInput when filterValues breaks ValidateFilterValues, when an INCLUDE
  // expression's placeholder has no value (naming it), when a value list is malformed, when a
  // placeholder used in a comparison has other than one value or a numeric column gets a value
  // that is not a number, or when the plan uses CurrentItem and the request has no itemId.
  // *exclude is unspecified on error. REQUIRES: exclude != nullptr.
  Status Evaluate(const FilterRequest& request, std::vector<uint64_t>* exclude) const;

  const FilterPlan& plan() const { return plan_; }
  // The catalogue size of the index.
  size_t size() const;

 private:
  FilterEvaluator(FilterPlan plan, std::shared_ptr<const FilterIndex> index);

  const FilterPlan plan_;
  const std::shared_ptr<const FilterIndex> index_;
  std::vector<CompiledFilterExpression> expressions_;  // one per plan_.expressions()
  // When no expression depends on the request: the answer, computed once.
  bool constant_ = false;
  std::vector<uint64_t> constant_exclude_;
};

}  // namespace tailor::serve
