#include "sql/execution/retained_buffers.h"

#include <cstring>

#include <gtest/gtest.h>

#include "vector/vector_builder.h"

namespace floe::sql::execution {
namespace {

using types::LogicalType;
using vector::Batch;
using vector::Buffer;
using vector::Vector;

std::shared_ptr<const vector::Schema> OneColumn(LogicalType type) {
  return std::make_shared<const vector::Schema>(std::vector<vector::Field>{{"v", type, true}});
}

Batch Numbers(int64_t rows, MemoryTracker* tracker) {
  vector::VectorBuilder builder(LogicalType::BigInt(), tracker);
  for (int64_t v = 0; v < rows; ++v) {
    EXPECT_TRUE(builder.Append<int64_t>(v).ok());
  }
  return Batch::Make(OneColumn(LogicalType::BigInt()), {builder.Finish().value()}, rows).value();
}

TEST(RetainedBuffersTest, ChargesASharedBufferOnce) {
  MemoryTracker tracker("query", MemoryTracker::kUnlimited);
  Batch whole = Numbers(8192, nullptr);
  const int64_t capacity = whole.column(0).values_buffer()->capacity();
  RetainedBuffers retained(&tracker);
  for (int64_t begin = 0; begin < 8192; begin += 2048) {
    ASSERT_TRUE(retained.Add(whole.Slice(begin, 2048)).ok());
  }
  EXPECT_EQ(retained.bytes(), capacity);
  EXPECT_EQ(tracker.used(), capacity);
  retained.Reset();
  EXPECT_EQ(tracker.used(), 0);
}

TEST(RetainedBuffersTest, BuffersChargedAtAllocationCostNothingMore) {
  MemoryTracker tracker("query", MemoryTracker::kUnlimited);
  Batch whole = Numbers(4096, &tracker);
  const int64_t allocated = tracker.used();
  EXPECT_GT(allocated, 0);
  RetainedBuffers retained(&tracker);
  ASSERT_TRUE(retained.Add(whole.Slice(0, 2048)).ok());
  ASSERT_TRUE(retained.Add(whole.Slice(2048, 2048)).ok());
  EXPECT_EQ(retained.bytes(), 0);
  EXPECT_EQ(tracker.used(), allocated);
}

TEST(RetainedBuffersTest, ChargesADictionaryAndItsIndices) {
  MemoryTracker tracker("query", MemoryTracker::kUnlimited);
  vector::VectorBuilder words(LogicalType::Varchar());
  ASSERT_TRUE(words.AppendString("alpha").ok());
  ASSERT_TRUE(words.AppendString("beta").ok());
  auto dictionary = std::make_shared<const Vector>(words.Finish().value());
  std::shared_ptr<Buffer> indices = Buffer::Allocate(4 * 4).value();
  const int32_t values[] = {0, 1, 1, 0};
  std::memcpy(indices->mutable_data(), values, sizeof(values));
  Vector column = Vector::MakeDictionary(dictionary, 4, 0, indices, nullptr).value();
  Batch batch = Batch::Make(OneColumn(LogicalType::Varchar()), {column}, 4).value();
  int64_t expected = indices->capacity() + dictionary->values_buffer()->capacity() +
                     dictionary->data_buffer()->capacity();
  RetainedBuffers retained(&tracker);
  ASSERT_TRUE(retained.Add(batch).ok());
  ASSERT_TRUE(retained.Add(batch.Slice(1, 2)).ok());
  EXPECT_EQ(retained.bytes(), expected);
}

TEST(RetainedBuffersTest, OverTheBudgetChargesAndRemembersNothing) {
  Batch whole = Numbers(4096, nullptr);
  const int64_t capacity = whole.column(0).values_buffer()->capacity();
  MemoryTracker tracker("query", capacity);
  ASSERT_TRUE(tracker.Reserve(1).ok());
  RetainedBuffers retained(&tracker);
  EXPECT_EQ(retained.Add(whole).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(retained.bytes(), 0);
  // Once there is room, the buffer is charged: the failed call did not mark it as charged.
  tracker.Release(1);
  ASSERT_TRUE(retained.Add(whole).ok());
  EXPECT_EQ(retained.bytes(), capacity);
}

}  // namespace
}  // namespace floe::sql::execution
