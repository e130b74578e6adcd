#include "data/demo/synthetic_dataset.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <numbers>
#include <optional>
#include <random>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace tailor::data {
namespace {

// The genres of MovieLens (minus IMAX and "(no genres listed)"), with weights close to their
// frequency there, so that Drama and Comedy dominate as in real catalogues.
constexpr int kNumGenres = 18;
constexpr std::array<std::string_view, kNumGenres> kGenres = {
    "Action",      "Adventure", "Animation", "Children",  "Comedy", "Crime",
    "Documentary", "Drama",     "Fantasy",   "Film-Noir", "Horror", "Musical",
    "Mystery",     "Romance",   "Sci-Fi",    "Thriller",  "War",    "Western"};
constexpr std::array<double, kNumGenres> kGenreWeights = {10, 7, 3, 4, 20, 6, 3,  25, 4,
                                                          1,  5, 2, 3, 8,  5, 10, 2,  1};

constexpr int kNumAgeGroups = 6;
constexpr std::array<std::string_view, kNumAgeGroups> kAgeGroups = {"18-24", "25-34", "35-44",
                                                                    "45-54", "55-64", "65+"};
constexpr std::array<double, kNumAgeGroups> kAgeGroupWeights = {20, 30, 22, 14, 9, 5};
// Genres (indexes into kGenres) an age group leans towards, so that user metadata carries
// signal a metadata-aware recipe can use.
constexpr std::array<std::array<int, 3>, kNumAgeGroups> kAgeGroupGenres = {{
    {0, 14, 10},  // 18-24: Action, Sci-Fi, Horror
    {4, 15, 1},   // 25-34: Comedy, Thriller, Adventure
    {7, 5, 4},    // 35-44: Drama, Crime, Comedy
    {7, 12, 6},   // 45-54: Drama, Mystery, Documentary
    {7, 16, 17},  // 55-64: Drama, War, Western
    {11, 9, 17},  // 65+: Musical, Film-Noir, Western
}};
constexpr double kAgeGroupGenreBoost = 3.0;

constexpr int kNumCountries = 10;
constexpr std::array<std::string_view, kNumCountries> kCountries = {"US", "IN", "GB", "DE", "BR",
                                                                    "FR", "JP", "CA", "ES", "MX"};
constexpr std::array<double, kNumCountries> kCountryWeights = {35, 10, 10, 8, 8, 7, 6, 6, 5, 5};

// Share of items that already exist before start_time (the back catalogue); the rest are
// created during the span, so new items keep arriving as in a real service.
constexpr double kBackCatalogShare = 0.4;
// Share of a user's interactions drawn from their preferred genres; the rest explore the whole
// catalogue by popularity.
constexpr double kTasteAdherence = 0.85;
// Probability that an interaction starts a new session rather than continuing one, and the
// mean gap between interactions within a session.
constexpr double kSessionBreakProbability = 0.3;
constexpr double kMeanSessionGapSeconds = 120;

constexpr std::string_view kInteractionsSchema =
    R"({"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema",)"
    R"("fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},)"
    R"({"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"},)"
    R"({"name":"EVENT_VALUE","type":["float","null"]}],"version":"1.0"})";
constexpr std::string_view kItemsSchema =
    R"({"type":"record","name":"Items","namespace":"com.amazonaws.personalize.schema",)"
    R"("fields":[{"name":"ITEM_ID","type":"string"},)"
    R"({"name":"GENRES","type":"string","categorical":true},{"name":"YEAR","type":"int"},)"
    R"({"name":"CREATION_TIMESTAMP","type":"long"}],"version":"1.0"})";
constexpr std::string_view kUsersSchema =
    R"({"type":"record","name":"Users","namespace":"com.amazonaws.personalize.schema",)"
    R"("fields":[{"name":"USER_ID","type":"string"},)"
    R"({"name":"AGE_GROUP","type":"string","categorical":true},)"
    R"({"name":"COUNTRY","type":"string","categorical":true}],"version":"1.0"})";

