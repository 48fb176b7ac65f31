#include "sql/execution/operators/union_all.h"

namespace floe::sql::execution {

namespace {
std::shared_ptr<const vector::Schema> NullableSchema(const vector::Schema& schema) {
  std::vector<vector::Field> fields = schema.fields();
  for (auto& field : fields) {
    field.is_nullable = true;
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}
}  // namespace

UnionAllOperator::UnionAllOperator(std::vector<PhysicalOperatorPtr> children)
    : PhysicalOperator(NullableSchema(*children.front()->output_schema()), {}) {
  for (auto& child : children) {
    AddChild(std::move(child));
  }
}

Status UnionAllOperator::Execute(QueryContext& context, OperatorState* state,
                                 const vector::Batch& input, std::vector<vector::Batch>& output) {
  // Children may name their columns differently; the union's batches carry its own schema.
  FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                        vector::Batch::Make(output_schema(), input.columns(), input.num_rows()));
  output.push_back(std::move(batch));
  return Status::OK();
}

}  // namespace floe::sql::execution
