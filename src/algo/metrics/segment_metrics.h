// Offline metrics of USER_SEGMENTATION recipes (item affinity, personalize-semantics.md §5):
// each user's newest 20% of events (rounded, at least one; users with fewer than 2 events stay
// whole in training) are held out, and the model trains on the rest. For every item with
// held-out events, its segment is the top 1% of users (at least one) by Model::Segment, passing
// over the users who interacted with it in training (a segment is for reaching new users):
//   hit    = the share of those items whose segment holds at least one user who went on to
//            interact with it;
//   recall = the share of an item's held-out users that its segment holds, averaged over the
//            items.
// Thread-safety: pure functions; EvaluateSegments only reads the model.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "algo/interaction_matrix.h"
#include "common/status_or.h"

namespace tailor::algo {

class Model;

struct SegmentSplit {
  Interactions train;  // same index spaces as the input
  struct Truth {
    int32_t item = 0;
    std::vector<int32_t> users;  // distinct, ascending
  };
  std::vector<Truth> truth;  // items with held-out events, ascending
};

// InvalidInput when `test_fraction` is outside (0, 1) or the data is invalid.
StatusOr<SegmentSplit> SplitForSegments(const Interactions& data, double test_fraction = 0.2);

struct SegmentMetrics {
  double hit = 0;
  double recall = 0;
  int64_t items = 0;  // items evaluated
  // GetSolutionMetrics' keys: "hit" and "recall".
  std::map<std::string, double> ToMap() const { return {{"hit", hit}, {"recall", recall}}; }
};

// The segment size for `num_users` users: 1%, at least one.
int32_t SegmentSize(int32_t num_users);

// Errors from the model (NotSupported when it cannot segment) are returned as-is.
StatusOr<SegmentMetrics> EvaluateSegments(const Model& model, const SegmentSplit& split);

}  // namespace tailor::algo
