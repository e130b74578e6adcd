// TAILOR_CHECK: aborts with file and line when a programmer invariant is broken. Never used
// for user input, which gets a Status (style.md E5).
// Thread-safety: safe from any thread.
#pragma once

#include <cstdio>
#include <cstdlib>

#define TAILOR_CHECK(cond)                                                          \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)
