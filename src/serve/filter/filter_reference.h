// The reference filter evaluator (style.md X7): the semantics of filter_evaluator.h, written as
// a plain loop over catalogue entries that reads the tables row by row. It is slow (it scans a
// table per entry and condition) and exists to be compared with FilterEvaluator in tests.
// Thread-safety: a pure function over borrowed inputs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status_or.h"
#include "serve/filter/filter_evaluator.h"
#include "serve/filter/filter_expression.h"

namespace tailor::data {
struct DatasetTable;
struct InteractionTable;
}  // namespace tailor::data

namespace tailor::serve {

// What FilterIndex is built from, unindexed. All borrowed for the duration of the call.
struct ReferenceFilterData {
  FilterTarget target = FilterTarget::kItemId;
  std::span<const std::string> ids;                      // the catalogue, dense index -> id
  const data::DatasetTable* entities = nullptr;          // Items, Actions or Users; may be null
  const data::DatasetTable* users = nullptr;             // item / action filters: for CurrentUser
  const data::InteractionTable* interactions = nullptr;  // user filters: for Interactions
};

// The exclusion bitset that FilterEvaluator::Evaluate returns for the same plan, data and
// request, or an InvalidInput error where it (or FilterEvaluator::Create) fails. Messages may
// differ from the indexed evaluator's.
StatusOr<std::vector<uint64_t>> EvaluateFilterReference(const FilterPlan& plan,
                                                        const ReferenceFilterData& data,
                                                        const FilterRequest& request);

}  // namespace tailor::serve
