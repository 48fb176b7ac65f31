#include "sql/engine/result_text.h"

#include "common/json_text.h"
#include "types/temporal.h"
#include "types/time_zone.h"
#include "types/value.h"

namespace floe::sql::engine {

Status AppendTextRows(const vector::Batch& batch, std::vector<TextRow>& rows) {
  return AppendTextRows(batch, rows, types::TimeZone::Utc());
}

Status AppendTextRows(const vector::Batch& batch, std::vector<TextRow>& rows,
                      const types::TimeZone& zone) {
  size_t first = rows.size();
  rows.resize(first + static_cast<size_t>(batch.num_rows()));
  for (int64_t column = 0; column < batch.num_columns(); ++column) {
    const vector::Vector& values = batch.column(column);
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      TextRow& out = rows[first + static_cast<size_t>(row)];
      if (values.IsNull(row)) {
        out.emplace_back(std::nullopt);
        continue;
      }
      if (values.type().id() == types::TypeId::kTimestampTz) {
        out.emplace_back(types::FormatTimestampTz(values.Get<int64_t>(row), zone));
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(types::Value value, values.GetValue(row));
      out.emplace_back(value.ToString());
    }
  }
  return Status::OK();
}

std::string JsonValueOfText(const TextValue& value, const types::LogicalType& type) {
  if (!value.has_value()) {
    return "null";
  }
  if (type.id() == types::TypeId::kBoolean) {
    return *value == "t" ? "true" : "false";
  }
  bool is_finite_number = type.IsNumeric() && value->find_first_of("NnIi") == std::string::npos;
  return is_finite_number ? *value : JsonString(*value);
}

}  // namespace floe::sql::engine
