// Clang's thread-safety annotations (LevelDB's port/thread_annotations.h). They document which
// mutex guards a member and are checked by a clang build with -Wthread-safety; GCC ignores them.
// Thread-safety: macros only.
#pragma once

#if defined(__clang__)
#define TAILOR_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define TAILOR_THREAD_ANNOTATION(x)
#endif

#define GUARDED_BY(x) TAILOR_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) TAILOR_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) TAILOR_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) TAILOR_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
