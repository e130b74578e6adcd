// algo_quality: offline quality of the recipes on MovieLens ml-latest-small, with the
// GetSolutionMetrics protocol (personalize-semantics.md §5) averaged over several random user
// splits. A plain program rather than a Google Benchmark: it measures ranking quality, and
// training time only for orientation.
//
// Usage: algo_quality [--data ratings.csv] [--prep all-ratings|personalize-sample]
//                     [--seeds N] [--seed-base S] [--threads T] [--truth newest|next-item]
//                     [--ndcg-ideal truth|hits] [--breakdown] [--cold-items] [--cold-users]
//                     [--ease-lambdas L1,L2,...] [--ease-half-lives H1,H2,...]
//                     [recipe[:k=v,k=v...]]...
//
// --truth newest (default): GetSolutionMetrics' truth, each test user's newest 10% of events.
// --truth next-item: only the first of those items, the one right after the input history; a
// probe of how Personalize's published sample numbers were computed (their NDCG@10 / P@10
// ratio, 4.7, is what a single truth item gives), not a protocol Tailor reports.
// --ndcg-ideal hits: also print NDCG@10 with the ideal DCG over the user's hits instead of
// over min(|truth|, 10) items, another such probe.
// --breakdown: also print where NDCG@10 comes from: the share of test users whose truth holds
// an item of their input history (a repeat) and how often the list leads with it; NDCG@10 with
// the repeats put first and the rest of the history left out (what a perfect ranking of the
// history would give); and NDCG@10 of the list without the history against the truth without it
// (the ranking of new items alone); and the share of test users whose truth holds their newest
// input item, the item SIMS is asked about and never returns, and NDCG@10 with that item put
// first.
// --cold-items: also print how the recipe ranks items that kept only 2 users in training, with
// and without the genres (PrintColdItems).
// --cold-users: also print how it answers users with none or 3 events who declared a favourite
// genre, with and without the Users-row lift (PrintColdUsers).
// The genres of movies.csv, beside the ratings, are the items' features (Items metadata).
// --prep all-ratings (default): every rating is one interaction.
// --prep personalize-sample: the preparation of Personalize's own MovieLens sample: a "watch"
//   event for every rating > 3 and a "click" event for every rating > 1, both kept as events of
//   one Interactions dataset (a rating of 4 gives two events), watch rows first as in the
//   sample's concatenation; only items with at least one event are in the catalogue.
// Splits use seeds S..S+N-1 (default 7..11).
//
// With no recipe arguments it prints the comparison table: every recipe, with EASE tuned on a
// grid (lambda × recency half-life of the query history; the best row by mean NDCG@10 is named),
// then the ratios of user-personalization to popularity and to the best EASE.
//
// aws-sims has no per-user scores (Recommend is NotSupported); RankForEvaluation, as
// GetSolutionMetrics, asks it the way its API is used: GetRecommendations(itemId) on the test
// user's newest input item, with the user's input items excluded, scored against the same truth.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "algo/context/context_lift.h"
#include "algo/metrics/evaluation_split.h"
#include "algo/metrics/ranking_metrics.h"
#include "algo/metrics/trend_accuracy.h"
#include "algo/model.h"
#include "algo/popularity/trending_model.h"
#include "algo/recipe_registry.h"

