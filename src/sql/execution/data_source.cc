#include "sql/execution/data_source.h"

namespace floe::sql::execution {

namespace {
struct TableScanState : OperatorState {
  std::unique_ptr<OperatorState> source;
  std::unique_ptr<OperatorState> filters;
};
}  // namespace

std::vector<std::string> TableScan::Details() const {
  std::vector<std::string> details = source_->Details();
  for (std::string& line : runtime_filters_.Details()) {
    details.push_back(std::move(line));
  }
  return details;
}

Result<int64_t> TableScan::PrepareSource(QueryContext& context) {
  if (!runtime_filters_.empty()) {
    source_->SetRuntimeBounds(runtime_filters_.ColumnBounds());
  }
  return source_->Prepare(context);
}

Result<std::unique_ptr<OperatorState>> TableScan::MakeSourceState(QueryContext& context) {
  auto state = std::make_unique<TableScanState>();
  FLOE_ASSIGN_OR_RETURN(state->source, source_->MakeState(context));
  if (!runtime_filters_.empty()) {
    state->filters = runtime_filters_.MakeState(context);
  }
  return std::unique_ptr<OperatorState>(std::move(state));
}

Status TableScan::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                             std::vector<vector::Batch>& output) {
  auto& local = static_cast<TableScanState&>(*state);
  if (local.filters == nullptr) {
    return source_->Read(context, local.source.get(), morsel, output);
  }
  std::vector<vector::Batch> batches;
  FLOE_RETURN_NOT_OK(source_->Read(context, local.source.get(), morsel, batches));
  FLOE_RETURN_NOT_OK(runtime_filters_.Apply(context, *local.filters, batches));
  for (vector::Batch& batch : batches) {
    output.push_back(std::move(batch));
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
