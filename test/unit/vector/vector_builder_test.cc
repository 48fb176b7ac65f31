#include "vector/vector_builder.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "types/int128.h"
#include "types/interval.h"
#include "types/uuid.h"

namespace floe::vector {
namespace {

using types::LogicalType;

LogicalType StructType(std::vector<std::pair<std::string, LogicalType>> fields) {
  std::vector<types::StructField> struct_fields;
  for (auto& [name, type] : fields) {
    struct_fields.push_back({name, std::make_shared<const LogicalType>(type)});
  }
  return LogicalType::Struct(std::move(struct_fields));
}

template <typename T>
void ExpectFixedRoundTrip(const LogicalType& type, const std::vector<T>& values) {
  VectorBuilder builder(type);
  for (const T& value : values) {
    ASSERT_TRUE(builder.Append(value).ok());
  }
  ASSERT_TRUE(builder.AppendNull().ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok()) << vector.status().ToString();
  ASSERT_EQ(vector->length(), static_cast<int64_t>(values.size()) + 1);
  EXPECT_EQ(vector->type(), type);
  EXPECT_EQ(vector->null_count(), 1);
  for (size_t row = 0; row < values.size(); ++row) {
    EXPECT_FALSE(vector->IsNull(static_cast<int64_t>(row)));
    EXPECT_TRUE(vector->values<T>()[row] == values[row]) << type.ToString() << " row " << row;
  }
  EXPECT_TRUE(vector->IsNull(static_cast<int64_t>(values.size())));
}

TEST(VectorBuilderTest, FixedWidthTypesUseTheirPhysicalLayout) {
  ExpectFixedRoundTrip<int16_t>(LogicalType::SmallInt(), {-32768, 0, 32767});
  ExpectFixedRoundTrip<int32_t>(LogicalType::Integer(), {-7, 1 << 30});
  ExpectFixedRoundTrip<int64_t>(LogicalType::BigInt(), {INT64_MIN, 42});
  ExpectFixedRoundTrip<float>(LogicalType::Real(), {1.5F, -0.25F});
  ExpectFixedRoundTrip<double>(LogicalType::Double(), {3.25, -1e300});
  ExpectFixedRoundTrip<int64_t>(*LogicalType::Decimal(18, 2), {123456789012345678});
  ExpectFixedRoundTrip<types::Int128>(*LogicalType::Decimal(38, 0),
                                      {types::kInt128Max, types::kInt128Min, -5});
  ExpectFixedRoundTrip<int32_t>(LogicalType::Date(), {19723, -1});
  ExpectFixedRoundTrip<int64_t>(LogicalType::Time(), {86399999999});
  ExpectFixedRoundTrip<int64_t>(LogicalType::Timestamp(), {1700000000000000});
  ExpectFixedRoundTrip<int64_t>(LogicalType::TimestampTz(), {-1});
  ExpectFixedRoundTrip<types::Interval>(LogicalType::Interval(), {{1, 2, 3}, {-1, 0, -5}});
  types::Uuid uuid;
  for (uint8_t index = 0; index < 16; ++index) {
    uuid.bytes[index] = static_cast<uint8_t>(index * 17);
  }
  ExpectFixedRoundTrip<types::Uuid>(LogicalType::Uuid(), {uuid});
}

TEST(VectorBuilderTest, ValuesAreAlignedForKernels) {
  VectorBuilder builder(LogicalType::Double());
  ASSERT_TRUE(builder.Append(1.0).ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(vector->values<double>()) % Buffer::kAlignment, 0u);
}

TEST(VectorBuilderTest, NoValidityBitmapWithoutNulls) {
  VectorBuilder builder(LogicalType::Integer());
  for (int32_t value = 0; value < 1000; ++value) {
    ASSERT_TRUE(builder.Append(value).ok());
  }
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->validity_bits(), nullptr);
  EXPECT_EQ(vector->null_count(), 0);
  EXPECT_EQ(vector->values<int32_t>()[999], 999);
}

TEST(VectorBuilderTest, FirstNullAfterManyValuesKeepsEarlierRowsValid) {
  VectorBuilder builder(LogicalType::BigInt());
  for (int64_t value = 0; value < 100; ++value) {
    ASSERT_TRUE(builder.Append(value).ok());
  }
  ASSERT_TRUE(builder.AppendNulls(3).ok());
  ASSERT_TRUE(builder.Append(int64_t{7}).ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->null_count(), 3);
  for (int64_t row = 0; row < 104; ++row) {
    EXPECT_EQ(vector->IsNull(row), row >= 100 && row < 103) << row;
  }
  EXPECT_EQ(vector->values<int64_t>()[103], 7);
  EXPECT_EQ(vector->values<int64_t>()[101], 0);
}

TEST(VectorBuilderTest, BooleansAreBitPacked) {
  VectorBuilder builder(LogicalType::Boolean());
  std::vector<bool> values = {true, false, false, true, true, true, false, true, true, false};
  for (bool value : values) {
    ASSERT_TRUE(builder.AppendBool(value).ok());
  }
  ASSERT_TRUE(builder.AppendNull().ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->value_bits()[0], 0b10111001);
  EXPECT_EQ(vector->value_bits()[1] & 0b11, 0b01);
  for (size_t row = 0; row < values.size(); ++row) {
    EXPECT_EQ(vector->GetBool(static_cast<int64_t>(row)), values[row]) << row;
  }
  EXPECT_TRUE(vector->IsNull(10));
}

TEST(VectorBuilderTest, StringsUseOffsetsIntoOneDataBuffer) {
  VectorBuilder builder(LogicalType::Varchar());
  ASSERT_TRUE(builder.AppendString("ab").ok());
  ASSERT_TRUE(builder.AppendNull().ok());
  ASSERT_TRUE(builder.AppendString("").ok());
  ASSERT_TRUE(builder.AppendString("cde").ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  const int32_t* offsets = vector->offsets();
  EXPECT_EQ(std::vector<int32_t>(offsets, offsets + 5), (std::vector<int32_t>{0, 2, 2, 2, 5}));
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(vector->string_data()), 5), "abcde");
  EXPECT_EQ(vector->GetString(0), "ab");
  EXPECT_TRUE(vector->IsNull(1));
  EXPECT_EQ(vector->GetString(2), "");
  EXPECT_EQ(vector->GetString(3), "cde");
}