namespace {

using tailor::algo::EvaluationSplit;
using tailor::algo::HyperParams;
using tailor::algo::Interactions;
using tailor::algo::RankingMetrics;

struct Rating {
  long user = 0, item = 0;
  double rating = 0;
  long long ts = 0;
};

bool ReadRatings(const std::string& path, std::vector<Rating>* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::getline(in, line);  // header: userId,movieId,rating,timestamp
  while (std::getline(in, line)) {
    Rating r;
    if (std::sscanf(line.c_str(), "%ld,%ld,%lf,%lld", &r.user, &r.item, &r.rating, &r.ts) != 4) {
      continue;
    }
    out->push_back(r);
  }
  return true;
}

// Turns ratings into interactions with dense indices in order of first appearance.
// *movie_of gets each item index's movieId.
Interactions Prepare(const std::vector<Rating>& ratings, const std::string& prep,
                     std::vector<long>* movie_of) {
  Interactions d;
  std::unordered_map<long, int32_t> users, items;
  auto add = [&](const Rating& r, uint8_t event_type) {
    auto u = users.emplace(r.user, static_cast<int32_t>(users.size())).first->second;
    auto i = items.emplace(r.item, static_cast<int32_t>(items.size())).first->second;
    d.Add(u, i, r.ts, 1.0f);
    d.SetLastEventType(event_type);
  };
  if (prep == "personalize-sample") {
    // Event types numbered in order of first appearance, as a dataset's are.
    for (const Rating& r : ratings) {
      if (r.rating > 3) add(r, 0);  // watch
    }
    for (const Rating& r : ratings) {
      if (r.rating > 1) add(r, 1);  // click
    }
  } else {
    for (const Rating& r : ratings) add(r, 0);
  }
  d.num_users = static_cast<int32_t>(users.size());
  d.num_items = static_cast<int32_t>(items.size());
  movie_of->assign(items.size(), 0);
  for (const auto& [movie, i] : items) (*movie_of)[i] = movie;
  return d;
}

// The genres of movies.csv (movieId,title,genres; the title may be quoted and hold commas) as
// the items' features, "(no genres listed)" as none; null when the file cannot be read.
std::shared_ptr<const tailor::algo::CategoricalFeatures> ReadGenres(
    const std::string& path, const std::vector<long>& movie_of) {
  std::ifstream in(path);
  if (!in) return nullptr;
  std::unordered_map<long, std::vector<std::string>> genres_of;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const size_t first = line.find(','), last = line.rfind(',');
    if (first == std::string::npos || last == first) continue;
    std::vector<std::string>& g = genres_of[std::stol(line.substr(0, first))];
    std::stringstream list(line.substr(last + 1));
    std::string genre;
    while (std::getline(list, genre, '|')) {
      if (!genre.empty() && genre != "(no genres listed)") g.push_back(genre);
    }
  }
  auto features = std::make_shared<tailor::algo::CategoricalFeatures>();
  std::map<std::string, int32_t> id_of;
  std::vector<int32_t> ids;
  for (long movie : movie_of) {
    ids.clear();
    for (const std::string& g : genres_of[movie]) {
      ids.push_back(id_of.emplace(g, static_cast<int32_t>(id_of.size())).first->second);
    }
    features->AddRow(ids);
  }
  features->num_features = static_cast<int32_t>(id_of.size());
  return features;
}

struct Spec {
  std::string label;
  std::string recipe;
  HyperParams params;
};

