#include "cli/tpch/generate.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/tpch/dataset.h"
#include "io/memory/memory_file_system.h"

namespace floe::cli::tpch {
namespace {

// Keeps the batches it receives.
class CollectingSink final : public TableSink {
 public:
  Status Write(const vector::Batch& batch) override {
    batches.push_back(batch);
    return Status::OK();
  }
  Status Close() override {
    is_closed = true;
    return Status::OK();
  }

  std::vector<vector::Batch> batches;
  bool is_closed = false;
};

Result<std::string> GenerateCsv(TableId table, int threads) {
  io::MemoryFileSystem file_system;
  TaskScheduler scheduler(threads);
  GenerateOptions options;
  options.scale_factor = 0.01;
  options.output_directory = "memory://tpch";
  options.format = OutputFormat::kCsv;
  options.tables = {table};
  options.threads = threads;
  FLOE_ASSIGN_OR_RETURN(std::vector<TableReport> reports,
                        Generate(options, file_system, scheduler));
  if (reports.size() != 1 ||
      reports[0].path != "memory://tpch/" + std::string(TableName(table)) + ".csv") {
    return Status::Internal("unexpected report");
  }
  return file_system.ReadAll(reports[0].path);
}

TEST(GenerateTest, FilesAreTheSameWithOneOrTwoThreads) {
  for (TableId table : {TableId::kLineitem, TableId::kOrders, TableId::kSupplier}) {
    Result<std::string> one = GenerateCsv(table, 1);
    Result<std::string> two = GenerateCsv(table, 2);
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    ASSERT_TRUE(two.ok()) << two.status().ToString();
    EXPECT_GT(one->size(), 1000u);
    EXPECT_TRUE(*one == *two) << TableName(table);
  }
}

TEST(GenerateTest, BatchesAreTheSameWithOneOrTwoThreads) {
  TaskScheduler scheduler(2);
  DatasetOptions options;
  options.scale_factor = 0.01;
  options.text_pool_bytes = TextPool::kSegmentBytes;
  const Dataset dataset = Dataset::Make(options, scheduler).value();
  const std::unique_ptr<TableGenerator> generator = dataset.MakeGenerator(TableId::kLineitem);
  CollectingSink one;
  CollectingSink two;
  Result<int64_t> rows_one = WriteTable(*generator, one, scheduler, 1);
  Result<int64_t> rows_two = WriteTable(*generator, two, scheduler, 2);
  ASSERT_TRUE(rows_one.ok() && rows_two.ok());
  EXPECT_EQ(*rows_one, *rows_two);
  EXPECT_TRUE(one.is_closed && two.is_closed);
  ASSERT_EQ(one.batches.size(), two.batches.size());
  ASSERT_GE(one.batches.size(), 2u);
  for (size_t index = 0; index < one.batches.size(); ++index) {
    const vector::Batch& first = one.batches[index];
    const vector::Batch& second = two.batches[index];
    ASSERT_EQ(first.num_rows(), second.num_rows());
    for (int64_t row = 0; row < first.num_rows(); row += 97) {
      EXPECT_EQ(first.column(0).Get<int64_t>(row), second.column(0).Get<int64_t>(row));
      EXPECT_EQ(first.column(5).Get<int64_t>(row), second.column(5).Get<int64_t>(row));
      EXPECT_EQ(first.column(15).GetString(row), second.column(15).GetString(row));
    }
  }
}

TEST(GenerateTest, CsvHasAHeaderAndSignedDecimals) {
  Result<std::string> text = GenerateCsv(TableId::kCustomer, 1);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->substr(0, text->find('\n')),
            "c_custkey|c_name|c_address|c_nationkey|c_phone|c_acctbal|c_mktsegment|c_comment");
  EXPECT_NE(text->find("\n1|Customer#000000001|"), std::string::npos);
  // Balances range over [-999.99, 9999.99].
  EXPECT_NE(text->find("|-"), std::string::npos);
}

TEST(GenerateTest, RefusesBadOptions) {
  io::MemoryFileSystem file_system;
  TaskScheduler scheduler(1);
  GenerateOptions options;
  options.scale_factor = 0.01;
  EXPECT_EQ(Generate(options, file_system, scheduler).status().code(),
            StatusCode::kInvalidArgument);
  options.output_directory = "memory://tpch";
  options.scale_factor = 0;
  EXPECT_EQ(Generate(options, file_system, scheduler).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTableName("lineitems").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseOutputFormat("orc").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::cli::tpch
