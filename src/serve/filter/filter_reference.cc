#include "serve/filter/filter_reference.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "data/table.h"

namespace tailor::serve {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsNumericType(data::FieldType type) {
  return type == data::FieldType::kInt || type == data::FieldType::kLong ||
         type == data::FieldType::kFloat || type == data::FieldType::kDouble;
}

const data::TableColumn* Column(const data::DatasetTable* table, const std::string& name) {
  if (table == nullptr) return nullptr;
  for (const data::TableColumn& column : table->columns) {
    if (column.field.name == name) return &column;
  }
  for (const data::TableColumn& column : table->columns) {
    if (Lower(column.field.name) == Lower(name)) return &column;
  }
  return nullptr;
}

// The last row whose `id_column` equals `id`, or -1.
int64_t Row(const data::DatasetTable* table, const char* id_column, std::string_view id) {
  const data::TableColumn* ids = Column(table, id_column);
  if (ids == nullptr || id.empty()) return -1;
  int64_t found = -1;
  for (size_t row = 0; row < ids->codes.size(); ++row) {
    if (ids->StringAt(row) == id) found = static_cast<int64_t>(row);
  }
  return found;
}

// One row's value of a column: a set of strings, or a number.
struct Cell {
  std::vector<std::string> strings;
  std::optional<double> number;
};

Cell CellAt(const data::TableColumn& column, int64_t row) {
  Cell cell;
  if (row < 0 || !column.valid[row]) return cell;
  if (IsNumericType(column.field.type)) {
    const double v = column.ints.empty() ? column.doubles[row] : double(column.ints[row]);
    if (!std::isnan(v)) cell.number = v;
    return cell;
  }
  const std::string value(column.StringAt(row));
  if (!column.field.categorical) {
    if (!value.empty()) cell.strings.push_back(value);
    return cell;
  }
  std::string part;
  for (char c : value + "|") {
    if (c != '|') {
      part += c;
    } else if (!part.empty()) {
      cell.strings.push_back(part);
      part.clear();
    }
  }
  return cell;
}

struct Evaluation {
  const FilterPlan& plan;
  const ReferenceFilterData& data;
  const FilterRequest& request;
  int64_t current_item_row = -1;
  int64_t user_row = -1;
  std::vector<int64_t> entity_rows;  // per catalogue entry: its row in data.entities, or -1

  // The right side of a condition: literals, placeholder values and CurrentItem's values.
  struct Values {
    std::vector<std::string> strings;
    std::vector<double> numbers;
  };
  Status Rhs(const FilterCondition& condition, bool numeric, Values* out) const {
    std::vector<std::string> texts;
    for (const FilterValue& value : condition.values) {
      if (value.kind == FilterValue::Kind::kPlaceholder) {
        const std::string& wire = request.filter_values->at(value.text);
        TAILOR_ASSIGN_OR_RETURN(std::vector<std::string> values,
                                ParseFilterValueList(value.text, wire));
        if (condition.op != FilterOp::kIn && values.size() != 1) {
          return Status::InvalidInput("placeholder needs one value");
        }
        texts.insert(texts.end(), values.begin(), values.end());
      } else if (value.kind != FilterValue::Kind::kWildcard) {
        texts.push_back(value.text);
      }
    }
    if (condition.uses_current_item()) {
      const data::TableColumn* column = Column(data.entities, condition.current_item_column);
      if (column == nullptr) return Status::InvalidInput("unknown CurrentItem column");
      const Cell cell = CellAt(*column, current_item_row);
      texts.insert(texts.end(), cell.strings.begin(), cell.strings.end());
      if (cell.number) out->numbers.push_back(*cell.number);
    }
    for (const std::string& text : texts) {
      double number = 0;
      if (!numeric) {
        out->strings.push_back(text);
      } else if (ParseFilterNumber(text, &number)) {
        out->numbers.push_back(number);
      } else {
        return Status::InvalidInput("not a number");
      }
    }
    return Status::OK();
  }

  // Whether metadata value `cell` satisfies `op` against the right side.
  static bool Match(FilterOp op, const Cell& cell, bool numeric, const Values& rhs) {
    const std::vector<double>& nums = rhs.numbers;
    if (numeric) {
      if (!cell.number) return false;
      const double v = *cell.number;
      switch (op) {
        case FilterOp::kIn:
        case FilterOp::kEq:
        case FilterOp::kNotIn:
          return std::find(nums.begin(), nums.end(), v) != nums.end();
        case FilterOp::kLt:
          return !nums.empty() && v < nums[0];
        case FilterOp::kLe:
          return !nums.empty() && v <= nums[0];
        case FilterOp::kGt:
          return !nums.empty() && v > nums[0];
        case FilterOp::kGe:
          return !nums.empty() && v >= nums[0];
      }
      return false;
    }
    for (const std::string& s : cell.strings) {
      if (std::find(rhs.strings.begin(), rhs.strings.end(), s) != rhs.strings.end()) return true;
    }
    return false;
  }