TEST(VectorBuilderTest, HugeStringsGrowTheDataBuffer) {
  VectorBuilder builder(LogicalType::Bytea());
  std::string first(100 * 1024, 'x');
  std::string second(300 * 1024, '\0');
  for (size_t index = 0; index < second.size(); ++index) {
    second[index] = static_cast<char>(index % 251);
  }
  ASSERT_TRUE(builder.AppendString("small").ok());
  ASSERT_TRUE(builder.AppendString(first).ok());
  ASSERT_TRUE(builder.AppendString(second).ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->GetString(0), "small");
  EXPECT_EQ(vector->GetString(1), first);
  EXPECT_EQ(vector->GetString(2), second);
  EXPECT_EQ(vector->data_buffer()->size(), 5 + 100 * 1024 + 300 * 1024);
}

TEST(VectorBuilderTest, ManyStringsGrowGeometrically) {
  VectorBuilder builder(LogicalType::Varchar());
  for (int index = 0; index < 50000; ++index) {
    ASSERT_TRUE(builder.AppendString(std::to_string(index)).ok());
  }
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  ASSERT_EQ(vector->length(), 50000);
  for (int index = 0; index < 50000; index += 997) {
    EXPECT_EQ(vector->GetString(index), std::to_string(index));
  }
  EXPECT_EQ(vector->GetString(49999), "49999");
  // Doubling leaves at most half of the data buffer unused.
  EXPECT_LE(vector->data_buffer()->capacity(), 2 * vector->data_buffer()->size() + 64);
}

TEST(VectorBuilderTest, ReserveSizesBuffersOnce) {
  VectorBuilder builder(LogicalType::Integer());
  ASSERT_TRUE(builder.Reserve(2048).ok());
  ASSERT_TRUE(builder.Append(int32_t{1}).ok());
  Result<Vector> first = builder.Finish();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->values_buffer()->capacity(), 2048 * 4);
  EXPECT_EQ(first->values_buffer()->size(), 4);
}

TEST(VectorBuilderTest, DecodersWriteInPlaceAndMarkNullsAfterwards) {
  VectorBuilder builder(LogicalType::Integer());
  Result<int32_t*> values = builder.AppendUninitialized<int32_t>(5);
  ASSERT_TRUE(values.ok());
  for (int32_t index = 0; index < 5; ++index) {
    (*values)[index] = index * 10;
  }
  ASSERT_TRUE(builder.SetNull(3).ok());
  ASSERT_TRUE(builder.SetNull(3).ok());
  std::array<int32_t, 2> more = {7, 8};
  ASSERT_TRUE(builder.AppendValues<int32_t>(more).ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  ASSERT_EQ(vector->length(), 7);
  EXPECT_EQ(vector->null_count(), 1);
  EXPECT_TRUE(vector->IsNull(3));
  EXPECT_EQ(vector->values<int32_t>()[4], 40);
  EXPECT_EQ(vector->values<int32_t>()[6], 8);
  EXPECT_FALSE(vector->IsNull(6));
}

TEST(VectorBuilderTest, BuilderIsReusableAfterFinish) {
  VectorBuilder builder(LogicalType::Varchar());
  ASSERT_TRUE(builder.AppendString("one").ok());
  ASSERT_TRUE(builder.AppendNull().ok());
  Result<Vector> first = builder.Finish();
  ASSERT_TRUE(builder.AppendString("two").ok());
  Result<Vector> second = builder.Finish();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->GetString(0), "one");
  ASSERT_EQ(second->length(), 1);
  EXPECT_EQ(second->null_count(), 0);
  EXPECT_EQ(second->GetString(0), "two");
}

