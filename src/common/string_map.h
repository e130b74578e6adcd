// StringMap: an unordered_map keyed by std::string that finds by std::string_view without
// building a string (a transparent hash), for lookups on hot paths whose keys are views into
// requests or tables.
// Thread-safety: as std::unordered_map.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tailor {

struct TransparentStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, TransparentStringHash, std::equal_to<>>;

}  // namespace tailor
