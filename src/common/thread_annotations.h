#pragma once

/// Clang's thread-safety analysis (-Wthread-safety) checks these; other compilers ignore them.
/// Mark members with the mutex that guards them: `int count_ FLOE_GUARDED_BY(mutex_);`.
#if defined(__clang__)
#define FLOE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define FLOE_THREAD_ANNOTATION(x)
#endif

#define FLOE_GUARDED_BY(mutex) FLOE_THREAD_ANNOTATION(guarded_by(mutex))
#define FLOE_PT_GUARDED_BY(mutex) FLOE_THREAD_ANNOTATION(pt_guarded_by(mutex))
#define FLOE_REQUIRES(...) FLOE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define FLOE_EXCLUDES(...) FLOE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
