#include "serve/filter/filter_evaluator.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <utility>

#include "data/table.h"
#include "serve/filter/bitset_ops.h"
#include "serve/filter/column_index.h"
#include "serve/filter/filter_index.h"

namespace tailor::serve {

namespace {

bool IsComparison(FilterOp op) {
  return op == FilterOp::kLt || op == FilterOp::kLe || op == FilterOp::kGt || op == FilterOp::kGe;
}

bool IsEventDataset(FilterDataset dataset) {
  return dataset == FilterDataset::kInteractions || dataset == FilterDataset::kActionInteractions;
}

// Whether `text` equals `lower` (already lower case) ignoring ASCII case.
bool EqualsLowered(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool CompareNumbers(FilterOp op, double value, double x) {
  switch (op) {
    case FilterOp::kEq:
    case FilterOp::kIn:
      return value == x;
    case FilterOp::kLt:
      return value < x;
    case FilterOp::kLe:
      return value <= x;
    case FilterOp::kGt:
      return value > x;
    case FilterOp::kGe:
      return value >= x;
    case FilterOp::kNotIn:
      return value != x;
  }
  return false;
}

Status BindError(const FilterCondition& condition, std::string_view detail) {
  return Status::InvalidInput("Filter expression at position " +
                              std::to_string(condition.position) + ": " + std::string(detail));
}

std::string FieldText(const FilterCondition& condition, bool current_user) {
  return (current_user ? std::string("CurrentUser")
                       : std::string(FilterDatasetName(condition.field.dataset))) +
         "." + condition.field.column;
}

// Checks that `column_index` names a usable column of `table`; `name` is for messages.
Status CheckColumn(const FilterCondition& condition, const data::DatasetTable& table,
                   int column_index, const std::string& name, std::string_view dataset) {
  if (column_index < 0) {
    return BindError(condition,
                     name + " is not a column of the " + std::string(dataset) + " dataset");
  }
  switch (ColumnKindOf(table.columns[column_index].field)) {
    case FilterColumnKind::kTextual:
      return BindError(condition, name +
                                      " is a textual column; textual columns cannot be used "
                                      "in filters");
    case FilterColumnKind::kBoolean:
      return BindError(condition, name +
                                      " is a boolean column; boolean columns cannot be used "
                                      "in filters");
    case FilterColumnKind::kString:
    case FilterColumnKind::kNumeric:
      break;
  }
  return Status::OK();
}

}  // namespace

// The right side of a condition, prepared at Create.
struct CompiledRhs {
  FilterOp op = FilterOp::kIn;
  bool numeric = false;     // values are numbers (the left column is numeric)
  bool lower_case = false;  // event types: values are lower-cased
  bool wildcard = false;
  std::vector<std::string> literal_strings;
  std::vector<double> literal_numbers;
  std::vector<std::string_view> placeholders;       // borrow the plan
  const data::TableColumn* current_item = nullptr;  // CurrentItem.X, an Items column
  std::string field;                                // for messages
};

struct CompiledCondition {
  enum class Source { kEntityStrings, kEntityNumbers, kRequestEvents, kUserEvents };
  Source source = Source::kEntityStrings;
  CompiledRhs rhs;
  const StringColumnIndex* strings = nullptr;
  const NumericColumnIndex* numbers = nullptr;
  bool constant = false;
  std::vector<uint64_t> bits;  // when constant: the matching entries
};

struct CompiledUserCondition {
  CompiledRhs rhs;
  const data::TableColumn* column = nullptr;  // the Users column
};

struct CompiledFilterExpression {
  const FilterExpression* expression = nullptr;  // borrows the plan
  std::vector<std::vector<CompiledCondition>> any_of;
  std::vector<CompiledUserCondition> if_all;
  bool constant = false;
  std::vector<uint64_t> bits;  // when constant: the expression's result
};

namespace {

// Per-request state: rows looked up once, placeholder values split once.
class RequestContext {
 public:
  RequestContext(const FilterRequest& request, int64_t current_item_row, int64_t user_row)
      : request_(request), current_item_row_(current_item_row), user_row_(user_row) {}

  const FilterRequest& request() const { return request_; }
  int64_t current_item_row() const { return current_item_row_; }
  int64_t user_row() const { return user_row_; }

  // Whether the placeholder has a (non-blank) value.
  bool Has(std::string_view name) const {
    if (request_.filter_values == nullptr) return false;
    auto it = request_.filter_values->find(std::string(name));
    return it != request_.filter_values->end() && !IsBlankFilterValue(it->second);
  }

