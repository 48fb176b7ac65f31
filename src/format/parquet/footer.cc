#include "format/parquet/footer.h"

#include <algorithm>
#include <cstring>

#include <zlib.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace floe::format::parquet {

Result<uint32_t> ReadFooterLength(std::span<const uint8_t> trailer, uint64_t file_size) {
  if (trailer.size() != kFooterTrailerSize || file_size < 12) {
    return Status::Corruption("file of {} bytes is too small to be Parquet", file_size);
  }
  if (std::memcmp(trailer.data() + 4, "PARE", 4) == 0) {
    return Status::NotSupported("Parquet files with an encrypted footer");
  }
  if (std::memcmp(trailer.data() + 4, "PAR1", 4) != 0) {
    return Status::Corruption("file does not end with the Parquet magic PAR1");
  }
  uint32_t length = uint32_t{trailer[0]} | (uint32_t{trailer[1]} << 8) |
                    (uint32_t{trailer[2]} << 16) | (uint32_t{trailer[3]} << 24);
  // The leading magic, the footer and the trailer must all fit.
  if (length > file_size - kFooterTrailerSize - 4) {
    return Status::Corruption("footer length {} does not fit in a file of {} bytes", length,
                              file_size);
  }
  return length;
}

namespace {

#if defined(__x86_64__)
__attribute__((target("pclmul,sse4.1"))) inline __m128i LoadBlock(const uint8_t* at) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
}

// One lane moved forward by the distance `constant` stands for, plus the next block.
__attribute__((target("pclmul,sse4.1"))) inline __m128i FoldLane(__m128i lane, __m128i constant,
                                                                 __m128i next) {
  __m128i low = _mm_clmulepi64_si128(lane, constant, 0x00);
  __m128i high = _mm_clmulepi64_si128(lane, constant, 0x11);
  return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

// CRC-32 of whole 16-byte blocks by carry-less multiplication, following Intel's "Fast CRC
// Computation for Generic Polynomials Using PCLMULQDQ Instruction" for the bit-reflected gzip
// polynomial: four 128-bit lanes are folded forward 512 bits at a time, then into one lane,
// which is reduced to 64 and 32 bits and finished with a Barrett reduction. `bytes` holds at
// least 64 bytes, a multiple of 16; `crc` is zlib's finished value, and so is the result. The
// constants are x^k mod P(x) for the fold distances (reflected), P(x) itself and
// floor(x^64 / P(x)).
__attribute__((target("pclmul,sse4.1"))) uint32_t Crc32Folded(uint32_t crc, const uint8_t* bytes,
                                                              size_t size) {
  const __m128i fold_512 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
  const __m128i fold_128 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
  const __m128i fold_64 = _mm_set_epi64x(0, 0x163cd6124);
  const __m128i barrett = _mm_set_epi64x(0x1f7011641, 0x1db710641);
  const __m128i low_32 = _mm_set_epi32(0, 0, 0, -1);
  __m128i lane1 = _mm_xor_si128(LoadBlock(bytes), _mm_cvtsi32_si128(static_cast<int>(~crc)));
  __m128i lane2 = LoadBlock(bytes + 16);
  __m128i lane3 = LoadBlock(bytes + 32);
  __m128i lane4 = LoadBlock(bytes + 48);
  bytes += 64;
  size -= 64;
  for (; size >= 64; bytes += 64, size -= 64) {
    lane1 = FoldLane(lane1, fold_512, LoadBlock(bytes));
    lane2 = FoldLane(lane2, fold_512, LoadBlock(bytes + 16));
    lane3 = FoldLane(lane3, fold_512, LoadBlock(bytes + 32));
    lane4 = FoldLane(lane4, fold_512, LoadBlock(bytes + 48));
  }
  __m128i lane = FoldLane(lane1, fold_128, lane2);
  lane = FoldLane(lane, fold_128, lane3);
  lane = FoldLane(lane, fold_128, lane4);
  for (; size >= 16; bytes += 16, size -= 16) {
    lane = FoldLane(lane, fold_128, LoadBlock(bytes));
  }
  // 128 bits to 64: the low half moves onto the high half.
  lane = _mm_xor_si128(_mm_clmulepi64_si128(lane, fold_128, 0x10), _mm_srli_si128(lane, 8));
  // 64 bits to 32.
  lane = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(lane, low_32), fold_64, 0x00),
                       _mm_srli_si128(lane, 4));
  // Barrett reduction to the 32-bit remainder.
  __m128i quotient = _mm_clmulepi64_si128(_mm_and_si128(lane, low_32), barrett, 0x10);
  __m128i product = _mm_clmulepi64_si128(_mm_and_si128(quotient, low_32), barrett, 0x00);
  return ~static_cast<uint32_t>(_mm_extract_epi32(_mm_xor_si128(lane, product), 1));
}

bool HasCarrylessMultiply() {
  static const bool kHas = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return kHas;
}
#endif

uint32_t Crc32Zlib(uint32_t crc, std::span<const uint8_t> bytes) {
  // zlib takes 32-bit lengths; feed it in pieces.
  constexpr size_t kPiece = size_t{1} << 30;
  while (!bytes.empty()) {
    size_t length = std::min(bytes.size(), kPiece);
    crc = static_cast<uint32_t>(crc32(crc, bytes.data(), static_cast<uInt>(length)));
    bytes = bytes.subspan(length);
  }
  return crc;
}

}  // namespace

uint32_t Crc32(std::span<const uint8_t> bytes) {
  auto crc = static_cast<uint32_t>(crc32(0L, Z_NULL, 0));
#if defined(__x86_64__)
  // Every page of a checksummed file passes through here; the folded form is several times
  // faster than zlib's table-driven loop.
  if (bytes.size() >= 64 && HasCarrylessMultiply()) {
    size_t whole = bytes.size() & ~size_t{15};
    crc = Crc32Folded(crc, bytes.data(), whole);
    bytes = bytes.subspan(whole);
  }
#endif
  return Crc32Zlib(crc, bytes);
}

Status VerifyPageCrc(std::optional<int32_t> expected_crc, std::span<const uint8_t> page) {
  if (!expected_crc.has_value()) {
    return Status::OK();
  }
  uint32_t actual = Crc32(page);
  if (actual != static_cast<uint32_t>(*expected_crc)) {
    return Status::Corruption("page checksum mismatch: stored {:08x}, computed {:08x}",
                              static_cast<uint32_t>(*expected_crc), actual);
  }
  return Status::OK();
}

}  // namespace floe::format::parquet
