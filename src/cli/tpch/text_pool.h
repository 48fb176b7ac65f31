#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cli/tpch/random.h"
#include "common/result.h"
#include "common/task_scheduler.h"

namespace floe::cli::tpch {

/// The pseudo text that TPC-H comments are cut from (4.2.2.10): a long string of sentences made
/// by the grammar of 4.2.2.14 from the word lists of 4.2.2.13. A "text string [min, max]" is a
/// substring of the pool of a random length in [min, max] at a random offset.
///
/// The pool is built in segments of kSegmentBytes, each from a random sequence seeded by its
/// index, so its contents do not depend on how many threads build it. Immutable once made;
/// thread-safe. Movable, not copyable.
class TextPool {
 public:
  /// The pool size the specification prescribes.
  static constexpr int64_t kSpecBytes = int64_t{300} << 20;
  static constexpr int64_t kSegmentBytes = int64_t{1} << 20;
  /// The longest text string a TPC-H column asks for (PS_COMMENT).
  static constexpr int kMaxTextLength = 198;

  /// Builds a pool of `num_bytes` (rounded up to whole segments, at least one) on `scheduler`.
  /// InvalidArgument when `num_bytes` is not positive.
  static Result<TextPool> Make(int64_t num_bytes, uint64_t seed, TaskScheduler& scheduler);

  TextPool(TextPool&&) noexcept = default;
  TextPool& operator=(TextPool&&) noexcept = default;
  TextPool(const TextPool&) = delete;
  TextPool& operator=(const TextPool&) = delete;
  ~TextPool() = default;

  int64_t size() const { return static_cast<int64_t>(text_.size()); }
  std::string_view text() const { return text_; }

  /// Returns the text string [min_length, max_length] that 64 random bits select: the length
  /// and the offset are both derived from `bits`. Requires 0 < min_length <= max_length <=
  /// kMaxTextLength.
  std::string_view Text(uint64_t bits, int min_length, int max_length) const;

 private:
  explicit TextPool(std::string text) : text_(std::move(text)) {}

  std::string text_;
};

/// Appends one sentence of the TPC-H text grammar (4.2.2.14) to `output`: words separated by
/// single spaces, the terminator attached to the last word, no space before or after.
void AppendSentence(SequentialRandom& random, std::string& output);

}  // namespace floe::cli::tpch
