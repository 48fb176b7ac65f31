#include "format/puffin/roaring_bitmap.h"

#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "unit/format/puffin/roaring_test_util.h"

namespace floe::format::puffin {
namespace {

using testing::ContainerKind;
using testing::Put16;
using testing::Put32;
using testing::Put64;
using testing::Roaring32;
using testing::Roaring64;
using testing::TestContainer;

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

std::vector<uint16_t> Range(uint32_t first, uint32_t last, uint32_t step = 1) {
  std::vector<uint16_t> values;
  for (uint32_t value = first; value <= last; value += step) {
    values.push_back(static_cast<uint16_t>(value));
  }
  return values;
}

std::vector<int64_t> Expected(uint64_t high, uint16_t key, const std::vector<uint16_t>& values) {
  std::vector<int64_t> expected;
  for (uint16_t value : values) {
    expected.push_back(static_cast<int64_t>(high << 32 | uint64_t{key} << 16 | value));
  }
  return expected;
}

void Append(std::vector<int64_t>& to, const std::vector<int64_t>& values) {
  to.insert(to.end(), values.begin(), values.end());
}

Status DecodeStatus(const std::vector<uint8_t>& bytes, int64_t max_values = kNoLimit) {
  return DecodeRoaring64(bytes, max_values).status();
}

TEST(RoaringBitmapTest, EmptyBitmap) {
  auto values = DecodeRoaring64(Roaring64({}), kNoLimit);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_TRUE(values->empty());
  // A bucket holding an empty 32-bit bitmap.
  values = DecodeRoaring64(Roaring64({{3, {}}}), kNoLimit);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_TRUE(values->empty());
}

TEST(RoaringBitmapTest, ArrayContainer) {
  std::vector<uint16_t> low = {0, 1, 5, 4095, 65535};
  auto values = DecodeRoaring64(Roaring64({{0, {{0, low, ContainerKind::kArray}}}}), kNoLimit);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, Expected(0, 0, low));
}

TEST(RoaringBitmapTest, BitmapContainer) {
  // More than 4096 values: stored as a bitmap.
  std::vector<uint16_t> low = Range(1, 65535, 3);
  ASSERT_GT(low.size(), 4096u);
  auto values = DecodeRoaring64(Roaring64({{0, {{7, low, ContainerKind::kBitmap}}}}), kNoLimit);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, Expected(0, 7, low));
}

TEST(RoaringBitmapTest, RunContainersMixedWithOthers) {
  std::vector<uint16_t> runs = Range(10, 20);
  runs.push_back(100);
  for (uint16_t value : Range(65000, 65535)) {
    runs.push_back(value);
  }
  std::vector<uint16_t> array = {2, 3, 9};
  std::vector<uint16_t> bitmap = Range(0, 9999, 2);
  // Three containers: the run cookie without an offset header.
  std::vector<TestContainer> three = {{0, array, ContainerKind::kArray},
                                      {1, runs, ContainerKind::kRun},
                                      {2, bitmap, ContainerKind::kBitmap}};
  auto values = DecodeRoaring64(Roaring64({{0, three}}), kNoLimit);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  std::vector<int64_t> expected = Expected(0, 0, array);
  Append(expected, Expected(0, 1, runs));
  Append(expected, Expected(0, 2, bitmap));
  EXPECT_EQ(*values, expected);
  // Four or more containers: the run cookie with an offset header.
  std::vector<TestContainer> five = three;
  five.push_back({9, Range(0, 65535), ContainerKind::kRun});
  five.push_back({65535, {65535}, ContainerKind::kArray});
  values = DecodeRoaring64(Roaring64({{0, five}}), kNoLimit);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  Append(expected, Expected(0, 9, Range(0, 65535)));
  Append(expected, Expected(0, 65535, {65535}));
  EXPECT_EQ(*values, expected);
}

TEST(RoaringBitmapTest, SeveralHighKeys) {
  std::vector<TestContainer> low = {{0, {1, 2}, ContainerKind::kArray}};
  std::vector<TestContainer> runs = {{4, Range(7, 300), ContainerKind::kRun}};
  std::vector<TestContainer> top = {{65535, {65534, 65535}, ContainerKind::kArray}};
  auto values = DecodeRoaring64(Roaring64({{0, low}, {1, runs}, {0x7fffffff, top}}), kNoLimit);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  std::vector<int64_t> expected = Expected(0, 0, {1, 2});
  Append(expected, Expected(1, 4, Range(7, 300)));
  Append(expected, Expected(0x7fffffff, 65535, {65534, 65535}));
  EXPECT_EQ(*values, expected);
  EXPECT_EQ(values->back(), std::numeric_limits<int64_t>::max());
}

TEST(RoaringBitmapTest, EveryTruncationIsCorruption) {
  std::vector<uint8_t> bytes = Roaring64(
      {{0, {{0, {1, 2, 3}, ContainerKind::kArray}, {1, Range(0, 99), ContainerKind::kRun}}},
       {2, {{5, Range(0, 9999, 2), ContainerKind::kBitmap}}}});
  ASSERT_TRUE(DecodeRoaring64(bytes, kNoLimit).ok());
  for (size_t size = 0; size < bytes.size(); ++size) {
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(size));
    EXPECT_EQ(DecodeStatus(prefix).code(), StatusCode::kCorruption) << size;
  }
  bytes.push_back(0);
  Status trailing = DecodeStatus(bytes);
  EXPECT_EQ(trailing.code(), StatusCode::kCorruption);
  EXPECT_NE(trailing.message().find("unexpected bytes"), std::string_view::npos);
}

