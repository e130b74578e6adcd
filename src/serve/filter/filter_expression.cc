#include "serve/filter/filter_expression.h"

#include <optional>
#include <string>
#include <utility>

#include "serve/filter/filter_lexer.h"

namespace tailor::serve {
namespace {

using Kind = FilterToken::Kind;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::optional<FilterDataset> ParseDatasetWord(std::string_view word) {
  if (EqualsIgnoreCase(word, "Items")) return FilterDataset::kItems;
  if (EqualsIgnoreCase(word, "Interactions")) return FilterDataset::kInteractions;
  if (EqualsIgnoreCase(word, "Users")) return FilterDataset::kUsers;
  if (EqualsIgnoreCase(word, "Actions")) return FilterDataset::kActions;
  if (EqualsIgnoreCase(word, "ActionInteractions") ||
      EqualsIgnoreCase(word, "Action_Interactions")) {
    return FilterDataset::kActionInteractions;
  }
  return std::nullopt;
}

bool IsEventDataset(FilterDataset dataset) {
  return dataset == FilterDataset::kInteractions || dataset == FilterDataset::kActionInteractions;
}

// Whether a WHERE condition of a `target` filter may use `dataset` (§9).
bool DatasetFitsTarget(FilterDataset dataset, FilterTarget target) {
  switch (target) {
    case FilterTarget::kItemId:
      return dataset == FilterDataset::kItems || dataset == FilterDataset::kInteractions;
    case FilterTarget::kUserId:
      return dataset == FilterDataset::kUsers || dataset == FilterDataset::kInteractions;
    case FilterTarget::kActionId:
      return dataset == FilterDataset::kActions || dataset == FilterDataset::kActionInteractions;
  }
  return false;
}

std::string_view AllowedDatasets(FilterTarget target) {
  switch (target) {
    case FilterTarget::kItemId:
      return "Items and Interactions";
    case FilterTarget::kUserId:
      return "Users and Interactions";
    case FilterTarget::kActionId:
      return "Actions and ActionInteractions";
  }
  return "";
}

std::string FieldName(const FilterField& field) {
  return std::string(FilterDatasetName(field.dataset)) + "." + field.column;
}

class Parser {
 public:
  explicit Parser(const std::vector<FilterToken>& tokens) : tokens_(tokens) {}

  Status ParseFilter(std::vector<FilterExpression>* expressions) {
    while (true) {
      FilterExpression expression;
      TAILOR_RETURN_IF_ERROR(ParseExpression(&expression));
      if (!expressions->empty() && expression.target != expressions->front().target) {
        return FilterSyntaxError(target_position_,
                                 "every expression joined with '|' must select " +
                                     std::string(FilterTargetName(expressions->front().target)) +
                                     ", found " + std::string(FilterTargetName(expression.target)));
      }
      expressions->push_back(std::move(expression));
      if (Peek().kind == Kind::kEnd) return Status::OK();
      if (Peek().kind != Kind::kPipe) return Status::Internal("filter parser: expected '|'");
      Next();
    }
  }

 private:
  const FilterToken& Peek() const { return tokens_[pos_]; }
  const FilterToken& Next() {
    const FilterToken& token = tokens_[pos_];
    if (token.kind != Kind::kEnd) ++pos_;
    return token;
  }
  bool PeekWord(std::string_view keyword) const {
    return Peek().kind == Kind::kWord && EqualsIgnoreCase(Peek().raw, keyword);
  }
  Status Expected(std::string_view what) const {
    return FilterSyntaxError(Peek().position, "expected " + std::string(what) + ", found " +
                                                  DescribeFilterToken(Peek()));
  }

