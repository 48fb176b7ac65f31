#include "sql/execution/operators/projection.h"

#include "sql/execution/expression_evaluator.h"

namespace floe::sql::execution {

namespace {
struct ProjectionState : OperatorState {
  explicit ProjectionState(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
};

std::shared_ptr<const vector::Schema> ProjectionSchema(const std::vector<ExpressionPtr>& exprs,
                                                       const std::vector<std::string>& names) {
  std::vector<vector::Field> fields;
  for (size_t i = 0; i < exprs.size(); ++i) {
    std::string name = i < names.size() ? names[i] : exprs[i]->ToString();
    fields.push_back({std::move(name), exprs[i]->type(), true});
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}
}  // namespace

ProjectionOperator::ProjectionOperator(PhysicalOperatorPtr child,
                                       std::vector<ExpressionPtr> expressions,
                                       std::vector<std::string> names)
    : PhysicalOperator(ProjectionSchema(expressions, names), {}),
      expressions_(std::move(expressions)) {
  AddChild(std::move(child));
}

std::vector<std::string> ProjectionOperator::Details() const {
  std::string list;
  for (size_t i = 0; i < expressions_.size(); ++i) {
    list += (i > 0 ? ", " : "") + expressions_[i]->ToString();
  }
  return {list};
}

Result<std::unique_ptr<OperatorState>> ProjectionOperator::MakeLocalState(QueryContext& context) {
  return std::unique_ptr<OperatorState>(
      std::make_unique<ProjectionState>(&context.function_context()));
}

Status ProjectionOperator::Execute(QueryContext& context, OperatorState* state,
                                   const vector::Batch& input, std::vector<vector::Batch>& output) {
  auto& local = static_cast<ProjectionState&>(*state);
  std::vector<vector::Vector> columns;
  columns.reserve(expressions_.size());
  for (const auto& expr : expressions_) {
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, local.evaluator.Evaluate(*expr, input));
    columns.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                        vector::Batch::Make(output_schema(), std::move(columns), input.num_rows()));
  output.push_back(std::move(batch));
  return Status::OK();
}

}  // namespace floe::sql::execution