TEST(VectorBuilderTest, EmptyStringVectorHasOneOffset) {
  VectorBuilder builder(LogicalType::Varchar());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->length(), 0);
  EXPECT_EQ(vector->offsets()[0], 0);
}

TEST(VectorBuilderTest, ListsOfIntegers) {
  VectorBuilder builder(LogicalType::List(LogicalType::Integer()));
  VectorBuilder& elements = builder.child(0);
  ASSERT_TRUE(elements.Append(int32_t{1}).ok());
  ASSERT_TRUE(elements.Append(int32_t{2}).ok());
  ASSERT_TRUE(builder.AppendList().ok());  // [1, 2]
  ASSERT_TRUE(builder.AppendNull().ok());  // NULL
  ASSERT_TRUE(builder.AppendList().ok());  // []
  ASSERT_TRUE(elements.AppendNull().ok());
  ASSERT_TRUE(elements.Append(int32_t{3}).ok());
  ASSERT_TRUE(builder.AppendList().ok());  // [NULL, 3]
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  ASSERT_EQ(vector->length(), 4);
  EXPECT_EQ(vector->null_count(), 1);
  const int32_t* offsets = vector->offsets();
  EXPECT_EQ(std::vector<int32_t>(offsets, offsets + 5), (std::vector<int32_t>{0, 2, 2, 2, 4}));
  const Vector& child = vector->child(0);
  ASSERT_EQ(child.length(), 4);
  EXPECT_EQ(child.values<int32_t>()[0], 1);
  EXPECT_EQ(child.values<int32_t>()[1], 2);
  EXPECT_TRUE(child.IsNull(2));
  EXPECT_EQ(child.values<int32_t>()[3], 3);
  EXPECT_TRUE(vector->IsNull(1));
}

TEST(VectorBuilderTest, StructsKeepOneRowPerFieldAndTheirOwnValidity) {
  LogicalType type = StructType({{"id", LogicalType::BigInt()}, {"name", LogicalType::Varchar()}});
  VectorBuilder builder(type);
  ASSERT_TRUE(builder.child(0).Append(int64_t{1}).ok());
  ASSERT_TRUE(builder.child(1).AppendString("a").ok());
  ASSERT_TRUE(builder.AppendStruct().ok());
  ASSERT_TRUE(builder.AppendNull().ok());
  ASSERT_TRUE(builder.child(0).Append(int64_t{3}).ok());
  ASSERT_TRUE(builder.child(1).AppendNull().ok());
  ASSERT_TRUE(builder.AppendStruct().ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  ASSERT_EQ(vector->length(), 3);
  ASSERT_EQ(vector->num_children(), 2);
  EXPECT_FALSE(vector->IsNull(0));
  EXPECT_TRUE(vector->IsNull(1));
  EXPECT_FALSE(vector->IsNull(2));
  EXPECT_EQ(vector->child(0).values<int64_t>()[0], 1);
  EXPECT_EQ(vector->child(0).values<int64_t>()[2], 3);
  EXPECT_EQ(vector->child(1).GetString(0), "a");
  EXPECT_TRUE(vector->child(1).IsNull(2));
  EXPECT_EQ(vector->child(1).length(), 3);
}

TEST(VectorBuilderTest, StructRowNeedsOneValuePerField) {
  LogicalType type = StructType({{"a", LogicalType::Integer()}, {"b", LogicalType::Integer()}});
  VectorBuilder builder(type);
  ASSERT_TRUE(builder.child(0).Append(int32_t{1}).ok());
  Status status = builder.AppendStruct();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "struct field b holds 0 rows, expected 1");
  EXPECT_EQ(builder.length(), 0);
}