  Status ParseExpression(FilterExpression* expression) {
    expression->position = Peek().position;
    if (PeekWord("INCLUDE")) {
      expression->action = FilterAction::kInclude;
    } else if (PeekWord("EXCLUDE")) {
      expression->action = FilterAction::kExclude;
    } else {
      return Expected("INCLUDE or EXCLUDE");
    }
    const std::string action_word =
        expression->action == FilterAction::kInclude ? "INCLUDE" : "EXCLUDE";
    Next();
    target_position_ = Peek().position;
    if (PeekWord("ItemID")) {
      expression->target = FilterTarget::kItemId;
    } else if (PeekWord("UserID")) {
      expression->target = FilterTarget::kUserId;
    } else if (PeekWord("ActionID")) {
      expression->target = FilterTarget::kActionId;
    } else {
      return Expected("ItemID, UserID or ActionID after " + action_word);
    }
    target_ = expression->target;
    Next();
    if (!PeekWord("WHERE")) {
      return Expected("WHERE after " + std::string(FilterTargetName(expression->target)));
    }
    Next();

    expression->any_of.emplace_back();
    std::string previous = "WHERE";
    std::optional<FilterDataset> first_dataset;
    while (true) {
      FilterCondition condition;
      TAILOR_RETURN_IF_ERROR(ParseWhereCondition(previous, first_dataset, &condition));
      if (!first_dataset) first_dataset = condition.field.dataset;
      expression->any_of.back().push_back(std::move(condition));
      if (PeekWord("AND")) {
        previous = "AND";
      } else if (PeekWord("OR")) {
        previous = "OR";
        expression->any_of.emplace_back();
      } else {
        break;
      }
      Next();
    }
    expression->dataset = *first_dataset;

    if (PeekWord("IF")) {
      if (expression->target == FilterTarget::kUserId) {
        return FilterSyntaxError(Peek().position,
                                 "an IF clause can be used only in ItemID and ActionID filters");
      }
      Next();
      previous = "IF";
      while (true) {
        FilterCondition condition;
        TAILOR_RETURN_IF_ERROR(ParseUserCondition(previous, &condition));
        expression->if_all.push_back(std::move(condition));
        if (!PeekWord("AND")) break;
        previous = "AND";
        Next();
      }
      if (PeekWord("IF")) {
        return FilterSyntaxError(Peek().position,
                                 "an expression can have only one IF clause, at its end");
      }
      if (PeekWord("OR")) {
        return FilterSyntaxError(Peek().position, "IF conditions can only be joined with AND");
      }
      if (Peek().kind != Kind::kPipe && Peek().kind != Kind::kEnd) {
        return Expected("AND, '|' or the end of the expression");
      }
    } else if (Peek().kind != Kind::kPipe && Peek().kind != Kind::kEnd) {
      return Expected("AND, OR, IF, '|' or the end of the expression");
    }
    for (const auto& group : expression->any_of) {
      for (const FilterCondition& condition : group) CollectPlaceholders(condition, expression);
    }
    for (const FilterCondition& condition : expression->if_all) {
      CollectPlaceholders(condition, expression);
    }
    return Status::OK();
  }

  static void CollectPlaceholders(const FilterCondition& condition, FilterExpression* expression) {
    for (const FilterValue& value : condition.values) {
      if (value.kind == FilterValue::Kind::kPlaceholder)
        expression->placeholders.insert(value.text);
    }
  }

  // field (IN | NOT IN) rhs | field cmp operand, after `previous` (WHERE, AND or OR).
  Status ParseWhereCondition(const std::string& previous, std::optional<FilterDataset> first,
                             FilterCondition* condition) {
    condition->position = Peek().position;
    if (PeekWord("CurrentItem")) {
      return FilterSyntaxError(Peek().position,
                               "CurrentItem.COLUMN can only be on the right of a condition");
    }
    if (PeekWord("CurrentUser")) {
      return FilterSyntaxError(Peek().position,
                               "CurrentUser conditions belong in an IF clause at the end of the "
                               "expression");
    }
    std::optional<FilterDataset> dataset;
    if (Peek().kind == Kind::kWord) dataset = ParseDatasetWord(Peek().raw);
    if (!dataset) return Expected("a field such as Items.GENRES after " + previous);
    const std::string dataset_raw(Next().raw);
    if (Peek().kind != Kind::kDot) return Expected("'.' after " + dataset_raw);
    Next();
    if (Peek().kind != Kind::kWord) return Expected("a column name after " + dataset_raw + ".");
    condition->field = FilterField{*dataset, std::string(Next().raw)};
    const std::string field = FieldName(condition->field);

    if (!DatasetFitsTarget(*dataset, target_)) {
      const char* article = target_ == FilterTarget::kUserId ? "a " : "an ";
      std::string detail = article + std::string(FilterTargetName(target_)) + " filter can use " +
                           std::string(AllowedDatasets(target_)) + " fields, found " + field;
      if (*dataset == FilterDataset::kUsers && target_ != FilterTarget::kUserId) {
        detail += "; test the requesting user with IF CurrentUser." + condition->field.column;
      }
      return FilterSyntaxError(condition->position, detail);
    }
    if (first && *first != *dataset) {
      if (IsEventDataset(*first) != IsEventDataset(*dataset)) {
        return FilterSyntaxError(
            condition->position,
            std::string(FilterDatasetName(*first)) + " and " +
                std::string(FilterDatasetName(*dataset)) +
                " fields cannot be mixed in one expression; join separate expressions with '|'");
      }
      return FilterSyntaxError(condition->position,
                               "every condition chained with AND / OR must use the dataset of the "
                               "first condition (" +
                                   std::string(FilterDatasetName(*first)) + "), found " + field);
    }
    const bool events = IsEventDataset(*dataset);
    if (events && !EqualsIgnoreCase(condition->field.column, "EVENT_TYPE")) {
      return FilterSyntaxError(condition->position, "only EVENT_TYPE can be filtered on " +
                                                        std::string(FilterDatasetName(*dataset)) +
                                                        ", found " + field);
    }
    TAILOR_RETURN_IF_ERROR(ParseOperator(field, /*allow_not_in=*/true, condition));
    if (events && condition->op != FilterOp::kIn && condition->op != FilterOp::kNotIn &&
        condition->op != FilterOp::kEq) {
      return FilterSyntaxError(condition->position, field + " takes IN, NOT IN or =");
    }
    return ParseRightSide(field, events, condition);
  }

