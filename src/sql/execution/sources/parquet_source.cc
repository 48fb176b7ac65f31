#include "sql/execution/sources/parquet_source.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace floe::sql::execution {

namespace parquet = format::parquet;

namespace {
struct ParquetScanState : OperatorState {
  std::unordered_map<size_t, std::unique_ptr<parquet::ParquetReader>> readers;
};
}  // namespace

Result<std::unique_ptr<ParquetSource>> ParquetSource::Make(
    std::shared_ptr<io::FileSystem> file_system, std::vector<std::string> files,
    ParquetSourceOptions options) {
  if (files.empty()) {
    return Status::InvalidArgument("a Parquet scan needs at least one file");
  }
  auto source = std::unique_ptr<ParquetSource>(
      new ParquetSource(std::move(file_system), std::move(files), std::move(options)));
  FLOE_ASSIGN_OR_RETURN(auto reader, source->OpenReader(0, nullptr, nullptr));
  source->schema_ = reader->schema();
  return source;
}

parquet::ParquetReadOptions ParquetSource::ReadOptions(MemoryTracker* tracker) const {
  parquet::ParquetReadOptions read_options;
  read_options.column_names = options_.column_names;
  read_options.field_ids = options_.field_ids;
  read_options.predicates = options_.predicates;
  read_options.tracker = tracker;
  return read_options;
}

Result<std::unique_ptr<parquet::ParquetReader>> ParquetSource::OpenReader(
    size_t file, MemoryTracker* tracker, std::shared_ptr<const parquet::FileMetaData> footer,
    std::span<const parquet::ColumnPredicate> extra_predicates) const {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> input,
                        file_system_->OpenInputFile(files_[file]));
  parquet::ParquetReadOptions read_options = ReadOptions(tracker);
  read_options.footer = std::move(footer);
  read_options.predicates.insert(read_options.predicates.end(), extra_predicates.begin(),
                                 extra_predicates.end());
  return parquet::ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(input)),
                                      std::move(read_options));
}

std::vector<std::string> ParquetSource::Details() const {
  std::vector<std::string> details;
  details.push_back(files_.size() == 1 ? "file: " + files_[0]
                                       : fmt::format("{} files", files_.size()));
  std::string columns;
  for (const auto& field : schema_->fields()) {
    columns += (columns.empty() ? "" : ", ") + field.name;
  }
  details.push_back("columns: " + columns);
  if (!options_.predicates.empty()) {
    details.push_back(fmt::format("pushed predicates: {}", options_.predicates.size()));
  }
  if (!runtime_predicates_.empty()) {
    details.push_back(
        fmt::format("row groups skipped: {} of {}", row_groups_pruned_, row_groups_total_));
  }
  return details;
}

void ParquetSource::SetRuntimeBounds(std::vector<RuntimeColumnBounds> bounds) {
  runtime_predicates_.clear();
  for (RuntimeColumnBounds& bound : bounds) {
    const std::string& column = schema_->field(bound.column).name;
    runtime_predicates_.push_back(
        {column, parquet::ColumnPredicate::Op::kGreaterEqual, std::move(bound.min)});
    runtime_predicates_.push_back(
        {column, parquet::ColumnPredicate::Op::kLessEqual, std::move(bound.max)});
  }
}

Result<int64_t> ParquetSource::Prepare(QueryContext& context) {
  morsels_.clear();
  footers_.clear();
  row_groups_pruned_ = 0;
  row_groups_total_ = 0;
  for (size_t file = 0; file < files_.size(); ++file) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    FLOE_ASSIGN_OR_RETURN(auto reader,
                          OpenReader(file, context.tracker(), nullptr, runtime_predicates_));
    if (!(*reader->schema() == *schema_)) {
      return Status::InvalidArgument("Parquet file {} has columns ({}), expected ({})",
                                     files_[file], reader->schema()->ToString(),
                                     schema_->ToString());
    }
    footers_.push_back(reader->shared_metadata());
    for (int row_group : reader->row_groups()) {
      morsels_.push_back({file, row_group});
    }
    row_groups_pruned_ += static_cast<int64_t>(reader->metadata().row_groups.size()) -
                          static_cast<int64_t>(reader->row_groups().size());
    row_groups_total_ += static_cast<int64_t>(reader->metadata().row_groups.size());
  }
  return static_cast<int64_t>(morsels_.size());
}

Result<std::unique_ptr<OperatorState>> ParquetSource::MakeState(QueryContext& context) {
  return std::unique_ptr<OperatorState>(std::make_unique<ParquetScanState>());
}

Status ParquetSource::Read(QueryContext& context, OperatorState* state, int64_t morsel,
                           std::vector<vector::Batch>& output) {
  auto& local = static_cast<ParquetScanState&>(*state);
  const Morsel& target = morsels_[static_cast<size_t>(morsel)];
  auto& reader = local.readers[target.file];
  if (reader == nullptr) {
    FLOE_ASSIGN_OR_RETURN(reader,
                          OpenReader(target.file, context.tracker(), footers_[target.file]));
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<vector::Vector> columns,
                        reader->ReadRowGroup(target.row_group));
  const int64_t rows =
      columns.empty()
          ? reader->metadata().row_groups[static_cast<size_t>(target.row_group)].num_rows
          : columns[0].length();
  FLOE_ASSIGN_OR_RETURN(vector::Batch whole,
                        vector::Batch::Make(schema_, std::move(columns), rows));
  for (int64_t begin = 0; begin < rows; begin += vector::Batch::kDefaultBatchSize) {
    output.push_back(whole.Slice(begin, std::min(vector::Batch::kDefaultBatchSize, rows - begin)));
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
