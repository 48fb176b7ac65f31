#include "io/read_ranges.h"

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace floe::io {
namespace {

// Serves a string and counts the requests made of it, as a stand-in for an object store.
class CountingFile final : public RandomAccessFile {
 public:
  explicit CountingFile(std::string content)
      : RandomAccessFile("memory://counting", static_cast<int64_t>(content.size())),
        content_(std::move(content)) {}

  int num_reads() const { return num_reads_; }

 protected:
  Status ReadWithinBounds(int64_t offset, std::span<std::byte> buffer) const override {
    ++num_reads_;
    std::memcpy(buffer.data(), content_.data() + offset, buffer.size());
    return Status::OK();
  }

 private:
  std::string content_;
  mutable int num_reads_ = 0;
};

std::string Alphabet(int size) {
  std::string content(size, '\0');
  for (int index = 0; index < size; ++index) {
    content[index] = static_cast<char>('a' + index % 26);
  }
  return content;
}

CoalescedRanges Plan(const std::vector<ReadRange>& ranges, CoalesceOptions options) {
  auto plan = CoalesceRanges(ranges, options);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : CoalescedRanges{};
}

constexpr CoalesceOptions kSmallGaps{.max_gap = 5, .max_merged_size = 1000};

TEST(ReadRangesTest, NoRangesNeedNoRequests) {
  CoalescedRanges plan = Plan({}, {});
  EXPECT_TRUE(plan.merged.empty());
  EXPECT_TRUE(plan.merged_index.empty());
}

TEST(ReadRangesTest, AdjacentRangesMerge) {
  CoalescedRanges plan = Plan({{0, 10}, {10, 10}, {20, 5}}, kSmallGaps);
  EXPECT_EQ(plan.merged, (std::vector<ReadRange>{{0, 25}}));
  EXPECT_EQ(plan.merged_index, (std::vector<size_t>{0, 0, 0}));
}

TEST(ReadRangesTest, GapUpToTheLimitMergesAndOneByteMoreSplits) {
  EXPECT_EQ(Plan({{0, 10}, {15, 5}}, kSmallGaps).merged, (std::vector<ReadRange>{{0, 20}}));
  CoalescedRanges split = Plan({{0, 10}, {16, 5}}, kSmallGaps);
  EXPECT_EQ(split.merged, (std::vector<ReadRange>{{0, 10}, {16, 5}}));
  EXPECT_EQ(split.merged_index, (std::vector<size_t>{0, 1}));
}

TEST(ReadRangesTest, DefaultGapIsOneMebibyte) {
  constexpr int64_t kMebibyte = int64_t{1} << 20;
  EXPECT_EQ(Plan({{0, 10}, {10 + kMebibyte, 10}}, {}).merged,
            (std::vector<ReadRange>{{0, 20 + kMebibyte}}));
  EXPECT_EQ(Plan({{0, 10}, {11 + kMebibyte, 10}}, {}).merged,
            (std::vector<ReadRange>{{0, 10}, {11 + kMebibyte, 10}}));
}

TEST(ReadRangesTest, OverlappingRangesMerge) {
  CoalescedRanges plan = Plan({{0, 10}, {5, 10}, {12, 1}}, {.max_gap = 0});
  EXPECT_EQ(plan.merged, (std::vector<ReadRange>{{0, 15}}));
  EXPECT_EQ(plan.merged_index, (std::vector<size_t>{0, 0, 0}));
}

TEST(ReadRangesTest, UnsortedRangesAreMergedInOffsetOrder) {
  CoalescedRanges plan = Plan({{100, 10}, {0, 10}, {50, 10}, {12, 3}}, kSmallGaps);
  EXPECT_EQ(plan.merged, (std::vector<ReadRange>{{0, 15}, {50, 10}, {100, 10}}));
  EXPECT_EQ(plan.merged_index, (std::vector<size_t>{2, 0, 1, 0}));
}

TEST(ReadRangesTest, DuplicatesShareOneRequest) {
  CoalescedRanges plan = Plan({{40, 5}, {40, 5}, {40, 5}}, kSmallGaps);
  EXPECT_EQ(plan.merged, (std::vector<ReadRange>{{40, 5}}));
  EXPECT_EQ(plan.merged_index, (std::vector<size_t>{0, 0, 0}));
}

TEST(ReadRangesTest, ZeroLengthRangesNeedNoRequest) {
  CoalescedRanges plan = Plan({{7, 0}, {100, 0}, {3, 2}}, kSmallGaps);
  EXPECT_EQ(plan.merged, (std::vector<ReadRange>{{3, 2}}));
  EXPECT_EQ(plan.merged_index[2], 0u);
}

TEST(ReadRangesTest, MergedSizeStaysWithinTheCap) {
  CoalescedRanges plan =
      Plan({{0, 10}, {10, 10}, {20, 10}, {30, 10}}, {.max_gap = 5, .max_merged_size = 25});
  EXPECT_EQ(plan.merged, (std::vector<ReadRange>{{0, 20}, {20, 20}}));
  EXPECT_EQ(plan.merged_index, (std::vector<size_t>{0, 0, 1, 1}));
}

TEST(ReadRangesTest, RangeLargerThanTheCapIsReadWholeWithWhatItContains) {
  CoalescedRanges plan =
      Plan({{0, 100}, {10, 5}, {95, 5}, {100, 1}}, {.max_gap = 5, .max_merged_size = 50});
  EXPECT_EQ(plan.merged, (std::vector<ReadRange>{{0, 100}, {100, 1}}));
  EXPECT_EQ(plan.merged_index, (std::vector<size_t>{0, 0, 0, 1}));
}

TEST(ReadRangesTest, InvalidRangesAreRejected) {
  for (ReadRange range : {ReadRange{-1, 5}, ReadRange{0, -5}, ReadRange{INT64_MAX - 1, 2}}) {
    std::vector<ReadRange> ranges = {{0, 1}, range};
    auto plan = CoalesceRanges(ranges);
    EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
  }
  std::vector<ReadRange> negative = {{-1, 5}};
  EXPECT_EQ(CoalesceRanges(negative).status().message(), "invalid read range: offset -1, length 5");
}

TEST(ReadRangesTest, ReadHandsBackEachRangeAsAViewIntoOneRequest) {
  CountingFile file(Alphabet(100));
  std::vector<ReadRange> ranges = {{30, 4}, {0, 3}, {3, 2}, {1, 4}, {26, 0}, {90, 10}};
  auto buffers = ReadRanges(file, ranges, {.max_gap = 30, .max_merged_size = 64});
  ASSERT_TRUE(buffers.ok()) << buffers.status().ToString();
  EXPECT_EQ(file.num_reads(), 2);
  EXPECT_EQ(buffers->merged_ranges(), (std::vector<ReadRange>{{0, 34}, {90, 10}}));
  ASSERT_EQ(buffers->size(), 6u);
  EXPECT_EQ((*buffers)[0], "efgh");
  EXPECT_EQ((*buffers)[1], "abc");
  EXPECT_EQ((*buffers)[2], "de");
  EXPECT_EQ((*buffers)[3], "bcde");
  EXPECT_EQ((*buffers)[4], "");
  EXPECT_EQ((*buffers)[5], "mnopqrstuv");
  // Views share the merged buffer instead of holding copies.
  EXPECT_EQ((*buffers)[2].data(), (*buffers)[1].data() + 3);
  EXPECT_EQ((*buffers)[0].data(), (*buffers)[1].data() + 30);
}

TEST(ReadRangesTest, ViewsSurviveAMove) {
  CountingFile file(Alphabet(20));
  std::vector<ReadRange> ranges = {{2, 3}, {18, 2}};
  auto buffers = ReadRanges(file, ranges, {.max_gap = 0});
  ASSERT_TRUE(buffers.ok());
  std::string_view before = (*buffers)[0];
  RangeBuffers moved = std::move(*buffers);
  EXPECT_EQ(moved[0].data(), before.data());
  EXPECT_EQ(moved[0], "cde");
  EXPECT_EQ(moved[1], "st");
}

TEST(ReadRangesTest, RangePastTheEndFailsBeforeAnyRequest) {
  CountingFile file(Alphabet(20));
  std::vector<ReadRange> ranges = {{0, 5}, {18, 3}};
  auto buffers = ReadRanges(file, ranges);
  EXPECT_EQ(buffers.status().code(), StatusCode::kIOError);
  EXPECT_EQ(buffers.status().message(),
            "read past the end of memory://counting: offset 18, length 3, size 20");
  EXPECT_EQ(file.num_reads(), 0);
  std::vector<ReadRange> empty_past_end = {{21, 0}};
  EXPECT_EQ(ReadRanges(file, empty_past_end).status().code(), StatusCode::kIOError);
  std::vector<ReadRange> empty_at_end = {{20, 0}};
  auto at_end = ReadRanges(file, empty_at_end);
  ASSERT_TRUE(at_end.ok());
  EXPECT_EQ((*at_end)[0], "");
  EXPECT_EQ(file.num_reads(), 0);
}

}  // namespace
}  // namespace floe::io