  // CurrentUser.COLUMN (cmp operand | IN rhs), after `previous` (IF or AND).
  Status ParseUserCondition(const std::string& previous, FilterCondition* condition) {
    condition->position = Peek().position;
    if (!PeekWord("CurrentUser")) return Expected("CurrentUser.COLUMN after " + previous);
    Next();
    if (Peek().kind != Kind::kDot) return Expected("'.' after CurrentUser");
    Next();
    if (Peek().kind != Kind::kWord) return Expected("a column name after CurrentUser.");
    condition->field = FilterField{FilterDataset::kUsers, std::string(Next().raw)};
    const std::string field = "CurrentUser." + condition->field.column;
    TAILOR_RETURN_IF_ERROR(ParseOperator(field, /*allow_not_in=*/false, condition));
    return ParseRightSide(field, /*events=*/false, condition);
  }

  Status ParseOperator(const std::string& field, bool allow_not_in, FilterCondition* condition) {
    const std::string what =
        (allow_not_in ? "IN, NOT IN or a comparison after " : "IN or a comparison after ") + field;
    if (PeekWord("IN")) {
      condition->op = FilterOp::kIn;
    } else if (allow_not_in && PeekWord("NOT")) {
      Next();
      if (!PeekWord("IN")) return Expected("IN after NOT");
      condition->op = FilterOp::kNotIn;
    } else {
      switch (Peek().kind) {
        case Kind::kEq:
          condition->op = FilterOp::kEq;
          break;
        case Kind::kLt:
          condition->op = FilterOp::kLt;
          break;
        case Kind::kLe:
          condition->op = FilterOp::kLe;
          break;
        case Kind::kGt:
          condition->op = FilterOp::kGt;
          break;
        case Kind::kGe:
          condition->op = FilterOp::kGe;
          break;
        default:
          return Expected(what);
      }
    }
    Next();
    return Status::OK();
  }

  // CurrentItem.COLUMN, after its first word has been peeked.
  Status ParseCurrentItem(FilterCondition* condition) {
    if (target_ != FilterTarget::kItemId) {
      return FilterSyntaxError(Peek().position, "CurrentItem can be used only in ItemID filters");
    }
    Next();
    if (Peek().kind != Kind::kDot) return Expected("'.' after CurrentItem");
    Next();
    if (Peek().kind != Kind::kWord) return Expected("a column name after CurrentItem.");
    condition->current_item_column = std::string(Next().raw);
    return Status::OK();
  }

