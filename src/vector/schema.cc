#include "vector/schema.h"

namespace floe::vector {

std::optional<int64_t> Schema::IndexOf(std::string_view name) const {
  for (int64_t index = 0; index < num_fields(); ++index) {
    if (field(index).name == name) {
      return index;
    }
  }
  return std::nullopt;
}

Result<Schema> Schema::Project(std::span<const int64_t> indices) const {
  std::vector<Field> fields;
  fields.reserve(indices.size());
  for (int64_t index : indices) {
    if (index < 0 || index >= num_fields()) {
      return Status::InvalidArgument("column {} does not exist in a schema of {} columns", index,
                                     num_fields());
    }
    fields.push_back(field(index));
  }
  return Schema(std::move(fields));
}

std::string Schema::ToString() const {
  std::string text;
  for (const Field& field : fields_) {
    if (!text.empty()) {
      text += ", ";
    }
    text += field.name + " " + field.type.ToString();
    if (!field.is_nullable) {
      text += " NOT NULL";
    }
  }
  return text;
}

}  // namespace floe::vector
