#include "table/data_file_writer.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "format/parquet/reader/column_predicate.h"
#include "format/parquet/writer/parquet_writer.h"
#include "io/file_system.h"
#include "table/id_generator.h"
#include "table/value_serialization.h"
#include "vector/selection_vector.h"

namespace floe::table {

using types::TypeId;
using types::Value;

namespace {

constexpr int64_t kDefaultTargetFileSize = int64_t{512} << 20;
constexpr size_t kBoundLength = 16;

format::parquet::FieldIds FieldIdsOf(const NestedField& field) {
  format::parquet::FieldIds ids;
  ids.id = field.id;
  switch (field.type.kind()) {
    case TypeKind::kStruct:
      for (const NestedField& child : field.type.fields()) {
        ids.children.push_back(FieldIdsOf(child));
      }
      break;
    case TypeKind::kList:
      ids.children.push_back(FieldIdsOf(field.type.element()));
      break;
    case TypeKind::kMap:
      ids.children.push_back(FieldIdsOf(field.type.key()));
      ids.children.push_back(FieldIdsOf(field.type.value()));
      break;
    default:
      break;
  }
  return ids;
}

int64_t PropertyOr(const TableMetadata& metadata, const std::string& key, int64_t fallback) {
  auto found = metadata.properties.find(key);
  if (found == metadata.properties.end()) {
    return fallback;
  }
  char* end = nullptr;
  long long value = std::strtoll(found->second.c_str(), &end, 10);
  return end != found->second.c_str() && *end == '\0' && value > 0 ? value : fallback;
}

std::string FiveDigits(int64_t value) {
  std::string text = std::to_string(value);
  return text.size() >= 5 ? text : std::string(5 - text.size(), '0') + text;
}

// Per column statistics merged over row groups, by field id.
struct ColumnStatisticsSum {
  int64_t size = 0;
  int64_t values = 0;
  int64_t nulls = 0;
  bool has_nulls = true;
  std::optional<Value> min;
  std::optional<Value> max;
  bool has_bounds = true;
};

// One open data file of one partition.
struct OpenFile {
  std::unique_ptr<format::parquet::ParquetWriter> writer;
  std::vector<Value> partition;
  std::map<int32_t, int64_t> nan_counts;
};

}  // namespace

std::optional<std::string> TruncateBound(std::string_view bytes, bool is_string, bool is_upper,
                                         size_t length) {
  size_t cut = 0;
  if (is_string) {
    size_t points = 0;
    while (cut < bytes.size() && points < length) {
      ++cut;
      while (cut < bytes.size() && (static_cast<uint8_t>(bytes[cut]) & 0xc0) == 0x80) {
        ++cut;
      }
      ++points;
    }
  } else {
    cut = std::min(length, bytes.size());
  }
  if (cut == bytes.size()) {
    return std::string(bytes);
  }
  std::string prefix(bytes.substr(0, cut));
  if (!is_upper) {
    return prefix;
  }
  if (!is_string) {
    while (!prefix.empty()) {
      if (static_cast<uint8_t>(prefix.back()) != 0xff) {
        prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
        return prefix;
      }
      prefix.pop_back();
    }
    return std::nullopt;
  }
  // Strings: increment the last code point that can be (skipping surrogates), dropping those
  // after it.
  while (!prefix.empty()) {
    size_t start = prefix.size() - 1;
    while (start > 0 && (static_cast<uint8_t>(prefix[start]) & 0xc0) == 0x80) {
      --start;
    }
    std::string_view last(prefix.data() + start, prefix.size() - start);
    uint32_t code = 0;
    const uint8_t lead = static_cast<uint8_t>(last[0]);
    if (last.size() == 1) {
      code = lead;
    } else if (last.size() == 2) {
      code = lead & 0x1f;
    } else if (last.size() == 3) {
      code = lead & 0x0f;
    } else {
      code = lead & 0x07;
    }
    for (size_t i = 1; i < last.size(); ++i) {
      code = (code << 6) | (static_cast<uint8_t>(last[i]) & 0x3f);
    }
    uint32_t next = code + 1;
    if (next >= 0xd800 && next <= 0xdfff) {
      next = 0xe000;
    }
    prefix.resize(start);
    if (next > 0x10ffff) {
      continue;
    }
    if (next < 0x80) {
      prefix += static_cast<char>(next);
    } else if (next < 0x800) {
      prefix += static_cast<char>(0xc0 | (next >> 6));
      prefix += static_cast<char>(0x80 | (next & 0x3f));
    } else if (next < 0x10000) {
      prefix += static_cast<char>(0xe0 | (next >> 12));
      prefix += static_cast<char>(0x80 | ((next >> 6) & 0x3f));
      prefix += static_cast<char>(0x80 | (next & 0x3f));
    } else {
      prefix += static_cast<char>(0xf0 | (next >> 18));
      prefix += static_cast<char>(0x80 | ((next >> 12) & 0x3f));
      prefix += static_cast<char>(0x80 | ((next >> 6) & 0x3f));
      prefix += static_cast<char>(0x80 | (next & 0x3f));
    }
    return prefix;
  }
  return std::nullopt;
}

struct DataFileWriter::State {
  std::shared_ptr<io::FileSystem> file_system;
  TableMetadata metadata;
  Schema schema;
  PartitionSpec spec;
  DataFileWriterOptions options;
  vector::Schema batch_schema;
  std::string data_location;
  std::string write_uuid;
  int64_t target_size = kDefaultTargetFileSize;
  int64_t file_counter = 0;
  std::vector<size_t> source_columns;  // Per partition field, the top-level source column.
  std::unordered_map<std::string, OpenFile> open_files;
  std::vector<DataFile> finished;
  std::vector<std::string> paths;  // Every file started, for Abort.

