#include "format/parquet/writer/bloom_filter_builder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace floe::format::parquet {
namespace {

// The five primes of the XXH64 specification (xxHash's doc/xxhash_spec.md).
constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

// BloomFilter.md: the eight salts that derive one bit per 32-bit word of a block.
constexpr uint32_t kSalts[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};
constexpr int64_t kBlockBytes = 32;

uint64_t Load64(const char* bytes) {
  uint64_t value;
  std::memcpy(&value, bytes, sizeof(value));
  return value;
}

uint32_t Load32(const char* bytes) {
  uint32_t value;
  std::memcpy(&value, bytes, sizeof(value));
  return value;
}

uint64_t Round(uint64_t accumulator, uint64_t lane) {
  accumulator += lane * kPrime2;
  return std::rotl(accumulator, 31) * kPrime1;
}

uint64_t MergeAccumulator(uint64_t hash, uint64_t accumulator) {
  hash ^= Round(0, accumulator);
  return hash * kPrime1 + kPrime4;
}

// Consumes the 32-byte stripes; returns the converged accumulators.
uint64_t HashStripes(const char*& data, size_t& remaining) {
  uint64_t lanes[4] = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
  while (remaining >= 32) {
    for (uint64_t& lane : lanes) {
      lane = Round(lane, Load64(data));
      data += 8;
    }
    remaining -= 32;
  }
  uint64_t hash = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) +
                  std::rotl(lanes[3], 18);
  for (uint64_t lane : lanes) {
    hash = MergeAccumulator(hash, lane);
  }
  return hash;
}

}  // namespace

uint64_t XxHash64(std::string_view bytes) {
  const char* data = bytes.data();
  size_t remaining = bytes.size();
  uint64_t hash = remaining >= 32 ? HashStripes(data, remaining) : kPrime5;
  hash += bytes.size();
  for (; remaining >= 8; remaining -= 8, data += 8) {
    hash ^= Round(0, Load64(data));
    hash = std::rotl(hash, 27) * kPrime1 + kPrime4;
  }
  if (remaining >= 4) {
    hash ^= uint64_t{Load32(data)} * kPrime1;
    hash = std::rotl(hash, 23) * kPrime2 + kPrime3;
    data += 4;
    remaining -= 4;
  }
  for (; remaining > 0; --remaining, ++data) {
    hash ^= uint64_t{static_cast<uint8_t>(*data)} * kPrime5;
    hash = std::rotl(hash, 11) * kPrime1;
  }
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

int64_t OptimalBloomFilterBytes(int64_t distinct_values, double false_positive_rate,
                                int64_t max_bytes) {
  // BloomFilter.md: bits per distinct value c = -8 / ln(1 - p^(1/8)).
  double bits_per_value = -8.0 / std::log(1.0 - std::pow(false_positive_rate, 1.0 / 8.0));
  double bytes = bits_per_value * static_cast<double>(std::max<int64_t>(distinct_values, 1)) / 8;
  uint64_t cap = std::bit_floor(static_cast<uint64_t>(std::max(max_bytes, kBlockBytes)));
  uint64_t wanted =
      bytes >= static_cast<double>(cap) ? cap : std::bit_ceil(static_cast<uint64_t>(bytes));
  return static_cast<int64_t>(std::clamp<uint64_t>(wanted, kBlockBytes, cap));
}

SplitBlockBloomFilter::SplitBlockBloomFilter(int64_t num_bytes)
    : words_(static_cast<size_t>(num_bytes / 4), 0) {}

size_t SplitBlockBloomFilter::BlockOf(uint64_t hash) const {
  uint64_t num_blocks = words_.size() / 8;
  return static_cast<size_t>(((hash >> 32) * num_blocks) >> 32);
}

void SplitBlockBloomFilter::Insert(uint64_t hash) {
  uint32_t* block = words_.data() + BlockOf(hash) * 8;
  auto key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; ++i) {
    block[i] |= uint32_t{1} << ((key * kSalts[i]) >> 27);
  }
}

bool SplitBlockBloomFilter::MayContain(uint64_t hash) const {
  const uint32_t* block = words_.data() + BlockOf(hash) * 8;
  auto key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; ++i) {
    if ((block[i] & (uint32_t{1} << ((key * kSalts[i]) >> 27))) == 0) {
      return false;
    }
  }
  return true;
}

std::span<const uint8_t> SplitBlockBloomFilter::bytes() const {
  return {reinterpret_cast<const uint8_t*>(words_.data()), words_.size() * sizeof(uint32_t)};
}

}  // namespace floe::format::parquet
