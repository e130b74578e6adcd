// Column indexes for filter evaluation: one metadata table (Items, Users or Actions) laid over a
// catalogue (dense index -> id), with, per usable column, the catalogue entries each value
// matches. Built once per catalogue so that a request costs word operations, not row scans.
// Also the per-row value helpers that CurrentItem / CurrentUser and the reference evaluator use.
// Layer-internal: campaigns use FilterIndex (filter_index.h).
// Thread-safety: immutable after Build; const methods are safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"
#include "data/table.h"
#include "serve/filter/filter_expression.h"

namespace tailor::serve {

// How a column takes part in filters (§9: textual and boolean columns cannot be used).
enum class FilterColumnKind { kString, kNumeric, kTextual, kBoolean };
FilterColumnKind ColumnKindOf(const data::Field& field);

// The position of the column called `name` in `table`: the exact name, else the first name that
// matches ignoring case; -1 when there is none.
int FindFilterColumn(const data::DatasetTable& table, std::string_view name);

// Appends the values of `row` in a string column: the '|'-separated parts for a categorical
// column, the whole value otherwise. Null and empty values (and empty parts) add nothing. The
// views borrow `column`.
void AppendRowStrings(const data::TableColumn& column, size_t row,
                      std::vector<std::string_view>* out);
// The value of `row` in a numeric column (int, long, float, double), or nullopt when null or NaN.
std::optional<double> RowNumber(const data::TableColumn& column, size_t row);

// ASCII lower case, for event types (§9: event-type matching ignores case).
std::string AsciiLower(std::string_view text);

// Which catalogue entries hold each value of a string column.
class StringColumnIndex {
 public:
  // `rows[e]` is entry e's row in `column`, or -1. Borrows `column`, which must outlive this.
  StringColumnIndex(const data::TableColumn& column, std::span<const int64_t> rows);

  // Sets in `out` (BitsetWords(rows.size()) words) the entries that hold `value`.
  void OrMatches(std::string_view value, std::span<uint64_t> out) const;

 private:
  // Exactly one is filled: sparse values list their entries, frequent ones keep a bitset (when
  // that is cheaper to OR than setting the entries one by one).
  struct Postings {
    std::vector<uint32_t> entries;
    std::vector<uint64_t> dense;
  };
  std::unordered_map<std::string_view, Postings> values_;  // keys borrow the column's dictionary
};

// The entries of a numeric column sorted by value, with prefix bitsets every bin_size_ entries,
// so that a comparison with any threshold costs O(words + bin_size_) = O(catalogue / 64).
class NumericColumnIndex {
 public:
  NumericColumnIndex(const data::TableColumn& column, std::span<const int64_t> rows);

  // Sets in `out` (zeroed, BitsetWords(rows.size()) words) the entries whose value v satisfies
  // `v op x`. REQUIRES: op is kEq, kLt, kLe, kGt or kGe; x is finite.
  void Compare(FilterOp op, double x, std::span<uint64_t> out) const;

 private:
  // out ^= the set of the first k entries in value order.
  void XorPrefix(size_t k, std::span<uint64_t> out) const;

  std::vector<double> values_;     // ascending
  std::vector<uint32_t> entries_;  // entries_[i] holds values_[i]
  size_t bin_size_ = 64;
  std::vector<std::vector<uint64_t>> prefixes_;  // prefixes_[b]: the first (b + 1) * bin_size_
  std::vector<uint64_t> valid_;                  // entries with a value
};

// One metadata table over a catalogue: row lookup by id, and column indexes.
class TableIndex {
 public:
  // Indexes `table` (REQUIRES: non-null), whose ids are in column `id_column` ("ITEM_ID"...).
  // With `index_columns`, every string and numeric column gets an index over `catalogue_ids`;
  // without, only FindRow works (the Users table of an item filter, read for CurrentUser).
  // InvalidInput when the table lacks a string `id_column`.
  static StatusOr<std::unique_ptr<TableIndex>> Build(
      std::shared_ptr<const data::DatasetTable> table, std::string_view id_column,
      std::span<const std::string> catalogue_ids, bool index_columns);

  const data::DatasetTable& table() const { return *table_; }
  // The row of the entity with this id, or -1.
  int64_t FindRow(std::string_view id) const;
  // Catalogue entries that have a row.
  std::span<const uint64_t> present() const { return present_; }
  // The index of column `column` (a position in table().columns), or nullptr when the column
  // has another kind or columns were not indexed.
  const StringColumnIndex* strings(size_t column) const { return strings_[column].get(); }
  const NumericColumnIndex* numbers(size_t column) const { return numbers_[column].get(); }

 private:
  TableIndex() = default;

  std::shared_ptr<const data::DatasetTable> table_;
  std::unordered_map<std::string_view, int64_t> row_by_id_;  // keys borrow the table
  std::vector<uint64_t> present_;
  std::vector<std::unique_ptr<StringColumnIndex>> strings_;  // per column, or null
  std::vector<std::unique_ptr<NumericColumnIndex>> numbers_;
};

// For UserID filters: which users have interactions of each (lower-cased) event type. A null
// event type counts as "".
struct UserEventIndex {
  std::vector<std::string> event_types;      // lower case, distinct
  std::vector<std::vector<uint64_t>> users;  // per event type: a bitset over users
  std::vector<uint64_t> any;                 // users with any interaction

  // Builds it over `user_ids` from every row of `interactions`; rows of users outside the
  // catalogue are ignored.
  static UserEventIndex Build(std::span<const std::string> user_ids,
                              const data::InteractionTable& interactions);
};

}  // namespace tailor::serve