// Independent, reproducible streams: each (purpose, index) pair gets its own mt19937_64, so a
// user's rows do not depend on how many rows earlier users drew. The distributions are ours
// because libstdc++'s and libc++'s std::*_distribution give different sequences.
enum class Stream : uint64_t { kItems = 1, kActivity = 2, kUser = 3 };

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  Rng(uint64_t seed, Stream stream, uint64_t index)
      : gen_(SplitMix64(SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(stream))) + index)) {}

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n). The modulo bias is below 2^-40 for the n used here.
  uint64_t Below(uint64_t n) { return gen_() % n; }
  // Exponential with mean 1.
  double Exponential() { return -std::log1p(-Uniform()); }
  // Standard normal by Box-Muller (one of the pair is dropped to stay stateless).
  double Normal() {
    double u1 = 1.0 - Uniform();  // (0, 1], so log is finite
    double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  // Index drawn with probability proportional to weights[i].
  template <size_t N>
  int Pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double r = Uniform() * total;
    for (size_t i = 0; i + 1 < N; ++i) {
      if (r < weights[i]) return static_cast<int>(i);
      r -= weights[i];
    }
    return static_cast<int>(N - 1);
  }

 private:
  std::mt19937_64 gen_;
};

int CalendarYear(int64_t epoch_seconds) {
  using namespace std::chrono;
  auto day = floor<days>(sys_seconds{seconds{epoch_seconds}});
  return static_cast<int>(year_month_day{day}.year());
}

struct Item {
  uint32_t genre_mask = 0;
  int64_t creation = 0;
  int year = 0;
  double weight = 0;  // popularity weight
};

// Index of the first element of sorted a[0, n) greater than x, or n. Branch-free, because
// these searches decide where each row's item comes from and mispredicted branches dominated
// a profile of std::upper_bound here.
template <typename T>
size_t UpperBound(const T* a, size_t n, T x) {
  if (n == 0) return 0;
  const T* base = a;
  while (n > 1) {
    size_t half = n / 2;
    base = base[half] <= x ? base + half : base;
    n -= half;
  }
  return static_cast<size_t>(base - a) + (*base <= x ? 1 : 0);
}

// Items of one genre (or of the whole catalogue) that can be drawn by popularity among those
// that exist at a time t. Drawing from everything with a Walker alias table and rejecting items
// not yet created gives exactly that distribution in O(1) per try; tries are few because most
// popularity mass exists most of the time. When they are not (a pool whose early items are all
// obscure), a bounded number of failures falls back to two binary searches over the items in
// creation order with running sums of weights. Searching on every row spent most of the
// generator's time in cache misses; the alias path cut its CPU time by about 40%.
class Pool {
 public:
  struct Entry {
    int64_t creation;
    uint32_t item;
    uint32_t genre_mask;  // a copy of the item's, to save a cache miss per row
  };

  // REQUIRES: calls come in non-decreasing creation order.
  void Add(uint32_t item, const Item& data) {
    entries_.push_back({data.creation, item, data.genre_mask});
    creation_.push_back(data.creation);
    cum_weight_.push_back((cum_weight_.empty() ? 0.0 : cum_weight_.back()) + data.weight);
  }

  // Builds the alias table (Vose's method). REQUIRES: all items added.
  void Finish() {
    const size_t n = entries_.size();
    slots_.resize(n);
    if (n == 0) return;
    const double mean = cum_weight_.back() / static_cast<double>(n);
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = (cum_weight_[i] - (i ? cum_weight_[i - 1] : 0.0)) / mean;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      uint32_t s = small.back(), l = large.back();
      small.pop_back();
      slots_[s] = {scaled[s], l};
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // What is left is 1 up to rounding.
    for (uint32_t i : small) slots_[i] = {1.0, i};
    for (uint32_t i : large) slots_[i] = {1.0, i};
  }

  bool HasItemAt(int64_t t) const { return !creation_.empty() && creation_.front() <= t; }

