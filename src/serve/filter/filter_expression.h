// FilterPlan: a Personalize filter expression (personalize-semantics.md §9) parsed once into an
// immutable plan: a list of INCLUDE / EXCLUDE expressions, each an OR of AND groups of
// conditions plus an optional IF CurrentUser clause. Evaluation lives in filter_evaluator.h.
// Thread-safety: a FilterPlan is an immutable value; const methods are safe from any thread.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::serve {

// §9 CreateFilter: filterExpression is 1-2500 characters.
inline constexpr size_t kMaxFilterExpressionLength = 2500;
// §9 limits: at most 10 distinct dataset fields per filter.
inline constexpr size_t kMaxFilterFields = 10;
// §9 filterValues keys: `[A-Za-z0-9_]+`, at most 50 characters; placeholders share the rule.
inline constexpr size_t kMaxPlaceholderNameLength = 50;

enum class FilterAction { kInclude, kExclude };

// What the filter selects: items, users (segments) or actions.
enum class FilterTarget { kItemId, kUserId, kActionId };

// The dataset on the left of a WHERE condition. IF conditions use kUsers (CurrentUser.X tests
// the requesting user's Users row).
enum class FilterDataset { kItems, kInteractions, kUsers, kActions, kActionInteractions };

enum class FilterOp { kIn, kNotIn, kEq, kLt, kLe, kGt, kGe };

// One element of an IN list, or the single operand of a comparison.
struct FilterValue {
  enum class Kind { kString, kNumber, kPlaceholder, kWildcard };
  Kind kind = Kind::kString;
  // kString: the unescaped text; kNumber: the number as written (IN on a string column matches
  // this spelling); kPlaceholder: the name without '$'; kWildcard: "*" (written * or "*", and
  // only for Interactions.EVENT_TYPE: any event type).
  std::string text;
  double number = 0;  // kNumber only
};

// DATASET.COLUMN. Column names keep the case they were written in.
struct FilterField {
  FilterDataset dataset = FilterDataset::kItems;
  std::string column;
};

struct FilterCondition {
  FilterField field;  // the left side
  FilterOp op = FilterOp::kIn;
  // The right side. Either `values` (an IN list, or exactly one value for a comparison) or,
  // when `current_item_column` is non-empty, CurrentItem.<current_item_column>; never both.
  std::vector<FilterValue> values;
  std::string current_item_column;
  size_t position = 0;  // 1-based position of the field in the expression text

  bool uses_current_item() const { return !current_item_column.empty(); }
};

struct FilterExpression {
  FilterAction action = FilterAction::kInclude;
  FilterTarget target = FilterTarget::kItemId;
  FilterDataset dataset = FilterDataset::kItems;  // the dataset of every WHERE condition
  // The WHERE conditions as an OR of AND groups: AND binds tighter than OR, so
  // "A AND B OR C" is {{A, B}, {C}}. Never empty; no group is empty.
  std::vector<std::vector<FilterCondition>> any_of;
  // The IF CurrentUser.X conditions, all of which must hold for the expression to apply
  // (field.dataset is kUsers). Empty when there is no IF clause.
  std::vector<FilterCondition> if_all;
  std::set<std::string> placeholders;  // names (without '$') used anywhere in the expression
  size_t position = 0;                 // 1-based position of INCLUDE / EXCLUDE
};

class FilterPlan {
 public:
  // Parses a filter expression (grammar in §9). Keywords (INCLUDE, ItemID, WHERE, IN, NOT, AND,
  // OR, IF), dataset names and CurrentItem / CurrentUser are accepted in any case; column names
  // and placeholder names are kept as written. AND binds tighter than OR.
  // Returns InvalidInput, with a message that names the 1-based character position and the
  // offending token ("Invalid filter expression at position 35: expected IN, NOT IN or a
  // comparison after Items.GENRES, found 'WHEN'"), when:
  //   - the text is empty or longer than kMaxFilterExpressionLength;
  //   - the grammar is broken (unknown character, unterminated string, missing keyword...);
  //   - a restriction of §9 is broken: conditions chained with AND / OR use another dataset than
  //     the first; Interactions mixed with Items (or ActionInteractions with Actions); a column
  //     other than EVENT_TYPE on Interactions; "*" outside Interactions.EVENT_TYPE; a
  //     placeholder with NOT IN; a dataset that does not fit the target (ItemID: Items,
  //     Interactions; UserID: Users, Interactions; ActionID: Actions, ActionInteractions);
  //     CurrentItem outside ItemID filters; IF outside ItemID / ActionID filters, or more than
  //     one IF; expressions joined with '|' that select different targets; a quoted string
  //     compared with <, <=, > or >=; more than kMaxFilterFields distinct fields.
  // Column existence and types are checked later, against the data (FilterEvaluator::Create).
  static StatusOr<FilterPlan> Parse(std::string_view expression);

  const std::string& text() const { return text_; }
  FilterTarget target() const { return target_; }
  const std::vector<FilterExpression>& expressions() const { return expressions_; }

  // Every placeholder name (without '$') in the plan, for request validation.
  const std::set<std::string>& placeholders() const { return placeholders_; }
  // The placeholders of INCLUDE expressions: a request must give values for all of them, while
  // an EXCLUDE expression with a missing value is skipped (§9).
  const std::set<std::string>& required_placeholders() const { return required_placeholders_; }
  // Distinct dataset fields ("Items.GENRES", "Users.AGE"; CurrentItem.X counts as Items.X and
  // CurrentUser.X as Users.X), for the per-filter and per-group field limits of §9.
  const std::set<std::string>& fields() const { return fields_; }

  // Whether evaluation needs the requesting user's recent interactions: an item or action
  // filter with an Interactions / ActionInteractions condition. (UserID filters read every
  // user's interactions from the FilterIndex instead.)
  bool needs_interactions() const { return needs_interactions_; }
  // Whether evaluation needs the requesting user's Users metadata (an IF CurrentUser clause).
  bool needs_user_metadata() const { return needs_user_metadata_; }
  // Whether a request needs a userId at all (§7: RELATED_ITEMS and POPULAR_ITEMS need one only
  // when the filter refers to Interactions, Users or CurrentUser).
  bool needs_user() const { return needs_interactions_ || needs_user_metadata_; }
  // Whether a request needs an itemId: some condition compares with CurrentItem.X.
  bool needs_current_item() const { return needs_current_item_; }

  // The canonical text: upper-case keywords, one space between tokens, strings re-escaped.
  // Parse(ToString()) yields the same plan.
  std::string ToString() const;

 private:
  FilterPlan() = default;

  std::string text_;
  FilterTarget target_ = FilterTarget::kItemId;
  std::vector<FilterExpression> expressions_;
  std::set<std::string> placeholders_;
  std::set<std::string> required_placeholders_;
  std::set<std::string> fields_;
  bool needs_interactions_ = false;
  bool needs_user_metadata_ = false;
  bool needs_current_item_ = false;
};

// "Items", "Interactions", "Users", "Actions", "ActionInteractions".
std::string_view FilterDatasetName(FilterDataset dataset);
// "ItemID", "UserID", "ActionID".
std::string_view FilterTargetName(FilterTarget target);
// "IN", "NOT IN", "=", "<", "<=", ">", ">=".
std::string_view FilterOpName(FilterOp op);

}  // namespace tailor::serve
