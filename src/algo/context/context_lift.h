// ContextLift: how an interaction's context (the value of an Interactions metadata column, such
// as DEVICE = "mobile") changes which items a user picks, learned by counting, so that
// GetRecommendations' and GetPersonalizedRanking's `context` re-weights a model's scores.
//
// For a column c, an item i and a value v, with n(i) the item's events where c has a value,
// n(v, i) those with value v and P(v) the share of c's events with value v:
//   lift(v, i) = (n(v, i) + m·P(v)) / ((n(i) + m)·P(v)),
// an estimate of P(v | i) / P(v) that shrinks to 1 for rarely seen items. The pseudo-events m
// are fitted per column (FitPriorEvents): where the value depends little on the item, the
// counts are mostly noise and m is large. A fixed m of 2 made the Users lift of users without
// events worse than none on ml-latest-small with a declared genre (bench/algo_quality.cc
// --cold-users: NDCG@10 of their next 10 items 0.0715 without it, 0.0596 and 0.0661 with it
// for the two declarations); the fitted m (20 and 50) gave 0.0690 and 0.0794. A model's
// P(i | user) times the lift is then P(i | user, v) up to a constant, when the context and the
// user are independent given the item (naive Bayes); several columns multiply.
// Values never seen in training carry no information: their lift is 1 for every item.
// Thread-safety: immutable once built or loaded; const methods are safe from many threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tailor::algo {

class ByteReader;
class ByteWriter;

class ContextLift {
 public:
  // Pseudo-events that pull an item's lift toward 1, for artifacts saved before m was fitted.
  static constexpr double kPriorEvents = 2;
  // Marks a row without a value in ColumnInput::value_per_row.
  static constexpr uint32_t kNoValue = UINT32_MAX;

  // Borrowed for the Build call.
  struct ColumnInput {
    std::string name;                         // the Interactions column, e.g. "DEVICE"
    std::span<const std::string> values;      // code -> value
    std::span<const uint32_t> value_per_row;  // per event: a code, or kNoValue
  };

  ContextLift() = default;
  // Counts the events: item_per_row[r] is event r's item in [0, num_items), or -1 for an event
  // left out (an item the model does not know). REQUIRES: every column has one code per row.
  static ContextLift Build(int32_t num_items, std::span<const int32_t> item_per_row,
                           std::span<const ColumnInput> columns);

  bool empty() const { return columns_.empty(); }
  int32_t num_items() const { return num_items_; }
  // The column's position, or -1; names match ignoring case and '_' (device ~ DEVICE).
  int32_t FindColumn(std::string_view name) const;
  std::vector<std::string> ColumnNames() const;
  // The column's fitted pseudo-events m. REQUIRES: 0 <= column < number of columns.
  double prior_events(int32_t column) const { return columns_[column].prior_events; }

  // One context: a column and a value. value < 0 when training never saw the value.
  struct Condition {
    int32_t column = -1;
    int32_t value = -1;
  };
  // The condition for `value` of column `column`. REQUIRES: 0 <= column < number of columns.
  Condition Find(int32_t column, std::string_view value) const;
  // The product of the lifts of `conditions` for item i (1 for an unknown value).
  double Lift(std::span<const Condition> conditions, int32_t item) const;

  void Save(ByteWriter& w) const;
  // Internal naming the problem when the bytes are corrupt.
  Status Load(ByteReader& r);

 private:
  struct Column {
    std::string name;
    std::vector<std::string> values;
    std::vector<double> value_share;  // P(v)
    std::vector<float> item_events;   // n(i)
    // Per value: CSR rows of (item, n(v, i)), items ascending.
    std::vector<int64_t> row_start;
    std::vector<int32_t> items;
    std::vector<float> counts;
    double prior_events = kPriorEvents;  // m
  };
  // The m of a grid (0.5 to 5000) under which each event's value is best predicted from the
  // item's other events: the leave-one-out log-likelihood Σ n(v, i) · log((n(v, i) − 1 +
  // m·P(v)) / (n(i) − 1 + m)).
  static double FitPriorEvents(const Column& c);
  int32_t num_items_ = 0;
  std::vector<Column> columns_;
};

}  // namespace tailor::algo
