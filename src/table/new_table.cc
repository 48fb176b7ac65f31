#include "table/new_table.h"

#include <utility>

#include "table/id_generator.h"

namespace floe::table {

namespace {

// Gives fresh ids in Iceberg's order: the fields of a struct first, then what they nest.
class IdAssigner {
 public:
  int32_t last_id() const { return next_id_ - 1; }
  const std::map<int32_t, int32_t>& mapping() const { return mapping_; }

  std::vector<NestedField> AssignFields(const std::vector<NestedField>& fields) {
    std::vector<NestedField> result = fields;
    for (NestedField& field : result) {
      mapping_[field.id] = next_id_;
      field.id = next_id_++;
    }
    for (NestedField& field : result) {
      field.type = AssignNested(field.type);
    }
    return result;
  }

 private:
  Type AssignNested(const Type& type) {
    switch (type.kind()) {
      case TypeKind::kStruct:
        return Type::Struct(AssignFields(type.fields()));
      case TypeKind::kList: {
        const int32_t element_id = Take(type.element().id);
        return Type::List(element_id, AssignNested(type.element().type),
                          type.element().is_required);
      }
      case TypeKind::kMap: {
        const int32_t key_id = Take(type.key().id);
        const int32_t value_id = Take(type.value().id);
        return Type::Map(key_id, AssignNested(type.key().type), value_id,
                         AssignNested(type.value().type), type.value().is_required);
      }
      default:
        return type;
    }
  }

  int32_t Take(int32_t old_id) {
    mapping_[old_id] = next_id_;
    return next_id_++;
  }

  int32_t next_id_ = 1;
  std::map<int32_t, int32_t> mapping_;
};

Result<int32_t> MapId(const std::map<int32_t, int32_t>& mapping, int32_t id, const char* what) {
  auto found = mapping.find(id);
  if (found == mapping.end()) {
    return Status::InvalidArgument("{} refers to field id {}, which the schema lacks", what, id);
  }
  return found->second;
}

}  // namespace

Result<TableMetadata> MakeNewTableMetadata(const NewTableOptions& options) {
  if (options.format_version < 1 || options.format_version > 2) {
    return Status::InvalidArgument("cannot create tables of format version {} (1 or 2)",
                                   options.format_version);
  }
  IdAssigner assigner;
  std::vector<NestedField> fields = assigner.AssignFields(options.schema.fields());
  std::vector<int32_t> identifiers;
  for (int32_t id : options.schema.identifier_field_ids()) {
    FLOE_ASSIGN_OR_RETURN(int32_t mapped, MapId(assigner.mapping(), id, "an identifier field"));
    identifiers.push_back(mapped);
  }
  FLOE_ASSIGN_OR_RETURN(Schema schema, Schema::Make(0, std::move(fields), identifiers));

  std::vector<PartitionField> partition_fields;
  int32_t partition_id = kFirstPartitionFieldId;
  for (PartitionField field : options.spec.fields()) {
    for (int32_t& source : field.source_ids) {
      FLOE_ASSIGN_OR_RETURN(source, MapId(assigner.mapping(), source, "a partition field"));
    }
    field.field_id = partition_id++;
    partition_fields.push_back(std::move(field));
  }
  PartitionSpec spec(0, std::move(partition_fields));
  FLOE_RETURN_NOT_OK(spec.Validate(schema));

  SortOrder order = options.sort_order;
  order.order_id = order.IsUnsorted() ? 0 : 1;
  for (SortField& field : order.fields) {
    for (int32_t& source : field.source_ids) {
      FLOE_ASSIGN_OR_RETURN(source, MapId(assigner.mapping(), source, "a sort field"));
    }
  }
  FLOE_RETURN_NOT_OK(order.Validate(schema));

  TableMetadata metadata;
  metadata.format_version = options.format_version;
  metadata.table_uuid = NewUuid();
  metadata.location = options.location;
  while (metadata.location.size() > 1 && metadata.location.back() == '/') {
    metadata.location.pop_back();
  }
  metadata.last_sequence_number = 0;
  metadata.last_updated_ms = NowMillis();
  metadata.last_column_id = assigner.last_id();
  metadata.schemas = {schema};
  metadata.current_schema_id = 0;
  metadata.last_partition_id = spec.HighestFieldId();
  metadata.partition_specs = {std::move(spec)};
  metadata.default_spec_id = 0;
  metadata.properties = options.properties;
  metadata.sort_orders = {SortOrder::Unsorted()};
  if (!order.IsUnsorted()) {
    metadata.sort_orders.push_back(order);
  }
  metadata.default_sort_order_id = order.order_id;
  FLOE_RETURN_NOT_OK(metadata.Validate());
  return metadata;
}

}  // namespace floe::table