  // The split values of a placeholder. REQUIRES: Has(name).
  StatusOr<const std::vector<std::string>*> Values(std::string_view name) {
    auto cached = parsed_.find(name);
    if (cached != parsed_.end()) return &cached->second;
    const std::string& wire = request_.filter_values->find(std::string(name))->second;
    TAILOR_ASSIGN_OR_RETURN(std::vector<std::string> values, ParseFilterValueList(name, wire));
    return &parsed_.emplace(name, std::move(values)).first->second;
  }

  // Keeps a string alive for the rest of the request.
  std::string_view Keep(std::string value) { return kept_.emplace_back(std::move(value)); }

 private:
  const FilterRequest& request_;
  const int64_t current_item_row_;
  const int64_t user_row_;
  std::map<std::string_view, std::vector<std::string>> parsed_;  // keys borrow the plan
  std::deque<std::string> kept_;
};

// The resolved right side of a condition for one request.
struct ResolvedValues {
  std::vector<std::string_view> strings;
  std::vector<double> numbers;
  bool wildcard = false;
};

Status Resolve(const CompiledRhs& rhs, RequestContext* context, ResolvedValues* out) {
  out->wildcard = rhs.wildcard;
  for (const std::string& s : rhs.literal_strings) out->strings.push_back(s);
  out->numbers = rhs.literal_numbers;
  for (std::string_view name : rhs.placeholders) {
    TAILOR_ASSIGN_OR_RETURN(const std::vector<std::string>* values, context->Values(name));
    if (IsComparison(rhs.op) || rhs.op == FilterOp::kEq) {
      if (values->size() != 1) {
        return Status::InvalidInput("filterValues " + std::string(name) +
                                    " must hold exactly one " + "value for " + rhs.field + " " +
                                    std::string(FilterOpName(rhs.op)) + " $" + std::string(name) +
                                    ", found " + std::to_string(values->size()));
      }
    }
    for (const std::string& value : *values) {
      if (rhs.numeric) {
        double number = 0;
        if (!ParseFilterNumber(value, &number)) {
          return Status::InvalidInput("filterValues " + std::string(name) + ": '" +
                                      value.substr(0, 40) + "' is not a number, but " + rhs.field +
                                      " is numeric");
        }
        out->numbers.push_back(number);
      } else if (rhs.lower_case && value == "*") {
        out->wildcard = true;  // "*" from filterValues means any event type, as in the text
      } else if (rhs.lower_case) {
        out->strings.push_back(context->Keep(AsciiLower(value)));
      } else {
        out->strings.push_back(value);
      }
    }
  }
  if (rhs.current_item != nullptr && context->current_item_row() >= 0) {
    const size_t row = static_cast<size_t>(context->current_item_row());
    if (rhs.numeric) {
      if (std::optional<double> number = RowNumber(*rhs.current_item, row)) {
        out->numbers.push_back(*number);
      }
    } else {
      AppendRowStrings(*rhs.current_item, row, &out->strings);
    }
  }
  return Status::OK();
}

// Sets in `out` (zeroed) the entries that `condition` matches.
Status EvalCondition(const CompiledCondition& condition, const FilterIndex& index,
                     RequestContext* context, std::span<uint64_t> out) {
  ResolvedValues values;
  TAILOR_RETURN_IF_ERROR(Resolve(condition.rhs, context, &values));
  const FilterOp op = condition.rhs.op;
  switch (condition.source) {
    case CompiledCondition::Source::kEntityStrings:
      for (std::string_view value : values.strings) condition.strings->OrMatches(value, out);
      if (op == FilterOp::kNotIn) ComplementWithin(out, index.entities()->present());
      break;
    case CompiledCondition::Source::kEntityNumbers:
      if (IsComparison(op)) {
        if (!values.numbers.empty()) condition.numbers->Compare(op, values.numbers.front(), out);
        break;
      }
      if (values.numbers.size() == 1) {
        condition.numbers->Compare(FilterOp::kEq, values.numbers.front(), out);
      } else if (!values.numbers.empty()) {
        std::vector<uint64_t> scratch(out.size());
        for (double x : values.numbers) {
          std::fill(scratch.begin(), scratch.end(), 0);
          condition.numbers->Compare(FilterOp::kEq, x, scratch);
          OrInto(out, scratch);
        }
      }
      if (op == FilterOp::kNotIn) ComplementWithin(out, index.entities()->present());
      break;
    case CompiledCondition::Source::kRequestEvents: {
      const bool want_match = op != FilterOp::kNotIn;
      for (const FilterInteraction& interaction : context->request().interactions) {
        if (interaction.item < 0 || static_cast<size_t>(interaction.item) >= index.size()) continue;
        bool matched = values.wildcard;
        for (size_t i = 0; i < values.strings.size() && !matched; ++i) {
          matched = EqualsLowered(interaction.event_type, values.strings[i]);
        }
        if (matched == want_match) SetBit(out, static_cast<size_t>(interaction.item));
      }
      break;
    }
    case CompiledCondition::Source::kUserEvents: {
      const UserEventIndex& events = *index.user_events();
      if (values.wildcard) {
        if (op != FilterOp::kNotIn) OrInto(out, events.any);
        break;
      }
      for (size_t t = 0; t < events.event_types.size(); ++t) {
        const bool listed = std::find(values.strings.begin(), values.strings.end(),
                                      events.event_types[t]) != values.strings.end();
        if (listed == (op != FilterOp::kNotIn)) OrInto(out, events.users[t]);
      }
      break;
    }
  }
  return Status::OK();
}

// Whether every IF CurrentUser condition holds for the requesting user.
StatusOr<bool> IfHolds(const CompiledFilterExpression& expression, RequestContext* context) {
  if (context->user_row() < 0) return false;
  const size_t row = static_cast<size_t>(context->user_row());
  for (const CompiledUserCondition& condition : expression.if_all) {
    ResolvedValues values;
    TAILOR_RETURN_IF_ERROR(Resolve(condition.rhs, context, &values));
    bool holds = false;
    if (condition.rhs.numeric) {
      const std::optional<double> mine = RowNumber(*condition.column, row);
      if (mine && IsComparison(condition.rhs.op)) {
        holds = !values.numbers.empty() &&
                CompareNumbers(condition.rhs.op, *mine, values.numbers.front());
      } else if (mine) {
        holds =
            std::find(values.numbers.begin(), values.numbers.end(), *mine) != values.numbers.end();
      }
    } else {
      std::vector<std::string_view> mine;
      AppendRowStrings(*condition.column, row, &mine);
      for (std::string_view value : mine) {
        holds = holds || std::find(values.strings.begin(), values.strings.end(), value) !=
                             values.strings.end();
      }
    }
    if (!holds) return false;
  }
  return true;
}

// Sets in `out` (zeroed) the expression's result: the OR of its AND groups.
Status EvalWhere(const CompiledFilterExpression& expression, const FilterIndex& index,
                 RequestContext* context, std::span<uint64_t> out) {
  std::vector<uint64_t> group(out.size());
  std::vector<uint64_t> scratch(out.size());
  for (const std::vector<CompiledCondition>& conditions : expression.any_of) {
    for (size_t c = 0; c < conditions.size(); ++c) {
      std::span<uint64_t> target =
          c == 0 ? std::span<uint64_t>(group) : std::span<uint64_t>(scratch);
      if (conditions[c].constant) {
        std::copy(conditions[c].bits.begin(), conditions[c].bits.end(), target.begin());
      } else {
        std::fill(target.begin(), target.end(), 0);
        TAILOR_RETURN_IF_ERROR(EvalCondition(conditions[c], index, context, target));
      }
      if (c > 0) AndInto(group, scratch);
    }
    OrInto(out, group);
  }
  return Status::OK();
}

}  // namespace

FilterEvaluator::FilterEvaluator(FilterPlan plan, std::shared_ptr<const FilterIndex> index)
    : plan_(std::move(plan)), index_(std::move(index)) {}

FilterEvaluator::~FilterEvaluator() = default;

size_t FilterEvaluator::size() const { return index_->size(); }

namespace {

// Prepares the right side of `condition`, whose left column is `column` ("Items.PRICE" in
// `field`). `numeric`/`lower_case` describe how values are compared.
Status CompileRhs(const FilterCondition& condition, const std::string& field, bool numeric,
                  bool lower_case, const FilterIndex& index, CompiledRhs* rhs) {
  rhs->op = condition.op;
  rhs->numeric = numeric;
  rhs->lower_case = lower_case;
  rhs->field = field;
  for (const FilterValue& value : condition.values) {
    switch (value.kind) {
      case FilterValue::Kind::kWildcard:
        rhs->wildcard = true;
        break;
      case FilterValue::Kind::kPlaceholder:
        rhs->placeholders.push_back(value.text);
        break;
      case FilterValue::Kind::kString:
      case FilterValue::Kind::kNumber:
        if (numeric) {
          double number = 0;
          if (!ParseFilterNumber(value.text, &number)) {
            return BindError(condition,
                             field + " is numeric, but \"" + value.text + "\" is not a number");
          }
          rhs->literal_numbers.push_back(number);
        } else {
          rhs->literal_strings.push_back(lower_case ? AsciiLower(value.text) : value.text);
        }
        break;
    }
  }
  if (!condition.uses_current_item()) return Status::OK();
  const TableIndex* items = index.entities();
  if (items == nullptr) {
    return BindError(condition, "CurrentItem." + condition.current_item_column +
                                    " needs the Items dataset, and there is none");
  }
  const std::string name = "CurrentItem." + condition.current_item_column;
  const int column = FindFilterColumn(items->table(), condition.current_item_column);
  TAILOR_RETURN_IF_ERROR(CheckColumn(condition, items->table(), column, name, "Items"));
  const data::TableColumn& current = items->table().columns[column];
  if ((ColumnKindOf(current.field) == FilterColumnKind::kNumeric) != numeric) {
    return BindError(condition, field + " and " + name +
                                    " cannot be compared: one is numeric and the other a string");
  }
  rhs->current_item = &current;
  return Status::OK();
}

Status CompileWhere(const FilterCondition& condition, const FilterIndex& index,
                    CompiledCondition* compiled) {
  const std::string field = FieldText(condition, /*current_user=*/false);
  const FilterDataset dataset = condition.field.dataset;
  if (IsEventDataset(dataset)) {
    if (index.target() == FilterTarget::kUserId) {
      if (index.user_events() == nullptr) {
        return BindError(condition, field +
                                        " needs the interactions, and the filter index has "
                                        "none");
      }
      compiled->source = CompiledCondition::Source::kUserEvents;
    } else {
      compiled->source = CompiledCondition::Source::kRequestEvents;
    }
    TAILOR_RETURN_IF_ERROR(CompileRhs(condition, field, /*numeric=*/false, /*lower_case=*/true,
                                      index, &compiled->rhs));
    compiled->constant = compiled->source == CompiledCondition::Source::kUserEvents &&
                         compiled->rhs.placeholders.empty();
    return Status::OK();
  }
  const TableIndex* entities = index.entities();
  const std::string dataset_name(FilterDatasetName(dataset));
  if (entities == nullptr) {
    return BindError(condition,
                     field + " needs the " + dataset_name + " dataset, and there is none");
  }
  const int column = FindFilterColumn(entities->table(), condition.field.column);
  TAILOR_RETURN_IF_ERROR(CheckColumn(condition, entities->table(), column, field, dataset_name));
  const bool numeric = entities->numbers(column) != nullptr;
  if (!numeric && IsComparison(condition.op)) {
    return BindError(condition,
                     field + " is a string column; <, <=, > and >= need a numeric column");
  }
  compiled->source = numeric ? CompiledCondition::Source::kEntityNumbers
                             : CompiledCondition::Source::kEntityStrings;
  compiled->strings = entities->strings(column);
  compiled->numbers = entities->numbers(column);
  TAILOR_RETURN_IF_ERROR(
      CompileRhs(condition, field, numeric, /*lower_case=*/false, index, &compiled->rhs));
  compiled->constant = compiled->rhs.placeholders.empty() && compiled->rhs.current_item == nullptr;
  return Status::OK();
}

Status CompileIf(const FilterCondition& condition, const FilterIndex& index,
                 CompiledUserCondition* compiled) {
  const std::string field = FieldText(condition, /*current_user=*/true);
  const TableIndex* users = index.requesting_users();
  if (users == nullptr) {
    return BindError(condition, field + " needs the Users dataset, and there is none");
  }
  const int column = FindFilterColumn(users->table(), condition.field.column);
  TAILOR_RETURN_IF_ERROR(CheckColumn(condition, users->table(), column, field, "Users"));
  compiled->column = &users->table().columns[column];
  const bool numeric = ColumnKindOf(compiled->column->field) == FilterColumnKind::kNumeric;
  if (!numeric && IsComparison(condition.op)) {
    return BindError(condition,
                     field + " is a string column; <, <=, > and >= need a numeric column");
  }
  return CompileRhs(condition, field, numeric, /*lower_case=*/false, index, &compiled->rhs);
}

}  // namespace

StatusOr<std::unique_ptr<FilterEvaluator>> FilterEvaluator::Create(
    FilterPlan plan, std::shared_ptr<const FilterIndex> index) {
  if (plan.target() != index->target()) {
    return Status::InvalidInput("Filter expression selects " +
                                std::string(FilterTargetName(plan.target())) +
                                ", but it is applied to a catalogue of " +
                                std::string(FilterTargetName(index->target())) + "s");
  }
  std::unique_ptr<FilterEvaluator> evaluator(
      new FilterEvaluator(std::move(plan), std::move(index)));
  const FilterIndex& idx = *evaluator->index_;
  const size_t num_words = BitsetWords(idx.size());
  FilterRequest no_request;
  RequestContext no_context(no_request, -1, -1);
  bool all_constant = true;
  evaluator->expressions_.resize(evaluator->plan_.expressions().size());
  for (size_t e = 0; e < evaluator->expressions_.size(); ++e) {
    const FilterExpression& expression = evaluator->plan_.expressions()[e];
    CompiledFilterExpression& compiled = evaluator->expressions_[e];
    compiled.expression = &expression;
    compiled.constant = expression.if_all.empty();
    for (const std::vector<FilterCondition>& group : expression.any_of) {
      compiled.any_of.emplace_back(group.size());
      for (size_t c = 0; c < group.size(); ++c) {
        CompiledCondition& condition = compiled.any_of.back()[c];
        TAILOR_RETURN_IF_ERROR(CompileWhere(group[c], idx, &condition));
        if (condition.constant) {
          condition.bits.assign(num_words, 0);
          TAILOR_RETURN_IF_ERROR(EvalCondition(condition, idx, &no_context, condition.bits));
        }
        compiled.constant = compiled.constant && condition.constant;
      }
    }
    compiled.if_all.resize(expression.if_all.size());
    for (size_t c = 0; c < expression.if_all.size(); ++c) {
      TAILOR_RETURN_IF_ERROR(CompileIf(expression.if_all[c], idx, &compiled.if_all[c]));
    }
    if (compiled.constant) {
      compiled.bits.assign(num_words, 0);
      TAILOR_RETURN_IF_ERROR(EvalWhere(compiled, idx, &no_context, compiled.bits));
    }
    all_constant = all_constant && compiled.constant;
  }
  if (all_constant) {
    TAILOR_RETURN_IF_ERROR(evaluator->Evaluate(no_request, &evaluator->constant_exclude_));
    evaluator->constant_ = true;
  }
  return evaluator;
}

Status FilterEvaluator::Evaluate(const FilterRequest& request,
                                 std::vector<uint64_t>* exclude) const {
  if (request.filter_values != nullptr) {
    TAILOR_RETURN_IF_ERROR(ValidateFilterValues(*request.filter_values));
  }
  if (constant_) {
    *exclude = constant_exclude_;
    return Status::OK();
  }
  const FilterIndex& index = *index_;
  int64_t current_item_row = -1;
  if (plan_.needs_current_item()) {
    if (request.current_item_id.empty()) {
      return Status::InvalidInput(
          "The filter refers to CurrentItem, so the request needs an itemId");
    }
    current_item_row = index.entities()->FindRow(request.current_item_id);
  }
  int64_t user_row = -1;
  if (plan_.needs_user_metadata() && !request.user_id.empty()) {
    user_row = index.requesting_users()->FindRow(request.user_id);
  }
  RequestContext context(request, current_item_row, user_row);

  const size_t n = index.size();
  const size_t num_words = BitsetWords(n);
  std::vector<uint64_t> included(num_words, 0);
  std::vector<uint64_t> excluded(num_words, 0);
  std::vector<uint64_t> result(num_words);
  bool any_include = false;
  for (const CompiledFilterExpression& compiled : expressions_) {
    const FilterExpression& expression = *compiled.expression;
    const bool include = expression.action == FilterAction::kInclude;
    const std::string* missing = nullptr;
    for (const std::string& name : expression.placeholders) {
      if (!context.Has(name)) {
        missing = &name;
        break;
      }
    }
    if (missing != nullptr) {
      if (!include) continue;  // §9: an EXCLUDE without its values is skipped
      return Status::InvalidInput("filterValues has no value for " + *missing +
                                  ", which the INCLUDE expression at position " +
                                  std::to_string(expression.position) + " of the filter needs");
    }
    if (!compiled.if_all.empty()) {
      TAILOR_ASSIGN_OR_RETURN(bool holds, IfHolds(compiled, &context));
      if (!holds) continue;
    }
    std::span<const uint64_t> bits = compiled.bits;
    if (!compiled.constant) {
      std::fill(result.begin(), result.end(), 0);
      TAILOR_RETURN_IF_ERROR(EvalWhere(compiled, index, &context, result));
      bits = result;
    }
    if (include) {
      any_include = true;
      OrInto(included, bits);
    } else {
      OrInto(excluded, bits);
    }
  }
  // kept = (included, or everything) - excluded; the answer is its complement.
  if (any_include) {
    *exclude = AllSetBitset(n);
    AndNotInto(*exclude, included);
  } else {
    exclude->assign(num_words, 0);
  }
  OrInto(*exclude, excluded);
  return Status::OK();
}

}  // namespace tailor::serve
