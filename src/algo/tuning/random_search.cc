#include "algo/tuning/random_search.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>

namespace tailor::algo {
namespace {

std::string FormatDouble(double v) {
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

// Whether base's value of `range` parses and lies inside it.
bool BaseInside(const HyperParams& base, const ParamRange& range) {
  auto it = base.values().find(range.name);
  if (it == base.values().end()) return false;
  if (range.kind == ParamRange::Kind::kCategorical) {
    for (const std::string& v : range.values) {
      if (v == it->second) return true;
    }
    return false;
  }
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  return end != it->second.c_str() && *end == '\0' && v >= range.min && v <= range.max;
}

}  // namespace

Status ValidateRanges(std::span<const ParamRange> ranges, std::span<const ParamRange> limits) {
  for (const ParamRange& r : ranges) {
    if (r.kind == ParamRange::Kind::kCategorical) {
      if (r.values.empty()) {
        return Status::InvalidInput("The categorical range of " + r.name + " has no values.");
      }
    } else if (!(r.min <= r.max) || !std::isfinite(r.min) || !std::isfinite(r.max)) {
      return Status::InvalidInput("The range of " + r.name + " is empty: minValue " +
                                  FormatDouble(r.min) + " is greater than maxValue " +
                                  FormatDouble(r.max) + ".");
    }
    for (const ParamRange& limit : limits) {
      if (limit.name != r.name || limit.kind == ParamRange::Kind::kCategorical ||
          r.kind == ParamRange::Kind::kCategorical) {
        continue;
      }
      if (r.min < limit.min || r.max > limit.max) {
        return Status::InvalidInput("The range of " + r.name + " [" + FormatDouble(r.min) + ", " +
                                    FormatDouble(r.max) + "] lies outside the allowed [" +
                                    FormatDouble(limit.min) + ", " + FormatDouble(limit.max) +
                                    "].");
      }
    }
  }
  return Status::OK();
}

std::vector<HyperParams> SampleCandidates(const HyperParams& base,
                                          std::span<const ParamRange> ranges, int count,
                                          uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<HyperParams> out;
  for (int c = 0; c < count; ++c) {
    HyperParams p = base;
    for (const ParamRange& r : ranges) {
      if (c == 0 && BaseInside(base, r)) continue;
      switch (r.kind) {
        case ParamRange::Kind::kInteger: {
          std::uniform_int_distribution<int64_t> d(static_cast<int64_t>(std::ceil(r.min)),
                                                   static_cast<int64_t>(std::floor(r.max)));
          p.Set(r.name, std::to_string(d(rng)));
          break;
        }
        case ParamRange::Kind::kContinuous: {
          double v;
          if (r.log_scale && r.min > 0) {
            std::uniform_real_distribution<double> d(std::log(r.min), std::log(r.max));
            v = std::exp(d(rng));
          } else {
            std::uniform_real_distribution<double> d(r.min, r.max);
            v = d(rng);
          }
          p.Set(r.name, FormatDouble(std::clamp(v, r.min, r.max)));
          break;
        }
        case ParamRange::Kind::kCategorical: {
          std::uniform_int_distribution<size_t> d(0, r.values.size() - 1);
          p.Set(r.name, r.values[d(rng)]);
          break;
        }
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace tailor::algo
