#include "format/parquet/encoding/bit_packing.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace floe::format::parquet {
namespace {

TEST(BitPackingTest, RoundTripsEveryWidthUpTo32) {
  std::mt19937 random(1);
  for (int width = 0; width <= 32; ++width) {
    for (int64_t count : {0, 1, 7, 8, 9, 31, 64, 333, 4099}) {
      std::vector<uint32_t> values(static_cast<size_t>(count));
      for (auto& value : values) {
        value = width == 32 ? random() : random() & ((1u << width) - 1);
      }
      std::vector<uint8_t> packed;
      PackBits(values.data(), count, width, packed);
      ASSERT_EQ(static_cast<int64_t>(packed.size()), BitPackedSize(count, width));
      std::vector<uint32_t> unpacked(values.size());
      UnpackBits32(packed.data(), width, count, unpacked.data());
      EXPECT_EQ(unpacked, values) << "width " << width << " count " << count;
    }
  }
}

TEST(BitPackingTest, RoundTripsEveryWidthUpTo64) {
  std::mt19937_64 random(2);
  for (int width = 0; width <= 64; ++width) {
    std::vector<uint64_t> values(77);
    for (auto& value : values) {
      value = width == 64 ? random() : random() & ((uint64_t{1} << width) - 1);
    }
    std::vector<uint8_t> packed;
    PackBits(values.data(), 77, width, packed);
    std::vector<uint64_t> unpacked(values.size());
    UnpackBits64(packed.data(), width, 77, unpacked.data());
    EXPECT_EQ(unpacked, values) << "width " << width;
  }
}

TEST(BitPackingTest, PacksLeastSignificantBitFirst) {
  // Encodings.md: 0..7 on three bits pack to 10001000 11000110 11111010.
  std::vector<uint32_t> values = {0, 1, 2, 3, 4, 5, 6, 7};
  std::vector<uint8_t> packed;
  PackBits(values.data(), 8, 3, packed);
  EXPECT_EQ(packed, (std::vector<uint8_t>{0x88, 0xC6, 0xFA}));
  EXPECT_EQ(BitWidthOf(0), 0);
  EXPECT_EQ(BitWidthOf(1), 1);
  EXPECT_EQ(BitWidthOf(~uint64_t{0}), 64);
}

}  // namespace
}  // namespace floe::format::parquet