Spec ParseSpec(const std::string& arg) {
  Spec s;
  s.label = arg;
  auto colon = arg.find(':');
  s.recipe = arg.substr(0, colon);
  if (colon != std::string::npos) {
    std::stringstream ss(arg.substr(colon + 1));
    std::string kv;
    while (std::getline(ss, kv, ',')) {
      auto eq = kv.find('=');
      if (eq != std::string::npos) s.params.Set(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  return s;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ',')) {
    if (!x.empty()) out.push_back(x);
  }
  return out;
}

// NDCG@10 with the ideal DCG taken over the hits alone (1 for a user whose hits lead the
// list, 0 without a hit): --ndcg-ideal hits, a probe of Personalize's published numbers.
double HitsIdealNdcgAt10(const std::vector<int32_t>& ranked, const std::vector<int32_t>& truth) {
  double dcg = 0, idcg = 0;
  int hits = 0;
  for (int i = 1; i <= 10 && i <= static_cast<int>(ranked.size()); ++i) {
    if (std::find(truth.begin(), truth.end(), ranked[i - 1]) != truth.end()) {
      dcg += 1 / std::log2(1.0 + i);
      idcg += 1 / std::log2(1.0 + ++hits);
    }
  }
  return hits > 0 ? dcg / idcg : 0;
}

struct Row {
  std::string label;
  RankingMetrics avg;
  double train_s = 0;
  std::vector<double> per_seed;
  double hits_ideal_ndcg_at_10 = 0;
  // --breakdown, means over the splits.
  double repeat_users = 0, repeat_first = 0, repeats_perfect_ndcg_at_10 = 0, new_ndcg_at_10 = 0;
  // Users whose truth holds their newest input item: the item a related-items list is asked
  // about, which it never returns.
  double newest_input_in_truth = 0;
  // NDCG@10 of the list with that item put first (what a scorer that ranks an item by its
  // similarity to the query, itself included, would give).
  double newest_first_ndcg_at_10 = 0;
};

// Adds one split's --breakdown figures, divided by `n` splits, to *row.
void AddBreakdown(const std::vector<std::vector<int32_t>>& ranked, const EvaluationSplit& split,
                  int32_t num_items, double n, Row* row) {
  tailor::algo::MetricsAccumulator perfect(num_items), fresh(num_items), newest_first(num_items);
  double with_repeat = 0, first = 0, newest_in_truth = 0;
  for (size_t k = 0; k < split.test.size(); ++k) {
    const tailor::algo::TestUser& u = split.test[k];
    if (!u.input_items.empty() &&
        std::find(u.truth.begin(), u.truth.end(), u.input_items.back()) != u.truth.end()) {
      ++newest_in_truth;
    }
    if (!u.input_items.empty()) {
      std::vector<int32_t> led = {u.input_items.back()};
      for (int32_t i : ranked[k]) {
        if (i != led[0]) led.push_back(i);
      }
      newest_first.Add(led, u.truth);
    }
    auto in_history = [&](int32_t i) {
      return std::find(u.input_items.begin(), u.input_items.end(), i) != u.input_items.end();
    };
    std::vector<int32_t> repeats, new_truth;
    for (int32_t t : u.truth) (in_history(t) ? repeats : new_truth).push_back(t);
    std::vector<int32_t> repeats_first = repeats, new_ranked;
    for (int32_t i : ranked[k]) {
      if (!in_history(i)) {
        repeats_first.push_back(i);
        new_ranked.push_back(i);
      }
    }
    perfect.Add(repeats_first, u.truth);
    if (!new_truth.empty()) fresh.Add(new_ranked, new_truth);
    if (!repeats.empty()) {
      ++with_repeat;
      if (!ranked[k].empty() &&
          std::find(repeats.begin(), repeats.end(), ranked[k][0]) != repeats.end()) {
        ++first;
      }
    }
  }
  const double users = std::max<double>(1, split.test.size());
  row->repeat_users += with_repeat / users / n;
  row->repeat_first += (with_repeat > 0 ? first / with_repeat : 0) / n;
  row->newest_input_in_truth += newest_in_truth / users / n;
  row->newest_first_ndcg_at_10 += newest_first.Finish().ndcg_at_10 / n;
  row->repeats_perfect_ndcg_at_10 += perfect.Finish().ndcg_at_10 / n;
  row->new_ndcg_at_10 += fresh.Finish().ndcg_at_10 / n;
}

void PrintHeader() {
  std::printf("%-72s %7s %7s %7s %7s %7s %7s %7s %7s %7s\n", "recipe", "cover", "mrr@25", "ndcg@5",
              "ndcg@10", "ndcg@25", "p@5", "p@10", "p@25", "train_s");
}

void PrintRow(const Row& r) {
  const RankingMetrics& a = r.avg;
  std::printf("%-72s %7.4f %7.4f %7.4f %7.4f %7.4f %7.4f %7.4f %7.4f %7.2f  [", r.label.c_str(),
              a.coverage, a.mean_reciprocal_rank_at_25, a.ndcg_at_5, a.ndcg_at_10, a.ndcg_at_25,
              a.precision_at_5, a.precision_at_10, a.precision_at_25, r.train_s);
  for (double v : r.per_seed) std::printf(" %.3f", v);
  std::printf(" ]\n");
  std::fflush(stdout);
}

// Trains and evaluates `spec` on every split; false (with a message) on an error.
bool Run(const tailor::algo::RecipeRegistry& registry, const Spec& spec,
         const std::vector<EvaluationSplit>& splits, int32_t num_items, int threads, Row* row) {
  const tailor::algo::Recipe* recipe = registry.Find(spec.recipe);
  if (recipe == nullptr) {
    std::fprintf(stderr, "unknown recipe %s\n", spec.recipe.c_str());
    return false;
  }
  row->label = spec.label;
  const double n = static_cast<double>(splits.size());
  for (const auto& split : splits) {
    tailor::algo::TrainContext ctx;
    ctx.num_threads = threads;
    auto t0 = std::chrono::steady_clock::now();
    auto model = recipe->Train(split.train, spec.params, ctx);
    row->train_s +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / n;
    if (!model.ok()) {
      std::fprintf(stderr, "%s: %s\n", spec.label.c_str(), model.status().ToString().c_str());
      return false;
    }
    auto ranked = tailor::algo::RankForEvaluation(**model, split, threads);
    if (!ranked.ok()) {
      std::fprintf(stderr, "%s: %s\n", spec.label.c_str(), ranked.status().ToString().c_str());
      return false;
    }
    tailor::algo::MetricsAccumulator acc(num_items);
    double hits_ideal = 0;
    for (size_t k = 0; k < split.test.size(); ++k) {
      acc.Add((*ranked)[k], split.test[k].truth);
      hits_ideal += HitsIdealNdcgAt10((*ranked)[k], split.test[k].truth);
    }
    row->hits_ideal_ndcg_at_10 += split.test.empty() ? 0 : hits_ideal / split.test.size() / n;
    AddBreakdown(*ranked, split, num_items, n, row);
    const RankingMetrics m0 = acc.Finish();
    const RankingMetrics* m = &m0;
    row->per_seed.push_back(m->ndcg_at_10);
    RankingMetrics& a = row->avg;
    a.coverage += m->coverage / n;
    a.mean_reciprocal_rank_at_25 += m->mean_reciprocal_rank_at_25 / n;
    a.ndcg_at_5 += m->ndcg_at_5 / n;
    a.ndcg_at_10 += m->ndcg_at_10 / n;
    a.ndcg_at_25 += m->ndcg_at_25 / n;
    a.precision_at_5 += m->precision_at_5 / n;
    a.precision_at_10 += m->precision_at_10 / n;
    a.precision_at_25 += m->precision_at_25 / n;
  }
  return true;
}

// Trending-Now's own metric on the whole data's newest window (algo/metrics/trend_accuracy.h).
void PrintTrendAccuracy(const tailor::algo::RecipeRegistry& registry, const Spec& spec,
                        const Interactions& data, int threads) {
  auto window = tailor::algo::TrendingModel::WindowSecondsOf(spec.params);
  if (!window.ok()) return;
  auto split = tailor::algo::SplitForTrend(data, *window);
  if (!split.ok() || !split->has_value()) {
    std::printf("%-72s trend prediction accuracy: not computable on this data\n", "");
    return;
  }
  tailor::algo::TrainContext ctx;
  ctx.num_threads = threads;
  auto model = registry.Find(spec.recipe)->Train((*split)->train, spec.params, ctx);
  if (!model.ok()) return;
  auto accuracy = tailor::algo::TrendPredictionAccuracy(**model, **split);
  if (accuracy.ok()) {
    std::printf("%-72s trend prediction accuracy (the data's newest window held out): %.4f\n", "",
                *accuracy);
  }
}

// --cold-items: how a recipe places items with little history, the case Items metadata is for.
// For each seed, 10% of the items with at least 20 users become "cold": training keeps only
// the events of each one's first 2 users (by time) and every other user's events of it are
// held out. Each user with held-out cold items then ranks all the cold items they did not keep
// by the model's scores (ScoreItems, trained user vectors), and NDCG@10 of that ranking against
// their held-out cold items is averaged over users and seeds. Prints it for the recipe with and
// without the data's item features.
void PrintColdItems(const tailor::algo::RecipeRegistry& registry, const Spec& spec,
                    const Interactions& data, int seeds, int seed_base, int threads) {
  constexpr int kKeptUsers = 2, kMinUsers = 20;
  std::vector<std::vector<std::pair<int64_t, int32_t>>> events_of(data.num_items);
  for (size_t e = 0; e < data.size(); ++e) {
    events_of[data.item[e]].push_back({data.timestamp_at(e), data.user[e]});
  }
  std::vector<int32_t> candidates;
  std::vector<std::vector<int32_t>> first_users(data.num_items);
  for (int32_t i = 0; i < data.num_items; ++i) {
    std::sort(events_of[i].begin(), events_of[i].end());
    std::vector<int32_t>& users = first_users[i];
    for (const auto& [ts, u] : events_of[i]) {
      if (std::find(users.begin(), users.end(), u) == users.end()) users.push_back(u);
    }
    if (users.size() >= kMinUsers) candidates.push_back(i);
  }
  for (const bool with_features : {false, true}) {
    if (with_features && data.item_features == nullptr) break;
    double sum = 0;
    int64_t users_measured = 0;
    for (int s = 0; s < seeds; ++s) {
      std::mt19937_64 rng(static_cast<uint64_t>(seed_base + s));
      std::vector<int32_t> shuffled = candidates;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      std::vector<char> cold(data.num_items, 0);
      for (size_t k = 0; k < shuffled.size() / 10; ++k) cold[shuffled[k]] = 1;
      Interactions train;
      train.num_users = data.num_users;
      train.num_items = data.num_items;
      if (with_features) train.item_features = data.item_features;
      std::map<int32_t, std::vector<int32_t>> held;  // user → held-out cold items
      std::vector<std::vector<int32_t>> kept_cold(data.num_users);
      for (size_t e = 0; e < data.size(); ++e) {
        const int32_t i = data.item[e], u = data.user[e];
        if (cold[i]) {
          const auto& first = first_users[i];
          if (std::find(first.begin(), first.begin() + kKeptUsers, u) ==
              first.begin() + kKeptUsers) {
            held[u].push_back(i);
            continue;
          }
          kept_cold[u].push_back(i);
        }
        train.Add(u, i, data.timestamp_at(e), data.weight_at(e));
        train.SetLastEventType(data.event_type_at(e));
      }
      tailor::algo::TrainContext ctx;
      ctx.num_threads = threads;
      auto model = registry.Find(spec.recipe)->Train(train, spec.params, ctx);
      if (!model.ok()) {
        std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
        return;
      }
      std::vector<float> scores(data.num_items);
      for (auto& [u, truth] : held) {
        std::sort(truth.begin(), truth.end());
        truth.erase(std::unique(truth.begin(), truth.end()), truth.end());
        if (!(*model)->ScoreItems({.user = u}, scores).ok()) return;
        std::vector<int32_t> ranked;
        for (int32_t i = 0; i < data.num_items; ++i) {
          if (cold[i] &&
              std::find(kept_cold[u].begin(), kept_cold[u].end(), i) == kept_cold[u].end()) {
            ranked.push_back(i);
          }
        }
        std::sort(ranked.begin(), ranked.end(), [&](int32_t a, int32_t b) {
          return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
        });
        sum += tailor::algo::NdcgAtK(ranked, truth, 10);
        ++users_measured;
      }
    }
    std::printf("%-72s cold items (%s): ndcg@10 among them %.4f (%lld users)\n", "",
                with_features ? "with genres" : "no metadata",
                users_measured > 0 ? sum / static_cast<double>(users_measured) : 0.0,
                static_cast<long long>(users_measured));
  }
}

// --cold-users: how a recipe answers users with a few events who declared a favourite genre
// (a Users column), the case Users metadata is for. ml-latest-small has no Users data, so the
// declaration is made up from what each user rated, as a sign-up questionnaire might have asked
// it: the genre most frequent in their input history (for a training user, their whole
// history), and, printed apart, the genre most over-represented there against all events. A test
// user's query is none or their oldest 3 input events; the truth is the split's newest 10%, and
// also their next 10 items after the query (what the sign-up is followed by). Printed: NDCG@10
// without Users metadata; with the Users-row lift GetRecommendations applies to the model's widened
// list (ContextLift over the training events, each carrying its user's genre, as
// core/training_job.cc learns it; ContextCandidates' width of 100 for 25); and with the lift and
// the users' genres in training as well (user_features, the user_metadata_weight prior).
void PrintColdUsers(const tailor::algo::RecipeRegistry& registry, const Spec& spec,
                    const Interactions& data, int seeds, int seed_base, int threads) {
  constexpr std::array<size_t, 2> kKeptEvents = {0, 3};
  constexpr int32_t kWide = 100;
  constexpr size_t kNextItems = 10;
  if (data.item_features == nullptr) return;
  const tailor::algo::CategoricalFeatures& genres = *data.item_features;
  // Each genre's share of all events, for the distinctive declaration.
  std::vector<double> share(static_cast<size_t>(genres.num_features), 0.0);
  for (size_t e = 0; e < data.size(); ++e) {
    for (int32_t g : genres.of(data.item[e])) share[g] += 1.0 / static_cast<double>(data.size());
  }
  // The genre most frequent among `items` (distinctive: the one whose count most exceeds its
  // share of all events, among those with two or more), the lower id on a tie; or -1.
  auto favourite = [&](std::span<const int32_t> items, bool distinctive) {
    std::vector<int32_t> count(static_cast<size_t>(genres.num_features), 0);
    for (int32_t i : items) {
      for (int32_t g : genres.of(i)) ++count[g];
    }
    int32_t best = -1;
    double best_score = 0;
    for (int32_t g = 0; g < genres.num_features; ++g) {
      const double score = distinctive ? (count[g] >= 2 ? count[g] / share[g] : 0.0) : count[g];
      if (score > best_score) {
        best = g;
        best_score = score;
      }
    }
    return best;
  };
  std::vector<std::string> values;
  for (int32_t g = 0; g < genres.num_features; ++g) values.push_back(std::to_string(g));
  // Per declaration (most rated, most distinctive) and number of events kept: NDCG@10 of the
  // plain model, it with the lift, the informed model with the lift.
  struct Sums {
    double newest[3] = {0, 0, 0}, next[3] = {0, 0, 0};
  } sums[2][kKeptEvents.size()];
  int64_t users_measured = 0;
  tailor::algo::TrainContext ctx;
  ctx.num_threads = threads;
  for (int s = 0; s < seeds; ++s) {
    tailor::algo::SplitOptions so;
    so.seed = static_cast<uint64_t>(seed_base + s);
    auto split = tailor::algo::SplitForEvaluation(data, so);
    if (!split.ok()) return;
    const Interactions& train = split->train;
    auto plain = registry.Find(spec.recipe)->Train(train, spec.params, ctx);
    if (!plain.ok()) {
      std::fprintf(stderr, "%s\n", plain.status().ToString().c_str());
      return;
    }
    std::vector<std::vector<int32_t>> items_of(static_cast<size_t>(data.num_users));
    for (size_t e = 0; e < train.size(); ++e) items_of[train.user[e]].push_back(train.item[e]);
    for (const tailor::algo::TestUser& t : split->test) items_of[t.user] = t.input_items;
    for (const bool distinctive : {false, true}) {
      std::vector<int32_t> declared(static_cast<size_t>(data.num_users));
      auto user_genres = std::make_shared<tailor::algo::CategoricalFeatures>();
      user_genres->num_features = genres.num_features;
      for (int32_t u = 0; u < data.num_users; ++u) {
        declared[u] = favourite(items_of[u], distinctive);
        std::vector<int32_t> row;
        if (declared[u] >= 0) row.push_back(declared[u]);
        user_genres->AddRow(row);
      }
      std::vector<uint32_t> value_per_row(train.size());
      for (size_t e = 0; e < train.size(); ++e) {
        const int32_t g = declared[train.user[e]];
        value_per_row[e] = g < 0 ? tailor::algo::ContextLift::kNoValue : static_cast<uint32_t>(g);
      }
      const tailor::algo::ContextLift::ColumnInput column{"FAVOURITE_GENRE", values, value_per_row};
      const tailor::algo::ContextLift lift =
          tailor::algo::ContextLift::Build(data.num_items, train.item, {&column, 1});
      Interactions with_genres = train;
      with_genres.user_features = user_genres;
      auto informed = registry.Find(spec.recipe)->Train(with_genres, spec.params, ctx);
      if (!informed.ok()) {
        std::fprintf(stderr, "%s\n", informed.status().ToString().c_str());
        return;
      }
      // NDCG@10 of one query's list against `truth` and `next`, added to *sums.
      auto measure = [&](const tailor::algo::UserQuery& q,
                         const tailor::algo::ContextLift::Condition& condition,
                         std::span<const int32_t> truth, std::span<const int32_t> next,
                         Sums* sums) {
        int column = 0;
        for (const auto* model : {&*plain, &*informed}) {
          tailor::algo::RecommendOptions o;
          o.num_results = kWide;
          o.exact = true;
          o.softmax = true;
          o.exclude_history = !(*model)->ranks_history();
          auto ranked = (*model)->Recommend(q, o);
          if (!ranked.ok()) return false;
          for (const bool lifted : {false, true}) {
            if (model == &*informed && !lifted) continue;
            std::vector<tailor::algo::ScoredItem> list = *ranked;
            for (tailor::algo::ScoredItem& item : list) {
              if (lifted) item.score *= static_cast<float>(lift.Lift({&condition, 1}, item.item));
            }
            std::stable_sort(list.begin(), list.end(),
                             [](const auto& a, const auto& b) { return a.score > b.score; });
            std::vector<int32_t> ids;
            for (const tailor::algo::ScoredItem& item : list) ids.push_back(item.item);
            sums->newest[column] += tailor::algo::NdcgAtK(ids, truth, 10);
            sums->next[column++] += tailor::algo::NdcgAtK(ids, next, 10);
          }
        }
        return true;
      };
      for (const tailor::algo::TestUser& t : split->test) {
        if (t.input_items.size() <= kKeptEvents.back()) continue;
        const tailor::algo::ContextLift::Condition condition =
            lift.Find(0, declared[t.user] < 0 ? "" : values[declared[t.user]]);
        for (size_t k = 0; k < kKeptEvents.size(); ++k) {
          const size_t kept = kKeptEvents[k];
          auto first = [&](const auto& v) { return std::span(v.data(), std::min(v.size(), kept)); };
          tailor::algo::UserQuery q;
          q.items = first(t.input_items);
          q.timestamps = first(t.input_timestamps);
          q.weights = first(t.input_weights);
          q.event_types = first(t.input_event_types);
          // What the user rated right after those events: their next kNextItems distinct items.
          std::vector<int32_t> next;
          for (size_t e = kept; e < t.input_items.size() && next.size() < kNextItems; ++e) {
            const int32_t i = t.input_items[e];
            if (std::find(next.begin(), next.end(), i) == next.end()) next.push_back(i);
          }
          if (!measure(q, condition, t.truth, next, &sums[distinctive][k])) return;
        }
        if (!distinctive) ++users_measured;
      }
    }
  }
  const double n = std::max<double>(1, static_cast<double>(users_measured));
  for (const bool distinctive : {false, true}) {
    for (size_t k = 0; k < kKeptEvents.size(); ++k) {
      const Sums& m = sums[distinctive][k];
      std::printf(
          "%-72s cold users (%zu events, %s genre declared, %lld users): ndcg@10 %.4f without "
          "Users metadata, %.4f with the Users lift, %.4f with the lift and the genres in "
          "training; against their next %zu items %.4f, %.4f, %.4f\n",
          "", kKeptEvents[k], distinctive ? "their most distinctive" : "their most rated",
          static_cast<long long>(users_measured), m.newest[0] / n, m.newest[1] / n, m.newest[2] / n,
          kNextItems, m.next[0] / n, m.next[1] / n, m.next[2] / n);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_path = "/work/shared/datasets/ml-latest-small/ratings.csv";
  std::string prep = "all-ratings";
  std::string truth = "newest";
  bool hits_ideal = false, breakdown = false, cold_items = false, cold_users = false;
  std::string ease_lambdas = "100,250,500,1000", ease_half_lives = "0,10";
  int seeds = 5, seed_base = 7, threads = 2;
  std::vector<Spec> specs;
  for (int a = 1; a < argc; ++a) {
    std::string arg = argv[a];
    auto value = [&]() -> std::string { return a + 1 < argc ? argv[++a] : ""; };
    if (arg == "--data") {
      data_path = value();
    } else if (arg == "--prep") {
      prep = value();
    } else if (arg == "--ndcg-ideal") {
      const std::string v = value();
      if (v != "truth" && v != "hits") {
        std::fprintf(stderr, "--ndcg-ideal must be truth or hits\n");
        return 1;
      }
      hits_ideal = v == "hits";
    } else if (arg == "--breakdown") {
      breakdown = true;
    } else if (arg == "--cold-items") {
      cold_items = true;
    } else if (arg == "--cold-users") {
      cold_users = true;
    } else if (arg == "--truth") {
      truth = value();
    } else if (arg == "--seeds") {
      seeds = std::stoi(value());
    } else if (arg == "--seed-base") {
      seed_base = std::stoi(value());
    } else if (arg == "--threads") {
      threads = std::stoi(value());
    } else if (arg == "--ease-lambdas") {
      ease_lambdas = value();
    } else if (arg == "--ease-half-lives") {
      ease_half_lives = value();
    } else {
      specs.push_back(ParseSpec(arg));
    }
  }
  if (truth != "newest" && truth != "next-item") {
    std::fprintf(stderr, "--truth must be newest or next-item\n");
    return 1;
  }
  if (prep != "all-ratings" && prep != "personalize-sample") {
    std::fprintf(stderr, "--prep must be all-ratings or personalize-sample\n");
    return 1;
  }
  const bool table = specs.empty();
  std::vector<std::string> ease_labels;
  if (table) {
    specs.push_back(ParseSpec("aws-popularity-count"));
    specs.push_back(ParseSpec("aws-trending-now"));
    specs.push_back(ParseSpec("aws-sims"));
    // EASE over the items with >= 2 users (all 9.7 k would only add singleton columns and
    // quadruple the O(n³) solve).
    for (const std::string& l : SplitList(ease_lambdas)) {
      for (const std::string& h : SplitList(ease_half_lives)) {
        ease_labels.push_back("tailor-ease:lambda=" + l + ",min_item_users=2" +
                              (h == "0" ? "" : ",recency_half_life_events=" + h));
        specs.push_back(ParseSpec(ease_labels.back()));
      }
    }
    specs.push_back(ParseSpec("tailor-ials"));
    specs.push_back(ParseSpec("aws-user-personalization"));
  }
  std::vector<Rating> ratings;
  if (!ReadRatings(data_path, &ratings)) {
    std::fprintf(stderr, "cannot read %s\n", data_path.c_str());
    return 1;
  }
  std::vector<long> movie_of;
  Interactions data = Prepare(ratings, prep, &movie_of);
  const std::string movies_path =
      data_path.substr(0, data_path.find_last_of('/') + 1) + "movies.csv";
  data.item_features = ReadGenres(movies_path, movie_of);
  std::printf("data (%s): %zu interactions, %d users, %d items%s; seeds %d..%d; truth %s\n",
              prep.c_str(), data.size(), data.num_users, data.num_items,
              data.item_features ? ", genres from movies.csv" : "", seed_base,
              seed_base + seeds - 1, truth.c_str());
  tailor::algo::RecipeRegistry registry = tailor::algo::BuiltinRecipes();
  std::vector<EvaluationSplit> splits;
  for (int s = 0; s < seeds; ++s) {
    auto split =
        tailor::algo::SplitForEvaluation(data, {.seed = static_cast<uint64_t>(seed_base + s)});
    if (!split.ok()) {
      std::fprintf(stderr, "%s\n", split.status().ToString().c_str());
      return 1;
    }
    if (truth == "next-item") {
      for (tailor::algo::TestUser& t : split->test) {
        t.truth.resize(1);
        t.truth_weights.resize(1);
      }
    }
    splits.push_back(std::move(split).value());
  }
  PrintHeader();
  std::map<std::string, Row> rows;
  for (const Spec& spec : specs) {
    Row row;
    if (!Run(registry, spec, splits, data.num_items, threads, &row)) continue;
    PrintRow(row);
    if (hits_ideal) {
      std::printf("%-72s ndcg@10 with the ideal DCG over the hits: %.4f\n", "",
                  row.hits_ideal_ndcg_at_10);
    }
    if (breakdown) {
      std::printf(
          "%-72s users with a repeat in the truth %.3f, led by it %.3f; ndcg@10 with the "
          "repeats first and no other history %.4f; ndcg@10 of new items alone %.4f; newest "
          "input item in the truth %.3f, ndcg@10 with it first %.4f\n",
          "", row.repeat_users, row.repeat_first, row.repeats_perfect_ndcg_at_10,
          row.new_ndcg_at_10, row.newest_input_in_truth, row.newest_first_ndcg_at_10);
    }
    if (spec.recipe == "aws-trending-now") PrintTrendAccuracy(registry, spec, data, threads);
    if (cold_items) PrintColdItems(registry, spec, data, seeds, seed_base, threads);
    if (cold_users) PrintColdUsers(registry, spec, data, seeds, seed_base, threads);
    rows[spec.label] = row;
  }
  if (table) {
    const Row* best_ease = nullptr;
    for (const std::string& l : ease_labels) {
      auto it = rows.find(l);
      if (it != rows.end() &&
          (best_ease == nullptr || it->second.avg.ndcg_at_10 > best_ease->avg.ndcg_at_10)) {
        best_ease = &it->second;
      }
    }
    auto up = rows.find("aws-user-personalization");
    auto pop = rows.find("aws-popularity-count");
    if (best_ease != nullptr && up != rows.end() && pop != rows.end()) {
      std::printf("best EASE by ndcg@10: %s (%.4f)\n", best_ease->label.c_str(),
                  best_ease->avg.ndcg_at_10);
      std::printf("user-personalization ndcg@10 %.4f = %.2fx popularity-count, %.2fx best EASE\n",
                  up->second.avg.ndcg_at_10, up->second.avg.ndcg_at_10 / pop->second.avg.ndcg_at_10,
                  up->second.avg.ndcg_at_10 / best_ease->avg.ndcg_at_10);
    }
  }
  return 0;
}
