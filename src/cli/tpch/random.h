#pragma once

#include <cstdint>

namespace floe::cli::tpch {

/// Returns 64 well-mixed bits of `value` (the SplitMix64 output function).
constexpr uint64_t MixBits(uint64_t value) {
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

/// Returns `low + floor(bits * (high - low + 1) / 2^64)`: a value in [low, high] whose bias is
/// below 2^-32 for ranges narrower than 2^32. Requires low <= high.
inline int64_t ScaleToRange(uint64_t bits, int64_t low, int64_t high) {
  const auto span = static_cast<unsigned __int128>(static_cast<uint64_t>(high - low) + 1);
  return low + static_cast<int64_t>((static_cast<unsigned __int128>(bits) * span) >> 64);
}

/// A sequence of random numbers addressed by index: number `index` depends only on the seed and
/// the index, so rows can be generated in any order, in chunks of any size, on any thread, and
/// always get the same values. Each column of each table draws from a stream of its own.
class RandomStream {
 public:
  constexpr explicit RandomStream(uint64_t seed) : seed_(MixBits(seed + kGoldenGamma)) {}
  /// Returns stream `stream` of table `table` (a TableId); every pair gets its own seed.
  static constexpr RandomStream Of(uint64_t table, uint64_t stream) {
    return RandomStream(kFloeSeed ^ (table << 32) ^ stream);
  }

  /// Returns 64 random bits for `index`.
  uint64_t Bits(int64_t index) const {
    return MixBits(seed_ + (static_cast<uint64_t>(index) + 1) * kGoldenGamma);
  }
  /// Returns a uniform value in [low, high] for `index`.
  int64_t Uniform(int64_t index, int64_t low, int64_t high) const {
    return ScaleToRange(Bits(index), low, high);
  }

 private:
  static constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;
  static constexpr uint64_t kFloeSeed = 0x5450434846696c65ULL;
  uint64_t seed_;
};

/// A sequential generator (SplitMix64) for work that runs in one order, such as filling one
/// segment of the text pool. Not thread-safe.
class SequentialRandom {
 public:
  explicit SequentialRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return MixBits(state_);
  }
  /// Returns a uniform value in [low, high].
  int64_t Uniform(int64_t low, int64_t high) { return ScaleToRange(Next(), low, high); }

 private:
  uint64_t state_;
};

}  // namespace floe::cli::tpch
