#include "format/parquet/encoding/bit_packing.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <utility>

namespace floe::format::parquet {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the unpacking below loads little-endian words directly");

// Unpacks up to eight values of W bits from the `W * count / 8` bytes (rounded up) at `input`.
// Copying the group into a zero-padded buffer lets every value be one unaligned 64-bit load
// with constant shifts, without reading past the input.
template <int W>
void UnpackGroup(const uint8_t* input, int count, uint32_t* output) {
  if constexpr (W == 0) {
    std::fill(output, output + count, 0u);
  } else {
    uint8_t buffer[W + 8] = {};
    std::memcpy(buffer, input, static_cast<size_t>((W * count + 7) / 8));
    constexpr uint64_t kMask = (uint64_t{1} << W) - 1;
    for (int j = 0; j < count; ++j) {
      uint64_t word;
      std::memcpy(&word, buffer + (j * W) / 8, sizeof(word));
      output[j] = static_cast<uint32_t>((word >> ((j * W) % 8)) & kMask);
    }
  }
}

// Unpacks a whole group of eight values of W bits straight from the input, which must hold at
// least W + 8 bytes from `input` (the last load may read up to eight bytes past the group).
template <int W>
void UnpackFullGroup(const uint8_t* input, uint32_t* output) {
  constexpr uint64_t kMask = (uint64_t{1} << W) - 1;
  for (int j = 0; j < 8; ++j) {
    uint64_t word;
    std::memcpy(&word, input + (j * W) / 8, sizeof(word));
    output[j] = static_cast<uint32_t>((word >> ((j * W) % 8)) & kMask);
  }
}

// `readable` bytes from `input` may be read (at least the packed values' bytes).
template <int W>
void UnpackWidth(const uint8_t* input, int64_t readable, int64_t count, uint32_t* output) {
  int64_t groups = count / 8;
  int64_t group = 0;
  if constexpr (W > 0) {
    // Groups with W + 8 readable bytes from their start are read in place; the last few go
    // through UnpackGroup's padded copy.
    int64_t in_place = readable >= W + 8 ? std::min(groups, (readable - W - 8) / W + 1) : 0;
    for (; group < in_place; ++group) {
      UnpackFullGroup<W>(input + group * W, output + group * 8);
    }
  }
  for (; group < groups; ++group) {
    UnpackGroup<W>(input + group * W, 8, output + group * 8);
  }
  int tail = static_cast<int>(count % 8);
  if (tail > 0) {
    UnpackGroup<W>(input + groups * W, tail, output + groups * 8);
  }
}

using UnpackFunction = void (*)(const uint8_t*, int64_t, int64_t, uint32_t*);

template <int... W>
constexpr std::array<UnpackFunction, sizeof...(W)> MakeUnpackTable(
    std::integer_sequence<int, W...>) {
  return {&UnpackWidth<W>...};
}

constexpr auto kUnpackTable = MakeUnpackTable(std::make_integer_sequence<int, 33>());

}  // namespace

void UnpackBits32(const uint8_t* input, int bit_width, int64_t count, uint32_t* output) {
  UnpackBits32(input, BitPackedSize(count, bit_width), bit_width, count, output);
}

void UnpackBits32(const uint8_t* input, int64_t readable, int bit_width, int64_t count,
                  uint32_t* output) {
  kUnpackTable[static_cast<size_t>(bit_width)](input, readable, count, output);
}

void UnpackBits64(const uint8_t* input, int bit_width, int64_t count, uint64_t* output) {
  UnpackBits64(input, BitPackedSize(count, bit_width), bit_width, count, output);
}

void UnpackBits64(const uint8_t* input, int64_t readable, int bit_width, int64_t count,
                  uint64_t* output) {
  if (bit_width <= 32) {
    // Narrow widths reuse the fast path through a small staging buffer.
    uint32_t staging[256];
    for (int64_t done = 0; done < count; done += 256) {
      int64_t chunk = std::min<int64_t>(256, count - done);
      int64_t skipped = done / 8 * bit_width;
      UnpackBits32(input + skipped, readable - skipped, bit_width, chunk, staging);
      std::copy(staging, staging + chunk, output + done);
    }
    return;
  }
  const uint64_t mask = bit_width == 64 ? ~uint64_t{0} : (uint64_t{1} << bit_width) - 1;
  const int64_t size = BitPackedSize(count, bit_width);
  for (int64_t i = 0; i < count; ++i) {
    int64_t bit = i * bit_width;
    uint8_t buffer[16] = {};
    int64_t first = bit / 8;
    std::memcpy(buffer, input + first, static_cast<size_t>(std::min<int64_t>(16, size - first)));
    unsigned __int128 word;
    std::memcpy(&word, buffer, sizeof(word));
    output[i] = static_cast<uint64_t>(word >> (bit % 8)) & mask;
  }
}

void PackBits(const uint64_t* values, int64_t count, int bit_width, std::vector<uint8_t>& output) {
  const uint64_t mask = bit_width == 64 ? ~uint64_t{0} : (uint64_t{1} << bit_width) - 1;
  unsigned __int128 pending = 0;
  int pending_bits = 0;
  output.reserve(output.size() + static_cast<size_t>(BitPackedSize(count, bit_width)));
  for (int64_t i = 0; i < count; ++i) {
    pending |= static_cast<unsigned __int128>(values[i] & mask) << pending_bits;
    pending_bits += bit_width;
    while (pending_bits >= 8) {
      output.push_back(static_cast<uint8_t>(pending));
      pending >>= 8;
      pending_bits -= 8;
    }
  }
  if (pending_bits > 0) {
    output.push_back(static_cast<uint8_t>(pending));
  }
}

void PackBits(const uint32_t* values, int64_t count, int bit_width, std::vector<uint8_t>& output) {
  std::vector<uint64_t> wide(values, values + count);
  PackBits(wide.data(), count, bit_width, output);
}

}  // namespace floe::format::parquet
