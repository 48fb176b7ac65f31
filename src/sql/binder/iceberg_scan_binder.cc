// iceberg_scan(): an Iceberg table read from its location, without the catalog.

#include <optional>
#include <string>
#include <vector>

#include "sql/binder/binder_internal.h"

namespace floe::sql::binder {

Status Binder::Impl::BindIcebergScan(const parser::FunctionRef& ref,
                                     const std::vector<Bound>& arguments, LogicalOperator& op) {
  const parser::FunctionCallExpression& call = *ref.call;
  std::optional<std::string> location;
  int location_at = call.location;
  // Paths under the location the metadata records are read from where the table lies now, so
  // that copied and moved tables read; allow_moved_paths => false reads them as recorded.
  bool relocate = true;
  for (size_t i = 0; i < call.arguments.size(); ++i) {
    const parser::FunctionArgument& argument = call.arguments[i];
    const int at = argument.value->location;
    const bool is_location = argument.name.empty() || argument.name == "location";
    if (is_location && location.has_value()) {
      return Error(
          Status::NotFound("function iceberg_scan takes one location").WithSqlState("42883"), at);
    }
    if (!is_location && argument.name != "allow_moved_paths") {
      return Error(
          Status::NotFound("function iceberg_scan has no argument named \"{}\"", argument.name)
              .WithSqlState("42883"),
          at);
    }
    const types::LogicalType type =
        is_location ? types::LogicalType::Varchar() : types::LogicalType::Boolean();
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, Coerce(arguments[i], type));
    if (value->kind() != execution::ExpressionKind::kConstant || value->value().is_null()) {
      return Error(Status::InvalidArgument("iceberg_scan needs a constant, non-NULL {}",
                                           is_location ? "location" : argument.name),
                   at);
    }
    if (is_location) {
      location = value->value().string_value();
      location_at = at;
    } else {
      relocate = value->value().boolean_value();
    }
  }
  if (!location.has_value()) {
    return Error(Status::NotFound("function iceberg_scan needs a location").WithSqlState("42883"),
                 call.location);
  }
  if (location->empty()) {
    return Error(Status::InvalidArgument("iceberg_scan needs a non-empty location"), location_at);
  }
  Result<RelationInfo> relation = catalog.OpenIcebergLocation(*location, relocate);
  if (!relation.ok()) {
    return Error(relation.status(), location_at);
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<int64_t> snapshot_id,
                        BindTimeTravel(ref.time_travel, *relation));
  op.source = SourceKind::kIceberg;
  op.source_name = relation->display_name;
  op.iceberg_table = relation->iceberg_table;
  op.field_ids = relation->field_ids;
  op.iceberg_snapshot_id = snapshot_id;
  op.estimate.rows = static_cast<double>(relation->row_count);
  op.estimate.is_exact = true;
  for (size_t i = 0; i < relation->columns.size(); ++i) {
    op.columns.push_back(NewColumn(relation->columns[i].name, relation->columns[i].type));
    op.parquet_columns.push_back(static_cast<int64_t>(i));
  }
  return Status::OK();
}

}  // namespace floe::sql::binder
