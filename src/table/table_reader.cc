#include "table/table_reader.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "format/parquet/reader/parquet_reader.h"
#include "io/file_system.h"
#include "table/deletion_vector_reader.h"
#include "table/predicate_evaluator.h"
#include "types/cast.h"
#include "types/uuid.h"
#include "vector/selection_vector.h"
#include "vector/vector_builder.h"

namespace floe::table {

using types::LogicalType;
using types::TypeId;
using types::Value;

namespace {

constexpr int32_t kDeleteFilePathFieldId = 2147483546;
constexpr int32_t kDeletePositionFieldId = 2147483545;

// Field id -> the names a file written without ids may use for it (top-level fields of the
// table property schema.name-mapping.default, spec: "Column Projection").
using NameMapping = std::map<int32_t, std::vector<std::string>>;

Result<NameMapping> ParseNameMapping(const std::string& json_text) {
  nlohmann::json json = nlohmann::json::parse(json_text, nullptr, false);
  if (json.is_discarded() || !json.is_array()) {
    return Status::Corruption("table property schema.name-mapping.default is not a JSON array");
  }
  NameMapping mapping;
  for (const nlohmann::json& entry : json) {
    if (!entry.is_object() || !entry.contains("names") || !entry["names"].is_array()) {
      continue;
    }
    if (!entry.contains("field-id") || !entry["field-id"].is_number_integer()) {
      continue;
    }
    std::vector<std::string>& names = mapping[entry["field-id"].get<int32_t>()];
    for (const nlohmann::json& name : entry["names"]) {
      if (name.is_string()) {
        names.push_back(name.get<std::string>());
      }
    }
  }
  return mapping;
}

// How one file maps the table's fields onto its columns.
struct FileColumns {
  const format::parquet::FileSchema* schema = nullptr;
  bool has_field_ids = false;
  const NameMapping* mapping = nullptr;