  Result<std::string> NewPath(const std::vector<Value>& partition) {
    std::string path = data_location + "/";
    if (!spec.IsUnpartitioned()) {
      FLOE_ASSIGN_OR_RETURN(std::string partition_path, spec.PartitionPath(schema, partition));
      path += partition_path + "/";
    }
    path += "00000-0-" + write_uuid + "-" + FiveDigits(++file_counter) + ".parquet";
    return path;
  }

  Status OpenFor(OpenFile& file) {
    FLOE_ASSIGN_OR_RETURN(std::string path, NewPath(file.partition));
    paths.push_back(path);
    FLOE_ASSIGN_OR_RETURN(file.writer,
                          format::parquet::ParquetWriter::Open(*file_system, path, batch_schema,
                                                               options.parquet, options.tracker));
    file.nan_counts.clear();
    return Status::OK();
  }

  static int64_t WrittenBytes(const format::parquet::ParquetWriter& writer) {
    int64_t bytes = 0;
    for (const format::parquet::RowGroup& group : writer.metadata().row_groups) {
      bytes += group.total_compressed_size.value_or(group.total_byte_size);
    }
    return bytes;
  }

  Status Finish(OpenFile& file) {
    FLOE_RETURN_NOT_OK(file.writer->Close());
    FLOE_ASSIGN_OR_RETURN(DataFile data_file, Describe(file));
    finished.push_back(std::move(data_file));
    file.writer.reset();
    return Status::OK();
  }

