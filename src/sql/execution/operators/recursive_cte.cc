#include "sql/execution/operators/recursive_cte.h"

#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>

#include "sql/execution/pipeline.h"
#include "sql/execution/row_key.h"
#include "vector/selection_vector.h"

namespace floe::sql::execution {

using vector::Batch;

namespace {

int64_t CountRows(const std::vector<Batch>& batches) {
  int64_t rows = 0;
  for (const Batch& batch : batches) {
    rows += batch.num_rows();
  }
  return rows;
}

}  // namespace

Result<int64_t> WorkTableScan::Prepare(QueryContext& context) {
  return static_cast<int64_t>(table_->batches().size());
}

Status WorkTableScan::Read(QueryContext& context, OperatorState* state, int64_t morsel,
                           std::vector<Batch>& output) {
  output.push_back(table_->batches()[static_cast<size_t>(morsel)]);
  return Status::OK();
}

struct RecursiveCteOperator::SeenRows {
  RowKeyEncoder encoder;
  std::unordered_set<std::string> keys;
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
};

RecursiveCteOperator::RecursiveCteOperator(std::shared_ptr<const vector::Schema> schema,
                                           std::string name, PhysicalOperatorPtr anchor,
                                           PlanFactory make_recursive_term,
                                           std::shared_ptr<WorkTable> work_table, bool is_all,
                                           int64_t max_iterations)
    : PhysicalOperator(std::move(schema), {}),
      name_(std::move(name)),
      anchor_(std::move(anchor)),
      make_recursive_term_(std::move(make_recursive_term)),
      work_table_(std::move(work_table)),
      is_all_(is_all),
      max_iterations_(max_iterations) {}

RecursiveCteOperator::~RecursiveCteOperator() = default;

std::vector<std::string> RecursiveCteOperator::Details() const {
  return {"query: " + name_, "non-recursive term: " + anchor_->Name()};
}

Result<Batch> RecursiveCteOperator::Conform(const Batch& batch) const {
  return Batch::Make(output_schema(), batch.columns(), batch.num_rows());
}

Result<std::vector<Batch>> RecursiveCteOperator::KeepNew(QueryContext& context,
                                                         std::vector<Batch> batches) {
  if (is_all_) {
    return batches;
  }
  if (seen_ == nullptr) {
    std::vector<types::LogicalType> types;
    for (const vector::Field& field : output_schema()->fields()) {
      types.push_back(field.type);
    }
    seen_ = std::make_unique<SeenRows>();
    FLOE_ASSIGN_OR_RETURN(seen_->encoder, RowKeyEncoder::Make(std::move(types)));
  }
  std::vector<Batch> kept;
  for (const Batch& batch : batches) {
    seen_->encoder.Encode(batch.columns(), batch.num_rows(), seen_->bytes, seen_->offsets);
    std::vector<uint32_t> rows;
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      const uint32_t begin = seen_->offsets[static_cast<size_t>(r)];
      const uint32_t end = seen_->offsets[static_cast<size_t>(r) + 1];
      std::string key(reinterpret_cast<const char*>(seen_->bytes.data()) + begin, end - begin);
      if (seen_->keys.insert(std::move(key)).second) {
        rows.push_back(static_cast<uint32_t>(r));
      }
    }
    if (rows.size() == static_cast<size_t>(batch.num_rows())) {
      kept.push_back(batch);
    } else if (!rows.empty()) {
      FLOE_ASSIGN_OR_RETURN(Batch gathered, batch.Gather(vector::SelectionVector(std::move(rows)),
                                                         context.tracker()));
      kept.push_back(std::move(gathered));
    }
  }
  return kept;
}

Result<int64_t> RecursiveCteOperator::PrepareSource(QueryContext& context) {
  result_.clear();
  seen_.reset();
  FLOE_ASSIGN_OR_RETURN(std::vector<Batch> produced, RunToBatches(context, *anchor_));
  for (int64_t iteration = 0;; ++iteration) {
    std::vector<Batch> added;
    for (const Batch& batch : produced) {
      FLOE_ASSIGN_OR_RETURN(Batch conformed, Conform(batch));
      added.push_back(std::move(conformed));
    }
    FLOE_ASSIGN_OR_RETURN(added, KeepNew(context, std::move(added)));
    if (CountRows(added) == 0) {
      break;
    }
    if (iteration > max_iterations_) {
      return Status::ResourceExhausted(
                 "recursive query \"{}\" did not finish within {} iterations "
                 "(max_recursive_iterations)",
                 name_, max_iterations_)
          .WithSqlState("54001");
    }
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    result_.insert(result_.end(), added.begin(), added.end());
    work_table_->Set(std::move(added));
    FLOE_ASSIGN_OR_RETURN(PhysicalOperatorPtr term, make_recursive_term_());
    FLOE_ASSIGN_OR_RETURN(produced, RunToBatches(context, *term));
  }
  work_table_->Set({});
  return static_cast<int64_t>(result_.size());
}

Status RecursiveCteOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                        std::vector<Batch>& output) {
  output.push_back(result_[static_cast<size_t>(morsel)]);
  return Status::OK();
}

}  // namespace floe::sql::execution