  std::optional<int64_t> Find(int32_t field_id, const std::string& name) const {
    if (has_field_ids) {
      return schema->FieldIndexById(field_id);
    }
    if (mapping != nullptr) {
      auto found = mapping->find(field_id);
      if (found == mapping->end()) {
        return std::nullopt;
      }
      for (const std::string& candidate : found->second) {
        if (std::optional<int64_t> index = schema->FieldIndexByName(candidate)) {
          return index;
        }
      }
      return std::nullopt;
    }
    return schema->FieldIndexByName(name);
  }
};

bool HasFieldIds(const format::parquet::FileSchema& schema) {
  return std::any_of(schema.fields().begin(), schema.fields().end(),
                     [](const format::parquet::SchemaNode& node) { return node.field_id; });
}

Result<Value> ConvertValue(const Value& value, const format::parquet::SchemaNode* node,
                           const Type& type, const LogicalType& target);

Result<Value> DefaultValue(const NestedField& field, const LogicalType& target) {
  if (!field.initial_default.has_value() || field.initial_default->is_null()) {
    return Value::Null(target);
  }
  return ConvertValue(*field.initial_default, nullptr, field.type, target);
}

const format::parquet::SchemaNode* FindChild(const format::parquet::SchemaNode& node,
                                             const NestedField& field, size_t& index) {
  const bool has_ids = std::any_of(node.children.begin(), node.children.end(),
                                   [](const auto& child) { return child.field_id.has_value(); });
  for (size_t i = 0; i < node.children.size(); ++i) {
    const auto& child = node.children[i];
    if (has_ids ? child.field_id == field.id : child.name == field.name) {
      index = i;
      return &child;
    }
  }
  return nullptr;
}

// Rebuilds a value of the file's shape into the table's type: struct fields by id (missing ones
// take their default), scalars cast where the type was promoted.
Result<Value> ConvertValue(const Value& value, const format::parquet::SchemaNode* node,
                           const Type& type, const LogicalType& target) {
  if (value.is_null()) {
    return Value::Null(target);
  }
  switch (target.id()) {
    case TypeId::kStruct: {
      std::vector<Value> children;
      for (size_t i = 0; i < type.fields().size(); ++i) {
        const NestedField& field = type.fields()[i];
        const LogicalType& child_type = *target.fields()[i].type;
        size_t index = 0;
        const format::parquet::SchemaNode* child =
            node != nullptr ? FindChild(*node, field, index) : nullptr;
        if (child == nullptr) {
          if (node == nullptr && i < value.children().size()) {
            FLOE_ASSIGN_OR_RETURN(Value converted, ConvertValue(value.children()[i], nullptr,
                                                                field.type, child_type));
            children.push_back(std::move(converted));
            continue;
          }
          FLOE_ASSIGN_OR_RETURN(Value fallback, DefaultValue(field, child_type));
          children.push_back(std::move(fallback));
          continue;
        }
        FLOE_ASSIGN_OR_RETURN(Value converted,
                              ConvertValue(value.children()[index], child, field.type, child_type));
        children.push_back(std::move(converted));
      }
      return Value::Struct(target, std::move(children));
    }
    case TypeId::kList: {
      std::vector<Value> elements;
      const auto* child = node != nullptr && !node->children.empty() ? &node->children[0] : nullptr;
      for (const Value& element : value.children()) {
        FLOE_ASSIGN_OR_RETURN(Value converted, ConvertValue(element, child, type.element().type,
                                                            target.element_type()));
        elements.push_back(std::move(converted));
      }
      return Value::List(target.element_type(), std::move(elements));
    }
    case TypeId::kMap: {
      std::vector<std::pair<Value, Value>> entries;
      const auto* key_node =
          node != nullptr && node->children.size() == 2 ? &node->children[0] : nullptr;
      const auto* value_node =
          node != nullptr && node->children.size() == 2 ? &node->children[1] : nullptr;
      for (size_t i = 0; i < value.map_size(); ++i) {
        FLOE_ASSIGN_OR_RETURN(Value key, ConvertValue(value.map_key(i), key_node, type.key().type,
                                                      target.key_type()));
        FLOE_ASSIGN_OR_RETURN(Value item, ConvertValue(value.map_value(i), value_node,
                                                       type.value().type, target.value_type()));
        entries.emplace_back(std::move(key), std::move(item));
      }
      return Value::Map(target, std::move(entries));
    }
    default:
      if (value.type() == target) {
        return value;
      }
      if (target.id() == TypeId::kUuid && value.type().id() == TypeId::kBytea &&
          value.string_value().size() == 16) {
        types::Uuid uuid;
        std::copy(value.string_value().begin(), value.string_value().end(), uuid.bytes.begin());
        return Value::Uuid(uuid);
      }
      return types::CastValue(value, target);
  }
}

// True when a file column can be used as is: same Floe type and nested fields in the table's
// order of ids.
bool IsSameShape(const format::parquet::SchemaNode& node, const Type& type) {
  if (type.IsPrimitive()) {
    return true;
  }
  if (type.kind() == TypeKind::kStruct) {
    if (node.children.size() != type.fields().size()) {
      return false;
    }
    for (size_t i = 0; i < node.children.size(); ++i) {
      const NestedField& field = type.fields()[i];
      const auto& child = node.children[i];
      if (child.field_id.has_value() ? *child.field_id != field.id : child.name != field.name) {
        return false;
      }
      if (!IsSameShape(child, field.type)) {
        return false;
      }
    }
    return true;
  }
  if (type.kind() == TypeKind::kList) {
    return node.children.size() == 1 && IsSameShape(node.children[0], type.element().type);
  }
  return node.children.size() == 2 && IsSameShape(node.children[0], type.key().type) &&
         IsSameShape(node.children[1], type.value().type);
}

Result<vector::Vector> ConvertColumn(const vector::Vector& column,
                                     const format::parquet::SchemaNode& node,
                                     const NestedField& field, const LogicalType& target,
                                     MemoryTracker* tracker) {
  if (column.type() == target && IsSameShape(node, field.type)) {
    return column;
  }
  vector::VectorBuilder builder(target, tracker);
  FLOE_RETURN_NOT_OK(builder.Reserve(column.length()));
  for (int64_t row = 0; row < column.length(); ++row) {
    FLOE_ASSIGN_OR_RETURN(Value value, column.GetValue(row));
    FLOE_ASSIGN_OR_RETURN(Value converted, ConvertValue(value, &node, field.type, target));
    FLOE_RETURN_NOT_OK(builder.AppendValue(converted));
  }
  return builder.Finish();
}

Result<vector::Vector> ConstantColumn(const Value& value, const LogicalType& type, int64_t rows,
                                      MemoryTracker* tracker) {
  if (value.is_null()) {
    return vector::Vector::MakeConstantNull(type, rows, tracker);
  }
  vector::VectorBuilder builder(type, tracker);
  FLOE_RETURN_NOT_OK(builder.AppendValue(value));
  FLOE_ASSIGN_OR_RETURN(vector::Vector one, builder.Finish());
  return vector::Vector::MakeConstant(one, 0, rows, tracker);
}

// One column the reader produces: the table field and where the file keeps it.
struct ColumnPlan {
  NestedField field;
  LogicalType type;
  std::optional<int64_t> file_index;  // Index among the Parquet reader's output columns.
  const format::parquet::SchemaNode* node = nullptr;
  Value default_value;
};

// A Parquet file opened through a table schema: the columns of `fields`, mapped.
struct MappedFile {
  std::unique_ptr<format::parquet::ParquetReader> reader;
  std::vector<ColumnPlan> columns;
};

// Values of columns a file may lack: identity partition values (spec: "Column Projection").
using ConstantColumns = std::map<int32_t, Value>;

// The conjuncts of `filter` (NOT pushed down) that compare a top-level primitive column the file
// holds with a literal, as Parquet column predicates by the file's column name: row groups and
// pages whose statistics exclude a match are skipped. The reader casts literals exactly or
// prunes nothing.
void CollectColumnPredicates(const Predicate& filter, const Schema& schema,
                             const FileColumns& columns,
                             std::vector<format::parquet::ColumnPredicate>& output) {
  using Op = format::parquet::ColumnPredicate::Op;
  if (filter.kind() == Predicate::Kind::kAnd) {
    for (const Predicate& child : filter.children()) {
      CollectColumnPredicates(child, schema, columns, output);
    }
    return;
  }
  std::optional<Op> op;
  switch (filter.kind()) {
    case Predicate::Kind::kEqual:
      op = Op::kEqual;
      break;
    case Predicate::Kind::kLess:
      op = Op::kLess;
      break;
    case Predicate::Kind::kLessEqual:
      op = Op::kLessEqual;
      break;
    case Predicate::Kind::kGreater:
      op = Op::kGreater;
      break;
    case Predicate::Kind::kGreaterEqual:
      op = Op::kGreaterEqual;
      break;
    case Predicate::Kind::kIsNull:
      op = Op::kIsNull;
      break;
    case Predicate::Kind::kIsNotNull:
      op = Op::kIsNotNull;
      break;
    default:
      return;
  }
  auto field = std::find_if(schema.fields().begin(), schema.fields().end(),
                            [&](const NestedField& f) { return f.id == filter.field_id(); });
  // Floating point statistics leave NaN out, which sorts above every number: not pushed.
  if (field == schema.fields().end() || !field->type.IsPrimitive() ||
      field->type.kind() == TypeKind::kFloat || field->type.kind() == TypeKind::kDouble) {
    return;
  }
  std::optional<int64_t> index = columns.Find(field->id, field->name);
  if (!index.has_value()) {
    return;
  }
  format::parquet::ColumnPredicate predicate;
  predicate.column = columns.schema->fields()[static_cast<size_t>(*index)].name;
  predicate.op = *op;
  if (filter.IsLeaf() && !filter.literals().empty()) {
    predicate.value = filter.literal();
  }
  output.push_back(std::move(predicate));
}

// Names a data file's bytes in the column chunk cache. Iceberg never rewrites a path; the size
// guards against a table recreated over the same folder by a writer that reuses names.
std::string CacheIdentity(const std::string& path, int64_t size) {
  return path + '\x1f' + std::to_string(size);
}

// Opens a data or delete file with the size its manifest records, which spares object storage
// the request that would ask for it (io::OpenRecordedFile).
Result<std::unique_ptr<io::RandomAccessFile>> OpenDataFile(io::FileSystem& file_system,
                                                           const DataFile& file) {
  return io::OpenRecordedFile(file_system, file.file_path, file.file_size_in_bytes);
}

Result<MappedFile> OpenMapped(io::FileSystem& file_system, const DataFile& data_file,
                              const std::vector<NestedField>& fields, const NameMapping* mapping,
                              const TableReadOptions& options,
                              const ConstantColumns* constants = nullptr,
                              const PredicateEvaluator* pushed_filter = nullptr,
                              const Schema* table_schema = nullptr) {
  const std::string& path = data_file.file_path;
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::RandomAccessFile> file,
                        OpenDataFile(file_system, data_file));
  format::parquet::ParquetReadOptions probe_options;
  probe_options.column_indices = {};
  probe_options.footer = options.footer;
  if (options.column_cache != nullptr) {
    probe_options.cache = options.column_cache;
    probe_options.cache_identity = CacheIdentity(path, file->Size());
  }
  FLOE_ASSIGN_OR_RETURN(auto probe, format::parquet::ParquetReader::Open(file, probe_options));
  const format::parquet::FileSchema& file_schema = probe->file_schema();
  FileColumns columns{&file_schema, HasFieldIds(file_schema), mapping};
  MappedFile mapped;
  std::vector<int64_t> indices;
  for (const NestedField& field : fields) {
    ColumnPlan plan;
    plan.field = field;
    FLOE_ASSIGN_OR_RETURN(plan.type, ToLogicalType(field.type));
    if (std::optional<int64_t> index = columns.Find(field.id, field.name)) {
      auto existing = std::find(indices.begin(), indices.end(), *index);
      plan.file_index = existing - indices.begin();
      if (existing == indices.end()) {
        indices.push_back(*index);
      }
    } else if (constants != nullptr && constants->count(field.id) > 0) {
      FLOE_ASSIGN_OR_RETURN(plan.default_value,
                            ConvertValue(constants->at(field.id), nullptr, field.type, plan.type));
    } else {
      FLOE_ASSIGN_OR_RETURN(plan.default_value, DefaultValue(field, plan.type));
    }
    mapped.columns.push_back(std::move(plan));
  }
  format::parquet::ParquetReadOptions read_options;
  read_options.batch_size = options.batch_size;
  read_options.tracker = options.tracker;
  read_options.column_indices = indices;
  read_options.footer = probe->shared_metadata();
  read_options.row_groups = options.row_groups;
  read_options.cache = probe_options.cache;
  read_options.cache_identity = probe_options.cache_identity;
  if (pushed_filter != nullptr && table_schema != nullptr) {
    CollectColumnPredicates(pushed_filter->predicate(), *table_schema, columns,
                            read_options.predicates);
  }
  if (indices.empty()) {
    // Only missing columns: still read one column to learn each batch's row count.
    read_options.column_indices = {0};
  }
  FLOE_ASSIGN_OR_RETURN(mapped.reader, format::parquet::ParquetReader::Open(file, read_options));
  const format::parquet::FileSchema& schema = mapped.reader->file_schema();
  for (ColumnPlan& plan : mapped.columns) {
    if (plan.file_index.has_value()) {
      plan.node = &schema.fields()[static_cast<size_t>(indices[*plan.file_index])];
    }
  }
  return mapped;
}

// Returns the batch's columns mapped to the table's types.
Result<std::vector<vector::Vector>> MapColumns(const MappedFile& file, const vector::Batch& batch,
                                               MemoryTracker* tracker) {
  std::vector<vector::Vector> output;
  for (const ColumnPlan& plan : file.columns) {
    if (plan.file_index.has_value()) {
      FLOE_ASSIGN_OR_RETURN(vector::Vector column,
                            ConvertColumn(batch.column(*plan.file_index), *plan.node, plan.field,
                                          plan.type, tracker));
      output.push_back(std::move(column));
    } else {
      FLOE_ASSIGN_OR_RETURN(vector::Vector column, ConstantColumn(plan.default_value, plan.type,
                                                                  batch.num_rows(), tracker));
      output.push_back(std::move(column));
    }
  }
  return output;
}

struct ValuesHash {
  size_t operator()(const std::vector<Value>& values) const {
    size_t hash = 0;
    for (const Value& value : values) {
      hash = hash * 31 + value.Hash();
    }
    return hash;
  }
};

using KeySet = std::unordered_set<std::vector<Value>, ValuesHash>;

// The rows of equality delete files sharing one list of equality field ids.
struct EqualityDeletes {
  std::vector<int32_t> field_ids;
  std::vector<size_t> columns;  // Positions of those fields among the reader's columns.
  std::vector<std::shared_ptr<const KeySet>> key_sets;  // One per delete file.
};

// The rows of one position delete file, by the data file they name.
using PositionsByFile = std::unordered_map<std::string, std::vector<int64_t>>;

}  // namespace

