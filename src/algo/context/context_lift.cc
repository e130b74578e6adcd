#include "algo/context/context_lift.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "algo/model_io.h"
#include "data/schema.h"

namespace tailor::algo {

ContextLift ContextLift::Build(int32_t num_items, std::span<const int32_t> item_per_row,
                               std::span<const ColumnInput> columns) {
  ContextLift lift;
  lift.num_items_ = num_items;
  for (const ColumnInput& input : columns) {
    Column c;
    c.name = input.name;
    c.values.assign(input.values.begin(), input.values.end());
    const size_t num_values = input.values.size();
    c.item_events.assign(static_cast<size_t>(num_items), 0);
    std::vector<double> value_events(num_values, 0);
    // Counting sort of (value, item) pairs: per value, then a sort and merge per row.
    std::vector<int64_t> per_value(num_values + 1, 0);
    double total = 0;
    for (size_t r = 0; r < item_per_row.size(); ++r) {
      const uint32_t v = input.value_per_row[r];
      if (item_per_row[r] < 0 || v == kNoValue || v >= num_values) continue;
      ++per_value[v + 1];
    }
    for (size_t v = 0; v < num_values; ++v) per_value[v + 1] += per_value[v];
    std::vector<int32_t> pairs(static_cast<size_t>(per_value[num_values]));
    std::vector<int64_t> cursor(per_value.begin(), per_value.end() - 1);
    for (size_t r = 0; r < item_per_row.size(); ++r) {
      const uint32_t v = input.value_per_row[r];
      const int32_t i = item_per_row[r];
      if (i < 0 || v == kNoValue || v >= num_values) continue;
      pairs[cursor[v]++] = i;
      c.item_events[i] += 1;
      value_events[v] += 1;
      total += 1;
    }
    if (total == 0) continue;  // a column no event fills tells nothing
    c.row_start.push_back(0);
    for (size_t v = 0; v < num_values; ++v) {
      auto begin = pairs.begin() + per_value[v], end = pairs.begin() + per_value[v + 1];
      std::sort(begin, end);
      for (auto it = begin; it != end;) {
        auto next = std::find_if(it, end, [&](int32_t i) { return i != *it; });
        c.items.push_back(*it);
        c.counts.push_back(static_cast<float>(next - it));
        it = next;
      }
      c.row_start.push_back(static_cast<int64_t>(c.items.size()));
      c.value_share.push_back(value_events[v] / total);
    }
    c.prior_events = FitPriorEvents(c);
    lift.columns_.push_back(std::move(c));
  }
  return lift;
}

double ContextLift::FitPriorEvents(const Column& c) {
  static constexpr double kGrid[] = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
  double best = kPriorEvents, best_loglik = -std::numeric_limits<double>::infinity();
  for (double m : kGrid) {
    double loglik = 0;
    for (size_t v = 0; v + 1 < c.row_start.size(); ++v) {
      const double prior = m * c.value_share[v];
      for (int64_t k = c.row_start[v]; k < c.row_start[v + 1]; ++k) {
        const double together = c.counts[k];
        loglik += together * std::log((together - 1 + prior) / (c.item_events[c.items[k]] - 1 + m));
      }
    }
    if (loglik > best_loglik) {
      best = m;
      best_loglik = loglik;
    }
  }
  return best;
}

int32_t ContextLift::FindColumn(std::string_view name) const {
  const std::string key = data::FoldFieldName(name);
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (data::FoldFieldName(columns_[c].name) == key) return static_cast<int32_t>(c);
  }
  return -1;
}

std::vector<std::string> ContextLift::ColumnNames() const {
  std::vector<std::string> names;
  for (const Column& c : columns_) names.push_back(c.name);
  return names;
}

ContextLift::Condition ContextLift::Find(int32_t column, std::string_view value) const {
  const Column& c = columns_[column];
  auto it = std::find(c.values.begin(), c.values.end(), value);
  return {column, it == c.values.end() ? -1 : static_cast<int32_t>(it - c.values.begin())};
}

double ContextLift::Lift(std::span<const Condition> conditions, int32_t item) const {
  double product = 1;
  for (const Condition& cond : conditions) {
    if (cond.value < 0 || item < 0 || item >= num_items_) continue;
    const Column& c = columns_[cond.column];
    const double share = c.value_share[cond.value];
    if (share <= 0) continue;
    auto begin = c.items.begin() + c.row_start[cond.value];
    auto end = c.items.begin() + c.row_start[cond.value + 1];
    auto it = std::lower_bound(begin, end, item);
    const double together = it != end && *it == item ? c.counts[it - c.items.begin()] : 0;
    const double m = c.prior_events;
    product *= (together + m * share) / ((c.item_events[item] + m) * share);
  }
  return product;
}

void ContextLift::Save(ByteWriter& w) const {
  w.Put<int32_t>(num_items_);
  w.Put<uint64_t>(columns_.size());
  for (const Column& c : columns_) {
    w.PutString(c.name);
    w.Put<uint64_t>(c.values.size());
    for (const std::string& v : c.values) w.PutString(v);
    w.PutVector(c.value_share);
    w.PutVector(c.item_events);
    w.PutVector(c.row_start);
    w.PutVector(c.items);
    w.PutVector(c.counts);
  }
  // After every column, so that artifacts saved before m was fitted still load.
  for (const Column& c : columns_) w.Put<double>(c.prior_events);
}

Status ContextLift::Load(ByteReader& r) {
  uint64_t num_columns = 0;
  if (!r.Get(&num_items_) || !r.Get(&num_columns) || num_items_ < 0 ||
      num_columns > r.remaining()) {
    return r.ok() ? Status::Internal("corrupt model artifact: context lift header")
                  : r.status("context lift");
  }
  columns_.assign(num_columns, {});
  for (Column& c : columns_) {
    uint64_t num_values = 0;
    if (!r.GetString(&c.name) || !r.Get(&num_values) || num_values > r.remaining()) {
      return r.ok() ? Status::Internal("corrupt model artifact: context values")
                    : r.status("context lift");
    }
    c.values.resize(num_values);
    for (std::string& v : c.values) r.GetString(&v);
    r.GetVector(&c.value_share);
    r.GetVector(&c.item_events);
    r.GetVector(&c.row_start);
    r.GetVector(&c.items);
    r.GetVector(&c.counts);
    TAILOR_RETURN_IF_ERROR(r.status("context lift"));
    const bool consistent =
        c.value_share.size() == num_values && c.item_events.size() == size_t(num_items_) &&
        c.row_start.size() == num_values + 1 && c.items.size() == c.counts.size() &&
        !c.row_start.empty() && c.row_start.front() == 0 &&
        c.row_start.back() == static_cast<int64_t>(c.items.size()) &&
        std::is_sorted(c.row_start.begin(), c.row_start.end()) &&
        std::all_of(c.items.begin(), c.items.end(),
                    [&](int32_t i) { return i >= 0 && i < num_items_; });
    if (!consistent) return Status::Internal("corrupt model artifact: context lift columns");
  }
  if (r.remaining() == 0) return Status::OK();  // saved with the fixed kPriorEvents
  for (Column& c : columns_) {
    if (!r.Get(&c.prior_events) || !(c.prior_events > 0) || !std::isfinite(c.prior_events)) {
      return r.ok() ? Status::Internal("corrupt model artifact: context lift prior")
                    : r.status("context lift");
    }
  }
  return Status::OK();
}

}  // namespace tailor::algo