  Status ParseRightSide(const std::string& field, bool events, FilterCondition* condition) {
    const FilterOp op = condition->op;
    const std::string op_name(FilterOpName(op));
    if (PeekWord("CurrentItem")) {
      if (events) {
        return FilterSyntaxError(Peek().position, field + " cannot be compared with CurrentItem");
      }
      return ParseCurrentItem(condition);
    }
    if (op != FilterOp::kIn && op != FilterOp::kNotIn) {
      FilterValue value;
      const FilterToken& token = Peek();
      if (token.kind == Kind::kNumber) {
        value.kind = FilterValue::Kind::kNumber;
        value.text = std::string(token.raw);
        value.number = std::strtod(value.text.c_str(), nullptr);
      } else if (token.kind == Kind::kPlaceholder) {
        value.kind = FilterValue::Kind::kPlaceholder;
        value.text = token.value;
      } else if (token.kind == Kind::kString && op == FilterOp::kEq) {
        value.kind = events && token.value == "*" ? FilterValue::Kind::kWildcard
                                                  : FilterValue::Kind::kString;
        value.text = token.value;
      } else if (token.kind == Kind::kString) {
        return FilterSyntaxError(token.position,
                                 op_name +
                                     " compares numbers; expected a number, $NAME or "
                                     "CurrentItem.COLUMN, found " +
                                     DescribeFilterToken(token));
      } else {
        return Expected((op == FilterOp::kEq ? "a value, $NAME or CurrentItem.COLUMN after "
                                             : "a number, $NAME or CurrentItem.COLUMN after ") +
                        op_name);
      }
      Next();
      condition->values.push_back(std::move(value));
      return Status::OK();
    }
    if (Peek().kind != Kind::kLParen) return Expected("'(' or CurrentItem.COLUMN after " + op_name);
    Next();
    while (true) {
      FilterValue value;
      const FilterToken& token = Peek();
      switch (token.kind) {
        case Kind::kString:
          // The docs write the wildcard quoted: Interactions.EVENT_TYPE IN ("*").
          value.kind = events && token.value == "*" ? FilterValue::Kind::kWildcard
                                                    : FilterValue::Kind::kString;
          value.text = token.value;
          break;
        case Kind::kNumber:
          value.kind = FilterValue::Kind::kNumber;
          value.text = std::string(token.raw);
          value.number = std::strtod(value.text.c_str(), nullptr);
          break;
        case Kind::kPlaceholder:
          if (op == FilterOp::kNotIn) {
            return FilterSyntaxError(token.position, "placeholders cannot be used with NOT IN");
          }
          value.kind = FilterValue::Kind::kPlaceholder;
          value.text = token.value;
          break;
        case Kind::kStar:
          if (!events) {
            return FilterSyntaxError(token.position,
                                     "'*' is allowed only in the value list of "
                                     "Interactions.EVENT_TYPE");
          }
          value.kind = FilterValue::Kind::kWildcard;
          value.text = "*";
          break;
        default:
          return Expected("a value (\"text\", a number, $NAME or *)");
      }
      Next();
      condition->values.push_back(std::move(value));
      if (Peek().kind == Kind::kRParen) {
        Next();
        return Status::OK();
      }
      if (Peek().kind != Kind::kComma) return Expected("',' or ')' in the value list");
      Next();
    }
  }

