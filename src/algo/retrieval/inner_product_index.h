// InnerProductIndex: approximate maximum-inner-product search over a fixed set of item vectors,
// so that a request finds its best items without scoring the whole catalogue. A graph index
// (HNSW, from Debian's hnswlib) built and searched with −x·y as its distance: the non-metric
// graph of Morozov & Babenko, "Non-metric similarity graphs for maximum inner product search"
// (NeurIPS 2018). The reduction to Euclidean search (one extra coordinate √(M² − |y|²)) was
// measured too: it missed the longest vectors (recall of the top 20: 0.54 against 0.9+ here).
// Built single-threaded with a fixed seed, so the same vectors give the same index and the same
// answers (reproducible serving).
// Thread-safety: immutable after Build; Search is safe from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "algo/model.h"

namespace tailor::algo {

struct InnerProductIndexOptions {
  // Graph degree and construction beam (hnswlib's M and ef_construction). On a
  // MovieLens-25M-shaped model (bench/serving_topk_bench.cc, 6,000 users) degree 10 rather than
  // 16 took the mean time of a history-excluded top 25 from 124 to 103 µs and its recall from
  // 0.9989 to 0.9982; degree 8 was faster again but fell to 0.9976.
  int max_degree = 10;
  int build_beam = 100;
};

class InnerProductIndex {
 public:
  // Indexes the `n` rows of `vectors` (row-major, `dim` floats each). The index keeps its own
  // copy of the vectors.
  static std::unique_ptr<InnerProductIndex> Build(std::span<const float> vectors, int32_t n,
                                                  int dim,
                                                  const InnerProductIndexOptions& options = {});
  ~InnerProductIndex();
  InnerProductIndex(const InnerProductIndex&) = delete;
  InnerProductIndex& operator=(const InnerProductIndex&) = delete;

  // About `count` rows with the largest x·y (x has dim() floats), best first, each with its
  // exact x·y. Approximate: a row may be missed, less often with a wider search `beam` (the
  // candidates kept while searching; at least `count`).
  std::vector<ScoredItem> Search(std::span<const float> x, int32_t count, int32_t beam = 0) const;

  int dim() const { return dim_; }
  int32_t size() const { return n_; }
  // Bytes held by the graph and its copy of the vectors.
  size_t memory_bytes() const;

 private:
  struct Graph;
  InnerProductIndex() = default;

  int dim_ = 0;
  int32_t n_ = 0;
  std::unique_ptr<Graph> graph_;
};

}  // namespace tailor::algo