TEST(VectorBuilderTest, MapsAreListsOfKeyValueStructs) {
  LogicalType type = LogicalType::Map(LogicalType::Varchar(), LogicalType::Integer());
  VectorBuilder builder(type);
  ASSERT_TRUE(builder.key_builder().AppendString("a").ok());
  ASSERT_TRUE(builder.value_builder().Append(int32_t{1}).ok());
  ASSERT_TRUE(builder.key_builder().AppendString("b").ok());
  ASSERT_TRUE(builder.value_builder().AppendNull().ok());
  ASSERT_TRUE(builder.AppendList().ok());  // {a=1, b=NULL}
  ASSERT_TRUE(builder.AppendNull().ok());
  ASSERT_TRUE(builder.key_builder().AppendString("c").ok());
  ASSERT_TRUE(builder.value_builder().Append(int32_t{3}).ok());
  ASSERT_TRUE(builder.AppendList().ok());  // {c=3}
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok()) << vector.status().ToString();
  ASSERT_EQ(vector->length(), 3);
  const int32_t* offsets = vector->offsets();
  EXPECT_EQ(std::vector<int32_t>(offsets, offsets + 4), (std::vector<int32_t>{0, 2, 2, 3}));
  const Vector& entries = vector->child(0);
  EXPECT_EQ(entries.type(),
            StructType({{"key", LogicalType::Varchar()}, {"value", LogicalType::Integer()}}));
  ASSERT_EQ(entries.length(), 3);
  EXPECT_EQ(entries.null_count(), 0);
  EXPECT_EQ(entries.child(0).GetString(1), "b");
  EXPECT_TRUE(entries.child(1).IsNull(1));
  EXPECT_EQ(entries.child(1).values<int32_t>()[2], 3);
}

TEST(VectorBuilderTest, MapNeedsAsManyValuesAsKeysAndNoNullKeys) {
  LogicalType type = LogicalType::Map(LogicalType::Integer(), LogicalType::Integer());
  VectorBuilder builder(type);
  ASSERT_TRUE(builder.key_builder().Append(int32_t{1}).ok());
  Status status = builder.AppendList();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "map has 1 keys but 0 values");

  VectorBuilder null_keys(type);
  ASSERT_TRUE(null_keys.key_builder().AppendNull().ok());
  ASSERT_TRUE(null_keys.value_builder().Append(int32_t{1}).ok());
  EXPECT_EQ(null_keys.AppendList().message(), "map keys must not be NULL");
}

TEST(VectorBuilderTest, ListsOfStructsNest) {
  LogicalType point = StructType({{"x", LogicalType::Double()}});
  VectorBuilder builder(LogicalType::List(point));
  VectorBuilder& points = builder.child(0);
  for (double x : {1.5, 2.5, 3.5}) {
    ASSERT_TRUE(points.child(0).Append(x).ok());
    ASSERT_TRUE(points.AppendStruct().ok());
  }
  ASSERT_TRUE(builder.AppendList().ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->offsets()[1], 3);
  EXPECT_EQ(vector->child(0).child(0).values<double>()[2], 3.5);
}

TEST(VectorBuilderTest, NullTypeVectorIsAllNull) {
  VectorBuilder builder(LogicalType::Null());
  ASSERT_TRUE(builder.AppendNulls(5).ok());
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->length(), 5);
  EXPECT_EQ(vector->null_count(), 5);
  EXPECT_TRUE(vector->IsNull(4));
}

TEST(VectorBuilderTest, BuildingPastTheBudgetFailsAndReturnsEveryByte) {
  MemoryTracker tracker("query", 4096);
  ASSERT_TRUE(tracker.Reserve(100).ok());
  {
    VectorBuilder builder(LogicalType::BigInt(), &tracker);
    Status status;
    int64_t appended = 0;
    while (status.ok()) {
      int64_t used_before = tracker.used();
      status = builder.Append(appended);
      if (!status.ok()) {
        EXPECT_EQ(tracker.used(), used_before);
      } else {
        ++appended;
      }
    }
    EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(builder.length(), appended);
    EXPECT_GT(appended, 0);
    EXPECT_GT(tracker.used(), 100);
  }
  EXPECT_EQ(tracker.used(), 100);
}

TEST(VectorBuilderTest, FinishedVectorsHoldTheirBytesUntilDropped) {
  MemoryTracker tracker("query", 1 << 20);
  {
    VectorBuilder builder(LogicalType::Varchar(), &tracker);
    ASSERT_TRUE(builder.AppendString(std::string(1000, 'z')).ok());
    ASSERT_TRUE(builder.AppendNull().ok());
    Result<Vector> vector = builder.Finish();
    ASSERT_TRUE(vector.ok());
    EXPECT_GE(tracker.used(), 1000);
    Vector slice = vector->Slice(1, 1);
    vector = Status::Cancelled("dropped");
    EXPECT_GE(tracker.used(), 1000);
  }
  EXPECT_EQ(tracker.used(), 0);
}

TEST(VectorBuilderTest, HugeStringPastTheBudgetFails) {
  MemoryTracker tracker("query", 64 * 1024);
  VectorBuilder builder(LogicalType::Varchar(), &tracker);
  ASSERT_TRUE(builder.AppendString("fits").ok());
  int64_t used = tracker.used();
  Status status = builder.AppendString(std::string(100 * 1024, 'x'));
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(tracker.used(), used);
  EXPECT_EQ(builder.length(), 1);
  Result<Vector> vector = builder.Finish();
  ASSERT_TRUE(vector.ok());
  EXPECT_EQ(vector->GetString(0), "fits");
}

}  // namespace
}  // namespace floe::vector
