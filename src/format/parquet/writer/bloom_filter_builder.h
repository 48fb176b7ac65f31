#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

/// Split block Bloom filters as BloomFilter.md in apache/parquet-format specifies them.
namespace floe::format::parquet {

/// Returns the 64-bit xxHash (XXH64) of `bytes` with seed 0, the hash BloomFilter.md requires.
uint64_t XxHash64(std::string_view bytes);

/// Returns the bitset size in bytes (a power of two, at least 32, at most `max_bytes` rounded
/// down to a power of two) for `distinct_values` values at `false_positive_rate`.
int64_t OptimalBloomFilterBytes(int64_t distinct_values, double false_positive_rate,
                                int64_t max_bytes);

/// A split block Bloom filter: 256-bit blocks of eight 32-bit words; a hash picks a block with
/// its upper 32 bits and one bit per word with its lower 32 bits. Not thread-safe.
class SplitBlockBloomFilter {
 public:
  /// Makes an empty filter of `num_bytes` bytes (a multiple of 32).
  explicit SplitBlockBloomFilter(int64_t num_bytes);

  void Insert(uint64_t hash);
  /// Returns false when the value of `hash` was certainly never inserted.
  bool MayContain(uint64_t hash) const;

  /// Returns the bitset as stored after the BloomFilterHeader (little-endian words).
  std::span<const uint8_t> bytes() const;

 private:
  size_t BlockOf(uint64_t hash) const;

  std::vector<uint32_t> words_;
};

}  // namespace floe::format::parquet
