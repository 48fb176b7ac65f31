#include "vector/batch.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vector/selection_vector.h"
#include "vector/vector_builder.h"

namespace floe::vector {
namespace {

using types::LogicalType;

std::shared_ptr<const Schema> ExampleSchema() {
  return std::make_shared<const Schema>(
      std::vector<Field>{{"id", LogicalType::BigInt(), false}, {"name", LogicalType::Varchar()}});
}

// Rows id = 0..num_rows-1 and name = "n<id>", NULL for every fourth row.
Batch ExampleBatch(int64_t num_rows) {
  VectorBuilder ids(LogicalType::BigInt());
  VectorBuilder names(LogicalType::Varchar());
  for (int64_t row = 0; row < num_rows; ++row) {
    EXPECT_TRUE(ids.Append(row).ok());
    Status status =
        row % 4 == 3 ? names.AppendNull() : names.AppendString("n" + std::to_string(row));
    EXPECT_TRUE(status.ok());
  }
  std::vector<Vector> columns;
  columns.push_back(*ids.Finish());
  columns.push_back(*names.Finish());
  return *Batch::Make(ExampleSchema(), std::move(columns), num_rows);
}

TEST(BatchTest, MakeChecksColumnsAgainstTheSchema) {
  Batch batch = ExampleBatch(5);
  EXPECT_EQ(batch.num_rows(), 5);
  EXPECT_EQ(batch.num_columns(), 2);
  EXPECT_EQ(batch.schema().field(1).name, "name");

  std::vector<Vector> swapped = {batch.column(1), batch.column(0)};
  EXPECT_EQ(Batch::Make(ExampleSchema(), swapped, 5).status().message(),
            "column id has type text, its field bigint");
  std::vector<Vector> short_column = {batch.column(0), batch.column(1).Slice(0, 4)};
  EXPECT_EQ(Batch::Make(ExampleSchema(), short_column, 5).status().message(),
            "column name has 4 rows, the batch 5");
  EXPECT_EQ(Batch::Make(ExampleSchema(), {batch.column(0)}, 5).status().message(),
            "batch has 1 columns, its schema 2");
}

TEST(BatchTest, MakeRejectsNullsInANotNullColumn) {
  Batch batch = ExampleBatch(5);
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      {"id", LogicalType::BigInt(), false}, {"name", LogicalType::Varchar(), false}});
  EXPECT_EQ(Batch::Make(schema, batch.columns(), 5).status().message(),
            "column name is NOT NULL but holds 1 NULLs");
}

TEST(BatchTest, BatchWithoutColumnsCountsRows) {
  Result<Batch> batch = Batch::Make(std::make_shared<const Schema>(), {}, 2048);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->num_rows(), Batch::kDefaultBatchSize);
  EXPECT_EQ(batch->Slice(100, 10).num_rows(), 10);
}

TEST(BatchTest, SliceSharesEveryColumn) {
  Batch batch = ExampleBatch(Batch::kDefaultBatchSize);
  Batch slice = batch.Slice(1000, 13).Slice(3, 5);
  EXPECT_EQ(slice.num_rows(), 5);
  EXPECT_EQ(&slice.schema(), &batch.schema());
  EXPECT_EQ(slice.column(0).Get<int64_t>(0), 1003);
  EXPECT_TRUE(slice.column(1).IsNull(0));
  EXPECT_TRUE(slice.column(1).IsNull(4));
  EXPECT_EQ(slice.column(1).null_count(), 2);
  EXPECT_EQ(slice.column(1).GetString(1), "n1004");
  EXPECT_EQ(slice.column(0).values<int64_t>(), batch.column(0).values<int64_t>() + 1003);
  EXPECT_EQ(slice.column(1).string_data(), batch.column(1).string_data());
}

TEST(BatchTest, ProjectSelectsAndReordersColumns) {
  Batch batch = ExampleBatch(4);
  std::vector<int64_t> indices = {1, 0, 1};
  Result<Batch> projected = batch.Project(indices);
  ASSERT_TRUE(projected.ok());
  EXPECT_EQ(projected->num_columns(), 3);
  EXPECT_EQ(projected->schema().ToString(), "name text, id bigint NOT NULL, name text");
  EXPECT_EQ(projected->column(2).values_buffer().get(), batch.column(1).values_buffer().get());
  EXPECT_EQ(projected->num_rows(), 4);
  std::vector<int64_t> bad = {-1};
  EXPECT_EQ(batch.Project(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(BatchTest, GatherCopiesTheSelectedRows) {
  Batch batch = ExampleBatch(10);
  Result<Batch> gathered = batch.Gather(SelectionVector(std::vector<uint32_t>{7, 2}));
  ASSERT_TRUE(gathered.ok());
  EXPECT_EQ(gathered->num_rows(), 2);
  EXPECT_EQ(gathered->column(0).Get<int64_t>(0), 7);
  EXPECT_TRUE(gathered->column(1).IsNull(0));
  EXPECT_EQ(gathered->column(1).GetString(1), "n2");
}

}  // namespace
}  // namespace floe::vector
