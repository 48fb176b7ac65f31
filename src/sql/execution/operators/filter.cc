#include "sql/execution/operators/filter.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "sql/execution/expression_evaluator.h"
#include "vector/bitmap.h"
#include "vector/buffer.h"
#include "vector/selection_vector.h"

namespace floe::sql::execution {

namespace {
struct FilterState : OperatorState {
  explicit FilterState(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
  vector::SelectionVector selection;
};

// Returns the selected rows of `column`. A dictionary column keeps its dictionary and gathers
// only its indices: flattening would copy every string of the kept rows (the one-letter flags
// of TPC-H Q1 cost more to copy than to compare), and later operators hash and compare
// dictionary entries once per batch rather than once per row.
Result<vector::Vector> KeepRows(const vector::Vector& column,
                                const vector::SelectionVector& selection, MemoryTracker* tracker) {
  if (column.encoding() != vector::Encoding::kDictionary) {
    return column.Gather(selection, tracker);
  }
  const int64_t count = static_cast<int64_t>(selection.size());
  const uint32_t* rows = selection.data();
  std::shared_ptr<vector::Buffer> validity;
  if (column.validity_bits() != nullptr) {
    FLOE_ASSIGN_OR_RETURN(validity,
                          vector::Buffer::AllocateZeroed(vector::BitmapBytes(count), tracker));
    const uint8_t* in = column.validity_bits();
    uint8_t* out = validity->mutable_data();
    for (int64_t i = 0; i < count; ++i) {
      if (vector::GetBit(in, column.offset() + rows[i])) {
        vector::SetBit(out, i);
      }
    }
  }
  FLOE_ASSIGN_OR_RETURN(auto indices,
                        vector::Buffer::Allocate(std::max<int64_t>(count, 1) * 4, tracker));
  int32_t* out = indices->mutable_data_as<int32_t>();
  const int32_t* in = column.indices();
  for (int64_t i = 0; i < count; ++i) {
    // A NULL row's index is not defined; 0 keeps the new vector's indices in range.
    out[i] = validity == nullptr || vector::GetBit(validity->data(), i) ? in[rows[i]] : 0;
  }
  return vector::Vector::MakeDictionary(std::make_shared<const vector::Vector>(column.dictionary()),
                                        count, 0, std::move(indices), std::move(validity));
}
}  // namespace

FilterOperator::FilterOperator(PhysicalOperatorPtr child, ExpressionPtr condition)
    : PhysicalOperator(child->output_schema(), {}), condition_(std::move(condition)) {
  AddChild(std::move(child));
}

Result<std::unique_ptr<OperatorState>> FilterOperator::MakeLocalState(QueryContext& context) {
  return std::unique_ptr<OperatorState>(std::make_unique<FilterState>(&context.function_context()));
}

Status FilterOperator::Execute(QueryContext& context, OperatorState* state,
                               const vector::Batch& input, std::vector<vector::Batch>& output) {
  auto& local = static_cast<FilterState&>(*state);
  FLOE_RETURN_NOT_OK(local.evaluator.Filter(*condition_, input, local.selection));
  if (local.selection.size() == input.num_rows()) {
    output.push_back(input);
  } else if (!local.selection.empty()) {
    std::vector<vector::Vector> columns;
    columns.reserve(static_cast<size_t>(input.num_columns()));
    for (int64_t c = 0; c < input.num_columns(); ++c) {
      FLOE_ASSIGN_OR_RETURN(vector::Vector column,
                            KeepRows(input.column(c), local.selection, context.tracker()));
      columns.push_back(std::move(column));
    }
    FLOE_ASSIGN_OR_RETURN(vector::Batch kept,
                          vector::Batch::Make(input.shared_schema(), std::move(columns),
                                              static_cast<int64_t>(local.selection.size())));
    output.push_back(std::move(kept));
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
