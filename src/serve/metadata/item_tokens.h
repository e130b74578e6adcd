// ItemTokens: the Items dataset's categorical metadata as tokens (GENRES = Drama, STUDIO = A24;
// a categorical value "Drama|Crime" holds two), so that items without interactions, which a
// model cannot score, are placed by the items that share their metadata:
//   - SimilarTo: the model's items most like a new item (SIMS for an itemId the model does not
//     know): cosine of the binary token sets, ties broken by popularity;
//   - Predict: a new item's score for a user, the mean over its tokens of the mean score of the
//     model's items with that token (exploration picks the new items a user is likeliest to
//     want, not just the newest).
// Thread-safety: immutable once built; const methods are safe from many threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "algo/model.h"
#include "data/table.h"

namespace tailor::serve {

class ItemTokens {
 public:
  // model_index_per_row: per row of `items`, the model's dense index of its item, or -1 for an
  // item the model does not know (rows past its end count as -1).
  static ItemTokens Build(const data::DatasetTable& items, int32_t num_model_items,
                          std::span<const int32_t> model_index_per_row);

  // The tokens of the Items row `row` (ascending; empty when it has no categorical value).
  std::span<const uint32_t> TokensOfRow(int64_t row) const;
  size_t num_tokens() const { return token_start_.size() - 1; }

  // The n model items most similar to `tokens`, best first, leaving out `exclude` (a bitset
  // over the model's items, may be empty) and items sharing no token. Scores are the cosine.
  std::vector<algo::ScoredItem> SimilarTo(std::span<const uint32_t> tokens, int32_t n,
                                          std::span<const float> popularity,
                                          std::span<const uint64_t> exclude) const;

  // Per token, the mean of `scores` (one per model item) over the model items with it; NaN for
  // a token no model item has.
  std::vector<float> TokenMeans(std::span<const float> scores) const;
  // The mean of token_means over `tokens`, skipping NaN; NaN when none is known.
  static float Predict(std::span<const uint32_t> tokens, std::span<const float> token_means);

 private:
  int32_t num_model_items_ = 0;
  // Per Items row: CSR of its tokens.
  std::vector<int64_t> row_start_{0};
  std::vector<uint32_t> row_tokens_;
  // Per token: CSR of the model items with it, and per model item its number of tokens.
  std::vector<int64_t> token_start_{0};
  std::vector<int32_t> token_items_;
  std::vector<uint32_t> tokens_per_item_;
};

}  // namespace tailor::serve
