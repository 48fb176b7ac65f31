#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/execution/data_source.h"
#include "table/table.h"
#include "table/table_scan.h"

namespace floe::sql::planner {

/// Reads the current snapshot of an Iceberg table: plans the scan's files when the query starts
/// and reads one FileScanTask per morsel with table::TableReader (columns by field id, delete
/// files applied).
class IcebergScanSource final : public execution::DataSource {
 public:
  IcebergScanSource(std::shared_ptr<const table::Table> table, std::string name,
                    std::vector<int32_t> field_ids, std::shared_ptr<const vector::Schema> schema);
  ~IcebergScanSource() override;

  std::string Name() const override { return "ICEBERG_SCAN"; }
  std::vector<std::string> Details() const override { return {name_}; }
  std::shared_ptr<const vector::Schema> schema() const override { return schema_; }
  Result<int64_t> Prepare(execution::QueryContext& context) override;
  Status Read(execution::QueryContext& context, execution::OperatorState* state, int64_t morsel,
              std::vector<vector::Batch>& output) override;

 private:
  std::shared_ptr<const table::Table> table_;
  std::string name_;
  std::vector<int32_t> field_ids_;
  std::shared_ptr<const vector::Schema> schema_;
  std::unique_ptr<table::TableScan> scan_;
  std::vector<table::FileScanTask> tasks_;
};

}  // namespace floe::sql::planner