  // An item created at or before t, with probability proportional to its weight among those.
  // REQUIRES: HasItemAt(t).
  const Entry& Sample(int64_t t, Rng& rng) const {
    const double n = static_cast<double>(slots_.size());
    for (int tries = 0; tries < 16; ++tries) {
      double x = rng.Uniform() * n;
      size_t j = std::min(static_cast<size_t>(x), slots_.size() - 1);
      const Slot& slot = slots_[j];
      const Entry& e = entries_[x - static_cast<double>(j) < slot.keep ? j : slot.alias];
      if (e.creation <= t) return e;
    }
    size_t k = UpperBound(creation_.data(), creation_.size(), t);
    double r = rng.Uniform() * cum_weight_[k - 1];
    size_t i = UpperBound(cum_weight_.data(), k, r);
    return entries_[std::min(i, k - 1)];
  }

 private:
  struct Slot {
    double keep;  // probability of keeping this slot's own entry rather than the alias
    uint32_t alias;
  };

  std::vector<Entry> entries_;     // in creation order
  std::vector<int64_t> creation_;  // entries_[i].creation, contiguous for the search
  std::vector<double> cum_weight_;
  std::vector<Slot> slots_;
};

std::vector<Item> MakeItems(const SyntheticOptions& o) {
  Rng rng(o.seed, Stream::kItems, 0);
  std::vector<Item> items(o.num_items);
  const int start_year = CalendarYear(o.start_time);
  for (Item& item : items) {
    double u = rng.Uniform();
    int num_genres = u < 0.45 ? 1 : u < 0.8 ? 2 : 3;
    while (std::popcount(item.genre_mask) < num_genres)
      item.genre_mask |= 1u << rng.Pick(kGenreWeights);
    if (rng.Uniform() < kBackCatalogShare) {
      // Added to the catalogue up to five years before the data starts; released earlier
      // still, mostly in recent decades.
      item.creation = o.start_time - static_cast<int64_t>(rng.Uniform() * 5 * 365 * 86400);
      item.year = std::max(1920, start_year - 1 - static_cast<int>(rng.Exponential() * 15));
    } else {
      item.creation = o.start_time + static_cast<int64_t>(rng.Uniform() * 0.95 * o.span_seconds);
      item.year = CalendarYear(item.creation) - (rng.Uniform() < 0.3 ? 1 : 0);
    }
  }
  // Interactions can only start once something exists.
  auto first = std::min_element(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.creation < b.creation;
  });
  first->creation = std::min(first->creation, o.start_time);

  // Popularity ranks are a random permutation, independent of genre and age.
  std::vector<uint32_t> rank(items.size());
  for (size_t i = 0; i < rank.size(); ++i) rank[i] = static_cast<uint32_t>(i);
  for (size_t i = rank.size(); i > 1; --i) std::swap(rank[i - 1], rank[rng.Below(i)]);
  for (size_t i = 0; i < items.size(); ++i) {
    items[i].weight = std::pow(static_cast<double>(rank[i]) + 1.0, -o.item_zipf_exponent);
  }
  return items;
}

// Pools 0..kNumGenres-1 hold one genre each; pool kNumGenres holds every item.
std::vector<Pool> MakePools(const std::vector<Item>& items) {
  std::vector<uint32_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return items[a].creation < items[b].creation; });
  std::vector<Pool> pools(kNumGenres + 1);
  for (uint32_t i : order) {
    for (int g = 0; g < kNumGenres; ++g) {
      if (items[i].genre_mask & (1u << g)) pools[g].Add(i, items[i]);
    }
    pools[kNumGenres].Add(i, items[i]);
  }
  for (Pool& pool : pools) pool.Finish();
  return pools;
}

