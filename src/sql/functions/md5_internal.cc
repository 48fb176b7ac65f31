#include "sql/functions/md5_internal.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace floe::sql::internal {
namespace {

// The per-round shift amounts and sine-derived constants of RFC 1321.
constexpr std::array<uint32_t, 64> kShifts = {
    7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 5,  9,  14, 20, 5,  9,
    14, 20, 5,  9,  14, 20, 5,  9,  14, 20, 4,  11, 16, 23, 4,  11, 16, 23, 4,  11, 16, 23,
    4,  11, 16, 23, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21};

constexpr std::array<uint32_t, 64> kConstants = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

uint32_t RotateLeft(uint32_t value, uint32_t bits) {
  return (value << bits) | (value >> (32 - bits));
}

void ProcessBlock(const uint8_t* block, std::array<uint32_t, 4>& state) {
  uint32_t words[16];
  for (int index = 0; index < 16; ++index) {
    words[index] = static_cast<uint32_t>(block[index * 4]) |
                   (static_cast<uint32_t>(block[index * 4 + 1]) << 8) |
                   (static_cast<uint32_t>(block[index * 4 + 2]) << 16) |
                   (static_cast<uint32_t>(block[index * 4 + 3]) << 24);
  }
  uint32_t a = state[0];
  uint32_t b = state[1];
  uint32_t c = state[2];
  uint32_t d = state[3];
  for (uint32_t step = 0; step < 64; ++step) {
    uint32_t mixed = 0;
    uint32_t word = 0;
    if (step < 16) {
      mixed = (b & c) | (~b & d);
      word = step;
    } else if (step < 32) {
      mixed = (d & b) | (~d & c);
      word = (5 * step + 1) % 16;
    } else if (step < 48) {
      mixed = b ^ c ^ d;
      word = (3 * step + 5) % 16;
    } else {
      mixed = c ^ (b | ~d);
      word = (7 * step) % 16;
    }
    uint32_t next = d;
    d = c;
    c = b;
    b = b + RotateLeft(a + mixed + kConstants[step] + words[word], kShifts[step]);
    a = next;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  std::array<uint32_t, 4> state = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  size_t full = data.size() / 64;
  for (size_t index = 0; index < full; ++index) {
    ProcessBlock(reinterpret_cast<const uint8_t*>(data.data()) + index * 64, state);
  }
  // The tail, a 0x80 byte, zeros, and the message length in bits (little-endian).
  uint8_t tail[128] = {};
  size_t rest = data.size() - full * 64;
  if (rest > 0) {  // An empty view may have no data pointer at all.
    std::memcpy(tail, data.data() + full * 64, rest);
  }
  tail[rest] = 0x80;
  size_t tail_size = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int index = 0; index < 8; ++index) {
    tail[tail_size - 8 + index] = static_cast<uint8_t>(bits >> (8 * index));
  }
  for (size_t offset = 0; offset < tail_size; offset += 64) {
    ProcessBlock(tail + offset, state);
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(32);
  for (uint32_t word : state) {
    for (int index = 0; index < 4; ++index) {
      auto byte = static_cast<uint8_t>(word >> (8 * index));
      hex.push_back(kDigits[byte >> 4]);
      hex.push_back(kDigits[byte & 15]);
    }
  }
  return hex;
}

}  // namespace floe::sql::internal
