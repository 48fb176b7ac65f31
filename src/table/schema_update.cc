#include "table/schema_update.h"

#include <algorithm>
#include <span>

#include <fmt/core.h>

namespace floe::table {
namespace {

using EditFunction = std::function<Status(std::vector<NestedField>&, size_t)>;

std::vector<std::string_view> SplitPath(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', start)) {
    parts.push_back(name.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(name.substr(start));
  return parts;
}

/// Applies `edit` to the field at `path` below `siblings`, rebuilding the enclosing structs
/// (their types are immutable and shared).
Status EditAt(std::vector<NestedField>& siblings, std::span<const std::string_view> path,
              std::string_view full_name, const EditFunction& edit) {
  auto it = std::find_if(siblings.begin(), siblings.end(),
                         [&](const NestedField& field) { return field.name == path.front(); });
  if (it == siblings.end()) {
    return Status::InvalidArgument("column {} does not exist", full_name);
  }
  auto index = static_cast<size_t>(it - siblings.begin());
  if (path.size() == 1) {
    return edit(siblings, index);
  }
  if (it->type.kind() != TypeKind::kStruct) {
    return Status::InvalidArgument("column {} is not inside a struct", full_name);
  }
  std::vector<NestedField> children = it->type.fields();
  FLOE_RETURN_NOT_OK(EditAt(children, path.subspan(1), full_name, edit));
  siblings[index].type = Type::Struct(std::move(children));
  return Status::OK();
}

/// Returns `type` with every nested field id replaced by a fresh one after `last_id`.
Type AssignFreshIds(const Type& type, int32_t& last_id) {
  switch (type.kind()) {
    case TypeKind::kStruct: {
      std::vector<NestedField> fields = type.fields();
      for (NestedField& field : fields) {
        field.id = ++last_id;
      }
      for (NestedField& field : fields) {
        field.type = AssignFreshIds(field.type, last_id);
      }
      return Type::Struct(std::move(fields));
    }
    case TypeKind::kList: {
      int32_t element_id = ++last_id;
      return Type::List(element_id, AssignFreshIds(type.element().type, last_id),
                        type.element().is_required);
    }
    case TypeKind::kMap: {
      int32_t key_id = ++last_id;
      int32_t value_id = ++last_id;
      Type key = AssignFreshIds(type.key().type, last_id);
      return Type::Map(key_id, std::move(key), value_id, AssignFreshIds(type.value().type, last_id),
                       type.value().is_required);
    }
    default:
      return type;
  }
}

bool ContainsId(const NestedField& field, int32_t id) {
  if (field.id == id) {
    return true;
  }
  const auto& children = field.type.fields();
  return std::any_of(children.begin(), children.end(),
                     [&](const NestedField& child) { return ContainsId(child, id); });
}

// Spec "Schema Evolution": the only valid type promotions.
bool IsAllowedPromotion(const Type& from, const Type& to) {
  if (from == to) {
    return true;
  }
  if (from.kind() == TypeKind::kInt && to.kind() == TypeKind::kLong) {
    return true;
  }
  if (from.kind() == TypeKind::kFloat && to.kind() == TypeKind::kDouble) {
    return true;
  }
  return from.kind() == TypeKind::kDecimal && to.kind() == TypeKind::kDecimal &&
         from.scale() == to.scale() && to.precision() >= from.precision();
}

bool HasName(const std::vector<NestedField>& fields, std::string_view name) {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const NestedField& field) { return field.name == name; });
}

}  // namespace

SchemaUpdate::SchemaUpdate(const Schema& base, int32_t last_column_id, int format_version)
    : fields_(base.fields()),
      identifier_field_ids_(base.identifier_field_ids()),
      last_column_id_(std::max(last_column_id, base.HighestFieldId())),
      format_version_(format_version) {}

SchemaUpdate& SchemaUpdate::Record(Status status) {
  if (error_.ok() && !status.ok()) {
    error_ = std::move(status);
  }
  return *this;
}

Status SchemaUpdate::EditColumn(std::string_view name, const EditFunction& edit) {
  if (!error_.ok()) {
    return Status::OK();
  }
  std::vector<std::string_view> path = SplitPath(name);
  return EditAt(fields_, path, name, edit);
}