// Interactions per user: a log-normal share each (heavy-tailed like MovieLens), at least one
// per user when there are enough rows, summing exactly to num_interactions.
std::vector<int64_t> MakeActivity(const SyntheticOptions& o) {
  Rng rng(o.seed, Stream::kActivity, 0);
  std::vector<double> share(o.num_users);
  double total = 0;
  for (double& s : share) total += s = std::exp(o.user_activity_skew * rng.Normal());
  int64_t base = o.num_interactions >= o.num_users ? 1 : 0;
  int64_t rest = o.num_interactions - base * o.num_users;
  std::vector<int64_t> counts(o.num_users);
  int64_t assigned = 0;
  for (int64_t u = 0; u < o.num_users; ++u) {
    counts[u] = base + static_cast<int64_t>(static_cast<double>(rest) * share[u] / total);
    assigned += counts[u];
  }
  // Rounding down left fewer than num_users rows; hand them out one each from a random user.
  int64_t u = static_cast<int64_t>(rng.Below(o.num_users));
  for (int64_t left = o.num_interactions - assigned; left > 0; --left) {
    ++counts[u];
    u = (u + 1) % o.num_users;
  }
  return counts;
}

struct UserProfile {
  int age_group = 0;
  int country = 0;
  int num_tastes = 0;
  std::array<int, 3> tastes{};
  uint32_t taste_mask = 0;
};

UserProfile MakeProfile(Rng& rng) {
  UserProfile p;
  p.age_group = rng.Pick(kAgeGroupWeights);
  p.country = rng.Pick(kCountryWeights);
  std::array<double, kNumGenres> weights = kGenreWeights;
  for (int g : kAgeGroupGenres[p.age_group]) weights[g] *= kAgeGroupGenreBoost;
  double u = rng.Uniform();
  int wanted = u < 0.3 ? 1 : u < 0.75 ? 2 : 3;
  while (p.num_tastes < wanted) {
    int g = rng.Pick(weights);
    weights[g] = 0;  // draw without replacement
    p.tastes[p.num_tastes++] = g;
    p.taste_mask |= 1u << g;
  }
  return p;
}

// Appends rows to a large buffer and hands it to the file in big chunks.
class CsvOut {
 public:
  static constexpr size_t kChunk = 4 << 20;
  static constexpr size_t kMaxRow = 512;

  explicit CsvOut(std::unique_ptr<WritableFile> file)
      : file_(std::move(file)), buf_(new char[kChunk + kMaxRow]) {}

  // REQUIRES: the row about to be written is at most kMaxRow bytes.
  Status Reserve() {
    if (pos_ >= kChunk) return Flush();
    return Status::OK();
  }
  void Put(std::string_view s) {
    std::memcpy(buf_.get() + pos_, s.data(), s.size());
    pos_ += s.size();
  }
  void Put(char c) { buf_[pos_++] = c; }
  void Put(int64_t v) {
    pos_ = std::to_chars(buf_.get() + pos_, buf_.get() + kChunk + kMaxRow, v).ptr - buf_.get();
  }
  // Writes v / 100 with two decimals ("0.05", "1.00").
  void PutHundredths(int v) {
    Put(static_cast<int64_t>(v / 100));
    Put('.');
    Put(static_cast<char>('0' + v / 10 % 10));
    Put(static_cast<char>('0' + v % 10));
  }
  Status Close() {
    TAILOR_RETURN_IF_ERROR(Flush());
    return file_->Close();
  }

 private:
  Status Flush() {
    Status s = file_->Append(std::string_view(buf_.get(), pos_));
    pos_ = 0;
    return s;
  }

  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0;
};

StatusOr<CsvOut> OpenCsv(Env* env, const std::string& path, std::string_view header) {
  TAILOR_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(path));
  CsvOut out(std::move(file));
  out.Put(header);
  return out;
}

