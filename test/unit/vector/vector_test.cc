#include "vector/vector.h"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "types/value.h"
#include "vector/selection_vector.h"
#include "vector/vector_builder.h"

namespace floe::vector {
namespace {

using types::LogicalType;

Vector Integers(const std::vector<std::optional<int32_t>>& values) {
  VectorBuilder builder(LogicalType::Integer());
  for (const std::optional<int32_t>& value : values) {
    Status status = value ? builder.Append(*value) : builder.AppendNull();
    EXPECT_TRUE(status.ok());
  }
  return *builder.Finish();
}

Vector Strings(const std::vector<std::optional<std::string>>& values) {
  VectorBuilder builder(LogicalType::Varchar());
  for (const std::optional<std::string>& value : values) {
    Status status = value ? builder.AppendString(*value) : builder.AppendNull();
    EXPECT_TRUE(status.ok());
  }
  return *builder.Finish();
}

// A list of integer lists; an empty optional is a NULL list.
Vector IntegerLists(const std::vector<std::optional<std::vector<int32_t>>>& lists) {
  VectorBuilder builder(LogicalType::List(LogicalType::Integer()));
  for (const auto& list : lists) {
    if (!list) {
      EXPECT_TRUE(builder.AppendNull().ok());
      continue;
    }
    for (int32_t element : *list) {
      EXPECT_TRUE(builder.child(0).Append(element).ok());
    }
    EXPECT_TRUE(builder.AppendList().ok());
  }
  return *builder.Finish();
}

std::vector<std::optional<int32_t>> ReadIntegers(const Vector& vector) {
  std::vector<std::optional<int32_t>> values;
  for (int64_t row = 0; row < vector.length(); ++row) {
    values.push_back(vector.IsNull(row) ? std::nullopt
                                        : std::optional<int32_t>(vector.Get<int32_t>(row)));
  }
  return values;
}

std::vector<std::optional<std::string>> ReadStrings(const Vector& vector) {
  std::vector<std::optional<std::string>> values;
  for (int64_t row = 0; row < vector.length(); ++row) {
    values.push_back(vector.IsNull(row) ? std::nullopt
                                        : std::optional<std::string>(vector.GetString(row)));
  }
  return values;
}

std::vector<std::optional<std::vector<int32_t>>> ReadIntegerLists(const Vector& vector) {
  std::vector<std::optional<std::vector<int32_t>>> lists;
  for (int64_t row = 0; row < vector.length(); ++row) {
    if (vector.IsNull(row)) {
      lists.emplace_back();
      continue;
    }
    std::vector<int32_t> list;
    for (int32_t element = vector.offsets()[row]; element < vector.offsets()[row + 1]; ++element) {
      list.push_back(vector.child(0).Get<int32_t>(element));
    }
    lists.emplace_back(std::move(list));
  }
  return lists;
}

// Rows 0..39 with NULL where row % 5 == 2 or row == 13.
Vector SparseIntegers() {
  std::vector<std::optional<int32_t>> values;
  for (int32_t row = 0; row < 40; ++row) {
    values.push_back(row % 5 == 2 || row == 13 ? std::nullopt : std::optional<int32_t>(row));
  }
  return Integers(values);
}

TEST(VectorTest, SliceAtBitOffsetsReadsTheRightValidityBits) {
  Vector vector = SparseIntegers();
  ASSERT_EQ(vector.null_count(), 9);
  for (int64_t offset : {3, 13}) {
    Vector slice = vector.Slice(offset, 20);
    EXPECT_EQ(slice.offset(), offset);
    EXPECT_EQ(slice.length(), 20);
    int64_t nulls = 0;
    for (int64_t row = 0; row < 20; ++row) {
      int64_t original = offset + row;
      bool is_null = original % 5 == 2 || original == 13;
      nulls += is_null ? 1 : 0;
      ASSERT_EQ(slice.IsNull(row), is_null) << "offset " << offset << " row " << row;
      if (!is_null) {
        EXPECT_EQ(slice.values<int32_t>()[row], original);
      }
    }
    EXPECT_EQ(slice.null_count(), nulls);
  }
}

TEST(VectorTest, SliceSharesBuffersWithoutCopying) {
  Vector vector = SparseIntegers();
  Vector slice = vector.Slice(13, 10);
  EXPECT_EQ(slice.values_buffer().get(), vector.values_buffer().get());
  EXPECT_EQ(slice.validity_buffer().get(), vector.validity_buffer().get());
  EXPECT_EQ(slice.values<int32_t>(), vector.values<int32_t>() + 13);
}

TEST(VectorTest, SliceOfASliceAddsOffsets) {
  Vector vector = SparseIntegers();
  Vector slice = vector.Slice(3, 30).Slice(10, 5);
  EXPECT_EQ(slice.offset(), 13);
  EXPECT_EQ(ReadIntegers(slice),
            (std::vector<std::optional<int32_t>>{std::nullopt, 14, 15, 16, std::nullopt}));
  EXPECT_EQ(slice.null_count(), 2);
  EXPECT_EQ(slice.values<int32_t>(), vector.values<int32_t>() + 13);
}

TEST(VectorTest, SliceWithoutNullsNeedsNoBitmap) {
  Vector vector = Integers({1, 2, 3, 4});
  Vector slice = vector.Slice(1, 2);
  EXPECT_EQ(slice.null_count(), 0);
  EXPECT_EQ(ReadIntegers(slice), (std::vector<std::optional<int32_t>>{2, 3}));
}

TEST(VectorTest, BooleanSliceReadsBitsAtItsOffset) {
  VectorBuilder builder(LogicalType::Boolean());
  for (int row = 0; row < 20; ++row) {
    ASSERT_TRUE(builder.AppendBool(row % 3 == 0).ok());
  }
  Vector vector = *builder.Finish();
  Vector slice = vector.Slice(13, 6);
  for (int64_t row = 0; row < 6; ++row) {
    EXPECT_EQ(slice.GetBool(row), (row + 13) % 3 == 0) << row;
  }
  EXPECT_EQ(slice.value_bits(), vector.value_bits());
}

TEST(VectorTest, StringSliceSharesOffsetsAndData) {
  Vector vector = Strings({"alpha", std::nullopt, "", "delta", "epsilon"});
  Vector slice = vector.Slice(1, 4).Slice(2, 2);
  EXPECT_EQ(ReadStrings(slice), (std::vector<std::optional<std::string>>{"delta", "epsilon"}));
  EXPECT_EQ(slice.string_data(), vector.string_data());
  EXPECT_EQ(slice.offsets(), vector.offsets() + 3);
  EXPECT_EQ(slice.GetString(0).data(), reinterpret_cast<const char*>(vector.string_data()) + 5);
}

TEST(VectorTest, ListSliceSharesTheChild) {
  Vector vector = IntegerLists({std::vector<int32_t>{1, 2}, std::nullopt, std::vector<int32_t>{},
                                std::vector<int32_t>{3, 4, 5}});
  Vector slice = vector.Slice(1, 3);
  EXPECT_EQ(slice.null_count(), 1);
  EXPECT_EQ(ReadIntegerLists(slice),
            (std::vector<std::optional<std::vector<int32_t>>>{std::nullopt, std::vector<int32_t>{},
                                                              std::vector<int32_t>{3, 4, 5}}));
  EXPECT_EQ(slice.child(0).values_buffer().get(), vector.child(0).values_buffer().get());
  EXPECT_EQ(slice.child(0).length(), 5);
}

TEST(VectorTest, StructSliceSlicesItsFields) {
  std::vector<types::StructField> fields = {
      {"n", std::make_shared<const LogicalType>(LogicalType::Integer())},
      {"s", std::make_shared<const LogicalType>(LogicalType::Varchar())}};
  VectorBuilder builder(LogicalType::Struct(fields));
  for (int32_t row = 0; row < 20; ++row) {
    if (row == 14) {
      ASSERT_TRUE(builder.AppendNull().ok());
      continue;
    }
    ASSERT_TRUE(builder.child(0).Append(row).ok());
    ASSERT_TRUE(builder.child(1).AppendString(std::to_string(row)).ok());
    ASSERT_TRUE(builder.AppendStruct().ok());
  }
  Vector vector = *builder.Finish();
  Vector slice = vector.Slice(3, 15).Slice(10, 3);
  ASSERT_EQ(slice.length(), 3);
  EXPECT_EQ(slice.null_count(), 1);
  EXPECT_FALSE(slice.IsNull(0));
  EXPECT_TRUE(slice.IsNull(1));
  EXPECT_EQ(slice.child(0).length(), 3);
  EXPECT_EQ(slice.child(0).Get<int32_t>(0), 13);
  EXPECT_EQ(slice.child(1).GetString(2), "15");
  EXPECT_EQ(slice.child(0).values<int32_t>(), vector.child(0).values<int32_t>() + 13);
}

TEST(VectorTest, ConstantStandsForEveryRow) {
  Vector source = Strings({"x", "shared"});
  Result<Vector> constant = Vector::MakeConstant(source, 1, 1000);
  ASSERT_TRUE(constant.ok());
  EXPECT_EQ(constant->encoding(), Encoding::kConstant);
  EXPECT_EQ(constant->length(), 1000);
  EXPECT_EQ(constant->null_count(), 0);
  EXPECT_EQ(constant->GetString(0), "shared");
  EXPECT_EQ(constant->GetString(999), "shared");
  EXPECT_EQ(constant->dictionary().string_data(), source.string_data());
  Vector slice = constant->Slice(10, 5);
  EXPECT_EQ(slice.length(), 5);
  EXPECT_EQ(slice.GetString(4), "shared");
}

TEST(VectorTest, NullConstant) {
  Result<Vector> constant = Vector::MakeConstantNull(LogicalType::BigInt(), 7);
  ASSERT_TRUE(constant.ok());
  EXPECT_EQ(constant->null_count(), 7);
  EXPECT_TRUE(constant->IsNull(6));
  EXPECT_EQ(constant->Slice(2, 3).null_count(), 3);
  Result<Vector> flat = constant->Flatten();
  ASSERT_TRUE(flat.ok());
  EXPECT_TRUE(flat->is_flat());
  EXPECT_EQ(flat->length(), 7);
  EXPECT_EQ(flat->null_count(), 7);
  EXPECT_TRUE(flat->IsNull(3));
}

TEST(VectorTest, FlattenConstantRepeatsTheValue) {
  Result<Vector> constant = Vector::MakeConstant(Integers({5, 9}), 1, 4);
  ASSERT_TRUE(constant.ok());
  Result<Vector> flat = constant->Flatten();
  ASSERT_TRUE(flat.ok());
  EXPECT_TRUE(flat->is_flat());
  EXPECT_EQ(ReadIntegers(*flat), (std::vector<std::optional<int32_t>>{9, 9, 9, 9}));
  EXPECT_EQ(flat->validity_bits(), nullptr);
}

TEST(VectorTest, FlattenOfAFlatVectorCopiesNothing) {
  Vector vector = SparseIntegers();
  Result<Vector> flat = vector.Flatten();
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->values_buffer().get(), vector.values_buffer().get());
}

std::shared_ptr<Buffer> Int32Buffer(const std::vector<int32_t>& values) {
  std::shared_ptr<Buffer> buffer = *Buffer::Allocate(static_cast<int64_t>(values.size()) * 4);
  std::memcpy(buffer->mutable_data(), values.data(), values.size() * 4);
  return buffer;
}

std::shared_ptr<Buffer> Bitmap(const std::vector<bool>& bits) {
  std::shared_ptr<Buffer> buffer =
      *Buffer::AllocateZeroed(BitmapBytes(static_cast<int64_t>(bits.size())));
  for (size_t index = 0; index < bits.size(); ++index) {
    SetBitTo(buffer->mutable_data(), static_cast<int64_t>(index), bits[index]);
  }
  return buffer;
}

TEST(VectorTest, DictionaryLooksUpEntries) {
  auto dictionary = std::make_shared<const Vector>(Strings({"red", "green", std::nullopt}));
  Result<Vector> vector = Vector::MakeDictionary(dictionary, 6, 0, Int32Buffer({1, 0, 1, 2, 77, 0}),
                                                 Bitmap({1, 1, 1, 1, 0, 1}));
  ASSERT_TRUE(vector.ok()) << vector.status().ToString();
  EXPECT_EQ(vector->encoding(), Encoding::kDictionary);
  EXPECT_EQ(vector->null_count(), 2);
  EXPECT_EQ(ReadStrings(*vector), (std::vector<std::optional<std::string>>{
                                      "green", "red", "green", std::nullopt, std::nullopt, "red"}));
  EXPECT_EQ(vector->ValueIndex(2), 1);
  EXPECT_EQ(&vector->ValueSource(), dictionary.get());
}

TEST(VectorTest, DictionaryFlattensAndSlices) {
  auto dictionary = std::make_shared<const Vector>(Strings({"red", "green", std::nullopt}));
  Result<Vector> vector = Vector::MakeDictionary(dictionary, 6, 0, Int32Buffer({1, 0, 1, 2, 77, 0}),
                                                 Bitmap({1, 1, 1, 1, 0, 1}));
  ASSERT_TRUE(vector.ok());
  Result<Vector> flat = vector->Flatten();
  ASSERT_TRUE(flat.ok());
  EXPECT_TRUE(flat->is_flat());
  EXPECT_EQ(flat->null_count(), 2);
  EXPECT_EQ(ReadStrings(*flat), ReadStrings(*vector));
  Vector slice = vector->Slice(2, 3);
  EXPECT_EQ(slice.null_count(), 2);
  EXPECT_EQ(ReadStrings(slice),
            (std::vector<std::optional<std::string>>{"green", std::nullopt, std::nullopt}));
  EXPECT_EQ(slice.indices(), vector->indices() + 2);
}

TEST(VectorTest, DictionaryRejectsIndicesOutsideTheDictionary) {
  auto dictionary = std::make_shared<const Vector>(Integers({10, 20}));
  Result<Vector> vector = Vector::MakeDictionary(dictionary, 3, 0, Int32Buffer({0, 2, 1}), nullptr);
  ASSERT_FALSE(vector.ok());
  EXPECT_EQ(vector.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(vector.status().message(), "dictionary index 2 at row 1 is outside a dictionary of 2");
  Result<Vector> negative = Vector::MakeDictionary(dictionary, 1, 0, Int32Buffer({-1}), nullptr);
  EXPECT_FALSE(negative.ok());
  Result<Vector> short_indices =
      Vector::MakeDictionary(dictionary, 4, 0, Int32Buffer({0, 1, 0}), nullptr);
  EXPECT_EQ(short_indices.status().message(), "vector indices buffer holds 12 bytes, needs 16");
}

TEST(VectorTest, DictionaryNeedsAFlatDictionary) {
  auto constant = std::make_shared<const Vector>(*Vector::MakeConstant(Integers({1}), 0, 3));
  Result<Vector> vector = Vector::MakeDictionary(constant, 1, 0, Int32Buffer({0}), nullptr);
  EXPECT_EQ(vector.status().code(), StatusCode::kInvalidArgument);
}

TEST(VectorTest, GatherPicksRowsInAnyOrderWithNullPadding) {
  Vector vector = Integers({10, std::nullopt, 30, 40});
  SelectionVector selection(std::vector<uint32_t>{3, 1, SelectionVector::kNullRow, 0, 3});
  Result<Vector> gathered = vector.Gather(selection);
  ASSERT_TRUE(gathered.ok());
  EXPECT_EQ(ReadIntegers(*gathered),
            (std::vector<std::optional<int32_t>>{40, std::nullopt, std::nullopt, 10, 40}));
  EXPECT_EQ(gathered->null_count(), 2);
  EXPECT_NE(gathered->values_buffer().get(), vector.values_buffer().get());
}

TEST(VectorTest, GatherFromASliceUsesSliceRows) {
  Vector slice = SparseIntegers().Slice(13, 10);
  SelectionVector selection(std::vector<uint32_t>{0, 1, 8, 9});
  Result<Vector> gathered = slice.Gather(selection);
  ASSERT_TRUE(gathered.ok());
  EXPECT_EQ(ReadIntegers(*gathered),
            (std::vector<std::optional<int32_t>>{std::nullopt, 14, 21, std::nullopt}));
}

TEST(VectorTest, GatherOnlyPaddingFromEmptyVectors) {
  SelectionVector padding(
      std::vector<uint32_t>{SelectionVector::kNullRow, SelectionVector::kNullRow});
  for (const Vector& empty : {Integers({}), Strings({}), IntegerLists({}),
                              *Vector::MakeConstantNull(LogicalType::Null(), 0)}) {
    Result<Vector> gathered = empty.Gather(padding);
    ASSERT_TRUE(gathered.ok()) << empty.type().ToString();
    EXPECT_EQ(gathered->length(), 2);
    EXPECT_EQ(gathered->null_count(), 2);
    EXPECT_TRUE(gathered->IsNull(1));
  }
  EXPECT_EQ(Integers({}).values<int32_t>(), nullptr);
}

TEST(VectorTest, GatherWithoutNullsLeavesNoBitmap) {
  Vector vector = Integers({1, 2, 3});
  Result<Vector> gathered = vector.Gather(SelectionVector(std::vector<uint32_t>{2, 2}));
  ASSERT_TRUE(gathered.ok());
  EXPECT_EQ(gathered->validity_bits(), nullptr);
  EXPECT_EQ(ReadIntegers(*gathered), (std::vector<std::optional<int32_t>>{3, 3}));
}

TEST(VectorTest, GatherStringsAndBooleans) {
  Vector strings = Strings({"a", std::nullopt, "ccc", std::string(70000, 'd')});
  Result<Vector> gathered = strings.Gather(SelectionVector(std::vector<uint32_t>{3, 2, 1, 2}));
  ASSERT_TRUE(gathered.ok());
  EXPECT_EQ(ReadStrings(*gathered), (std::vector<std::optional<std::string>>{
                                        std::string(70000, 'd'), "ccc", std::nullopt, "ccc"}));
  EXPECT_EQ(gathered->data_buffer()->size(), 70006);

  VectorBuilder builder(LogicalType::Boolean());
  for (bool value : {true, false, true}) {
    ASSERT_TRUE(builder.AppendBool(value).ok());
  }
  Vector booleans = *builder.Finish();
  Result<Vector> picked = booleans.Gather(SelectionVector(std::vector<uint32_t>{1, 2, 0, 1}));
  ASSERT_TRUE(picked.ok());
  EXPECT_FALSE(picked->GetBool(0));
  EXPECT_TRUE(picked->GetBool(1));
  EXPECT_TRUE(picked->GetBool(2));
  EXPECT_FALSE(picked->GetBool(3));
}

TEST(VectorTest, GatherListsCopiesTheirElements) {
  Vector vector = IntegerLists({std::vector<int32_t>{1, 2}, std::nullopt, std::vector<int32_t>{},
                                std::vector<int32_t>{3, 4, 5}});
  Result<Vector> gathered = vector.Slice(1, 3).Gather(
      SelectionVector(std::vector<uint32_t>{2, 0, SelectionVector::kNullRow, 1}));
  ASSERT_TRUE(gathered.ok());
  EXPECT_EQ(ReadIntegerLists(*gathered), (std::vector<std::optional<std::vector<int32_t>>>{
                                             std::vector<int32_t>{3, 4, 5}, std::nullopt,
                                             std::nullopt, std::vector<int32_t>{}}));
  EXPECT_EQ(gathered->child(0).length(), 3);
}

TEST(VectorTest, GatherMapsAndStructs) {
  LogicalType type = LogicalType::Map(LogicalType::Varchar(), LogicalType::BigInt());
  VectorBuilder builder(type);
  for (int64_t row = 0; row < 3; ++row) {
    for (int64_t entry = 0; entry <= row; ++entry) {
      ASSERT_TRUE(builder.key_builder().AppendString("k" + std::to_string(entry)).ok());
      ASSERT_TRUE(builder.value_builder().Append(row * 10 + entry).ok());
    }
    ASSERT_TRUE(builder.AppendList().ok());
  }
  Vector maps = *builder.Finish();
  Result<Vector> gathered = maps.Gather(SelectionVector(std::vector<uint32_t>{2, 0}));
  ASSERT_TRUE(gathered.ok());
  EXPECT_EQ(gathered->offsets()[1], 3);
  EXPECT_EQ(gathered->offsets()[2], 4);
  const Vector& entries = gathered->child(0);
  ASSERT_EQ(entries.length(), 4);
  EXPECT_EQ(entries.child(0).GetString(2), "k2");
  EXPECT_EQ(entries.child(1).Get<int64_t>(2), 22);
  EXPECT_EQ(entries.child(0).GetString(3), "k0");
  EXPECT_EQ(entries.child(1).Get<int64_t>(3), 0);
}

TEST(VectorTest, GatherDictionaryResolvesIndices) {
  auto dictionary = std::make_shared<const Vector>(Integers({100, std::nullopt, 300}));
  Result<Vector> vector =
      Vector::MakeDictionary(dictionary, 4, 0, Int32Buffer({2, 1, 0, 5}), Bitmap({1, 1, 1, 0}));
  ASSERT_TRUE(vector.ok());
  Result<Vector> gathered = vector->Gather(SelectionVector(std::vector<uint32_t>{3, 2, 1, 0}));
  ASSERT_TRUE(gathered.ok());
  EXPECT_TRUE(gathered->is_flat());
  EXPECT_EQ(ReadIntegers(*gathered),
            (std::vector<std::optional<int32_t>>{std::nullopt, 100, std::nullopt, 300}));
}

TEST(VectorTest, GatherIsChargedToTheTracker) {
  Vector vector = Integers({1, 2, 3, 4});
  MemoryTracker tracker("query", 100);
  SelectionVector selection = SelectionVector::Identity(4);
  {
    Result<Vector> gathered = vector.Gather(selection, &tracker);
    ASSERT_TRUE(gathered.ok());
    EXPECT_EQ(tracker.used(), 64);
  }
  EXPECT_EQ(tracker.used(), 0);
  SelectionVector large = SelectionVector::Identity(4);
  for (int index = 0; index < 20; ++index) {
    large.Append(0);
  }
  Result<Vector> too_large = vector.Gather(large, &tracker);
  EXPECT_EQ(too_large.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(tracker.used(), 0);
}

TEST(VectorTest, MakeFlatWrapsExistingBuffers) {
  Result<Vector> vector = Vector::MakeFlat(LogicalType::Integer(), 3, 1, Bitmap({1, 1, 0, 1}),
                                           Int32Buffer({9, 8, 7, 6}), nullptr, {});
  ASSERT_TRUE(vector.ok()) << vector.status().ToString();
  EXPECT_EQ(vector->null_count(), 1);
  EXPECT_EQ(ReadIntegers(*vector), (std::vector<std::optional<int32_t>>{8, std::nullopt, 6}));
}

TEST(VectorTest, MakeFlatChecksBuffersAndOffsets) {
  EXPECT_EQ(
      Vector::MakeFlat(LogicalType::BigInt(), 3, 0, nullptr, Int32Buffer({1, 2, 3}), nullptr, {})
          .status()
          .message(),
      "vector values buffer holds 12 bytes, needs 24");
  std::shared_ptr<Buffer> data = *Buffer::Allocate(4);
  EXPECT_EQ(
      Vector::MakeFlat(LogicalType::Varchar(), 2, 0, nullptr, Int32Buffer({0, 3, 2}), data, {})
          .status()
          .message(),
      "vector offsets decrease at row 1: 3 then 2");
  EXPECT_EQ(Vector::MakeFlat(LogicalType::Varchar(), 1, 0, nullptr, Int32Buffer({0, 5}), data, {})
                .status()
                .message(),
            "vector offset 5 points past the end of its 4 values");
  EXPECT_EQ(Vector::MakeFlat(LogicalType::List(LogicalType::Integer()), 1, 0, nullptr,
                             Int32Buffer({0, 1}), nullptr, {Strings({"x"})})
                .status()
                .message(),
            "child 0 of a vector of type integer[] has type text");
}

TEST(VectorTest, ListOfDictionaryEncodedStringsFlattensThroughTheChild) {
  auto dictionary = std::make_shared<const Vector>(Strings({"p", "q"}));
  Vector elements = *Vector::MakeDictionary(dictionary, 3, 0, Int32Buffer({1, 1, 0}), nullptr);
  Result<Vector> lists = Vector::MakeFlat(LogicalType::List(LogicalType::Varchar()), 2, 0, nullptr,
                                          Int32Buffer({0, 2, 3}), nullptr, {elements});
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  Result<Vector> gathered = lists->Gather(SelectionVector(std::vector<uint32_t>{1, 0}));
  ASSERT_TRUE(gathered.ok());
  const Vector& child = gathered->child(0);
  EXPECT_TRUE(child.is_flat());
  EXPECT_EQ(ReadStrings(child), (std::vector<std::optional<std::string>>{"p", "q", "q"}));
}

std::vector<types::Value> SampleValues() {
  using types::Value;
  LogicalType point =
      LogicalType::Struct({{"x", std::make_shared<const LogicalType>(LogicalType::Integer())},
                           {"label", std::make_shared<const LogicalType>(LogicalType::Varchar())}});
  LogicalType map =
      LogicalType::Map(LogicalType::Varchar(), LogicalType::List(LogicalType::BigInt()));
  types::Uuid uuid;
  uuid.bytes[0] = 0xa0;
  uuid.bytes[15] = 0x11;
  return {
      Value::Boolean(true),
      Value::SmallInt(-3),
      Value::Integer(7),
      Value::BigInt(INT64_MAX),
      Value::Real(2.5F),
      Value::Double(-0.125),
      Value::Decimal(-123456, 10, 2),
      Value::Decimal(types::Int128{1} << 100, 38, 5),
      Value::Date(19723),
      Value::Time(3600000000),
      Value::Timestamp(1700000000123456),
      Value::TimestampTz(-5),
      Value::Interval({1, 2, 3}),
      Value::Uuid(uuid),
      Value::Varchar("hello"),
      Value::Bytea(std::string("\\0\x01\xff", 4)),
      Value::List(LogicalType::Integer(), {Value::Integer(1), Value::Null(LogicalType::Integer())}),
      Value::Struct(point, {Value::Integer(4), Value::Null(LogicalType::Varchar())}),
      Value::Map(map,
                 {{Value::Varchar("a"), Value::List(LogicalType::BigInt(), {Value::BigInt(9)})},
                  {Value::Varchar("b"), Value::Null(LogicalType::List(LogicalType::BigInt()))}}),
  };
}

TEST(VectorTest, ValuesOfEveryTypeRoundTrip) {
  for (const types::Value& value : SampleValues()) {
    VectorBuilder builder(value.type());
    ASSERT_TRUE(builder.AppendValue(value).ok()) << value.type().ToString();
    ASSERT_TRUE(builder.AppendValue(types::Value::Null(value.type())).ok());
    ASSERT_TRUE(builder.AppendValue(value).ok());
    Result<Vector> vector = builder.Finish();
    ASSERT_TRUE(vector.ok()) << vector.status().ToString();
    EXPECT_EQ(*vector->GetValue(0), value) << value.ToString();
    EXPECT_TRUE(vector->GetValue(1)->is_null());
    EXPECT_EQ(vector->GetValue(1)->type(), value.type());
    EXPECT_EQ(*vector->Slice(2, 1).GetValue(0), value) << value.ToString();
    EXPECT_EQ(vector->GetValue(2)->ToString(), value.ToString());
  }
}

TEST(VectorTest, ValuesOfConstantAndDictionaryVectors) {
  Vector source = Strings({"a", "b"});
  Vector constant = *Vector::MakeConstant(source, 1, 3);
  EXPECT_EQ(*constant.GetValue(2), types::Value::Varchar("b"));
  auto dictionary = std::make_shared<const Vector>(source);
  Vector encoded = *Vector::MakeDictionary(dictionary, 2, 0, Int32Buffer({1, 0}), nullptr);
  EXPECT_EQ(*encoded.GetValue(1), types::Value::Varchar("a"));
}

TEST(VectorTest, AppendValueChecksTheType) {
  VectorBuilder builder(LogicalType::Integer());
  Status status = builder.AppendValue(types::Value::BigInt(1));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "cannot append a value of type bigint to a vector of type integer");
  EXPECT_TRUE(builder.AppendValue(types::Value::Null(LogicalType::Null())).ok());
  EXPECT_EQ(builder.null_count(), 1);
}

TEST(VectorTest, DecimalWithTooManyDigitsIsCorruption) {
  LogicalType type = *LogicalType::Decimal(4, 0);
  Result<Vector> vector =
      Vector::MakeFlat(type, 1, 0, nullptr, *Buffer::AllocateZeroed(8), nullptr, {});
  ASSERT_TRUE(vector.ok());
  int64_t too_wide = 123456;
  std::memcpy(vector->values_buffer()->mutable_data(), &too_wide, 8);
  Result<types::Value> value = vector->GetValue(0);
  EXPECT_EQ(value.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(value.status().message(), "decimal 123456 does not fit numeric(4,0)");
}

}  // namespace
}  // namespace floe::vector
