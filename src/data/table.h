// Tables read back from a DatasetStore for training: InteractionTable, the compact form of an
// Interactions dataset, and DatasetTable, every column of any dataset (Items and Users
// metadata). Codes are dense indices into the tables' own id and string lists, merged across
// all of the dataset's segments.
// Thread-safety: plain values.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/schema.h"

namespace tailor::data {

// The interactions of a dataset, one entry per row in import order. Per-row vectors all have
// num_rows() entries, except the optional ones, which are empty when the schema lacks the
// field.
struct InteractionTable {
  // Marks a null event type in event_types_per_row.
  static constexpr uint32_t kNoEventType = UINT32_MAX;

  std::vector<std::string> user_ids;     // dense user index -> USER_ID
  std::vector<std::string> item_ids;     // dense item index -> ITEM_ID
  std::vector<std::string> event_types;  // dense event type index -> EVENT_TYPE

  std::vector<uint32_t> users;               // per row: index into user_ids
  std::vector<uint32_t> items;               // per row: index into item_ids
  std::vector<int64_t> timestamps;           // per row: TIMESTAMP, epoch seconds
  std::vector<uint32_t> event_type_per_row;  // optional: index into event_types or kNoEventType
  std::vector<float> event_values;           // optional: EVENT_VALUE, NaN when null

  // Contextual metadata: the schema's other string columns (DEVICE, LOCATION...), which
  // GetRecommendations' `context` names.
  struct ContextColumn {
    std::string name;
    std::vector<std::string> values;      // code -> value
    std::vector<uint32_t> value_per_row;  // per row: a code, or kNoEventType when null
  };
  std::vector<ContextColumn> context_columns;

  size_t num_rows() const { return users.size(); }
};

// One column of a DatasetTable. Exactly one of codes/ints/doubles is filled, by type.
struct TableColumn {
  Field field;
  std::vector<std::string> dictionary;  // strings: code -> value
  std::vector<uint32_t> codes;          // strings: per row, kNullCode (UINT32_MAX) when null
  std::vector<int64_t> ints;            // int, long and boolean (0/1): per row, 0 when null
  std::vector<double> doubles;          // float and double: per row, NaN when null
  std::vector<uint8_t> valid;           // per row: 1 when present

  // The string of row `row`, "" when null. REQUIRES: a string column.
  std::string_view StringAt(size_t row) const {
    return codes[row] == UINT32_MAX ? std::string_view() : std::string_view(dictionary[codes[row]]);
  }
};

// Every schema field of a dataset as a column (fields missing from every import are all null).
struct DatasetTable {
  std::vector<TableColumn> columns;  // in schema order
  int64_t num_rows = 0;

  // The column with this name, or nullptr. Borrowed: valid while the table lives.
  const TableColumn* Find(std::string_view name) const {
    for (const TableColumn& column : columns) {
      if (column.field.name == name) return &column;
    }
    return nullptr;
  }
  // The column with this exact name, else the first whose name matches ignoring ASCII case (as
  // filters and metadataColumns name columns, §9), or nullptr. Borrowed like Find.
  const TableColumn* FindIgnoringCase(std::string_view name) const {
    if (const TableColumn* exact = Find(name)) return exact;
    auto lower = [](char c) {
      return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    };
    for (const TableColumn& column : columns) {
      const std::string& other = column.field.name;
      if (other.size() == name.size() &&
          std::equal(other.begin(), other.end(), name.begin(),
                     [&](char a, char b) { return lower(a) == lower(b); })) {
        return &column;
      }
    }
    return nullptr;
  }
};

}  // namespace tailor::data