  StatusOr<bool> Where(const FilterCondition& condition, size_t entry) const {
    if (condition.field.dataset == FilterDataset::kInteractions ||
        condition.field.dataset == FilterDataset::kActionInteractions) {
      bool wildcard = false;
      std::vector<std::string> listed;
      Values rhs;
      TAILOR_RETURN_IF_ERROR(Rhs(condition, /*numeric=*/false, &rhs));
      for (const FilterValue& value : condition.values) {
        wildcard = wildcard || value.kind == FilterValue::Kind::kWildcard;
      }
      for (const std::string& s : rhs.strings) {
        wildcard = wildcard || s == "*";
        listed.push_back(Lower(s));
      }
      auto matches = [&](std::string_view type) {
        const bool in =
            wildcard || std::find(listed.begin(), listed.end(), Lower(type)) != listed.end();
        return condition.op == FilterOp::kNotIn ? !in : in;
      };
      if (data.target == FilterTarget::kUserId) {
        if (data.interactions == nullptr) return Status::InvalidInput("no interactions");
        const data::InteractionTable& table = *data.interactions;
        for (size_t row = 0; row < table.num_rows(); ++row) {
          if (table.user_ids[table.users[row]] != data.ids[entry]) continue;
          const uint32_t type = table.event_type_per_row.empty()
                                    ? data::InteractionTable::kNoEventType
                                    : table.event_type_per_row[row];
          if (matches(type == data::InteractionTable::kNoEventType ? std::string()
                                                                   : table.event_types[type])) {
            return true;
          }
        }
        return false;
      }
      for (const FilterInteraction& interaction : request.interactions) {
        if (interaction.item == static_cast<int64_t>(entry) && matches(interaction.event_type)) {
          return true;
        }
      }
      return false;
    }
    const data::TableColumn* column = Column(data.entities, condition.field.column);
    if (column == nullptr || column->field.textual ||
        column->field.type == data::FieldType::kBoolean) {
      return Status::InvalidInput("unusable column");
    }
    const bool numeric = IsNumericType(column->field.type);
    const int64_t row = entity_rows[entry];
    Values rhs;
    TAILOR_RETURN_IF_ERROR(Rhs(condition, numeric, &rhs));
    if (row < 0) return false;
    const bool match = Match(condition.op, CellAt(*column, row), numeric, rhs);
    return condition.op == FilterOp::kNotIn ? !match : match;
  }

  StatusOr<bool> If(const FilterExpression& expression) const {
    if (!expression.if_all.empty() && user_row < 0) return false;
    for (const FilterCondition& condition : expression.if_all) {
      const data::TableColumn* column = Column(data.users, condition.field.column);
      if (column == nullptr) return Status::InvalidInput("unknown Users column");
      const bool numeric = IsNumericType(column->field.type);
      Values rhs;
      TAILOR_RETURN_IF_ERROR(Rhs(condition, numeric, &rhs));
      if (!Match(condition.op, CellAt(*column, user_row), numeric, rhs)) {
        return false;
      }
    }
    return true;
  }
};

bool HasValue(const FilterRequest& request, const std::string& name) {
  if (request.filter_values == nullptr) return false;
  auto it = request.filter_values->find(name);
  return it != request.filter_values->end() && !IsBlankFilterValue(it->second);
}

}  // namespace

StatusOr<std::vector<uint64_t>> EvaluateFilterReference(const FilterPlan& plan,
                                                        const ReferenceFilterData& data,
                                                        const FilterRequest& request) {
  if (request.filter_values != nullptr) {
    TAILOR_RETURN_IF_ERROR(ValidateFilterValues(*request.filter_values));
  }
  Evaluation evaluation{plan, data, request};
  if (plan.needs_current_item()) {
    if (request.current_item_id.empty()) return Status::InvalidInput("no current item");
    evaluation.current_item_row = Row(data.entities, "ITEM_ID", request.current_item_id);
  }
  evaluation.user_row = Row(data.users, "USER_ID", request.user_id);
  const char* id_column = data.target == FilterTarget::kItemId     ? "ITEM_ID"
                          : data.target == FilterTarget::kActionId ? "ACTION_ID"
                                                                   : "USER_ID";
  for (const std::string& id : data.ids) {
    evaluation.entity_rows.push_back(Row(data.entities, id_column, id));
  }

  const size_t n = data.ids.size();
  std::vector<uint64_t> exclude((n + 63) / 64, 0);
  for (size_t entry = 0; entry < n; ++entry) {
    bool any_include = false, included = false, excluded = false;
    for (const FilterExpression& expression : plan.expressions()) {
      const bool include = expression.action == FilterAction::kInclude;
      bool complete = true;
      for (const std::string& name : expression.placeholders)
        complete = complete && HasValue(request, name);
      if (!complete) {
        if (include) return Status::InvalidInput("missing placeholder");
        continue;
      }
      TAILOR_ASSIGN_OR_RETURN(bool applies, evaluation.If(expression));
      if (!applies) continue;
      bool result = false;
      for (const auto& group : expression.any_of) {
        bool all = true;
        for (const FilterCondition& condition : group) {
          TAILOR_ASSIGN_OR_RETURN(bool match, evaluation.Where(condition, entry));
          all = all && match;
        }
        result = result || all;
      }
      if (include) {
        any_include = true;
        included = included || result;
      } else {
        excluded = excluded || result;
      }
    }
    const bool kept = (!any_include || included) && !excluded;
    if (!kept) exclude[entry / 64] |= uint64_t{1} << (entry % 64);
  }
  return exclude;
}

}  // namespace tailor::serve
