#include "serve/metadata/item_tokens.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace tailor::serve {

ItemTokens ItemTokens::Build(const data::DatasetTable& items, int32_t num_model_items,
                             std::span<const int32_t> model_index_per_row) {
  ItemTokens t;
  t.num_model_items_ = num_model_items;
  std::vector<const data::TableColumn*> columns;
  for (const data::TableColumn& c : items.columns) {
    if (c.field.categorical && c.field.name != "ITEM_ID") columns.push_back(&c);
  }
  // Token ids in order of first sight: (column, value) → id.
  std::unordered_map<std::string, uint32_t> ids_of;
  std::vector<std::pair<uint32_t, int32_t>> pairs;  // (token, model item)
  t.tokens_per_item_.assign(static_cast<size_t>(num_model_items), 0);
  for (int64_t row = 0; row < items.num_rows; ++row) {
    const size_t first = t.row_tokens_.size();
    for (size_t c = 0; c < columns.size(); ++c) {
      std::string_view value = columns[c]->StringAt(static_cast<size_t>(row));
      while (!value.empty()) {
        const size_t bar = value.find('|');
        std::string_view part = value.substr(0, bar);
        value = bar == std::string_view::npos ? std::string_view() : value.substr(bar + 1);
        if (part.empty()) continue;
        std::string key = std::to_string(c) + '\x1f' + std::string(part);
        auto [it, added] = ids_of.emplace(std::move(key), static_cast<uint32_t>(ids_of.size()));
        t.row_tokens_.push_back(it->second);
      }
    }
    auto begin = t.row_tokens_.begin() + static_cast<std::ptrdiff_t>(first);
    std::sort(begin, t.row_tokens_.end());
    t.row_tokens_.erase(std::unique(begin, t.row_tokens_.end()), t.row_tokens_.end());
    t.row_start_.push_back(static_cast<int64_t>(t.row_tokens_.size()));
    const int32_t item = static_cast<size_t>(row) < model_index_per_row.size()
                             ? model_index_per_row[static_cast<size_t>(row)]
                             : -1;
    if (item < 0 || item >= num_model_items) continue;
    for (size_t k = first; k < t.row_tokens_.size(); ++k)
      pairs.emplace_back(t.row_tokens_[k], item);
    t.tokens_per_item_[static_cast<size_t>(item)] =
        static_cast<uint32_t>(t.row_tokens_.size() - first);
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  t.token_start_.assign(ids_of.size() + 1, 0);
  for (const auto& [token, item] : pairs) ++t.token_start_[token + 1];
  for (size_t k = 0; k < ids_of.size(); ++k) t.token_start_[k + 1] += t.token_start_[k];
  t.token_items_.reserve(pairs.size());
  for (const auto& [token, item] : pairs) t.token_items_.push_back(item);
  return t;
}

std::span<const uint32_t> ItemTokens::TokensOfRow(int64_t row) const {
  if (row < 0 || row + 1 >= static_cast<int64_t>(row_start_.size())) return {};
  return std::span<const uint32_t>(row_tokens_)
      .subspan(static_cast<size_t>(row_start_[row]),
               static_cast<size_t>(row_start_[row + 1] - row_start_[row]));
}

std::vector<algo::ScoredItem> ItemTokens::SimilarTo(std::span<const uint32_t> tokens, int32_t n,
                                                    std::span<const float> popularity,
                                                    std::span<const uint64_t> exclude) const {
  std::unordered_map<int32_t, uint32_t> shared;
  for (uint32_t token : tokens) {
    if (token + 1 >= token_start_.size()) continue;
    for (int64_t k = token_start_[token]; k < token_start_[token + 1]; ++k) {
      ++shared[token_items_[static_cast<size_t>(k)]];
    }
  }
  struct Candidate {
    int32_t item;
    float cosine;
    float popularity;
  };
  std::vector<Candidate> candidates;
  candidates.reserve(shared.size());
  for (const auto& [item, count] : shared) {
    if (algo::IsExcluded(exclude, item)) continue;
    const double norm =
        std::sqrt(static_cast<double>(tokens.size()) * tokens_per_item_[static_cast<size_t>(item)]);
    candidates.push_back({item, static_cast<float>(count / norm),
                          static_cast<size_t>(item) < popularity.size() ? popularity[item] : 0});
  }
  const size_t keep = std::min(candidates.size(), static_cast<size_t>(std::max(0, n)));
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                    candidates.end(), [](const Candidate& a, const Candidate& b) {
                      if (a.cosine != b.cosine) return a.cosine > b.cosine;
                      if (a.popularity != b.popularity) return a.popularity > b.popularity;
                      return a.item < b.item;
                    });
  std::vector<algo::ScoredItem> out;
  for (size_t k = 0; k < keep; ++k) out.push_back({candidates[k].item, candidates[k].cosine});
  return out;
}

std::vector<float> ItemTokens::TokenMeans(std::span<const float> scores) const {
  std::vector<float> means(num_tokens(), std::numeric_limits<float>::quiet_NaN());
  for (size_t token = 0; token < num_tokens(); ++token) {
    double sum = 0;
    int64_t count = 0;
    for (int64_t k = token_start_[token]; k < token_start_[token + 1]; ++k) {
      const int32_t item = token_items_[static_cast<size_t>(k)];
      if (static_cast<size_t>(item) < scores.size() && std::isfinite(scores[item])) {
        sum += scores[item];
        ++count;
      }
    }
    if (count > 0) means[token] = static_cast<float>(sum / count);
  }
  return means;
}

float ItemTokens::Predict(std::span<const uint32_t> tokens, std::span<const float> token_means) {
  double sum = 0;
  int count = 0;
  for (uint32_t token : tokens) {
    if (token < token_means.size() && std::isfinite(token_means[token])) {
      sum += token_means[token];
      ++count;
    }
  }
  return count > 0 ? static_cast<float>(sum / count) : std::numeric_limits<float>::quiet_NaN();
}

}  // namespace tailor::serve
