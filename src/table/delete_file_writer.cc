#include "table/delete_file_writer.h"

#include <algorithm>
#include <string>
#include <utility>

#include "format/parquet/writer/parquet_writer.h"
#include "io/file_system.h"
#include "table/id_generator.h"
#include "table/value_serialization.h"
#include "vector/vector_builder.h"

namespace floe::table {

using types::LogicalType;
using types::Value;

namespace {

constexpr int32_t kFilePathFieldId = 2147483546;
constexpr int32_t kPositionFieldId = 2147483545;

}  // namespace

struct DeleteFileWriter::State {
  std::shared_ptr<io::FileSystem> file_system;
  FileContent content = FileContent::kPositionDeletes;
  std::vector<Value> partition;
  std::vector<int32_t> equality_ids;
  std::shared_ptr<const vector::Schema> schema;
  std::unique_ptr<format::parquet::ParquetWriter> writer;
  std::string path;
  bool is_closed = false;
  // Position deletes: bounds of the paths and positions written.
  std::optional<std::string> min_path;
  std::optional<std::string> max_path;
  std::optional<int64_t> min_position;
  std::optional<int64_t> max_position;

  static Result<std::unique_ptr<State>> Make(std::shared_ptr<io::FileSystem> file_system,
                                             const TableMetadata& metadata, int32_t spec_id,
                                             std::vector<Value> partition) {
    auto state = std::make_unique<State>();
    state->file_system = std::move(file_system);
    const PartitionSpec* spec = nullptr;
    for (const PartitionSpec& candidate : metadata.partition_specs) {
      spec = candidate.spec_id() == spec_id ? &candidate : spec;
    }
    if (spec == nullptr) {
      return Status::InvalidArgument("table {} has no partition spec {}", metadata.location,
                                     spec_id);
    }
    auto data_path = metadata.properties.find("write.data.path");
    std::string location =
        data_path != metadata.properties.end() ? data_path->second : metadata.location + "/data";
    if (!spec->IsUnpartitioned()) {
      FLOE_ASSIGN_OR_RETURN(std::string partition_path,
                            spec->PartitionPath(*metadata.CurrentSchema(), partition));
      location += "/" + partition_path;
    }
    state->path = location + "/00000-0-" + NewUuid() + "-deletes.parquet";
    state->partition = std::move(partition);
    return state;
  }

  Status Open(std::vector<vector::Field> fields, std::vector<int32_t> ids,
              DataFileWriterOptions options) {
    schema = std::make_shared<const vector::Schema>(std::move(fields));
    options.parquet.field_ids.clear();
    for (int32_t id : ids) {
      options.parquet.field_ids.push_back(format::parquet::FieldIds{id, {}});
    }
    FLOE_ASSIGN_OR_RETURN(
        writer, format::parquet::ParquetWriter::Open(*file_system, path, *schema, options.parquet,
                                                     options.tracker));
    return Status::OK();
  }
};

DeleteFileWriter::DeleteFileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}

DeleteFileWriter::~DeleteFileWriter() {
  if (state_ != nullptr && !state_->is_closed) {
    (void)Abort();
  }
}

Result<std::unique_ptr<DeleteFileWriter>> DeleteFileWriter::OpenPositionDeletes(
    std::shared_ptr<io::FileSystem> file_system, const TableMetadata& metadata, int32_t spec_id,
    std::vector<Value> partition, DataFileWriterOptions options) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<State> state, State::Make(std::move(file_system), metadata,
                                                                  spec_id, std::move(partition)));
  state->content = FileContent::kPositionDeletes;
  FLOE_RETURN_NOT_OK(state->Open(
      {{"file_path", LogicalType::Varchar(), false}, {"pos", LogicalType::BigInt(), false}},
      {kFilePathFieldId, kPositionFieldId}, std::move(options)));
  return std::unique_ptr<DeleteFileWriter>(new DeleteFileWriter(std::move(state)));
}

Result<std::unique_ptr<DeleteFileWriter>> DeleteFileWriter::OpenEqualityDeletes(
    std::shared_ptr<io::FileSystem> file_system, const TableMetadata& metadata, int32_t spec_id,
    std::vector<Value> partition, std::vector<int32_t> equality_ids,
    DataFileWriterOptions options) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<State> state, State::Make(std::move(file_system), metadata,
                                                                  spec_id, std::move(partition)));
  state->content = FileContent::kEqualityDeletes;
  std::vector<vector::Field> fields;
  const Schema& schema = *metadata.CurrentSchema();
  for (int32_t id : equality_ids) {
    auto field = std::find_if(schema.fields().begin(), schema.fields().end(),
                              [id](const NestedField& f) { return f.id == id; });
    if (field == schema.fields().end() || !field->type.IsPrimitive()) {
      return Status::InvalidArgument(
          "equality field id {} is not a top-level primitive column of table {}", id,
          metadata.location);
    }
    FLOE_ASSIGN_OR_RETURN(LogicalType type, ToLogicalType(field->type));
    fields.push_back(vector::Field{field->name, std::move(type), !field->is_required});
  }
  if (fields.empty()) {
    return Status::InvalidArgument("equality deletes need at least one equality field");
  }
  state->equality_ids = equality_ids;
  FLOE_RETURN_NOT_OK(state->Open(std::move(fields), std::move(equality_ids), std::move(options)));
  return std::unique_ptr<DeleteFileWriter>(new DeleteFileWriter(std::move(state)));
}

