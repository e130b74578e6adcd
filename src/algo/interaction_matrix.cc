#include "algo/interaction_matrix.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "algo/parallel.h"

namespace tailor::algo {

void Interactions::Add(int32_t u, int32_t i, int64_t ts, float w) {
  if (weight.empty() && w != 1.0f) weight.assign(user.size(), 1.0f);
  if (timestamp.empty() && ts != 0) timestamp.assign(user.size(), 0);
  user.push_back(u);
  item.push_back(i);
  if (!timestamp.empty() || ts != 0) timestamp.push_back(ts);
  if (!weight.empty() || w != 1.0f) weight.push_back(w);
  if (!event_type.empty()) event_type.push_back(0);
}

void Interactions::SetLastEventType(uint8_t type) {
  if (user.empty()) return;
  if (event_type.empty()) {
    if (type == 0) return;
    event_type.assign(user.size(), 0);
  }
  event_type.back() = type;
}

Status Interactions::Validate() const {
  if (num_users < 0 || num_items < 0)
    return Status::InvalidInput("negative num_users or num_items");
  if (item.size() != user.size() || (!timestamp.empty() && timestamp.size() != user.size()) ||
      (!weight.empty() && weight.size() != user.size()) ||
      (!event_type.empty() && event_type.size() != user.size())) {
    return Status::InvalidInput("interaction columns differ in length");
  }
  for (size_t i = 0; i < user.size(); ++i) {
    if (user[i] < 0 || user[i] >= num_users) {
      return Status::InvalidInput("interaction " + std::to_string(i) + ": user index " +
                                  std::to_string(user[i]) + " out of range");
    }
    if (item[i] < 0 || item[i] >= num_items) {
      return Status::InvalidInput("interaction " + std::to_string(i) + ": item index " +
                                  std::to_string(item[i]) + " out of range");
    }
  }
  for (size_t i = 0; i < weight.size(); ++i) {
    if (!(weight[i] >= 0) || !std::isfinite(weight[i])) {
      return Status::InvalidInput("interaction " + std::to_string(i) +
                                  ": weight must be finite and >= 0");
    }
  }
  if (item_features != nullptr) {
    Status s = item_features->Validate(num_items);
    if (!s.ok()) return Status::InvalidInput("item " + s.message());
  }
  if (user_features != nullptr) {
    Status s = user_features->Validate(num_users);
    if (!s.ok()) return Status::InvalidInput("user " + s.message());
  }
  return Status::OK();
}

StatusOr<CsrMatrix> BuildUserItemMatrix(const Interactions& data,
                                        const MatrixBuildOptions& options) {
  TAILOR_RETURN_IF_ERROR(data.Validate());
  const size_t n = data.size();
  const bool need_ts =
      options.keep_timestamps || options.half_life_seconds > 0 || options.half_life_events > 0;
  CsrMatrix m;
  m.num_rows = data.num_users;
  m.num_cols = data.num_items;
  // Counting sort by row: events land in their row's slots in input order.
  m.indptr.assign(static_cast<size_t>(data.num_users) + 1, 0);
  for (size_t i = 0; i < n; ++i) ++m.indptr[data.user[i] + 1];
  std::partial_sum(m.indptr.begin(), m.indptr.end(), m.indptr.begin());
  m.indices.resize(n);
  m.values.resize(n);
  if (need_ts) m.last_timestamp.resize(n);
  {
    std::vector<int64_t> cursor(m.indptr.begin(), m.indptr.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      int64_t pos = cursor[data.user[i]]++;
      m.indices[pos] = data.item[i];
      m.values[pos] = data.weight_at(i);
      if (need_ts) m.last_timestamp[pos] = data.timestamp_at(i);
    }
  }
  // Per row: apply decay, sort by column, merge duplicates. new_size[r] is the merged length.
  std::vector<int64_t> new_size(data.num_users, 0);
  struct Scratch {
    std::vector<int32_t> order, cols;
    std::vector<float> vals;
    std::vector<int64_t> ts;
  };
  int threads = std::max(options.num_threads, 1);
  std::vector<Scratch> scratch(threads);
  ParallelFor(
      0, data.num_users, threads,
      [&](int t, int64_t r) {
        const int64_t begin = m.indptr[r], len = m.indptr[r + 1] - begin;
        if (len == 0) return;
        int32_t* cols = m.indices.data() + begin;
        float* vals = m.values.data() + begin;
        int64_t* ts = need_ts ? m.last_timestamp.data() + begin : nullptr;
        Scratch& s = scratch[t];
        s.order.resize(len);
        std::iota(s.order.begin(), s.order.end(), 0);
        if (options.half_life_seconds > 0 || options.half_life_events > 0) {
          // Rank events newest first (stable, so later input rows count as newer on ties).
          std::vector<int32_t>& by_time = s.order;
          std::stable_sort(by_time.begin(), by_time.end(),
                           [&](int32_t a, int32_t b) { return ts[a] > ts[b]; });
          const int64_t t_last = ts[by_time[0]];
          for (int64_t k = 0; k < len; ++k) {
            double f = 1.0;
            if (options.half_life_seconds > 0) {
              f *= std::exp2(-static_cast<double>(t_last - ts[by_time[k]]) /
                             options.half_life_seconds);
            }
            if (options.half_life_events > 0) {
              f *= std::exp2(-static_cast<double>(k) / options.half_life_events);
            }
            vals[by_time[k]] = static_cast<float>(vals[by_time[k]] * f);
          }
          std::iota(s.order.begin(), s.order.end(), 0);
        }
        std::sort(s.order.begin(), s.order.end(),
                  [&](int32_t a, int32_t b) { return cols[a] < cols[b]; });
        s.cols.clear();
        s.vals.clear();
        s.ts.clear();
        for (int32_t k : s.order) {
          if (!s.cols.empty() && s.cols.back() == cols[k]) {
            s.vals.back() += vals[k];
            if (need_ts) s.ts.back() = std::max(s.ts.back(), ts[k]);
          } else {
            s.cols.push_back(cols[k]);
            s.vals.push_back(vals[k]);
            if (need_ts) s.ts.push_back(ts[k]);
          }
        }
        std::copy(s.cols.begin(), s.cols.end(), cols);
        std::copy(s.vals.begin(), s.vals.end(), vals);
        if (need_ts) std::copy(s.ts.begin(), s.ts.end(), ts);
        new_size[r] = static_cast<int64_t>(s.cols.size());
      },
      256);
  // Compact rows in place (each row moves left or stays).
  int64_t out = 0;
  for (int32_t r = 0; r < data.num_users; ++r) {
    const int64_t begin = m.indptr[r];
    if (out != begin) {
      std::copy(m.indices.begin() + begin, m.indices.begin() + begin + new_size[r],
                m.indices.begin() + out);
      std::copy(m.values.begin() + begin, m.values.begin() + begin + new_size[r],
                m.values.begin() + out);
      if (need_ts) {
        std::copy(m.last_timestamp.begin() + begin, m.last_timestamp.begin() + begin + new_size[r],
                  m.last_timestamp.begin() + out);
      }
    }
    m.indptr[r] = out;
    out += new_size[r];
  }
  m.indptr[data.num_users] = out;
  m.indices.resize(out);
  m.indices.shrink_to_fit();
  m.values.resize(out);
  m.values.shrink_to_fit();
  if (options.keep_timestamps) {
    m.last_timestamp.resize(out);
    m.last_timestamp.shrink_to_fit();
  } else {
    std::vector<int64_t>().swap(m.last_timestamp);
  }
  return m;
}

CsrMatrix Transpose(const CsrMatrix& m, int /*num_threads*/) {
  // A sequential counting sort: scanning rows in order leaves every output row ascending.
  CsrMatrix t;
  t.num_rows = m.num_cols;
  t.num_cols = m.num_rows;
  t.indptr.assign(static_cast<size_t>(m.num_cols) + 1, 0);
  for (int32_t c : m.indices) ++t.indptr[c + 1];
  std::partial_sum(t.indptr.begin(), t.indptr.end(), t.indptr.begin());
  const bool ts = !m.last_timestamp.empty();
  t.indices.resize(m.indices.size());
  t.values.resize(m.values.size());
  if (ts) t.last_timestamp.resize(m.last_timestamp.size());
  std::vector<int64_t> cursor(t.indptr.begin(), t.indptr.end() - 1);
  for (int32_t r = 0; r < m.num_rows; ++r) {
    for (int64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      int64_t pos = cursor[m.indices[k]]++;
      t.indices[pos] = r;
      t.values[pos] = m.values[k];
      if (ts) t.last_timestamp[pos] = m.last_timestamp[k];
    }
  }
  return t;
}

}  // namespace tailor::algo
