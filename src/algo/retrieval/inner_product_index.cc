#include "algo/retrieval/inner_product_index.h"

#include <algorithm>

#include <hnswlib/hnswlib.h>

#include "algo/dot_product.h"

namespace tailor::algo {
namespace {

// Minus the inner product over *static_cast<const size_t*>(param) floats: the graph's
// "distance" (smaller is closer), computed for every node the graph visits.
float NegativeInnerProduct(const void* a, const void* b, const void* param) {
  return -Dot(static_cast<const float*>(a), static_cast<const float*>(b),
              static_cast<int>(*static_cast<const size_t*>(param)));
}

class InnerProductSpace : public hnswlib::SpaceInterface<float> {
 public:
  explicit InnerProductSpace(size_t dim) : dim_(dim) {}
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &NegativeInnerProduct; }
  void* get_dist_func_param() override { return &dim_; }

 private:
  size_t dim_;
};

}  // namespace

struct InnerProductIndex::Graph {
  explicit Graph(size_t dim) : space(dim) {}
  InnerProductSpace space;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw;
};

InnerProductIndex::~InnerProductIndex() = default;

std::unique_ptr<InnerProductIndex> InnerProductIndex::Build(
    std::span<const float> vectors, int32_t n, int dim, const InnerProductIndexOptions& options) {
  std::unique_ptr<InnerProductIndex> index(new InnerProductIndex());
  index->dim_ = dim;
  index->n_ = n;
  index->graph_ = std::make_unique<Graph>(static_cast<size_t>(dim));
  constexpr size_t kSeed = 100;
  index->graph_->hnsw = std::make_unique<hnswlib::HierarchicalNSW<float>>(
      &index->graph_->space, static_cast<size_t>(std::max<int32_t>(n, 1)),
      static_cast<size_t>(options.max_degree), static_cast<size_t>(options.build_beam), kSeed);
  for (int32_t i = 0; i < n; ++i) {
    index->graph_->hnsw->addPoint(vectors.data() + int64_t(i) * dim,
                                  static_cast<hnswlib::labeltype>(i));
  }
  return index;
}

std::vector<ScoredItem> InnerProductIndex::Search(std::span<const float> x, int32_t count,
                                                  int32_t beam) const {
  std::vector<ScoredItem> out;
  if (n_ == 0 || count <= 0) return out;
  // hnswlib's beam is max(ef, k): search for `beam` and keep the best `count`.
  auto found = graph_->hnsw->searchKnn(x.data(), static_cast<size_t>(std::max(count, beam)));
  while (found.size() > static_cast<size_t>(count)) found.pop();
  out.resize(found.size());
  // The queue pops the farthest first: fill from the back.
  for (size_t k = out.size(); k-- > 0;) {
    const int32_t item = static_cast<int32_t>(found.top().second);
    found.pop();
    // Rows were added in order from one thread, so a row's internal id is its label.
    const float* y = reinterpret_cast<const float*>(
        graph_->hnsw->getDataByInternalId(static_cast<unsigned>(item)));
    out[k] = {item, Dot(x.data(), y, dim_)};
  }
  return out;
}

size_t InnerProductIndex::memory_bytes() const {
  const auto& h = *graph_->hnsw;
  return h.max_elements_ * h.size_data_per_element_ +
         h.cur_element_count * h.size_links_per_element_;
}

}  // namespace tailor::algo
