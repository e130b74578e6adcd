#include "algo/user_personalization/repeat_propensity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "algo/parallel.h"

namespace tailor::algo {
namespace {

constexpr int kBuckets = RepeatPropensity::kBuckets;

struct Tally {
  std::array<int64_t, kBuckets> chances{};
  std::array<int64_t, kBuckets> hits{};
};

// Walks one user's events (positions into `data`, in time order), keeping the kRanks most
// recent distinct items in `recent` (newest first) and, for the older ones, how many are in each
// bucket of rank kRanks (the last kCounts × kTypes buckets). `count` and `type` are per-thread
// scratch over the catalogue, `count` left all zero.
void TallyUser(const Interactions& data, std::span<const int64_t> events,
               std::vector<int32_t>& count, std::vector<uint8_t>& type, Tally* tally) {
  constexpr int kRanks = RepeatPropensity::kRanks;
  constexpr int kFirstOlder = RepeatPropensity::Bucket(kRanks, 1, 0);
  auto bucket = [&](int64_t rank, int32_t item) {
    return RepeatPropensity::Bucket(rank, count[item], type[item]);
  };
  std::vector<int32_t> recent;
  std::array<int64_t, kBuckets - kFirstOlder> older{};
  for (size_t t = 0; t < events.size(); ++t) {
    const int32_t x = data.item[events[t]];
    const auto at = std::find(recent.begin(), recent.end(), x);
    if (t > 0) {
      for (size_t r = 0; r < recent.size(); ++r) ++tally->chances[bucket(r, recent[r])];
      for (size_t b = 0; b < older.size(); ++b) tally->chances[kFirstOlder + b] += older[b];
      if (count[x] > 0) {
        ++tally->hits[bucket(at != recent.end() ? at - recent.begin() : kRanks, x)];
      }
    }
    if (at != recent.end()) {
      recent.erase(at);
    } else if (count[x] > 0) {
      --older[bucket(kRanks, x) - kFirstOlder];
    }
    ++count[x];
    type[x] = data.event_type_at(events[t]);
    recent.insert(recent.begin(), x);
    if (recent.size() > static_cast<size_t>(kRanks)) {
      ++older[bucket(kRanks, recent.back()) - kFirstOlder];
      recent.pop_back();
    }
  }
  for (int64_t e : events) count[data.item[e]] = 0;
}

}  // namespace

RepeatPropensity RepeatPropensity::Learn(const Interactions& data, int num_threads) {
  const int32_t stride = std::max<int32_t>(1, (data.num_users + kMaxUsers - 1) / kMaxUsers);
  auto chosen = [stride](int32_t u) { return u % stride == 0; };
  // The chosen users' events, grouped by user.
  const int32_t slots = (data.num_users + stride - 1) / stride;
  std::vector<int64_t> start(static_cast<size_t>(slots) + 1, 0);
  for (int32_t u : data.user) {
    if (chosen(u)) ++start[u / stride + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<int64_t> events(static_cast<size_t>(start.back()));
  {
    std::vector<int64_t> cursor(start.begin(), start.end() - 1);
    for (size_t e = 0; e < data.size(); ++e) {
      if (chosen(data.user[e])) events[cursor[data.user[e] / stride]++] = static_cast<int64_t>(e);
    }
  }
  const int threads = std::max(1, num_threads);
  std::vector<Tally> tallies(static_cast<size_t>(threads));
  std::vector<std::vector<int32_t>> counts(static_cast<size_t>(threads));
  std::vector<std::vector<uint8_t>> types(static_cast<size_t>(threads));
  ParallelFor(0, slots, threads, [&](int thread, int64_t s) {
    std::span<int64_t> mine(events.data() + start[s], static_cast<size_t>(start[s + 1] - start[s]));
    std::stable_sort(mine.begin(), mine.end(), [&data](int64_t a, int64_t b) {
      return data.timestamp_at(a) < data.timestamp_at(b);
    });
    if (counts[thread].empty()) {
      counts[thread].assign(static_cast<size_t>(data.num_items), 0);
      types[thread].assign(static_cast<size_t>(data.num_items), 0);
    }
    TallyUser(data, mine, counts[thread], types[thread], &tallies[thread]);
  });
  RepeatPropensity p;
  for (int b = 0; b < kBuckets; ++b) {
    int64_t chances = 0, hits = 0;
    for (const Tally& t : tallies) {
      chances += t.chances[b];
      hits += t.hits[b];
    }
    // One chance more than seen: a bucket met a few times cannot claim certainty.
    p.chance_[b] = static_cast<float>(static_cast<double>(hits) / static_cast<double>(chances + 1));
  }
  return p;
}

bool RepeatPropensity::any() const {
  return std::any_of(chance_.begin(), chance_.end(), [](float c) { return c > 0; });
}

void RepeatPropensity::Save(ByteWriter& w) const {
  for (float c : chance_) w.Put<float>(c);
}

bool RepeatPropensity::Load(ByteReader& r) {
  for (float& c : chance_) {
    if (!r.Get(&c)) return false;
    if (!(c >= 0 && c <= 1)) return false;
  }
  return true;
}

}  // namespace tailor::algo