struct DeleteFileCache::State {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const PositionsByFile>> positions;
  std::map<std::string, std::shared_ptr<const KeySet>> keys;
};

DeleteFileCache::DeleteFileCache() : state_(std::make_unique<State>()) {}
DeleteFileCache::~DeleteFileCache() = default;

namespace {

// Returns the cached value of `key`, or loads it (outside the lock: two readers may both load
// a file the first time, and one result wins).
template <typename T>
Result<std::shared_ptr<const T>> CachedOrLoad(
    DeleteFileCache::State* cache,
    std::map<std::string, std::shared_ptr<const T>> DeleteFileCache::State::*member,
    const std::string& key, const std::function<Result<std::shared_ptr<const T>>()>& load) {
  if (cache != nullptr) {
    std::lock_guard<std::mutex> lock(cache->mutex);
    auto& map = cache->*member;
    if (auto found = map.find(key); found != map.end()) {
      return found->second;
    }
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const T> loaded, load());
  if (cache != nullptr) {
    std::lock_guard<std::mutex> lock(cache->mutex);
    (cache->*member).emplace(key, loaded);
  }
  return loaded;
}

}  // namespace

Result<vector::Schema> ProjectSchema(const Schema& schema, const std::vector<int32_t>& projection) {
  std::vector<vector::Field> fields;
  for (int32_t id : projection) {
    auto found = std::find_if(schema.fields().begin(), schema.fields().end(),
                              [id](const NestedField& field) { return field.id == id; });
    if (found == schema.fields().end()) {
      return Status::InvalidArgument("field id {} is not a top-level column", id);
    }
    FLOE_ASSIGN_OR_RETURN(LogicalType type, ToLogicalType(found->type));
    fields.push_back(vector::Field{found->name, std::move(type), !found->is_required});
  }
  return vector::Schema(std::move(fields));
}

