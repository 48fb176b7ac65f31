#include "format/parquet/footer.h"

#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

namespace floe::format::parquet {
namespace {

std::span<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

TEST(Crc32Test, MatchesTheCheckValueOfTheGzipPolynomial) {
  EXPECT_EQ(Crc32(Bytes("123456789")), 0xcbf43926u);
  EXPECT_EQ(Crc32({}), 0u);
}

// Lengths around the 16- and 64-byte blocks of the folded form, and long runs of zeros and of
// ones, must all give zlib's answer.
TEST(Crc32Test, MatchesZlibAtEveryLengthAndAlignment) {
  std::mt19937 random(7);
  std::vector<uint8_t> data(4096 + 64);
  for (uint8_t& byte : data) {
    byte = static_cast<uint8_t>(random());
  }
  for (size_t offset : {0, 1, 7}) {
    for (size_t length = 0; length <= 300; ++length) {
      std::span<const uint8_t> bytes(data.data() + offset, length);
      uLong expected = crc32(crc32(0L, Z_NULL, 0), bytes.data(), static_cast<uInt>(length));
      ASSERT_EQ(Crc32(bytes), static_cast<uint32_t>(expected))
          << "offset " << offset << " length " << length;
    }
  }
  for (uint8_t fill : {0x00, 0xff}) {
    std::vector<uint8_t> same(100000, fill);
    uLong expected = crc32(crc32(0L, Z_NULL, 0), same.data(), static_cast<uInt>(same.size()));
    EXPECT_EQ(Crc32(same), static_cast<uint32_t>(expected)) << "fill " << int{fill};
  }
  uLong expected = crc32(crc32(0L, Z_NULL, 0), data.data(), static_cast<uInt>(data.size()));
  EXPECT_EQ(Crc32(data), static_cast<uint32_t>(expected));
}

TEST(Crc32Test, VerifyPageCrcRejectsAChangedByte) {
  std::vector<uint8_t> page(1000, 0x5a);
  auto crc = static_cast<int32_t>(Crc32(page));
  EXPECT_TRUE(VerifyPageCrc(crc, page).ok());
  EXPECT_TRUE(VerifyPageCrc(std::nullopt, page).ok());
  page[500] ^= 1;
  Status status = VerifyPageCrc(crc, page);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::format::parquet
