#include "sql/execution/operators/filter.h"

#include "sql/execution/expression_evaluator.h"
#include "vector/selection_vector.h"

namespace floe::sql::execution {

namespace {
struct FilterState : OperatorState {
  explicit FilterState(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
  vector::SelectionVector selection;
};
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
    FLOE_ASSIGN_OR_RETURN(vector::Batch kept, input.Gather(local.selection, context.tracker()));
    output.push_back(std::move(kept));
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