struct TableReader::State {
  Table table;
  Schema schema;
  FileScanTask task;
  TableReadOptions options;
  std::shared_ptr<const vector::Schema> output_schema;
  size_t output_columns = 0;
  std::vector<NestedField> fields;  // Projection, then the extra fields deletes and residual use.
  std::optional<NameMapping> mapping;
  MappedFile file;
  std::vector<int64_t> deleted_positions;  // Sorted.
  std::vector<EqualityDeletes> equality_deletes;
  std::optional<PredicateEvaluator> residual;
  int64_t position = 0;
  size_t next_deleted = 0;

  const NameMapping* Mapping() const { return mapping.has_value() ? &*mapping : nullptr; }

  // The options of delete files: whole files, whose footers are their own.
  TableReadOptions DeleteFileOptions() const {
    TableReadOptions whole = options;
    whole.row_groups.clear();
    whole.footer = nullptr;
    whole.column_cache = nullptr;
    return whole;
  }

  Status AddField(int32_t id, size_t& index) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].id == id) {
        index = i;
        return Status::OK();
      }
    }
    auto found = std::find_if(schema.fields().begin(), schema.fields().end(),
                              [id](const NestedField& field) { return field.id == id; });
    if (found == schema.fields().end()) {
      return Status::NotSupported(
          "equality deletes or filters on field id {}, which is not a top-level column of the "
          "table schema",
          id);
    }
    index = fields.size();
    fields.push_back(*found);
    return Status::OK();
  }

  Result<std::shared_ptr<const PositionsByFile>> ReadPositionDeletes(const DataFile& deletes) {
    NestedField path_field{kDeleteFilePathFieldId, "file_path", Type::Primitive(TypeKind::kString),
                           true};
    NestedField pos_field{kDeletePositionFieldId, "pos", Type::Primitive(TypeKind::kLong), true};
    FLOE_ASSIGN_OR_RETURN(MappedFile mapped,
                          OpenMapped(*table.file_system, deletes, {path_field, pos_field}, nullptr,
                                     DeleteFileOptions()));
    if (!mapped.columns[0].file_index.has_value() || !mapped.columns[1].file_index.has_value()) {
      return Status::Corruption("position delete file {} lacks file_path or pos",
                                deletes.file_path);
    }
    auto positions = std::make_shared<PositionsByFile>();
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, mapped.reader->Next());
      if (!batch.has_value()) {
        break;
      }
      FLOE_ASSIGN_OR_RETURN(std::vector<vector::Vector> columns,
                            MapColumns(mapped, *batch, options.tracker));
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        if (columns[0].IsNull(row) || columns[1].IsNull(row)) {
          continue;
        }
        (*positions)[std::string(columns[0].GetString(row))].push_back(
            columns[1].Get<int64_t>(row));
      }
    }
    return std::shared_ptr<const PositionsByFile>(std::move(positions));
  }

  // A deletion vector's positions, under the data file it references.
  Result<std::shared_ptr<const PositionsByFile>> ReadDeletionVectorPositions(
      const DataFile& deletes) {
    const int64_t max_positions = task.data_file.record_count > 0
                                      ? task.data_file.record_count
                                      : std::numeric_limits<int64_t>::max();
    FLOE_ASSIGN_OR_RETURN(std::vector<int64_t> deleted,
                          ReadDeletionVector(*table.file_system, deletes, max_positions));
    auto positions = std::make_shared<PositionsByFile>();
    (*positions)[deletes.referenced_data_file.value_or("")] = std::move(deleted);
    return std::shared_ptr<const PositionsByFile>(std::move(positions));
  }

  Status LoadPositionDeletes(const DataFile& deletes) {
    DeleteFileCache::State* cache =
        options.delete_cache != nullptr ? options.delete_cache->state() : nullptr;
    // One Puffin file holds the vectors of many data files: each is cached by its offset.
    const bool is_vector = IsDeletionVector(deletes);
    const std::string key =
        is_vector ? deletes.file_path + '\x1f' + std::to_string(deletes.content_offset.value_or(-1))
                  : deletes.file_path;
    FLOE_ASSIGN_OR_RETURN(
        std::shared_ptr<const PositionsByFile> positions,
        CachedOrLoad<PositionsByFile>(cache, &DeleteFileCache::State::positions, key, [&] {
          return is_vector ? ReadDeletionVectorPositions(deletes) : ReadPositionDeletes(deletes);
        }));
    auto found = positions->find(task.data_file.file_path);
    if (found != positions->end()) {
      deleted_positions.insert(deleted_positions.end(), found->second.begin(), found->second.end());
    }
    return Status::OK();
  }

  Result<std::shared_ptr<const KeySet>> ReadEqualityDeletes(
      const DataFile& deletes, const std::vector<NestedField>& key_fields) {
    FLOE_ASSIGN_OR_RETURN(MappedFile mapped, OpenMapped(*table.file_system, deletes, key_fields,
                                                        Mapping(), DeleteFileOptions()));
    auto keys = std::make_shared<KeySet>();
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, mapped.reader->Next());
      if (!batch.has_value()) {
        break;
      }
      FLOE_ASSIGN_OR_RETURN(std::vector<vector::Vector> columns,
                            MapColumns(mapped, *batch, options.tracker));
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        std::vector<Value> key;
        for (const vector::Vector& column : columns) {
          FLOE_ASSIGN_OR_RETURN(Value value, column.GetValue(row));
          key.push_back(std::move(value));
        }
        keys->insert(std::move(key));
      }
    }
    return std::shared_ptr<const KeySet>(std::move(keys));
  }

  Status LoadEqualityDeletes(const DataFile& deletes) {
    if (deletes.equality_ids.empty()) {
      return Status::Corruption("equality delete file {} has no equality field ids",
                                deletes.file_path);
    }
    EqualityDeletes* group = nullptr;
    for (EqualityDeletes& existing : equality_deletes) {
      group = existing.field_ids == deletes.equality_ids ? &existing : group;
    }
    if (group == nullptr) {
      equality_deletes.push_back(EqualityDeletes{deletes.equality_ids, {}, {}});
      group = &equality_deletes.back();
      for (int32_t id : deletes.equality_ids) {
        size_t index = 0;
        FLOE_RETURN_NOT_OK(AddField(id, index));
        group->columns.push_back(index);
      }
    }
    std::vector<NestedField> key_fields;
    for (size_t column : group->columns) {
      key_fields.push_back(fields[column]);
    }
    DeleteFileCache::State* cache =
        options.delete_cache != nullptr ? options.delete_cache->state() : nullptr;
    // Keys are typed by the reading schema: one cache entry per file and schema.
    const std::string key = deletes.file_path + '\x1f' + std::to_string(schema.schema_id());
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const KeySet> keys,
                          CachedOrLoad<KeySet>(cache, &DeleteFileCache::State::keys, key, [&] {
                            return ReadEqualityDeletes(deletes, key_fields);
                          }));
    group->key_sets.push_back(std::move(keys));
    return Status::OK();
  }

  bool IsDeleted(int64_t position_in_file, const std::vector<vector::Vector>& columns, int64_t row,
                 Status& status) {
    while (next_deleted < deleted_positions.size() &&
           deleted_positions[next_deleted] < position_in_file) {
      ++next_deleted;
    }
    if (next_deleted < deleted_positions.size() &&
        deleted_positions[next_deleted] == position_in_file) {
      return true;
    }
    for (const EqualityDeletes& group : equality_deletes) {
      std::vector<Value> key;
      for (size_t column : group.columns) {
        Result<Value> value = columns[column].GetValue(row);
        if (!value.ok()) {
          status = value.status();
          return false;
        }
        key.push_back(std::move(*value));
      }
      for (const std::shared_ptr<const KeySet>& keys : group.key_sets) {
        if (keys->count(key) > 0) {
          return true;
        }
      }
    }
    return false;
  }

  bool FailsResidual(const std::vector<vector::Vector>& columns, int64_t row) const {
    if (!residual.has_value()) {
      return false;
    }
    std::optional<bool> keep = residual->EvaluateRow([&](int32_t id) {
      for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].id == id) {
          Result<Value> value = columns[i].GetValue(row);
          return value.ok() ? std::move(*value) : Value();
        }
      }
      return Value();
    });
    return keep != true;
  }
};

