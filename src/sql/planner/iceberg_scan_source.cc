#include "sql/planner/iceberg_scan_source.h"

#include "table/table_reader.h"

namespace floe::sql::planner {

IcebergScanSource::IcebergScanSource(std::shared_ptr<const table::Table> table, std::string name,
                                     std::vector<int32_t> field_ids,
                                     std::shared_ptr<const vector::Schema> schema)
    : table_(std::move(table)),
      name_(std::move(name)),
      field_ids_(std::move(field_ids)),
      schema_(std::move(schema)) {}

IcebergScanSource::~IcebergScanSource() = default;

Result<int64_t> IcebergScanSource::Prepare(execution::QueryContext& context) {
  table::ScanOptions options;
  options.projection = field_ids_;
  FLOE_ASSIGN_OR_RETURN(table::TableScan scan, table::TableScan::Make(*table_, options));
  scan_ = std::make_unique<table::TableScan>(std::move(scan));
  FLOE_ASSIGN_OR_RETURN(tasks_, scan_->PlanFiles());
  return static_cast<int64_t>(tasks_.size());
}

Status IcebergScanSource::Read(execution::QueryContext& context, execution::OperatorState* state,
                               int64_t morsel, std::vector<vector::Batch>& output) {
  table::TableReadOptions options;
  FLOE_ASSIGN_OR_RETURN(
      std::unique_ptr<table::TableReader> reader,
      table::TableReader::Open(*scan_, tasks_[static_cast<size_t>(morsel)], options));
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
    if (!batch.has_value()) {
      return Status::OK();
    }
    // Same columns, but the operators above expect the schema the binder saw.
    FLOE_ASSIGN_OR_RETURN(vector::Batch renamed,
                          vector::Batch::Make(schema_, batch->columns(), batch->num_rows()));
    output.push_back(std::move(renamed));
  }
}

}  // namespace floe::sql::planner
