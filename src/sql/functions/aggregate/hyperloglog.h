#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace floe::sql {

/// A HyperLogLog sketch of the number of distinct 64-bit hashes added, for
/// approx_count_distinct. It counts exactly while it holds at most kExactLimit distinct hashes
/// (so small groups get exact answers, up to hash collisions); past that it keeps 2^kPrecision
/// one-byte registers (4 KiB), whose estimate has a standard error of about 1.6%
/// (1.04 / sqrt(4096)), with linear counting for the small range. Sketches merge exactly: the
/// merge of two sketches equals the sketch of all their hashes.
class HyperLogLog {
 public:
  static constexpr int kPrecision = 12;
  static constexpr int64_t kNumRegisters = int64_t{1} << kPrecision;
  static constexpr size_t kExactLimit = 256;

  /// Adds one hash; the hashes must be well mixed (every bit equally likely).
  void Add(uint64_t hash);
  /// Adds everything `other` holds.
  void Merge(const HyperLogLog& other);
  /// The estimated number of distinct hashes added.
  int64_t Estimate() const;
  /// True once the sketch has switched from exact counting to registers.
  bool is_dense() const { return !registers_.empty(); }
  /// The heap bytes held.
  int64_t MemoryBytes() const {
    return static_cast<int64_t>(exact_.capacity() * sizeof(uint64_t) + registers_.size());
  }

 private:
  void AddToRegisters(uint64_t hash);
  void MakeDense();

  std::vector<uint64_t> exact_;     // The distinct hashes, while exact.
  std::vector<uint8_t> registers_;  // Empty while exact.
};

/// Mixes a 64-bit value into a hash whose bits are all equally likely (the finalizer of
/// splitmix64), for hashes that are not well mixed themselves.
inline uint64_t MixHash(uint64_t value) {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

}  // namespace floe::sql