  Result<DataFile> Describe(const OpenFile& file) const {
    const format::parquet::ParquetWriter& writer = *file.writer;
    const format::parquet::FileMetaData& footer = writer.metadata();
    DataFile data_file;
    data_file.content = FileContent::kData;
    data_file.file_path = writer.path();
    data_file.file_format = "PARQUET";
    data_file.partition = file.partition;
    data_file.record_count = footer.num_rows;
    data_file.file_size_in_bytes = writer.file_size();
    std::map<int32_t, ColumnStatisticsSum> sums;
    const auto& columns = writer.columns();
    for (const format::parquet::RowGroup& group : footer.row_groups) {
      if (!group.columns.empty() && group.columns.front().meta_data.has_value()) {
        const auto& first = *group.columns.front().meta_data;
        data_file.split_offsets.push_back(group.file_offset.value_or(
            first.dictionary_page_offset.value_or(first.data_page_offset)));
      }
      for (size_t i = 0; i < group.columns.size() && i < columns.size(); ++i) {
        const format::parquet::ColumnDescriptor& column = columns[i];
        if (!column.field_id.has_value() || !group.columns[i].meta_data.has_value()) {
          continue;
        }
        const format::parquet::ColumnMetaData& chunk = *group.columns[i].meta_data;
        ColumnStatisticsSum& sum = sums[*column.field_id];
        sum.size += chunk.total_compressed_size;
        sum.values += chunk.num_values;
        format::parquet::ColumnStatistics statistics =
            format::parquet::ChunkStatistics(column, chunk, group.num_rows);
        if (statistics.null_count.has_value()) {
          sum.nulls += *statistics.null_count;
        } else {
          sum.has_nulls = false;
        }
        if (column.max_repetition_level > 0) {
          sum.has_bounds = false;
          continue;
        }
        if (statistics.min.has_value() &&
            (!sum.min.has_value() || statistics.min->Compare(*sum.min) < 0)) {
          sum.min = statistics.min;
        }
        if (statistics.max.has_value() &&
            (!sum.max.has_value() || statistics.max->Compare(*sum.max) > 0)) {
          sum.max = statistics.max;
        }
      }
    }
    for (const auto& entry : sums) {
      const int32_t id = entry.first;
      const ColumnStatisticsSum& sum = entry.second;
      data_file.column_sizes.emplace_back(id, sum.size);
      data_file.value_counts.emplace_back(id, sum.values);
      if (sum.has_nulls) {
        data_file.null_value_counts.emplace_back(id, sum.nulls);
      }
      if (auto nan = file.nan_counts.find(id); nan != file.nan_counts.end()) {
        data_file.nan_value_counts.emplace_back(id, nan->second);
      }
      const NestedField* field = schema.FindField(id);
      if (!sum.has_bounds || field == nullptr || !field->type.IsPrimitive()) {
        continue;
      }
      const bool is_string = field->type.kind() == TypeKind::kString;
      const bool is_binary = field->type.kind() == TypeKind::kBinary;
      auto bound = [&](const std::optional<Value>& value, bool is_upper,
                       ColumnBounds& bounds) -> Status {
        if (!value.has_value()) {
          return Status::OK();
        }
        Result<std::string> bytes = SerializeValue(field->type, *value);
        if (!bytes.ok()) {
          return Status::OK();  // Types without a bound encoding keep none.
        }
        std::optional<std::string> kept = *bytes;
        if (is_string || is_binary) {
          kept = TruncateBound(*bytes, is_string, is_upper, kBoundLength);
        }
        if (kept.has_value()) {
          bounds.emplace_back(id, std::move(*kept));
        }
        return Status::OK();
      };
      FLOE_RETURN_NOT_OK(bound(sum.min, false, data_file.lower_bounds));
      FLOE_RETURN_NOT_OK(bound(sum.max, true, data_file.upper_bounds));
    }
    return data_file;
  }

  void CountNans(OpenFile& file, const vector::Batch& batch) const {
    for (size_t i = 0; i < schema.fields().size(); ++i) {
      const NestedField& field = schema.fields()[i];
      const TypeKind kind = field.type.kind();
      if (kind != TypeKind::kFloat && kind != TypeKind::kDouble) {
        continue;
      }
      const vector::Vector& column = batch.column(static_cast<int64_t>(i));
      int64_t nans = 0;
      for (int64_t row = 0; row < column.length(); ++row) {
        if (column.IsNull(row)) {
          continue;
        }
        const bool is_nan = kind == TypeKind::kFloat ? std::isnan(column.Get<float>(row))
                                                     : std::isnan(column.Get<double>(row));
        nans += is_nan ? 1 : 0;
      }
      file.nan_counts[field.id] += nans;
    }
  }

  Status WriteGroup(const std::string& key, std::vector<Value> partition,
                    const vector::Batch& rows) {
    OpenFile& file = open_files[key];
    if (file.writer == nullptr) {
      file.partition = std::move(partition);
      FLOE_RETURN_NOT_OK(OpenFor(file));
    }
    CountNans(file, rows);
    FLOE_RETURN_NOT_OK(file.writer->Write(rows));
    if (WrittenBytes(*file.writer) >= target_size) {
      FLOE_RETURN_NOT_OK(Finish(file));
      open_files.erase(key);
    }
    return Status::OK();
  }
};

DataFileWriter::DataFileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}

DataFileWriter::~DataFileWriter() {
  if (state_ != nullptr && (!state_->open_files.empty() || !state_->paths.empty())) {
    (void)Abort();
  }
}