TableReader::TableReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
TableReader::~TableReader() = default;

const std::shared_ptr<const vector::Schema>& TableReader::schema() const {
  return state_->output_schema;
}

Result<std::unique_ptr<TableReader>> TableReader::Open(const TableScan& scan,
                                                       const FileScanTask& task,
                                                       TableReadOptions options) {
  return Open(scan.table(), scan.schema(), scan.projection(), task, options);
}

Result<std::unique_ptr<TableReader>> TableReader::Open(const Table& table, const Schema& schema,
                                                       std::vector<int32_t> projection,
                                                       const FileScanTask& task,
                                                       TableReadOptions options) {
  std::string format = task.data_file.file_format;
  std::transform(format.begin(), format.end(), format.begin(), ::toupper);
  if (format != "PARQUET") {
    return Status::NotSupported("reading {} data files ({})", task.data_file.file_format,
                                task.data_file.file_path);
  }
  auto state = std::make_unique<State>();
  state->table = table;
  state->schema = schema;
  state->task = task;
  state->options = options;
  FLOE_ASSIGN_OR_RETURN(vector::Schema output, ProjectSchema(schema, projection));
  if (options.with_row_position) {
    std::vector<vector::Field> fields = output.fields();
    fields.push_back(vector::Field{"_pos", LogicalType::BigInt(), false});
    output = vector::Schema(std::move(fields));
  }
  state->output_schema = std::make_shared<const vector::Schema>(std::move(output));
  for (int32_t id : projection) {
    size_t index = 0;
    FLOE_RETURN_NOT_OK(state->AddField(id, index));
  }
  state->output_columns = projection.size();
  auto property = table.metadata->properties.find("schema.name-mapping.default");
  if (property != table.metadata->properties.end()) {
    FLOE_ASSIGN_OR_RETURN(state->mapping, ParseNameMapping(property->second));
  }
  for (const DeleteFile& deletes : task.delete_files) {
    if (deletes.file.content == FileContent::kPositionDeletes) {
      FLOE_RETURN_NOT_OK(state->LoadPositionDeletes(deletes.file));
    } else {
      FLOE_RETURN_NOT_OK(state->LoadEqualityDeletes(deletes.file));
    }
  }
  std::sort(state->deleted_positions.begin(), state->deleted_positions.end());
  if (options.apply_residual && task.residual.kind() != Predicate::Kind::kTrue) {
    std::vector<int32_t> ids;
    task.residual.CollectFieldIds(ids);
    for (int32_t id : ids) {
      size_t index = 0;
      FLOE_RETURN_NOT_OK(state->AddField(id, index));
    }
    state->residual.emplace(schema, task.residual);
  }
  ConstantColumns constants;
  for (const PartitionSpec& spec : table.metadata->partition_specs) {
    if (spec.spec_id() != task.spec_id) {
      continue;
    }
    for (size_t i = 0; i < spec.fields().size() && i < task.data_file.partition.size(); ++i) {
      const PartitionField& field = spec.fields()[i];
      if (field.transform.kind() == TransformKind::kIdentity && field.source_ids.size() == 1) {
        constants[field.source_id()] = task.data_file.partition[i];
      }
    }
  }
  // Row groups the residual excludes are skipped, unless position deletes need every row's
  // position in the file.
  std::optional<PredicateEvaluator> pushed;
  if (state->deleted_positions.empty() && !options.with_row_position &&
      task.residual.kind() != Predicate::Kind::kTrue) {
    pushed.emplace(schema, task.residual);
  }
  FLOE_ASSIGN_OR_RETURN(state->file, OpenMapped(*table.file_system, task.data_file, state->fields,
                                                state->Mapping(), options, &constants,
                                                pushed.has_value() ? &*pushed : nullptr, &schema));
  // A split starts at its first row group's first row: where its positions count from.
  const auto& row_groups = state->file.reader->metadata().row_groups;
  for (size_t i = 1; i < options.row_groups.size(); ++i) {
    if (options.row_groups[i] != options.row_groups[i - 1] + 1) {
      return Status::InvalidArgument("row groups of a split of {} must be contiguous",
                                     task.data_file.file_path);
    }
  }
  if (!options.row_groups.empty()) {
    for (int i = 0; i < options.row_groups.front(); ++i) {
      state->position += row_groups[static_cast<size_t>(i)].num_rows;
    }
  }
  return std::unique_ptr<TableReader>(new TableReader(std::move(state)));
}