Status DeleteFileWriter::WritePositions(std::string_view data_file_path,
                                        std::span<const int64_t> positions) {
  State& state = *state_;
  if (state.content != FileContent::kPositionDeletes) {
    return Status::InvalidArgument("WritePositions on an equality delete file {}", state.path);
  }
  if (positions.empty()) {
    return Status::OK();
  }
  vector::VectorBuilder paths(LogicalType::Varchar());
  vector::VectorBuilder numbers(LogicalType::BigInt());
  FLOE_RETURN_NOT_OK(paths.Reserve(static_cast<int64_t>(positions.size())));
  for (size_t i = 0; i < positions.size(); ++i) {
    FLOE_RETURN_NOT_OK(paths.AppendString(data_file_path));
  }
  FLOE_RETURN_NOT_OK(numbers.AppendValues(positions));
  FLOE_ASSIGN_OR_RETURN(vector::Vector path_column, paths.Finish());
  FLOE_ASSIGN_OR_RETURN(vector::Vector position_column, numbers.Finish());
  FLOE_ASSIGN_OR_RETURN(
      vector::Batch batch,
      vector::Batch::Make(state.schema, {std::move(path_column), std::move(position_column)},
                          static_cast<int64_t>(positions.size())));
  FLOE_RETURN_NOT_OK(state.writer->Write(batch));
  const std::string path(data_file_path);
  state.min_path = state.min_path.has_value() ? std::min(*state.min_path, path) : path;
  state.max_path = state.max_path.has_value() ? std::max(*state.max_path, path) : path;
  auto [low, high] = std::minmax_element(positions.begin(), positions.end());
  state.min_position = std::min(state.min_position.value_or(*low), *low);
  state.max_position = std::max(state.max_position.value_or(*high), *high);
  return Status::OK();
}

Status DeleteFileWriter::WriteEqualityRows(const vector::Batch& batch) {
  State& state = *state_;
  if (state.content != FileContent::kEqualityDeletes) {
    return Status::InvalidArgument("WriteEqualityRows on a position delete file {}", state.path);
  }
  return state.writer->Write(batch);
}

Result<DataFile> DeleteFileWriter::Close() {
  State& state = *state_;
  FLOE_RETURN_NOT_OK(state.writer->Close());
  state.is_closed = true;
  DataFile file;
  file.content = state.content;
  file.file_path = state.path;
  file.partition = state.partition;
  file.record_count = state.writer->num_rows();
  file.file_size_in_bytes = state.writer->file_size();
  file.equality_ids = state.equality_ids;
  if (state.content == FileContent::kPositionDeletes && state.min_path.has_value()) {
    const Type long_type = Type::Primitive(TypeKind::kLong);
    file.value_counts = {{kFilePathFieldId, file.record_count},
                         {kPositionFieldId, file.record_count}};
    file.null_value_counts = {{kFilePathFieldId, 0}, {kPositionFieldId, 0}};
    // Full paths, not truncated: scans compare data file paths against them.
    file.lower_bounds = {{kFilePathFieldId, *state.min_path}};
    file.upper_bounds = {{kFilePathFieldId, *state.max_path}};
    FLOE_ASSIGN_OR_RETURN(std::string low,
                          SerializeValue(long_type, Value::BigInt(*state.min_position)));
    FLOE_ASSIGN_OR_RETURN(std::string high,
                          SerializeValue(long_type, Value::BigInt(*state.max_position)));
    file.lower_bounds.emplace_back(kPositionFieldId, std::move(low));
    file.upper_bounds.emplace_back(kPositionFieldId, std::move(high));
    if (*state.min_path == *state.max_path) {
      file.referenced_data_file = *state.min_path;
    }
  }
  return file;
}

Status DeleteFileWriter::Abort() {
  State& state = *state_;
  state.is_closed = true;
  if (state.writer != nullptr) {
    return state.writer->Abort();
  }
  return Status::OK();
}

}  // namespace floe::table
