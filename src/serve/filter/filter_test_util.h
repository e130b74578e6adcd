// Test helpers for the filter tests: small hand-made DatasetTables and readable bitsets.
// Thread-safety: plain functions; test-only.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/schema.h"
#include "data/table.h"

namespace tailor::serve::testing {

// A string column; std::nullopt is null.
inline data::TableColumn StringColumn(const std::string& name,
                                      const std::vector<std::optional<std::string>>& values,
                                      bool categorical = false, bool textual = false) {
  data::TableColumn column;
  column.field.name = name;
  column.field.type = data::FieldType::kString;
  column.field.nullable = true;
  column.field.categorical = categorical;
  column.field.textual = textual;
  std::map<std::string, uint32_t> codes;
  for (const auto& value : values) {
    column.valid.push_back(value ? 1 : 0);
    if (!value) {
      column.codes.push_back(UINT32_MAX);
      continue;
    }
    auto [it, inserted] = codes.emplace(*value, static_cast<uint32_t>(column.dictionary.size()));
    if (inserted) column.dictionary.push_back(*value);
    column.codes.push_back(it->second);
  }
  return column;
}

// An int / long / boolean column (`type` says which); std::nullopt is null.
inline data::TableColumn IntColumn(const std::string& name,
                                   const std::vector<std::optional<int64_t>>& values,
                                   data::FieldType type = data::FieldType::kInt) {
  data::TableColumn column;
  column.field.name = name;
  column.field.type = type;
  column.field.nullable = true;
  for (const auto& value : values) {
    column.valid.push_back(value ? 1 : 0);
    column.ints.push_back(value.value_or(0));
  }
  return column;
}

// A float / double column; std::nullopt is null.
inline data::TableColumn DoubleColumn(const std::string& name,
                                      const std::vector<std::optional<double>>& values,
                                      data::FieldType type = data::FieldType::kDouble) {
  data::TableColumn column;
  column.field.name = name;
  column.field.type = type;
  column.field.nullable = true;
  for (const auto& value : values) {
    column.valid.push_back(value ? 1 : 0);
    column.doubles.push_back(value.value_or(std::nan("")));
  }
  return column;
}

inline std::shared_ptr<const data::DatasetTable> MakeTable(std::vector<data::TableColumn> columns) {
  auto table = std::make_shared<data::DatasetTable>();
  table->num_rows = columns.empty() ? 0 : static_cast<int64_t>(columns.front().valid.size());
  table->columns = std::move(columns);
  return table;
}

// The ids whose bit is set, in catalogue order.
inline std::vector<std::string> SetIds(const std::vector<uint64_t>& bits,
                                       const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    if ((bits[i / 64] >> (i % 64)) & 1) out.push_back(ids[i]);
  }
  return out;
}

// "0110...": bit i of `bits` at character i, for readable failures.
inline std::string BitString(const std::vector<uint64_t>& bits, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += ((bits[i / 64] >> (i % 64)) & 1) ? '1' : '0';
  return out;
}

}  // namespace tailor::serve::testing
