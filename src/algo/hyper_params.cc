#include "algo/hyper_params.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace tailor::algo {
namespace {

Status Bad(const std::string& name, const std::string& value, const std::string& why) {
  return Status::InvalidInput("hyperparameter " + name + "=\"" + value + "\": " + why);
}

}  // namespace

StatusOr<int64_t> HyperParams::GetInt(const std::string& name, int64_t def, int64_t min,
                                      int64_t max) const {
  auto it = values_.find(name);
  if (it == values_.end()) return def;
  const std::string& s = it->second;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE) {
    return Bad(name, s, "must be an integer");
  }
  if (v < min || v > max) {
    return Bad(name, s, "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return static_cast<int64_t>(v);
}

StatusOr<double> HyperParams::GetDouble(const std::string& name, double def, double min,
                                        double max) const {
  auto it = values_.find(name);
  if (it == values_.end()) return def;
  const std::string& s = it->second;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) {
    return Bad(name, s, "must be a number");
  }
  if (v < min || v > max) {
    auto fmt = [](double x) {
      std::string r = std::to_string(x);
      r.erase(r.find_last_not_of('0') + 1);
      if (!r.empty() && r.back() == '.') r.pop_back();
      return r;
    };
    return Bad(name, s, "must be in [" + fmt(min) + ", " + fmt(max) + "]");
  }
  return v;
}

StatusOr<bool> HyperParams::GetBool(const std::string& name, bool def) const {
  auto it = values_.find(name);
  if (it == values_.end()) return def;
  std::string s = it->second;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true") return true;
  if (s == "false") return false;
  return Bad(name, it->second, "must be true or false");
}

StatusOr<std::string> HyperParams::GetEnum(const std::string& name, const std::string& def,
                                           const std::vector<std::string>& allowed) const {
  auto it = values_.find(name);
  if (it == values_.end()) return def;
  if (std::find(allowed.begin(), allowed.end(), it->second) != allowed.end()) return it->second;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return Bad(name, it->second, "must be one of " + list);
}

Status HyperParams::CheckKnown(const std::vector<std::string>& known) const {
  for (const auto& [k, v] : values_) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      return Status::InvalidInput("unknown hyperparameter " + k);
    }
  }
  return Status::OK();
}

}  // namespace tailor::algo