Status WriteItems(Env* env, const std::string& path, const std::vector<Item>& items) {
  TAILOR_ASSIGN_OR_RETURN(CsvOut out,
                          OpenCsv(env, path, "ITEM_ID,GENRES,YEAR,CREATION_TIMESTAMP\n"));
  for (size_t i = 0; i < items.size(); ++i) {
    TAILOR_RETURN_IF_ERROR(out.Reserve());
    out.Put('i');
    out.Put(static_cast<int64_t>(i + 1));
    out.Put(',');
    bool first = true;
    for (int g = 0; g < kNumGenres; ++g) {
      if (!(items[i].genre_mask & (1u << g))) continue;
      if (!first) out.Put('|');
      out.Put(kGenres[g]);
      first = false;
    }
    out.Put(',');
    out.Put(static_cast<int64_t>(items[i].year));
    out.Put(',');
    out.Put(items[i].creation);
    out.Put('\n');
  }
  return out.Close();
}

// Writes one user's rows. `gaps` and `is_break` are scratch space reused across users.
void WriteUserInteractions(const SyntheticOptions& o, int64_t user, int64_t count,
                           const UserProfile& p, const std::vector<Pool>& pools, Rng& rng,
                           std::vector<double>& gaps, std::vector<char>& is_break, CsvOut& out,
                           Status& status) {
  // The user's active window: arrival somewhere in the first 90% of the span, staying for a
  // random part of what is left.
  const int64_t end_time = o.start_time + o.span_seconds;
  double arrive = static_cast<double>(o.start_time) + rng.Uniform() * 0.9 * o.span_seconds;
  double window = (static_cast<double>(end_time) - arrive) * (0.05 + 0.95 * rng.Uniform());

  // Sessions: short gaps in seconds within a session, long gaps (in arbitrary units, scaled to
  // fill the window) between sessions; the first interaction always opens a session.
  gaps.resize(count + 1);
  is_break.resize(count + 1);
  double session_seconds = 0, break_units = 0;
  for (int64_t j = 0; j <= count; ++j) {
    is_break[j] = j == 0 || j == count || rng.Uniform() < kSessionBreakProbability;
    if (is_break[j]) {
      break_units += gaps[j] = rng.Exponential();
    } else {
      session_seconds += gaps[j] = rng.Exponential() * kMeanSessionGapSeconds;
    }
  }
  double session_scale = session_seconds > window / 2 ? window / 2 / session_seconds : 1.0;
  double break_scale = (window - session_seconds * session_scale) / break_units;

  double t = arrive;
  int64_t last = o.start_time;
  for (int64_t j = 0; j < count; ++j) {
    t += gaps[j] * (is_break[j] ? break_scale : session_scale);
    int64_t ts = std::clamp(static_cast<int64_t>(t), last, end_time - 1);
    last = ts;

    const Pool* pool = &pools[kNumGenres];
    if (rng.Uniform() < kTasteAdherence) {
      // Earlier tastes are stronger: 60/25/15 between first, second and third.
      double u = rng.Uniform();
      int k = u < 0.6 ? 0 : u < 0.85 ? 1 : 2;
      const Pool& taste = pools[p.tastes[std::min(k, p.num_tastes - 1)]];
      if (taste.HasItemAt(ts)) pool = &taste;
    }
    const Pool::Entry& entry = pool->Sample(ts, rng);
    bool liked = (entry.genre_mask & p.taste_mask) != 0;

    if (!(status = out.Reserve()).ok()) return;
    out.Put('u');
    out.Put(user + 1);
    out.Put(",i");
    out.Put(static_cast<int64_t>(entry.item) + 1);
    out.Put(',');
    out.Put(ts);
    double kind = rng.Uniform();
    if (kind < 0.55) {
      out.Put(",click,1.0\n");
    } else if (kind < 0.9) {
      // Films of a preferred genre are watched further.
      double f = (liked ? 0.55 : 0.25) + 0.5 * rng.Uniform();
      out.Put(",watch,");
      out.PutHundredths(std::clamp(static_cast<int>(f * 100), 5, 100));
      out.Put('\n');
    } else {
      // Star ratings in half steps, about one star higher for preferred genres.
      double noise = (rng.Uniform() + rng.Uniform() + rng.Uniform() - 1.5) * 1.6;
      double stars = (liked ? 3.9 : 2.9) + noise;
      int halves = std::clamp(static_cast<int>(std::lround(stars * 2)), 1, 10);
      out.Put(",rating,");
      out.Put(static_cast<int64_t>(halves / 2));
      out.Put(halves % 2 ? ".5\n" : ".0\n");
    }
  }
}

