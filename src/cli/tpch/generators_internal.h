#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/tpch/dataset.h"
#include "cli/tpch/table_generator.h"
#include "common/result.h"
#include "vector/batch.h"
#include "vector/vector_builder.h"

namespace floe::cli::tpch {

std::unique_ptr<TableGenerator> MakeRegionGenerator(const Dataset& dataset);
std::unique_ptr<TableGenerator> MakeNationGenerator(const Dataset& dataset);
std::unique_ptr<TableGenerator> MakeSupplierGenerator(const Dataset& dataset);
std::unique_ptr<TableGenerator> MakeCustomerGenerator(const Dataset& dataset);
std::unique_ptr<TableGenerator> MakePartGenerator(const Dataset& dataset);
std::unique_ptr<TableGenerator> MakePartsuppGenerator(const Dataset& dataset);
std::unique_ptr<TableGenerator> MakeOrdersGenerator(const Dataset& dataset);
std::unique_ptr<TableGenerator> MakeLineitemGenerator(const Dataset& dataset);

/// Builds the columns of one chunk of a table. Not thread-safe.
class ChunkBuilder {
 public:
  ChunkBuilder(std::shared_ptr<const vector::Schema> schema, int64_t expected_rows);

  vector::VectorBuilder& column(int index) { return columns_[static_cast<size_t>(index)]; }

  /// Appends one BIGINT, INTEGER, DATE or DECIMAL(15,2) value (`value` in its unscaled form).
  Status AppendBigInt(int index, int64_t value) { return column(index).Append<int64_t>(value); }
  Status AppendInteger(int index, int32_t value) { return column(index).Append<int32_t>(value); }
  Status AppendDate(int index, int32_t days) { return column(index).Append<int32_t>(days); }
  Status AppendDecimal(int index, int64_t unscaled) { return AppendBigInt(index, unscaled); }
  Status AppendString(int index, std::string_view value) {
    return column(index).AppendString(value);
  }
  /// Appends `prefix` followed by `number` zero-padded to nine digits ("Supplier#000000001").
  Status AppendNumbered(int index, std::string_view prefix, int64_t number);

  /// Returns the rows appended as a batch; every column must have the same number of rows.
  Result<vector::Batch> Finish();

 private:
  std::shared_ptr<const vector::Schema> schema_;
  std::vector<vector::VectorBuilder> columns_;
};

/// A generator of a fixed number of rows, each built from its row index alone.
class RowGenerator : public TableGenerator {
 public:
  int64_t NumChunks() const override;
  Result<vector::Batch> GenerateChunk(int64_t chunk) const override;

 protected:
  RowGenerator(TableId table, const Dataset& dataset, int64_t num_rows, int64_t rows_per_chunk);

  const Dataset& dataset() const { return dataset_; }
  /// Appends row `row` (0-based) to every column of `builder`.
  virtual Status AppendRow(int64_t row, ChunkBuilder& builder) const = 0;

 private:
  const Dataset& dataset_;
  int64_t num_rows_;
  int64_t rows_per_chunk_;
};

/// Appends a random v-string (4.2.2.7) of [min_length, max_length] characters drawn from 64
/// symbols, taking the length from `length_bits` and the characters from `symbols`, `index`.
Status AppendRandomString(vector::VectorBuilder& builder, uint64_t length_bits,
                          const RandomStream& symbols, int64_t index, int min_length,
                          int max_length);

/// Appends a phone number of 4.2.2.9: country code (nation key + 10), then three local parts
/// of [100, 999], [100, 999] and [1000, 9999], drawn from `random`, `index`.
Status AppendPhone(vector::VectorBuilder& builder, int64_t nation_key, const RandomStream& random,
                   int64_t index);

}  // namespace floe::cli::tpch
