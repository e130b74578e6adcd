#include "serve/filter/column_index.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "serve/filter/bitset_ops.h"

namespace tailor::serve {

FilterColumnKind ColumnKindOf(const data::Field& field) {
  switch (field.type) {
    case data::FieldType::kString:
      return field.textual ? FilterColumnKind::kTextual : FilterColumnKind::kString;
    case data::FieldType::kBoolean:
      return FilterColumnKind::kBoolean;
    case data::FieldType::kInt:
    case data::FieldType::kLong:
    case data::FieldType::kFloat:
    case data::FieldType::kDouble:
      return FilterColumnKind::kNumeric;
  }
  return FilterColumnKind::kString;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

int FindFilterColumn(const data::DatasetTable& table, std::string_view name) {
  const data::TableColumn* column = table.FindIgnoringCase(name);
  return column == nullptr ? -1 : static_cast<int>(column - table.columns.data());
}

void AppendRowStrings(const data::TableColumn& column, size_t row,
                      std::vector<std::string_view>* out) {
  const std::string_view value = column.StringAt(row);
  if (value.empty()) return;
  if (!column.field.categorical) {
    out->push_back(value);
    return;
  }
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find('|', start);
    if (end == std::string_view::npos) end = value.size();
    if (end > start) out->push_back(value.substr(start, end - start));
    start = end + 1;
  }
}

std::optional<double> RowNumber(const data::TableColumn& column, size_t row) {
  if (column.valid.empty() || !column.valid[row]) return std::nullopt;
  if (!column.ints.empty()) return static_cast<double>(column.ints[row]);
  if (column.doubles.empty() || std::isnan(column.doubles[row])) return std::nullopt;
  return column.doubles[row];
}

StringColumnIndex::StringColumnIndex(const data::TableColumn& column,
                                     std::span<const int64_t> rows) {
  const size_t num_words = BitsetWords(rows.size());
  // Split each distinct dictionary value once, not once per row.
  std::vector<std::vector<std::string_view>> parts(column.dictionary.size());
  std::vector<uint8_t> split(column.dictionary.size(), 0);
  for (size_t e = 0; e < rows.size(); ++e) {
    if (rows[e] < 0) continue;
    const uint32_t code = column.codes[rows[e]];
    if (code == UINT32_MAX) continue;
    if (!split[code]) {
      AppendRowStrings(column, rows[e], &parts[code]);
      split[code] = 1;
    }
    for (std::string_view part : parts[code]) {
      std::vector<uint32_t>& entries = values_[part].entries;
      // Entries arrive in order, so a value repeated within one row ("A|A") shows up here.
      if (entries.empty() || entries.back() != e) entries.push_back(static_cast<uint32_t>(e));
    }
  }
  for (auto& [value, postings] : values_) {
    if (postings.entries.size() <= num_words) continue;
    postings.dense.assign(num_words, 0);
    for (uint32_t e : postings.entries) SetBit(postings.dense, e);
    postings.entries = {};
  }
}

void StringColumnIndex::OrMatches(std::string_view value, std::span<uint64_t> out) const {
  auto it = values_.find(value);
  if (it == values_.end()) return;
  if (!it->second.dense.empty()) {
    OrInto(out, it->second.dense);
  } else {
    for (uint32_t e : it->second.entries) SetBit(out, e);
  }
}

NumericColumnIndex::NumericColumnIndex(const data::TableColumn& column,
                                       std::span<const int64_t> rows) {
  const size_t num_words = BitsetWords(rows.size());
  std::vector<std::pair<double, uint32_t>> sorted;
  valid_.assign(num_words, 0);
  for (size_t e = 0; e < rows.size(); ++e) {
    if (rows[e] < 0) continue;
    const std::optional<double> value = RowNumber(column, static_cast<size_t>(rows[e]));
    if (!value) continue;
    sorted.emplace_back(*value, static_cast<uint32_t>(e));
    SetBit(valid_, e);
  }
  std::sort(sorted.begin(), sorted.end());
  values_.reserve(sorted.size());
  entries_.reserve(sorted.size());
  for (const auto& [value, entry] : sorted) {
    values_.push_back(value);
    entries_.push_back(entry);
  }
  // A partial bin costs up to bin_size_ single-bit flips; matching it to the word count keeps
  // both parts of a query at O(catalogue / 64), with at most ~64 prefix bitsets.
  bin_size_ = std::max<size_t>(64, num_words);
  std::vector<uint64_t> prefix(num_words, 0);
  for (size_t i = 0; i < entries_.size(); ++i) {
    SetBit(prefix, entries_[i]);
    if ((i + 1) % bin_size_ == 0) prefixes_.push_back(prefix);
  }
}

void NumericColumnIndex::XorPrefix(size_t k, std::span<uint64_t> out) const {
  if (k == entries_.size()) {
    XorInto(out, valid_);
    return;
  }
  const size_t bins = k / bin_size_;
  if (bins > 0) XorInto(out, prefixes_[bins - 1]);
  for (size_t i = bins * bin_size_; i < k; ++i) FlipBit(out, entries_[i]);
}

void NumericColumnIndex::Compare(FilterOp op, double x, std::span<uint64_t> out) const {
  const size_t below =
      static_cast<size_t>(std::lower_bound(values_.begin(), values_.end(), x) - values_.begin());
  const size_t at_most =
      static_cast<size_t>(std::upper_bound(values_.begin(), values_.end(), x) - values_.begin());
  switch (op) {
    case FilterOp::kLt:
      XorPrefix(below, out);
      break;
    case FilterOp::kLe:
      XorPrefix(at_most, out);
      break;
    case FilterOp::kGt:
      XorPrefix(entries_.size(), out);
      XorPrefix(at_most, out);
      break;
    case FilterOp::kGe:
      XorPrefix(entries_.size(), out);
      XorPrefix(below, out);
      break;
    case FilterOp::kEq:
      XorPrefix(at_most, out);
      XorPrefix(below, out);
      break;
    case FilterOp::kIn:
    case FilterOp::kNotIn:
      break;  // not comparisons; the evaluator never asks
  }
}

StatusOr<std::unique_ptr<TableIndex>> TableIndex::Build(
    std::shared_ptr<const data::DatasetTable> table, std::string_view id_column,
    std::span<const std::string> catalogue_ids, bool index_columns) {
  const int id = FindFilterColumn(*table, id_column);
  if (id < 0 || table->columns[id].field.type != data::FieldType::kString) {
    return Status::InvalidInput("the metadata table has no " + std::string(id_column) +
                                " string column");
  }
  std::unique_ptr<TableIndex> index(new TableIndex());
  const data::TableColumn& ids = table->columns[id];
  const size_t num_rows = ids.codes.size();
  index->row_by_id_.reserve(num_rows);
  for (size_t row = 0; row < num_rows; ++row) {
    const std::string_view key = ids.StringAt(row);
    if (!key.empty()) index->row_by_id_[key] = static_cast<int64_t>(row);  // the last row wins
  }
  std::vector<int64_t> rows(catalogue_ids.size(), -1);
  index->present_.assign(BitsetWords(catalogue_ids.size()), 0);
  for (size_t e = 0; e < catalogue_ids.size(); ++e) {
    rows[e] = index->FindRow(catalogue_ids[e]);
    if (rows[e] >= 0) SetBit(index->present_, e);
  }
  index->strings_.resize(table->columns.size());
  index->numbers_.resize(table->columns.size());
  if (index_columns) {
    for (size_t c = 0; c < table->columns.size(); ++c) {
      const data::TableColumn& column = table->columns[c];
      switch (ColumnKindOf(column.field)) {
        case FilterColumnKind::kString:
          index->strings_[c] = std::make_unique<StringColumnIndex>(column, rows);
          break;
        case FilterColumnKind::kNumeric:
          index->numbers_[c] = std::make_unique<NumericColumnIndex>(column, rows);
          break;
        case FilterColumnKind::kTextual:
        case FilterColumnKind::kBoolean:
          break;
      }
    }
  }
  index->table_ = std::move(table);
  return index;
}

int64_t TableIndex::FindRow(std::string_view id) const {
  auto it = row_by_id_.find(id);
  return it == row_by_id_.end() ? -1 : it->second;
}

UserEventIndex UserEventIndex::Build(std::span<const std::string> user_ids,
                                     const data::InteractionTable& interactions) {
  UserEventIndex index;
  const size_t num_words = BitsetWords(user_ids.size());
  index.any.assign(num_words, 0);
  std::unordered_map<std::string_view, uint32_t> entry_of;
  entry_of.reserve(user_ids.size());
  for (size_t e = 0; e < user_ids.size(); ++e) {
    entry_of.emplace(user_ids[e], static_cast<uint32_t>(e));
  }
  // Table user index -> catalogue entry (or -1), and table event type -> merged lower-case type.
  std::vector<int64_t> entry_of_user(interactions.user_ids.size(), -1);
  for (size_t u = 0; u < interactions.user_ids.size(); ++u) {
    auto it = entry_of.find(interactions.user_ids[u]);
    if (it != entry_of.end()) entry_of_user[u] = it->second;
  }
  std::unordered_map<std::string, size_t> type_of_name;
  auto type_index = [&](std::string name) {
    auto [it, inserted] = type_of_name.emplace(std::move(name), index.event_types.size());
    if (inserted) {
      index.event_types.push_back(it->first);
      index.users.emplace_back(num_words, 0);
    }
    return it->second;
  };
  std::vector<size_t> merged_type(interactions.event_types.size());
  for (size_t t = 0; t < interactions.event_types.size(); ++t) {
    merged_type[t] = type_index(AsciiLower(interactions.event_types[t]));
  }
  const bool has_types = !interactions.event_type_per_row.empty();
  for (size_t row = 0; row < interactions.num_rows(); ++row) {
    const int64_t entry = entry_of_user[interactions.users[row]];
    if (entry < 0) continue;
    const uint32_t type =
        has_types ? interactions.event_type_per_row[row] : data::InteractionTable::kNoEventType;
    const size_t merged =
        type == data::InteractionTable::kNoEventType ? type_index("") : merged_type[type];
    SetBit(index.users[merged], static_cast<size_t>(entry));
    SetBit(index.any, static_cast<size_t>(entry));
  }
  return index;
}

}  // namespace tailor::serve