Status CheckOptions(const SyntheticOptions& o) {
  if (o.num_users <= 0) return Status::InvalidInput("num_users must be positive");
  if (o.num_items <= 0) return Status::InvalidInput("num_items must be positive");
  if (o.num_items > (int64_t{1} << 31)) return Status::InvalidInput("num_items is too large");
  if (o.num_interactions < 0) return Status::InvalidInput("num_interactions must not be negative");
  if (o.span_seconds <= 0) return Status::InvalidInput("span_seconds must be positive");
  if (!(o.item_zipf_exponent >= 0)) {
    return Status::InvalidInput("item_zipf_exponent must not be negative");
  }
  if (!(o.user_activity_skew >= 0)) {
    return Status::InvalidInput("user_activity_skew must not be negative");
  }
  return Status::OK();
}

}  // namespace

StatusOr<DemoDatasetFiles> WriteSyntheticDataset(Env* env, const std::string& dir,
                                                 const SyntheticOptions& options) {
  TAILOR_RETURN_IF_ERROR(CheckOptions(options));
  TAILOR_RETURN_IF_ERROR(env->CreateDirs(dir));
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(dir, ec);
  if (ec) return Status::Internal("cannot resolve folder " + dir + ": " + ec.message());
  abs = abs.lexically_normal();

  DemoDatasetFiles files;
  files.interactions_csv = (abs / "interactions.csv").string();
  files.interactions_schema = std::string(kInteractionsSchema);
  files.num_interactions = options.num_interactions;
  files.num_items = options.num_items;
  files.num_users = options.num_users;

  const std::vector<Item> items = MakeItems(options);
  if (options.write_items) {
    files.items_csv = (abs / "items.csv").string();
    files.items_schema = std::string(kItemsSchema);
    TAILOR_RETURN_IF_ERROR(WriteItems(env, files.items_csv, items));
  }
  const std::vector<Pool> pools = MakePools(items);
  const std::vector<int64_t> activity = MakeActivity(options);

  std::optional<CsvOut> users;
  if (options.write_users) {
    files.users_csv = (abs / "users.csv").string();
    files.users_schema = std::string(kUsersSchema);
    TAILOR_ASSIGN_OR_RETURN(CsvOut out,
                            OpenCsv(env, files.users_csv, "USER_ID,AGE_GROUP,COUNTRY\n"));
    users.emplace(std::move(out));
  }
  TAILOR_ASSIGN_OR_RETURN(
      CsvOut interactions,
      OpenCsv(env, files.interactions_csv, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"));
  std::vector<double> gaps;
  std::vector<char> is_break;
  Status status;
  for (int64_t u = 0; u < options.num_users; ++u) {
    Rng rng(options.seed, Stream::kUser, static_cast<uint64_t>(u));
    UserProfile profile = MakeProfile(rng);
    if (users) {
      TAILOR_RETURN_IF_ERROR(users->Reserve());
      users->Put('u');
      users->Put(u + 1);
      users->Put(',');
      users->Put(kAgeGroups[profile.age_group]);
      users->Put(',');
      users->Put(kCountries[profile.country]);
      users->Put('\n');
    }
    if (activity[u] == 0) continue;
    WriteUserInteractions(options, u, activity[u], profile, pools, rng, gaps, is_break,
                          interactions, status);
    TAILOR_RETURN_IF_ERROR(status);
  }
  if (users) TAILOR_RETURN_IF_ERROR(users->Close());
  TAILOR_RETURN_IF_ERROR(interactions.Close());
  return files;
}

}  // namespace tailor::data
