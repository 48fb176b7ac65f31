#include "vector/buffer.h"

#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

namespace floe::vector {
namespace {

bool IsAligned(const void* pointer) {
  return reinterpret_cast<uintptr_t>(pointer) % Buffer::kAlignment == 0;
}

TEST(BufferTest, AllocatesAlignedAndPadsCapacityToTheAlignment) {
  Result<std::shared_ptr<Buffer>> buffer = Buffer::Allocate(10);
  ASSERT_TRUE(buffer.ok());
  EXPECT_TRUE(IsAligned((*buffer)->data()));
  EXPECT_EQ((*buffer)->size(), 10);
  EXPECT_EQ((*buffer)->capacity(), 64);
}

TEST(BufferTest, EmptyBufferAllocatesNothing) {
  Buffer buffer;
  EXPECT_EQ(buffer.data(), nullptr);
  EXPECT_EQ(buffer.size(), 0);
  EXPECT_EQ(buffer.capacity(), 0);
}

TEST(BufferTest, GrowingKeepsContentsAndAlignment) {
  Buffer buffer;
  ASSERT_TRUE(buffer.Resize(3).ok());
  std::memcpy(buffer.mutable_data(), "abc", 3);
  ASSERT_TRUE(buffer.Resize(100000).ok());
  EXPECT_TRUE(IsAligned(buffer.data()));
  EXPECT_EQ(std::memcmp(buffer.data(), "abc", 3), 0);
  EXPECT_EQ(buffer.size(), 100000);
  EXPECT_EQ(buffer.capacity(), 100032);
}

TEST(BufferTest, ShrinkingKeepsTheAllocation) {
  Buffer buffer;
  ASSERT_TRUE(buffer.Resize(200).ok());
  const uint8_t* data = buffer.data();
  ASSERT_TRUE(buffer.Resize(10).ok());
  EXPECT_EQ(buffer.data(), data);
  EXPECT_EQ(buffer.size(), 10);
  EXPECT_EQ(buffer.capacity(), 256);
}

TEST(BufferTest, AllocateZeroedZeroesEveryByte) {
  Result<std::shared_ptr<Buffer>> buffer = Buffer::AllocateZeroed(100);
  ASSERT_TRUE(buffer.ok());
  for (int64_t index = 0; index < 100; ++index) {
    ASSERT_EQ((*buffer)->data()[index], 0) << index;
  }
}

TEST(BufferTest, CapacityIsChargedToTheTrackerUntilFreed) {
  MemoryTracker tracker("query", 1 << 20);
  {
    Result<std::shared_ptr<Buffer>> buffer = Buffer::Allocate(100, &tracker);
    ASSERT_TRUE(buffer.ok());
    EXPECT_EQ(tracker.used(), 128);
    ASSERT_TRUE((*buffer)->Reserve(1000).ok());
    EXPECT_EQ(tracker.used(), 1024);
  }
  EXPECT_EQ(tracker.used(), 0);
  EXPECT_EQ(tracker.peak(), 1024);
}

TEST(BufferTest, GrowthPastTheBudgetFailsAndChangesNothing) {
  MemoryTracker tracker("query", 1000);
  Buffer buffer(&tracker);
  ASSERT_TRUE(buffer.Resize(500).ok());
  const uint8_t* data = buffer.data();
  Status status = buffer.Resize(2000);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(buffer.data(), data);
  EXPECT_EQ(buffer.size(), 500);
  EXPECT_EQ(buffer.capacity(), 512);
  EXPECT_EQ(tracker.used(), 512);
}

TEST(BufferTest, NegativeSizeIsRejected) {
  Buffer buffer;
  EXPECT_EQ(buffer.Resize(-1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::vector