TEST(RoaringBitmapTest, HostileCountsAreCorruption) {
  // A bucket count far beyond what the bytes could hold.
  std::vector<uint8_t> bytes;
  Put64(bytes, uint64_t{1} << 62);
  Put32(bytes, 0);
  Put32(bytes, 12346);
  Put32(bytes, 0);
  EXPECT_EQ(DecodeStatus(bytes).code(), StatusCode::kCorruption);
  // More than 65536 containers.
  bytes.clear();
  Put64(bytes, 1);
  Put32(bytes, 0);
  Put32(bytes, 12346);
  Put32(bytes, 0xffffffff);
  EXPECT_EQ(DecodeStatus(bytes).code(), StatusCode::kCorruption);
  // 65536 full run containers in a few bytes each would be 2^32 values: the limit stops them
  // before anything is expanded.
  bytes.clear();
  Put64(bytes, 1);
  Put32(bytes, 0);
  Put32(bytes, 12347 | 0xffffu << 16);
  bytes.insert(bytes.end(), 8192, 0xff);
  for (uint32_t key = 0; key < 65536; ++key) {
    Put16(bytes, key);
    Put16(bytes, 0xffff);
  }
  for (uint32_t key = 0; key < 65536; ++key) {
    Put32(bytes, 0);
  }
  for (uint32_t key = 0; key < 65536; ++key) {
    Put16(bytes, 1);
    Put16(bytes, 0);
    Put16(bytes, 0xffff);
  }
  Status limited = DecodeStatus(bytes, 1000000);
  EXPECT_EQ(limited.code(), StatusCode::kCorruption);
  EXPECT_NE(limited.message().find("more than 1000000"), std::string_view::npos)
      << limited.ToString();
}

TEST(RoaringBitmapTest, LimitCountsEveryBucket) {
  std::vector<uint8_t> bytes = Roaring64(
      {{0, {{0, {1, 2, 3}, ContainerKind::kArray}}}, {1, {{0, {1, 2, 3}, ContainerKind::kArray}}}});
  EXPECT_TRUE(DecodeRoaring64(bytes, 6).ok());
  EXPECT_EQ(DecodeStatus(bytes, 5).code(), StatusCode::kCorruption);
}

TEST(RoaringBitmapTest, MalformedContainersAreCorruption) {
  auto corrupt = [](std::vector<uint8_t> bytes, const char* expected) {
    Status status = DecodeStatus(bytes);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << expected;
    EXPECT_NE(status.message().find(expected), std::string_view::npos) << status.ToString();
  };
  // Unknown cookie.
  std::vector<uint8_t> bytes = Roaring64({{0, {{0, {1}, ContainerKind::kArray}}}});
  bytes[12] = 0x99;
  corrupt(bytes, "unknown cookie");
  // Container keys out of order.
  corrupt(Roaring64({{0, {{5, {1}, ContainerKind::kArray}, {5, {2}, ContainerKind::kArray}}}}),
          "not strictly ascending");
  // Bucket keys out of order, and a key that would make a negative position.
  corrupt(
      Roaring64({{2, {{0, {1}, ContainerKind::kArray}}}, {1, {{0, {1}, ContainerKind::kArray}}}}),
      "bucket keys are not strictly ascending");
  corrupt(Roaring64({{0x80000000u, {{0, {1}, ContainerKind::kArray}}}}), "63 bits");
  // Array values out of order.
  corrupt(Roaring64({{0, {{0, {9, 3}, ContainerKind::kArray}}}}), "array container");
  // A bitmap whose bits disagree with the stored cardinality.
  bytes = Roaring64({{0, {{0, Range(0, 9999, 2), ContainerKind::kBitmap}}}});
  bytes.back() = 0x80;  // One more bit set in the last word.
  corrupt(bytes, "bits set");
  // Runs past 65535, overlapping, or not adding up to the cardinality.
  auto run_bitmap = [](std::vector<std::pair<uint16_t, uint16_t>> runs, uint32_t cardinality) {
    std::vector<uint8_t> out;
    Put64(out, 1);
    Put32(out, 0);
    Put32(out, 12347);
    out.push_back(1);
    Put16(out, 0);
    Put16(out, cardinality - 1);
    Put16(out, static_cast<uint32_t>(runs.size()));
    for (const auto& [start, length] : runs) {
      Put16(out, start);
      Put16(out, length);
    }
    return out;
  };
  EXPECT_TRUE(DecodeRoaring64(run_bitmap({{0, 4}, {10, 0}}, 6), kNoLimit).ok());
  corrupt(run_bitmap({{65530, 10}}, 11), "past 65535");
  corrupt(run_bitmap({{0, 4}, {3, 0}}, 6), "out of order");
  corrupt(run_bitmap({{0, 4}, {10, 0}}, 7), "its header says 7");
}

}  // namespace
}  // namespace floe::format::puffin
