// algo_train_bench: training time and peak memory of the heavy recipes on synthetic data shaped
// like MovieLens-25M (25 M interactions, ~162 k users, ~59 k items, Zipf item popularity,
// log-normal user activity). A plain program: one long run per recipe, not a microbenchmark.
//
// Usage: algo_train_bench [--events N] [--users U] [--items I] [--threads T] [--factors K]
//                         [--iterations N] [--only ials|up|sims] [--genres G] [--segments S]
//                         [--param KEY=VALUE]...
//
// --genres G: give each item 1 to 3 of G synthetic genres as its Items metadata
// (Interactions::item_features), which user-personalization's iALS then trains with.
// --segments S: give each user one of S synthetic segments as its Users metadata
// (Interactions::user_features), likewise.
// --param KEY=VALUE: a hyper-parameter of the recipes trained (repeatable), e.g.
// neighbor_weight=0 to time user-personalization without the neighbours' votes.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <sys/resource.h>

#include "algo/als/ials_trainer.h"
#include "algo/recipe_registry.h"

namespace {

double PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

double CurrentRssMiB() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f != nullptr) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4096.0 / (1024 * 1024);
}

tailor::algo::Interactions Generate(int64_t events, int32_t users, int32_t items, bool timestamps) {
  std::mt19937_64 rng(25);
  // Zipf(1.0) item popularity over a random permutation of item ids.
  std::vector<double> cdf(items);
  double s = 0;
  for (int32_t i = 0; i < items; ++i) cdf[i] = (s += 1.0 / (i + 10));
  for (double& c : cdf) c /= s;
  std::vector<int32_t> perm(items);
  for (int32_t i = 0; i < items; ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  // Log-normal user activity scaled to `events` in total, at least 20 per user.
  std::lognormal_distribution<double> activity(0.0, 1.1);
  std::vector<double> w(users);
  double total = 0;
  for (double& x : w) total += (x = activity(rng));
  tailor::algo::Interactions d;
  d.num_users = users;
  d.num_items = items;
  d.user.reserve(events);
  d.item.reserve(events);
  if (timestamps) d.timestamp.reserve(events);
  std::uniform_real_distribution<double> uni(0, 1);
  for (int32_t u = 0; u < users && static_cast<int64_t>(d.user.size()) < events; ++u) {
    int64_t n = std::max<int64_t>(20, std::llround(w[u] / total * events));
    n = std::min<int64_t>(n, events - static_cast<int64_t>(d.user.size()));
    int64_t t0 = 1'000'000'000 + static_cast<int64_t>(uni(rng) * 3e8);
    for (int64_t k = 0; k < n; ++k) {
      int32_t i =
          static_cast<int32_t>(std::lower_bound(cdf.begin(), cdf.end(), uni(rng)) - cdf.begin());
      d.user.push_back(u);
      d.item.push_back(perm[std::min(i, items - 1)]);
      if (timestamps) d.timestamp.push_back(t0 + k * 60);
    }
  }
  return d;
}

template <typename F>
double Time(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t events = 25'000'000;
  int32_t users = 162'541, items = 59'047;
  int threads = 2, factors = 64, iterations = 15;
  std::string only;
  int genres = 0, segments = 0;
  std::vector<std::pair<std::string, std::string>> params;
  for (int a = 1; a + 1 < argc; a += 2) {
    std::string k = argv[a], v = argv[a + 1];
    if (k == "--events") events = std::stoll(v);
    if (k == "--users") users = std::stoi(v);
    if (k == "--items") items = std::stoi(v);
    if (k == "--threads") threads = std::stoi(v);
    if (k == "--factors") factors = std::stoi(v);
    if (k == "--iterations") iterations = std::stoi(v);
    if (k == "--only") only = v;
    if (k == "--genres") genres = std::stoi(v);
    if (k == "--segments") segments = std::stoi(v);
    if (k == "--param" && v.find('=') != std::string::npos) {
      params.emplace_back(v.substr(0, v.find('=')), v.substr(v.find('=') + 1));
    }
  }
  const bool with_ts = only != "ials";
  tailor::algo::Interactions data = Generate(events, users, items, with_ts);
  if (genres > 0) {
    auto features = std::make_shared<tailor::algo::CategoricalFeatures>();
    features->num_features = genres;
    std::mt19937_64 rng(11);
    std::vector<int32_t> of_item;
    for (int32_t i = 0; i < items; ++i) {
      of_item.clear();
      for (uint64_t n = 1 + rng() % 3; of_item.size() < n;) {
        const auto g = static_cast<int32_t>(rng() % static_cast<uint64_t>(genres));
        if (std::find(of_item.begin(), of_item.end(), g) == of_item.end()) of_item.push_back(g);
      }
      features->AddRow(of_item);
    }
    data.item_features = std::move(features);
  }
  if (segments > 0) {
    auto features = std::make_shared<tailor::algo::CategoricalFeatures>();
    features->num_features = segments;
    for (int32_t u = 0; u < users; ++u) {
      features->AddRow(std::vector<int32_t>{static_cast<int32_t>(u % segments)});
    }
    data.user_features = std::move(features);
  }
  std::printf(
      "synthetic: %zu interactions, %d users, %d items, timestamps %s, genres %d, segments %d; "
      "rss %.0f MiB\n",
      data.size(), users, items, with_ts ? "yes" : "no", genres, segments, CurrentRssMiB());
  tailor::algo::TrainContext ctx;
  ctx.num_threads = threads;
  if (only.empty() || only == "ials") {
    tailor::algo::als::IalsTrainOptions o;
    o.config.factors = factors;
    o.iterations = iterations;
    std::unique_ptr<tailor::algo::als::IalsModel> model;
    double s = Time([&] {
      auto m = tailor::algo::als::TrainIals(data, o, ctx);
      if (m.ok()) model = std::move(m).value();
    });
    std::printf("ials  factors=%d iterations=%d threads=%d: %.1f s, peak rss %.0f MiB\n", factors,
                iterations, threads, s, PeakRssMiB());
  }
  tailor::algo::RecipeRegistry registry = tailor::algo::BuiltinRecipes();
  for (const char* name : {"aws-user-personalization", "aws-sims"}) {
    if (!only.empty() &&
        !((only == "up" && name[4] == 'u') || (only == "sims" && name[4] == 's'))) {
      continue;
    }
    tailor::algo::HyperParams p;
    if (name[4] == 'u') {
      p.Set("factors", std::to_string(factors));
      p.Set("iterations", std::to_string(iterations));
    }
    for (const auto& [k, v] : params) p.Set(k, v);
    double s = Time([&] {
      auto m = registry.Find(name)->Train(data, p, ctx);
      if (!m.ok()) std::printf("%s: %s\n", name, m.status().ToString().c_str());
    });
    std::printf("%s threads=%d: %.1f s, peak rss %.0f MiB\n", name, threads, s, PeakRssMiB());
  }
  return 0;
}
