#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql/execution/data_source.h"
#include "sql/execution/executor.h"
#include "sql/execution/expression.h"
#include "sql/execution/sources/batch_source.h"
#include "types/value.h"
#include "vector/batch.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution::testing {

using types::LogicalType;
using types::Value;

/// A small table written as rows of Values, cut into batches of `rows_per_batch` rows so that
/// plans over it have several morsels.
struct TestTable {
  std::vector<vector::Field> fields;
  std::vector<std::vector<Value>> rows;

  std::shared_ptr<const vector::Schema> Schema() const {
    return std::make_shared<const vector::Schema>(fields);
  }

  std::vector<vector::Batch> Batches(int64_t rows_per_batch = 2) const {
    std::vector<vector::Batch> batches;
    auto schema = Schema();
    for (size_t begin = 0; begin < rows.size(); begin += static_cast<size_t>(rows_per_batch)) {
      size_t end = std::min(rows.size(), begin + static_cast<size_t>(rows_per_batch));
      std::vector<vector::Vector> columns;
      for (size_t c = 0; c < fields.size(); ++c) {
        vector::VectorBuilder builder(fields[c].type);
        for (size_t r = begin; r < end; ++r) {
          EXPECT_TRUE(builder.AppendValue(rows[r][c]).ok());
        }
        columns.push_back(builder.Finish().value());
      }
      batches.push_back(
          vector::Batch::Make(schema, std::move(columns), static_cast<int64_t>(end - begin))
              .value());
    }
    return batches;
  }

  /// Returns a scan of the table's batches.
  PhysicalOperatorPtr Scan(int64_t rows_per_batch = 2) const {
    return std::make_unique<TableScan>(
        std::make_unique<BatchSource>(Schema(), Batches(rows_per_batch)));
  }

  /// Returns one batch with every row.
  vector::Batch AsBatch() const { return Batches(static_cast<int64_t>(rows.size()) + 1)[0]; }
};

inline Value I(int64_t value) {
  return Value::BigInt(value);
}
inline Value S(std::string value) {
  return Value::Varchar(std::move(value));
}
inline Value B(bool value) {
  return Value::Boolean(value);
}
inline Value NullBigInt() {
  return Value::Null(LogicalType::BigInt());
}
inline Value NullVarchar() {
  return Value::Null(LogicalType::Varchar());
}
inline Value NullBool() {
  return Value::Null(LogicalType::Boolean());
}

inline ExpressionPtr Col(int64_t index, LogicalType type, std::string name = {}) {
  return Expression::ColumnRef(index, std::move(type), std::move(name));
}
inline ExpressionPtr Lit(Value value) {
  return Expression::Constant(std::move(value));
}

/// Returns each row of `batches` as text "a|b|NULL".
inline std::vector<std::string> RowStrings(const std::vector<vector::Batch>& batches) {
  std::vector<std::string> rows;
  for (const auto& batch : batches) {
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      std::string row;
      for (int64_t c = 0; c < batch.num_columns(); ++c) {
        Value value = batch.column(c).GetValue(r).value();
        row += (c > 0 ? "|" : "") + value.ToString();
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

/// Returns the rows sorted, for results whose order SQL leaves open.
inline std::vector<std::string> Sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// Runs `plan` and returns its rows in result order, failing the test on error.
inline std::vector<std::string> RunPlan(PhysicalOperatorPtr plan, ExecutorOptions options = {}) {
  auto batches = Executor::Collect(std::move(plan), options);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  if (!batches.ok()) {
    return {};
  }
  return RowStrings(*batches);
}

/// A scheduler with four workers shared by the tests of one binary.
inline TaskScheduler& TestScheduler() {
  static TaskScheduler scheduler(4);
  return scheduler;
}

/// Returns a scan of one BIGINT column "v" holding 0, 1, ..., rows - 1, allocated once (charged
/// to `tracker` when given) and read as slices of `rows_per_slice` rows, as the Parquet source
/// hands out a decoded row group.
inline PhysicalOperatorPtr ScanSlicesOfOneBuffer(int64_t rows, int64_t rows_per_slice,
                                                 MemoryTracker* tracker) {
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"v", LogicalType::BigInt(), false}});
  vector::VectorBuilder builder(LogicalType::BigInt(), tracker);
  EXPECT_TRUE(builder.Reserve(rows).ok());
  for (int64_t v = 0; v < rows; ++v) {
    EXPECT_TRUE(builder.Append<int64_t>(v).ok());
  }
  vector::Batch whole = vector::Batch::Make(schema, {builder.Finish().value()}, rows).value();
  std::vector<vector::Batch> slices;
  for (int64_t begin = 0; begin < rows; begin += rows_per_slice) {
    slices.push_back(whole.Slice(begin, std::min(rows_per_slice, rows - begin)));
  }
  return std::make_unique<TableScan>(std::make_unique<BatchSource>(schema, std::move(slices)));
}

inline ExecutorOptions WithThreads(int threads) {
  ExecutorOptions options;
  options.scheduler = &TestScheduler();
  options.max_threads = threads;
  return options;
}

}  // namespace floe::sql::execution::testing
