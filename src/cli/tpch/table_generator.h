#pragma once

#include <cstdint>
#include <memory>

#include "cli/tpch/tables.h"
#include "common/result.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace floe::cli::tpch {

/// Produces the rows of one TPC-H table as a sequence of chunks of consecutive rows.
///
/// Every value is drawn from random streams addressed by row (see RandomStream), so a chunk is
/// the same whichever thread generates it, in whatever order, and GenerateChunk may be called
/// concurrently. Generators refer to the Dataset that made them, which must outlive them.
class TableGenerator {
 public:
  TableGenerator(const TableGenerator&) = delete;
  TableGenerator& operator=(const TableGenerator&) = delete;
  virtual ~TableGenerator() = default;

  TableId table() const { return table_; }
  const std::shared_ptr<const vector::Schema>& schema() const { return TableSchema(table_); }

  /// Returns the number of chunks. Concatenated in order, the chunks form the table.
  virtual int64_t NumChunks() const = 0;
  /// Returns chunk `chunk` (0 <= chunk < NumChunks()) as one batch, or ResourceExhausted.
  virtual Result<vector::Batch> GenerateChunk(int64_t chunk) const = 0;

 protected:
  explicit TableGenerator(TableId table) : table_(table) {}

 private:
  TableId table_;
};

}  // namespace floe::cli::tpch
