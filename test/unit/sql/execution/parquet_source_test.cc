#include "sql/execution/sources/parquet_source.h"

#include <gtest/gtest.h>

#include "format/parquet/writer/parquet_writer.h"
#include "io/memory/memory_file_system.h"
#include "sql/execution/operators/filter.h"
#include "sql/execution/operators/hash_aggregate.h"
#include "unit/sql/execution/test_functions.h"
#include "unit/sql/execution/test_tables.h"

namespace floe::sql::execution {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

class ParquetSourceTest : public ::testing::TestWithParam<int> {
 protected:
  // Writes rows (id, id % 7, 'name<id>' or NULL every tenth row) in row groups of 1000 rows.
  void WriteFile(const std::string& path, int64_t first, int64_t rows) {
    TestTable table{{{"id", LogicalType::BigInt(), false},
                     {"bucket", LogicalType::BigInt()},
                     {"name", LogicalType::Varchar()}},
                    {}};
    for (int64_t i = first; i < first + rows; ++i) {
      table.rows.push_back(
          {I(i), I(i % 7), i % 10 == 0 ? NullVarchar() : S("name" + std::to_string(i))});
    }
    format::parquet::ParquetWriterOptions options;
    options.row_group_rows = 1000;
    auto writer =
        format::parquet::ParquetWriter::Open(*file_system_, path, *table.Schema(), options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& batch : table.Batches(777)) {
      ASSERT_TRUE((*writer)->Write(batch).ok());
    }
    ASSERT_TRUE((*writer)->Close().ok());
  }

  std::shared_ptr<io::MemoryFileSystem> file_system_ = std::make_shared<io::MemoryFileSystem>();
};

TEST_P(ParquetSourceTest, ReadsEveryRowOfSeveralFiles) {
  WriteFile("t/a.parquet", 0, 2500);
  WriteFile("t/b.parquet", 2500, 1500);
  auto source = ParquetSource::Make(file_system_, {"t/a.parquet", "t/b.parquet"});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->schema()->num_fields(), 3);
  // count(*), sum(id), count(name)
  std::vector<AggregateSpec> aggregates;
  aggregates.push_back({BigIntAggregate(AggregateKind::kCountStar), {}, false, "n"});
  aggregates.push_back(
      {BigIntAggregate(AggregateKind::kSum), {Col(0, LogicalType::BigInt())}, false, "s"});
  auto plan = std::make_unique<HashAggregateOperator>(
      std::make_unique<TableScan>(std::move(source).value()), std::vector<ExpressionPtr>{},
      std::move(aggregates));
  EXPECT_EQ(RunPlan(std::move(plan), WithThreads(GetParam())),
            (std::vector<std::string>{"4000|7998000"}));
}

TEST_P(ParquetSourceTest, ProjectsColumnsAndPrunesRowGroups) {
  WriteFile("t/a.parquet", 0, 5000);
  ParquetSourceOptions options;
  options.column_names = {"name", "id"};
  options.predicates.push_back(
      {"id", format::parquet::ColumnPredicate::Op::kGreaterEqual, I(4200)});
  auto source = ParquetSource::Make(file_system_, {"t/a.parquet"}, options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  ParquetSource* raw = source->get();
  EXPECT_EQ(raw->schema()->field(0).name, "name");
  // The pushed predicate prunes row groups; the filter above keeps exact semantics.
  auto greater = BigIntOp(BinaryOp::kGreater);
  auto filter = std::make_unique<FilterOperator>(
      std::make_unique<TableScan>(std::move(source).value()),
      Expression::Function(greater, {Col(1, LogicalType::BigInt()), Lit(I(4995))}));
  // The stream owns the plan, so the source lives until the stream is gone.
  auto stream = Executor::Execute(std::move(filter), WithThreads(GetParam()));
  ASSERT_TRUE(stream.ok());
  std::vector<vector::Batch> batches;
  while (true) {
    auto batch = (*stream)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch->has_value()) {
      break;
    }
    batches.push_back(std::move(**batch));
  }
  EXPECT_EQ(Sorted(RowStrings(batches)),
            (std::vector<std::string>{"name4996|4996", "name4997|4997", "name4998|4998",
                                      "name4999|4999"}));
  EXPECT_EQ(raw->row_groups_pruned(), 4);
}

TEST_P(ParquetSourceTest, MissingFileFails) {
  EXPECT_FALSE(ParquetSource::Make(file_system_, {"t/missing.parquet"}).ok());
  EXPECT_EQ(ParquetSource::Make(file_system_, {}).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Threads, ParquetSourceTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace floe::sql::execution