  const std::vector<FilterToken>& tokens_;
  size_t pos_ = 0;
  FilterTarget target_ = FilterTarget::kItemId;  // of the expression being parsed
  size_t target_position_ = 0;
};

void AppendValue(const FilterValue& value, std::string* out) {
  switch (value.kind) {
    case FilterValue::Kind::kString:
      *out += '"';
      for (char c : value.text) {
        if (c == '"' || c == '\\') *out += '\\';
        *out += c;
      }
      *out += '"';
      break;
    case FilterValue::Kind::kNumber:
      *out += value.text;
      break;
    case FilterValue::Kind::kWildcard:
      *out += "\"*\"";
      break;
    case FilterValue::Kind::kPlaceholder:
      *out += "$" + value.text;
      break;
  }
}

void AppendCondition(const FilterCondition& condition, bool current_user, std::string* out) {
  *out += current_user ? "CurrentUser." + condition.field.column : FieldName(condition.field);
  *out += ' ';
  *out += FilterOpName(condition.op);
  *out += ' ';
  if (condition.uses_current_item()) {
    *out += "CurrentItem." + condition.current_item_column;
    return;
  }
  const bool list = condition.op == FilterOp::kIn || condition.op == FilterOp::kNotIn;
  if (list) *out += '(';
  for (size_t i = 0; i < condition.values.size(); ++i) {
    if (i > 0) *out += ", ";
    AppendValue(condition.values[i], out);
  }
  if (list) *out += ')';
}

}  // namespace

std::string_view FilterDatasetName(FilterDataset dataset) {
  switch (dataset) {
    case FilterDataset::kItems:
      return "Items";
    case FilterDataset::kInteractions:
      return "Interactions";
    case FilterDataset::kUsers:
      return "Users";
    case FilterDataset::kActions:
      return "Actions";
    case FilterDataset::kActionInteractions:
      return "ActionInteractions";
  }
  return "";
}

std::string_view FilterTargetName(FilterTarget target) {
  switch (target) {
    case FilterTarget::kItemId:
      return "ItemID";
    case FilterTarget::kUserId:
      return "UserID";
    case FilterTarget::kActionId:
      return "ActionID";
  }
  return "";
}

std::string_view FilterOpName(FilterOp op) {
  switch (op) {
    case FilterOp::kIn:
      return "IN";
    case FilterOp::kNotIn:
      return "NOT IN";
    case FilterOp::kEq:
      return "=";
    case FilterOp::kLt:
      return "<";
    case FilterOp::kLe:
      return "<=";
    case FilterOp::kGt:
      return ">";
    case FilterOp::kGe:
      return ">=";
  }
  return "";
}

StatusOr<FilterPlan> FilterPlan::Parse(std::string_view expression) {
  if (expression.empty()) {
    return Status::InvalidInput("Invalid filter expression: it is empty; it must have 1 to " +
                                std::to_string(kMaxFilterExpressionLength) + " characters");
  }
  if (expression.size() > kMaxFilterExpressionLength) {
    return Status::InvalidInput("Invalid filter expression: it has " +
                                std::to_string(expression.size()) + " characters; at most " +
                                std::to_string(kMaxFilterExpressionLength) + " are allowed");
  }
  TAILOR_ASSIGN_OR_RETURN(std::vector<FilterToken> tokens, TokenizeFilterExpression(expression));
  FilterPlan plan;
  Parser parser(tokens);
  TAILOR_RETURN_IF_ERROR(parser.ParseFilter(&plan.expressions_));
  plan.text_ = std::string(expression);
  plan.target_ = plan.expressions_.front().target;

  auto add_field = [&plan](FilterDataset dataset, const std::string& column,
                           size_t position) -> Status {
    plan.fields_.insert(std::string(FilterDatasetName(dataset)) + "." + column);
    if (plan.fields_.size() > kMaxFilterFields) {
      return FilterSyntaxError(position, "a filter can use at most " +
                                             std::to_string(kMaxFilterFields) +
                                             " distinct dataset fields");
    }
    return Status::OK();
  };
  for (const FilterExpression& expression : plan.expressions_) {
    plan.placeholders_.insert(expression.placeholders.begin(), expression.placeholders.end());
    if (expression.action == FilterAction::kInclude) {
      plan.required_placeholders_.insert(expression.placeholders.begin(),
                                         expression.placeholders.end());
    }
    if (expression.target != FilterTarget::kUserId && IsEventDataset(expression.dataset)) {
      plan.needs_interactions_ = true;
    }
    if (!expression.if_all.empty()) plan.needs_user_metadata_ = true;
    auto visit = [&](const FilterCondition& condition) -> Status {
      TAILOR_RETURN_IF_ERROR(
          add_field(condition.field.dataset, condition.field.column, condition.position));
      if (condition.uses_current_item()) {
        plan.needs_current_item_ = true;
        TAILOR_RETURN_IF_ERROR(
            add_field(FilterDataset::kItems, condition.current_item_column, condition.position));
      }
      return Status::OK();
    };
    for (const auto& group : expression.any_of) {
      for (const FilterCondition& condition : group) TAILOR_RETURN_IF_ERROR(visit(condition));
    }
    for (const FilterCondition& condition : expression.if_all) {
      TAILOR_RETURN_IF_ERROR(visit(condition));
    }
  }
  return plan;
}

std::string FilterPlan::ToString() const {
  std::string out;
  for (size_t e = 0; e < expressions_.size(); ++e) {
    const FilterExpression& expression = expressions_[e];
    if (e > 0) out += " | ";
    out += expression.action == FilterAction::kInclude ? "INCLUDE " : "EXCLUDE ";
    out += FilterTargetName(expression.target);
    out += " WHERE ";
    for (size_t g = 0; g < expression.any_of.size(); ++g) {
      if (g > 0) out += " OR ";
      for (size_t c = 0; c < expression.any_of[g].size(); ++c) {
        if (c > 0) out += " AND ";
        AppendCondition(expression.any_of[g][c], /*current_user=*/false, &out);
      }
    }
    for (size_t c = 0; c < expression.if_all.size(); ++c) {
      out += c == 0 ? " IF " : " AND ";
      AppendCondition(expression.if_all[c], /*current_user=*/true, &out);
    }
  }
  return out;
}

}  // namespace tailor::serve
