// HyperParams: a recipe's algorithm hyper-parameters as the string map Personalize sends
// (personalize-semantics.md §4: every value is a string, e.g. "149", "true"), with typed,
// range-checked getters that name the parameter in their InvalidInput messages (style.md X2).
// Thread-safety: a value type; const methods are safe from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::algo {

class HyperParams {
 public:
  HyperParams() = default;
  explicit HyperParams(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  void Set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  const std::map<std::string, std::string>& values() const { return values_; }

  // The value of `name`, or `def` when absent. InvalidInput naming the parameter when the value
  // does not parse as the type or lies outside [min, max].
  StatusOr<int64_t> GetInt(const std::string& name, int64_t def, int64_t min, int64_t max) const;
  StatusOr<double> GetDouble(const std::string& name, double def, double min, double max) const;
  // Accepts "true" / "false" (any case).
  StatusOr<bool> GetBool(const std::string& name, bool def) const;
  // InvalidInput unless the value is one of `allowed`.
  StatusOr<std::string> GetEnum(const std::string& name, const std::string& def,
                                const std::vector<std::string>& allowed) const;

  // InvalidInput naming the first parameter that is not in `known`, so a typo is not silently
  // ignored.
  Status CheckKnown(const std::vector<std::string>& known) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace tailor::algo