SchemaUpdate& SchemaUpdate::AddColumn(std::string_view parent, std::string name, const Type& type,
                                      bool is_required, std::optional<types::Value> default_value,
                                      std::string doc) {
  if (is_required && !default_value.has_value()) {
    return Record(Status::InvalidArgument(
        "cannot add required column {} without a default: existing rows have no value", name));
  }
  // Spec "Default values": initial-default and write-default exist from format version 3.
  if (default_value.has_value() && format_version_ < 3) {
    return Record(Status::InvalidArgument(
        "cannot add column {} with a default to a format version {} table (needs version 3)", name,
        format_version_));
  }
  int32_t next_id = last_column_id_;
  NestedField field{.id = ++next_id,
                    .name = std::move(name),
                    .type = type,
                    .is_required = is_required,
                    .doc = std::move(doc),
                    .initial_default = default_value,
                    .write_default = default_value};
  field.type = AssignFreshIds(type, next_id);
  auto add = [&](std::vector<NestedField>& siblings) -> Status {
    if (HasName(siblings, field.name)) {
      return Status::InvalidArgument("cannot add column {}: the name exists", field.name);
    }
    siblings.push_back(field);
    return Status::OK();
  };
  Status status =
      parent.empty()
          ? add(fields_)
          : EditColumn(parent, [&](std::vector<NestedField>& siblings, size_t index) -> Status {
              if (siblings[index].type.kind() != TypeKind::kStruct) {
                return Status::InvalidArgument("cannot add to {}: not a struct", parent);
              }
              std::vector<NestedField> children = siblings[index].type.fields();
              FLOE_RETURN_NOT_OK(add(children));
              siblings[index].type = Type::Struct(std::move(children));
              return Status::OK();
            });
  if (status.ok() && error_.ok()) {
    last_column_id_ = next_id;
  }
  return Record(std::move(status));
}

SchemaUpdate& SchemaUpdate::DropColumn(std::string_view name) {
  return Record(EditColumn(name, [&](std::vector<NestedField>& siblings, size_t index) -> Status {
    for (int32_t id : identifier_field_ids_) {
      if (ContainsId(siblings[index], id)) {
        return Status::InvalidArgument("cannot drop column {}: it is or holds an identifier field",
                                       name);
      }
    }
    siblings.erase(siblings.begin() + static_cast<std::ptrdiff_t>(index));
    return Status::OK();
  }));
}

SchemaUpdate& SchemaUpdate::RenameColumn(std::string_view name, std::string new_name) {
  return Record(EditColumn(name, [&](std::vector<NestedField>& siblings, size_t index) -> Status {
    if (siblings[index].name != new_name && HasName(siblings, new_name)) {
      return Status::InvalidArgument("cannot rename {} to {}: the name exists", name, new_name);
    }
    siblings[index].name = new_name;
    return Status::OK();
  }));
}

SchemaUpdate& SchemaUpdate::MakeOptional(std::string_view name) {
  return Record(EditColumn(name, [&](std::vector<NestedField>& siblings, size_t index) -> Status {
    if (std::find(identifier_field_ids_.begin(), identifier_field_ids_.end(), siblings[index].id) !=
        identifier_field_ids_.end()) {
      return Status::InvalidArgument("cannot make identifier field {} optional", name);
    }
    siblings[index].is_required = false;
    return Status::OK();
  }));
}

SchemaUpdate& SchemaUpdate::WidenColumn(std::string_view name, const Type& type) {
  return Record(EditColumn(name, [&](std::vector<NestedField>& siblings, size_t index) -> Status {
    const Type& current = siblings[index].type;
    if (!current.IsPrimitive() || !IsAllowedPromotion(current, type)) {
      return Status::InvalidArgument("cannot change column {} from {} to {}", name,
                                     current.ToString(), type.ToString());
    }
    siblings[index].type = type;
    return Status::OK();
  }));
}

Status SchemaUpdate::Move(std::string_view name, std::optional<std::string_view> sibling,
                          bool is_after) {
  return EditColumn(name, [&](std::vector<NestedField>& siblings, size_t index) -> Status {
    NestedField moved = siblings[index];
    siblings.erase(siblings.begin() + static_cast<std::ptrdiff_t>(index));
    size_t target = 0;
    if (sibling.has_value()) {
      std::string_view sibling_name = SplitPath(*sibling).back();
      auto it = std::find_if(siblings.begin(), siblings.end(),
                             [&](const NestedField& field) { return field.name == sibling_name; });
      if (it == siblings.end() || sibling_name == moved.name) {
        return Status::InvalidArgument(
            "cannot move {} next to {}: not another column of its struct", name, *sibling);
      }
      target = static_cast<size_t>(it - siblings.begin()) + (is_after ? 1 : 0);
    }
    siblings.insert(siblings.begin() + static_cast<std::ptrdiff_t>(target), std::move(moved));
    return Status::OK();
  });
}

SchemaUpdate& SchemaUpdate::MoveFirst(std::string_view name) {
  return Record(Move(name, std::nullopt, false));
}

SchemaUpdate& SchemaUpdate::MoveBefore(std::string_view name, std::string_view sibling) {
  return Record(Move(name, sibling, false));
}

SchemaUpdate& SchemaUpdate::MoveAfter(std::string_view name, std::string_view sibling) {
  return Record(Move(name, sibling, true));
}

Result<Schema> SchemaUpdate::Apply(int32_t schema_id) const {
  if (!error_.ok()) {
    return error_;
  }
  return Schema::Make(schema_id, fields_, identifier_field_ids_);
}

}  // namespace floe::table
