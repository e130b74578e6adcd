// TrendingModel: aws-trending-now (personalize-semantics.md §4): the same list for every user,
// the items whose interactions grew the most from one window of `trend_discovery_frequency` to
// the next, then the rest by popularity (unique users), so that a catalogue where nothing grew
// in the last two windows gets popular items.
//
// Time runs on a grid of 30-minute buckets, since every frequency Personalize offers (30
// minutes to 1 day) is a multiple of 30 minutes. The two windows end with the bucket of the
// newest event the model knows: its training data's, or a newer real-time event's passed to
// Scores. On a live stream that is now; on imported history it is the end of the data, so that
// trends in a dataset of past events can still be seen and offline metrics are reproducible.
// Real-time events (PutEvents) enter through Scores as bucket counts, so the answer follows them
// without retraining.
// Thread-safety: immutable after construction or Load; const methods are safe concurrently.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "algo/model.h"
#include "algo/recipe.h"

namespace tailor::algo {

class TrendingModel : public Model {
 public:
  static constexpr std::string_view kType = "trending";
  static constexpr int64_t kBucketSeconds = 1800;
  // The bucket of a timestamp in seconds (rounded down, negative ones too).
  static int64_t BucketOf(int64_t timestamp);
  // Personalize's frequencies and their lengths in seconds.
  static StatusOr<int64_t> WindowSeconds(std::string_view trend_discovery_frequency);
  static constexpr std::string_view kDefaultFrequency = "2 hours";
  // The window of `params`' trend_discovery_frequency (kDefaultFrequency when absent).
  static StatusOr<int64_t> WindowSecondsOf(const HyperParams& params);

  // Events per item in one bucket (bucket = timestamp / kBucketSeconds, rounded down).
  struct BucketCount {
    int32_t item = 0;
    int64_t bucket = 0;
    int32_t count = 0;
  };

  // Counts `data`'s events in the last two windows ending with its newest event, and its unique
  // users per item. REQUIRES: window_seconds a positive multiple of kBucketSeconds.
  TrendingModel(const Interactions& data, int64_t window_seconds);
  static StatusOr<std::unique_ptr<Model>> Load(std::string_view payload);

  std::string_view type() const override { return kType; }
  // The list from the training data alone; the query does not change it.
  Status ScoreItems(const UserQuery& query, std::span<float> scores) const override;

  // The two windows as bucket ranges: last = [last_from, newest], previous =
  // [previous_from, last_from).
  struct Windows {
    int64_t newest = 0, last_from = 0, previous_from = 0;
    // +1 for a bucket of the last window, -1 for one of the previous, 0 outside both.
    int Side(int64_t bucket) const {
      return bucket > newest ? 0 : bucket >= last_from ? 1 : bucket >= previous_from ? -1 : 0;
    }
  };
  // The windows ending with the newest of the training data's and `newest_fresh_bucket`.
  Windows WindowsEndingAt(int64_t newest_fresh_bucket) const;

  // One score per item, higher first: the items whose event count rose from the previous window
  // to the last, by the rise (ties by the last window's count, then by popularity), then every
  // other item by popularity. `fresh` adds events the model has not trained on, within
  // `windows` (WindowsEndingAt the newest real-time event). Counts on unknown items are
  // ignored. *rises, when given, gets each item's rise (negative for a fall).
  std::vector<float> Scores(std::span<const BucketCount> fresh, const Windows& windows,
                            std::vector<int32_t>* rises = nullptr) const;
  std::vector<float> Scores(std::span<const BucketCount> fresh) const;

  int64_t window_seconds() const { return window_buckets_ * kBucketSeconds; }
  // The oldest bucket a fresh count can matter in: fresher buckets only move the windows later.
  int64_t oldest_relevant_bucket() const { return newest_bucket_ - 2 * window_buckets_ + 1; }

 private:
  TrendingModel() = default;
  void SavePayload(ByteWriter& w) const override;
  // Orders the items by popularity and scores the training data's own list.
  void Prepare();

  int64_t window_buckets_ = 4;
  // The bucket of the newest training event (0 without timestamps).
  int64_t newest_bucket_ = 0;
  // The training events of buckets ≥ oldest_relevant_bucket(), as (item, bucket, count).
  std::vector<BucketCount> recent_;
  std::vector<float> unique_users_;
  // Not saved: every item, most unique users first; and Scores({}), which ScoreItems returns.
  std::vector<int32_t> by_popularity_;
  std::vector<float> trained_scores_;
};

// The aws-trending-now recipe. Its one parameter, trend_discovery_frequency, is a feature
// transformation parameter in Personalize; Tailor accepts it among either map.
class TrendingNowRecipe : public Recipe {
 public:
  std::string_view name() const override { return "aws-trending-now"; }
  HyperParams DefaultParams() const override;
  std::vector<ParamRange> TunableRanges() const override { return {}; }
  StatusOr<std::unique_ptr<Model>> Train(const Interactions& data, const HyperParams& params,
                                         const TrainContext& ctx) const override;
};

}  // namespace tailor::algo
