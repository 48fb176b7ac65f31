#include "vector/bitmap.h"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace floe::vector {
namespace {

// A bitmap with a pattern that differs in every position of a word: bit i set when i % 3 == 0
// or i % 7 == 5.
std::vector<uint8_t> PatternBitmap(int64_t bits) {
  std::vector<uint8_t> bitmap(static_cast<size_t>(BitmapBytes(bits)), 0);
  for (int64_t index = 0; index < bits; ++index) {
    if (index % 3 == 0 || index % 7 == 5) {
      SetBit(bitmap.data(), index);
    }
  }
  return bitmap;
}

int64_t CountOneByOne(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t count = 0;
  for (int64_t index = 0; index < length; ++index) {
    count += GetBit(bits, offset + index) ? 1 : 0;
  }
  return count;
}

TEST(BitmapTest, BitsAreLeastSignificantFirst) {
  uint8_t bits[2] = {0, 0};
  SetBit(bits, 0);
  SetBit(bits, 3);
  SetBit(bits, 9);
  EXPECT_EQ(bits[0], 0b00001001);
  EXPECT_EQ(bits[1], 0b00000010);
  ClearBit(bits, 3);
  EXPECT_EQ(bits[0], 0b00000001);
  SetBitTo(bits, 15, true);
  SetBitTo(bits, 9, false);
  EXPECT_EQ(bits[1], 0b10000000);
  EXPECT_TRUE(GetBit(bits, 0));
  EXPECT_FALSE(GetBit(bits, 1));
  EXPECT_TRUE(GetBit(bits, 15));
}

TEST(BitmapTest, BitmapBytesRoundsUp) {
  EXPECT_EQ(BitmapBytes(0), 0);
  EXPECT_EQ(BitmapBytes(1), 1);
  EXPECT_EQ(BitmapBytes(8), 1);
  EXPECT_EQ(BitmapBytes(9), 2);
}

TEST(BitmapTest, CountSetBitsAtAnyOffsetAndLength) {
  std::vector<uint8_t> bitmap = PatternBitmap(300);
  for (int64_t offset : {0, 1, 3, 8, 13, 63, 64, 65}) {
    for (int64_t length : {0, 1, 7, 8, 57, 64, 65, 130, 235}) {
      EXPECT_EQ(CountSetBits(bitmap.data(), offset, length),
                CountOneByOne(bitmap.data(), offset, length))
          << "offset " << offset << " length " << length;
    }
  }
  EXPECT_EQ(CountSetBits(bitmap.data(), 0, 21), 9);
}

TEST(BitmapTest, CountSetBitsReadsNoByteBeyondTheRange) {
  // Exactly one byte: any read past it would be caught by the sanitizers in CI.
  std::vector<uint8_t> bitmap = {0b10110100};
  EXPECT_EQ(CountSetBits(bitmap.data(), 3, 5), 3);
  EXPECT_EQ(CountSetBits(bitmap.data(), 0, 8), 4);
}

TEST(BitmapTest, SetBitsToKeepsNeighbours) {
  std::vector<uint8_t> bitmap(20, 0);
  SetBitsTo(bitmap.data(), 3, 140, true);
  EXPECT_EQ(CountOneByOne(bitmap.data(), 0, 160), 140);
  EXPECT_FALSE(GetBit(bitmap.data(), 2));
  EXPECT_TRUE(GetBit(bitmap.data(), 3));
  EXPECT_TRUE(GetBit(bitmap.data(), 142));
  EXPECT_FALSE(GetBit(bitmap.data(), 143));
  SetBitsTo(bitmap.data(), 13, 2, false);
  EXPECT_EQ(CountOneByOne(bitmap.data(), 0, 160), 138);
  EXPECT_FALSE(GetBit(bitmap.data(), 13));
  EXPECT_FALSE(GetBit(bitmap.data(), 14));
  EXPECT_TRUE(GetBit(bitmap.data(), 15));
}

TEST(BitmapTest, CopyBitsBetweenAnyOffsets) {
  std::vector<uint8_t> source = PatternBitmap(400);
  for (int64_t source_offset : {0, 3, 13, 64}) {
    for (int64_t destination_offset : {0, 5, 8, 13}) {
      for (int64_t length : {1, 8, 70, 200}) {
        std::vector<uint8_t> destination(60, 0xff);
        CopyBits(source.data(), source_offset, length, destination.data(), destination_offset);
        for (int64_t index = 0; index < 440; ++index) {
          bool inside = index >= destination_offset && index < destination_offset + length;
          bool expected =
              inside ? GetBit(source.data(), source_offset + index - destination_offset) : true;
          ASSERT_EQ(GetBit(destination.data(), index), expected)
              << "source offset " << source_offset << " destination offset " << destination_offset
              << " length " << length << " bit " << index;
        }
      }
    }
  }
}

}  // namespace
}  // namespace floe::vector
