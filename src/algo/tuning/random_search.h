// Random search over hyper-parameter ranges (the candidates HPO trains, personalize-semantics.md
// §4 hpoConfig): integers uniformly in [min, max], continuous values uniformly or log-uniformly
// (when the range says so and min > 0), categorical values uniformly. Deterministic per seed.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "algo/hyper_params.h"
#include "algo/recipe.h"
#include "common/status_or.h"

namespace tailor::algo {

// Checks that every range is non-empty (min <= max, at least one categorical value) and
// within `limits` where a range of the same name is declared there. InvalidInput naming the
// range otherwise.
Status ValidateRanges(std::span<const ParamRange> ranges, std::span<const ParamRange> limits);

// `count` candidates: `base` with the ranges' parameters drawn at random. The first candidate
// keeps base's own value for every parameter whose base value lies inside its range, so the
// search never does worse than the configuration it starts from. REQUIRES: ValidateRanges ok.
std::vector<HyperParams> SampleCandidates(const HyperParams& base,
                                          std::span<const ParamRange> ranges, int count,
                                          uint64_t seed);

}  // namespace tailor::algo
