#include "algo/item_similarity/cooccurrence.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <span>
#include <string>

#include "algo/parallel.h"

namespace tailor::algo {
namespace {

// Each user's distinct items ordered by their latest timestamp (ties by item).
StatusOr<UserHistory> OrderByTime(const Interactions& data, const CooccurrenceOptions& o) {
  MatrixBuildOptions mo;
  mo.keep_timestamps = true;
  mo.num_threads = o.num_threads;
  TAILOR_ASSIGN_OR_RETURN(CsrMatrix m, BuildUserItemMatrix(data, mo));
  return UserHistory::FromMatrixByTime(m);
}

double PairWeight(int64_t distance, const CooccurrenceOptions& o) {
  if (o.window > 0 && distance > o.window) return 0;
  if (o.position_half_life > 0) {
    return std::exp2(-static_cast<double>(distance - 1) / o.position_half_life);
  }
  return 1;
}

// A candidate neighbour j of an item: its weighted co-occurrence c and its number of
// co-occurring event pairs (users, over distinct-item histories).
struct Candidate {
  float c = 0;
  int32_t pairs = 0;
  int32_t j = 0;
};

// Scores the candidates of item i, keeps the best top_k in *out (sized exactly, since every
// item keeps its row until assembly). pop_pow[j] = n_j^β.
void Finish(int32_t i, const std::vector<Candidate>& cand, const std::vector<float>& pop_pow,
            const CooccurrenceOptions& o, std::vector<std::pair<float, int32_t>>* scratch,
            std::vector<std::pair<float, int32_t>>* out) {
  scratch->clear();
  for (const Candidate& k : cand) {
    const double counted = o.min_count_of_pairs ? k.pairs : k.c;
    if (k.j == i || counted < o.min_count - 1e-6) continue;
    scratch->push_back({k.c / (pop_pow[i] * pop_pow[k.j]), k.j});
  }
  auto better = [](const std::pair<float, int32_t>& a, const std::pair<float, int32_t>& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  const size_t keep = std::min<size_t>(scratch->size(), static_cast<size_t>(o.top_k));
  // A strict total order (ties by item), so the selection is deterministic.
  if (keep < scratch->size()) {
    std::nth_element(scratch->begin(), scratch->begin() + keep, scratch->end(), better);
  }
  std::sort(scratch->begin(), scratch->begin() + keep, better);
  out->assign(scratch->begin(), scratch->begin() + keep);
}

std::vector<float> PopPow(const std::vector<float>& pop, double beta) {
  std::vector<float> p(pop.size());
  for (size_t i = 0; i < pop.size(); ++i) {
    p[i] = static_cast<float>(std::pow(static_cast<double>(pop[i]), beta));
  }
  return p;
}

NeighborLists Assemble(int32_t num_items,
                       std::vector<std::vector<std::pair<float, int32_t>>>& rows) {
  NeighborLists n;
  n.num_items = num_items;
  n.indptr.assign(static_cast<size_t>(num_items) + 1, 0);
  for (int32_t i = 0; i < num_items; ++i) n.indptr[i + 1] = n.indptr[i] + rows[i].size();
  n.neighbor.reserve(n.indptr.back());
  n.score.reserve(n.indptr.back());
  for (auto& r : rows) {
    for (auto [s, j] : r) {
      n.neighbor.push_back(j);
      n.score.push_back(s);
    }
    std::vector<std::pair<float, int32_t>>().swap(r);
  }
  return n;
}

// The kernel over time-ordered rows: row u is items[row_begin(u) .. indptr[u + 1]), where
// row_begin keeps only the newest max_history of the stored row. `items` is relabelled while it
// runs and restored before it returns.
NeighborLists BuildFromRows(std::span<const int64_t> indptr, std::span<int32_t> items,
                            int32_t num_items, const CooccurrenceOptions& options) {
  const int32_t num_users = static_cast<int32_t>(indptr.size()) - 1;
  const int64_t cap = std::max(1, options.max_history);
  std::vector<int64_t> row_begin(static_cast<size_t>(num_users) + 1);
  for (int32_t u = 0; u < num_users; ++u) {
    row_begin[u] = std::max(indptr[u], indptr[u + 1] - cap);
  }
  std::vector<float> pop(num_items, 0.0f);
  for (int32_t u = 0; u < num_users; ++u) {
    for (int64_t k = row_begin[u]; k < indptr[u + 1]; ++k) ++pop[items[k]];
  }
  // The kernel works on items relabelled by popularity, most popular first. Its inner loop adds
  // into one accumulator slot per neighbour, at random; with Zipf-like popularity most of those
  // adds go to a few thousand items, which relabelled stay in cache together instead of being
  // spread over the whole array (bench/algo_train_bench --only sims, 25M interactions, 59k
  // items: 16.2-16.7 s against 18.2-19.1 s unrelabelled). The rows are relabelled in place, since
  // a relabelled copy would cost 4 bytes an interaction, more than user-personalization's 1 GB
  // budget has left.
  std::vector<int32_t> by_rank(num_items), rank_of(num_items);
  std::iota(by_rank.begin(), by_rank.end(), 0);
  std::stable_sort(by_rank.begin(), by_rank.end(),
                   [&](int32_t a, int32_t b) { return pop[a] > pop[b]; });
  for (int32_t r = 0; r < num_items; ++r) rank_of[by_rank[r]] = r;
  for (int32_t& i : items) i = rank_of[i];
  // Rank -> (user, position) lists, by a counting sort over the rows.
  std::vector<int64_t> start(static_cast<size_t>(num_items) + 1, 0);
  for (int32_t u = 0; u < num_users; ++u) {
    for (int64_t k = row_begin[u]; k < indptr[u + 1]; ++k) ++start[items[k] + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<int32_t> occ_user(start.back()), occ_pos(start.back());
  {
    std::vector<int64_t> cursor(start.begin(), start.end() - 1);
    for (int32_t u = 0; u < num_users; ++u) {
      for (int64_t k = row_begin[u]; k < indptr[u + 1]; ++k) {
        const int64_t at = cursor[items[k]]++;
        occ_user[at] = u;
        occ_pos[at] = static_cast<int32_t>(k - row_begin[u]);
      }
    }
  }

  const int threads = std::max(1, options.num_threads);
  // One slot per item: its weight and pair count side by side, so that the inner loop's
  // random access touches one cache line, not two.
  struct Slot {
    float c = 0;
    int32_t pairs = 0;
  };
  struct Scratch {
    std::vector<Slot> acc;
    std::vector<int32_t> touched;
    std::vector<Candidate> cand;
    std::vector<std::pair<float, int32_t>> scored;
  };
  const std::vector<float> pop_pow = PopPow(pop, options.popularity_discount);
  // PairWeight by distance, looked up in the inner loop instead of an exp2 per pair.
  const int64_t max_distance = options.window > 0 ? options.window : cap;
  std::vector<float> weight_at(static_cast<size_t>(max_distance) + 1, 0.0f);
  for (int64_t dist = 1; dist <= max_distance; ++dist) {
    weight_at[dist] = static_cast<float>(PairWeight(dist, options));
  }
  std::vector<Scratch> scratch(threads);
  std::vector<std::vector<std::pair<float, int32_t>>> rows(num_items);
  ParallelFor(
      0, num_items, threads,
      [&](int th, int64_t r) {
        Scratch& s = scratch[th];
        if (s.acc.empty()) {
          s.acc.assign(num_items, Slot{});
          s.touched.resize(num_items);  // each neighbour is touched once per item
        }
        // Raw pointers, so that the compiler need not reload them after every store, and a
        // branch-free add (the pushes into `touched` were a vector's; with them gone the same
        // training took 16.2-17.7 s).
        Slot* const acc = s.acc.data();
        int32_t* const touched = s.touched.data();
        const float* const weight = weight_at.data();
        int64_t num_touched = 0;
        auto add = [&](int32_t j, float w) {
          Slot& slot = acc[j];
          touched[num_touched] = j;
          num_touched += slot.pairs == 0;
          slot.c += w;
          ++slot.pairs;
        };
        for (int64_t k = start[r]; k < start[r + 1]; ++k) {
          const int32_t u = occ_user[k];
          const int64_t p = occ_pos[k];
          const int64_t len = indptr[u + 1] - row_begin[u];
          int64_t lo = 0, hi = len;
          if (options.window > 0) {
            lo = std::max<int64_t>(0, p - options.window);
            hi = std::min<int64_t>(len, p + options.window + 1);
          }
          const int32_t* row = items.data() + row_begin[u];
          if (!options.forward_only) {
            for (int64_t q = lo; q < p; ++q) add(row[q], weight[p - q]);
          }
          for (int64_t q = p + 1; q < hi; ++q) add(row[q], weight[q - p]);
        }
        s.cand.clear();
        for (int64_t t = 0; t < num_touched; ++t) {
          const int32_t j = touched[t];
          s.cand.push_back({s.acc[j].c, s.acc[j].pairs, by_rank[j]});
          s.acc[j] = Slot{};
        }
        const int32_t i = by_rank[r];
        Finish(i, s.cand, pop_pow, options, &s.scored, &rows[i]);
      },
      16);
  for (int32_t& i : items) i = by_rank[i];
  return Assemble(num_items, rows);
}

}  // namespace

StatusOr<NeighborLists> BuildCooccurrence(const Interactions& data,
                                          const CooccurrenceOptions& options) {
  TAILOR_ASSIGN_OR_RETURN(UserHistory t, OrderByTime(data, options));
  return BuildFromRows(t.indptr, t.items, data.num_items, options);
}

StatusOr<NeighborLists> BuildCooccurrence(UserHistory* by_time, int32_t num_items,
                                          const CooccurrenceOptions& options) {
  for (int32_t i : by_time->items) {
    if (i < 0 || i >= num_items) {
      return Status::InvalidInput("history item index " + std::to_string(i) + " out of range");
    }
  }
  return BuildFromRows(by_time->indptr, by_time->items, num_items, options);
}

StatusOr<NeighborLists> BuildCooccurrenceReference(const Interactions& data,
                                                   const CooccurrenceOptions& options) {
  TAILOR_ASSIGN_OR_RETURN(UserHistory t, OrderByTime(data, options));
  std::map<std::pair<int32_t, int32_t>, std::pair<double, int32_t>> c;  // weight, pairs
  std::vector<float> pop(data.num_items, 0.0f);
  for (int32_t u = 0; u < data.num_users; ++u) {
    const int64_t len = std::min<int64_t>(t.indptr[u + 1] - t.indptr[u], options.max_history);
    const int32_t* row = t.items.data() + t.indptr[u + 1] - len;
    for (int64_t p = 0; p < len; ++p) {
      pop[row[p]] += 1;
      for (int64_t q = 0; q < len; ++q) {
        if (q == p || (options.forward_only && q < p)) continue;
        const double w = PairWeight(q > p ? q - p : p - q, options);
        if (w > 0) {
          auto& [weight, pairs] = c[{row[p], row[q]}];
          weight += w;
          ++pairs;
        }
      }
    }
  }
  std::vector<std::vector<Candidate>> cand(data.num_items);
  std::vector<std::vector<std::pair<float, int32_t>>> rows(data.num_items);
  for (auto& [key, v] : c) {
    cand[key.first].push_back({static_cast<float>(v.first), v.second, key.second});
  }
  const std::vector<float> pop_pow = PopPow(pop, options.popularity_discount);
  std::vector<std::pair<float, int32_t>> scratch;
  for (int32_t i = 0; i < data.num_items; ++i) {
    Finish(i, cand[i], pop_pow, options, &scratch, &rows[i]);
  }
  return Assemble(data.num_items, rows);
}

}  // namespace tailor::algo