Result<std::shared_ptr<const format::parquet::FileMetaData>> DataFileFooter(
    const Table& table, const FileScanTask& task, format::parquet::ColumnChunkCache* cache) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::RandomAccessFile> file,
                        OpenDataFile(*table.file_system, task.data_file));
  format::parquet::ParquetReadOptions options;
  options.column_indices = {};
  if (cache != nullptr) {
    options.cache = cache;
    options.cache_identity = CacheIdentity(task.data_file.file_path, file->Size());
  }
  FLOE_ASSIGN_OR_RETURN(auto reader, format::parquet::ParquetReader::Open(file, options));
  return reader->shared_metadata();
}

Result<std::optional<vector::Batch>> TableReader::Next() {
  State& state = *state_;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, state.file.reader->Next());
    if (!batch.has_value()) {
      return std::nullopt;
    }
    const int64_t rows = batch->num_rows();
    const int64_t first_position = state.position;
    state.position += rows;
    if (rows == 0) {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(std::vector<vector::Vector> columns,
                          MapColumns(state.file, *batch, state.options.tracker));
    std::vector<uint32_t> kept;
    const bool may_drop = !state.deleted_positions.empty() || !state.equality_deletes.empty() ||
                          state.residual.has_value();
    if (may_drop) {
      Status status;
      for (int64_t row = 0; row < rows; ++row) {
        if (state.IsDeleted(first_position + row, columns, row, status) ||
            state.FailsResidual(columns, row)) {
          continue;
        }
        kept.push_back(static_cast<uint32_t>(row));
      }
      FLOE_RETURN_NOT_OK(status);
    }
    columns.resize(state.output_columns);
    if (state.options.with_row_position) {
      vector::VectorBuilder positions(LogicalType::BigInt(), state.options.tracker);
      FLOE_ASSIGN_OR_RETURN(int64_t * values, positions.AppendUninitialized<int64_t>(rows));
      for (int64_t row = 0; row < rows; ++row) {
        values[row] = first_position + row;
      }
      FLOE_ASSIGN_OR_RETURN(vector::Vector position_column, positions.Finish());
      columns.push_back(std::move(position_column));
    }
    FLOE_ASSIGN_OR_RETURN(vector::Batch result,
                          vector::Batch::Make(state.output_schema, std::move(columns), rows));
    if (!may_drop || static_cast<int64_t>(kept.size()) == rows) {
      return result;
    }
    if (kept.empty()) {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(
        vector::Batch gathered,
        result.Gather(vector::SelectionVector(std::move(kept)), state.options.tracker));
    return gathered;
  }
}

Result<std::vector<vector::Batch>> ReadAll(const TableScan& scan, TableReadOptions options) {
  FLOE_ASSIGN_OR_RETURN(std::vector<FileScanTask> tasks, scan.PlanFiles());
  DeleteFileCache cache;
  if (options.delete_cache == nullptr) {
    options.delete_cache = &cache;
  }
  std::vector<vector::Batch> batches;
  for (const FileScanTask& task : tasks) {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<TableReader> reader,
                          TableReader::Open(scan, task, options));
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
      if (!batch.has_value()) {
        break;
      }
      batches.push_back(std::move(*batch));
    }
  }
  return batches;
}

}  // namespace floe::table
