// serving_topk_bench: the user-personalization serving path in-process, exact against indexed.
// Loads a solution version's model artifact the way a campaign does (ParseTrainedModel, which
// builds the serving index), then for a sample of training users asks for the top 25 twice —
// scoring the whole catalogue (RecommendOptions::exact) and through the index — with and
// without the user's history excluded. Prints the load time, the index's memory, latency
// percentiles of each path, the indexed answers' recall of the exact top 25, the relative error
// of the top item's softmax score, and how often the index fell back to a full scan. An untimed
// pass over the sample comes first, so that no path pays for the first touch of the pages.
//
// Usage: serving_topk_bench MODEL_FILE [--users N] [--seed S] [--index-only]
//   MODEL_FILE: <data-dir>/models/<solution>/<hash>.model, e.g. from bench/runtime_load.py.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "algo/recipe_registry.h"
#include "algo/user_personalization/user_personalization_model.h"
#include "core/trained_model.h"

namespace {

using tailor::algo::RecommendOptions;
using tailor::algo::ScoredItem;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / v.size();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: serving_topk_bench MODEL_FILE [--users N] [--seed S]\n");
    return 2;
  }
  int users = 2000;
  unsigned seed = 7;
  bool index_only = false;  // --index-only: skip the exact answers (for profiling the index path)
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--index-only") == 0) index_only = true;
  }
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--users") == 0) users = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--seed") == 0) seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  const tailor::algo::RecipeRegistry registry = tailor::algo::BuiltinRecipes();
  auto t0 = std::chrono::steady_clock::now();
  auto trained = tailor::core::ParseTrainedModel(registry, bytes.str());
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!trained.ok()) {
    std::fprintf(stderr, "%s\n", trained.status().ToString().c_str());
    return 1;
  }
  const auto* model =
      dynamic_cast<const tailor::algo::UserPersonalizationModel*>((*trained)->model.get());
  if (model == nullptr || model->serving_index() == nullptr) {
    std::fprintf(stderr, "not a user-personalization model with a serving index\n");
    return 1;
  }
  std::printf("model: %d users, %d items; load + index build %.2f s; index %.1f MiB\n",
              model->num_users(), model->num_items(), load_s,
              model->serving_index()->memory_bytes() / 1048576.0);

  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> pick(0, model->num_users() - 1);
  std::vector<int32_t> sample(static_cast<size_t>(users));
  for (int32_t& u : sample) u = pick(rng);

  std::printf("\n%-16s %10s %10s %10s %10s %10s %12s %10s\n", "history", "exact p50", "exact p99",
              "index p50", "index p99", "index mean", "recall@25", "score err");
  // One untimed pass first: the first touch of the artifact's pages and of the index would
  // otherwise be charged to whichever path runs first.
  for (int32_t u : sample) {
    if (!model->Recommend({.user = u}, {.num_results = 25, .exclude_history = false}).ok()) {
      std::fprintf(stderr, "recommend failed\n");
      return 1;
    }
  }
  for (bool exclude_history : {false, true}) {
    std::vector<double> exact_us, index_us, recall, score_error;
    const int64_t scans_before = model->full_scans();
    for (int32_t u : sample) {
      RecommendOptions options{
          .num_results = 25, .exclude_history = exclude_history, .softmax = true};
      auto a = std::chrono::steady_clock::now();
      auto indexed = model->Recommend({.user = u}, options);
      auto b = std::chrono::steady_clock::now();
      options.exact = true;
      auto exact = index_only ? indexed : model->Recommend({.user = u}, options);
      auto c = std::chrono::steady_clock::now();
      if (!indexed.ok() || !exact.ok()) {
        std::fprintf(stderr, "recommend failed\n");
        return 1;
      }
      index_us.push_back(std::chrono::duration<double, std::micro>(b - a).count());
      exact_us.push_back(std::chrono::duration<double, std::micro>(c - b).count());
      size_t hits = 0;
      for (const ScoredItem& e : *exact) {
        for (const ScoredItem& i : *indexed) hits += i.item == e.item;
      }
      recall.push_back(exact->empty() ? 1.0 : double(hits) / exact->size());
      if (!exact->empty() && !indexed->empty() && (*exact)[0].score > 0) {
        score_error.push_back(std::abs((*indexed)[0].score - (*exact)[0].score) /
                              (*exact)[0].score);
      }
    }
    std::printf("%-16s %8.0fus %8.0fus %8.0fus %8.0fus %8.0fus %12.4f %10.4f\n",
                exclude_history ? "excluded" : "kept", Percentile(exact_us, 0.5),
                Percentile(exact_us, 0.99), Percentile(index_us, 0.5), Percentile(index_us, 0.99),
                Mean(index_us), Mean(recall), Mean(score_error));
    std::printf("  full scans: %lld of %d\n",
                static_cast<long long>(model->full_scans() - scans_before), users);
  }
  return 0;
}
