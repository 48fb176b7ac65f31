#pragma once

/// FLOE_CHECK states an invariant whose violation could corrupt data: it stays on in release
/// builds and aborts. FLOE_DCHECK states an invariant checked in debug builds only. Neither may
/// be reachable from user input: bad input gets a Status.

namespace floe::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace floe::internal

#define FLOE_CHECK(condition)                                            \
  do {                                                                   \
    if (!(condition)) [[unlikely]] {                                     \
      ::floe::internal::CheckFailed(#condition, __FILE__, __LINE__);     \
    }                                                                    \
  } while (false)

#ifdef NDEBUG
#define FLOE_DCHECK(condition) \
  do {                         \
  } while (false && (condition))
#else
#define FLOE_DCHECK(condition) FLOE_CHECK(condition)
#endif