Result<std::unique_ptr<DataFileWriter>> DataFileWriter::Open(
    std::shared_ptr<io::FileSystem> file_system, const TableMetadata& metadata,
    DataFileWriterOptions options) {
  auto state = std::make_unique<State>();
  state->file_system = std::move(file_system);
  state->metadata = metadata;
  state->schema = *metadata.CurrentSchema();
  state->spec = *metadata.DefaultSpec();
  FLOE_ASSIGN_OR_RETURN(state->batch_schema, state->schema.ToFloeSchema());
  options.parquet.field_ids.clear();
  for (const NestedField& field : state->schema.fields()) {
    options.parquet.field_ids.push_back(FieldIdsOf(field));
  }
  state->target_size = options.target_file_size_bytes.value_or(
      PropertyOr(metadata, "write.target-file-size-bytes", kDefaultTargetFileSize));
  state->options = std::move(options);
  auto data_path = metadata.properties.find("write.data.path");
  state->data_location =
      data_path != metadata.properties.end() ? data_path->second : metadata.location + "/data";
  while (state->data_location.size() > 1 && state->data_location.back() == '/') {
    state->data_location.pop_back();
  }
  state->write_uuid = NewUuid();
  for (const PartitionField& field : state->spec.fields()) {
    size_t index = state->schema.fields().size();
    for (size_t i = 0; i < state->schema.fields().size(); ++i) {
      index = state->schema.fields()[i].id == field.source_id() ? i : index;
    }
    if (field.source_ids.size() != 1 || index == state->schema.fields().size()) {
      return Status::NotSupported(
          "writing tables partitioned on nested or multi-column sources (partition field {})",
          field.name);
    }
    state->source_columns.push_back(index);
  }
  return std::unique_ptr<DataFileWriter>(new DataFileWriter(std::move(state)));
}

Status DataFileWriter::Write(const vector::Batch& batch) {
  State& state = *state_;
  if (batch.num_rows() == 0) {
    return Status::OK();
  }
  if (batch.num_columns() != state.batch_schema.num_fields()) {
    return Status::InvalidArgument("a batch of {} columns written to a table of {} columns",
                                   batch.num_columns(), state.batch_schema.num_fields());
  }
  vector::Batch rows = batch;
  if (!(batch.schema() == state.batch_schema)) {
    FLOE_ASSIGN_OR_RETURN(
        rows, vector::Batch::Make(std::make_shared<const vector::Schema>(state.batch_schema),
                                  batch.columns(), batch.num_rows()));
  }
  if (state.spec.IsUnpartitioned()) {
    return state.WriteGroup("", {}, rows);
  }
  std::vector<vector::Vector> transformed;
  for (size_t i = 0; i < state.spec.fields().size(); ++i) {
    const PartitionField& field = state.spec.fields()[i];
    const NestedField& source = state.schema.fields()[state.source_columns[i]];
    FLOE_ASSIGN_OR_RETURN(
        vector::Vector values,
        field.transform.Apply(source.type,
                              rows.column(static_cast<int64_t>(state.source_columns[i]))));
    transformed.push_back(std::move(values));
  }
  // Rows grouped by partition tuple, groups in order of first appearance.
  std::vector<std::string> order;
  std::unordered_map<std::string, std::pair<std::vector<Value>, std::vector<uint32_t>>> groups;
  for (int64_t row = 0; row < rows.num_rows(); ++row) {
    std::string key;
    std::vector<Value> tuple;
    for (const vector::Vector& values : transformed) {
      FLOE_ASSIGN_OR_RETURN(Value value, values.GetValue(row));
      key += value.is_null() ? std::string("\x1e") : value.ToString();
      key += '\x1f';
      tuple.push_back(std::move(value));
    }
    auto [entry, is_new] = groups.try_emplace(key);
    if (is_new) {
      order.push_back(key);
      entry->second.first = std::move(tuple);
    }
    entry->second.second.push_back(static_cast<uint32_t>(row));
  }
  for (const std::string& key : order) {
    auto& [tuple, indices] = groups.at(key);
    vector::Batch group = rows;
    if (static_cast<int64_t>(indices.size()) != rows.num_rows()) {
      FLOE_ASSIGN_OR_RETURN(
          group, rows.Gather(vector::SelectionVector(std::move(indices)), state.options.tracker));
    }
    FLOE_RETURN_NOT_OK(state.WriteGroup(key, tuple, group));
  }
  return Status::OK();
}

Result<std::vector<DataFile>> DataFileWriter::Close() {
  State& state = *state_;
  for (auto& [key, file] : state.open_files) {
    if (file.writer != nullptr) {
      Status status = state.Finish(file);
      if (!status.ok()) {
        (void)Abort();
        return status;
      }
    }
  }
  state.open_files.clear();
  std::vector<DataFile> files = std::move(state.finished);
  state.finished.clear();
  state.paths.clear();
  return files;
}

Status DataFileWriter::Abort() {
  State& state = *state_;
  for (auto& [key, file] : state.open_files) {
    if (file.writer != nullptr) {
      (void)file.writer->Abort();
    }
  }
  state.open_files.clear();
  state.finished.clear();
  Status status = state.file_system->DeleteFiles(state.paths);
  state.paths.clear();
  return status;
}

}  // namespace floe::table
