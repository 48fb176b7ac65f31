#include "sql/planner/iceberg_scan_source.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "table/table_reader.h"
#include "vector/vector_builder.h"

namespace floe::sql::planner {
namespace {

std::string LiteralText(const types::Value& value) {
  switch (value.type().id()) {
    case types::TypeId::kBoolean:
    case types::TypeId::kSmallInt:
    case types::TypeId::kInteger:
    case types::TypeId::kBigInt:
    case types::TypeId::kReal:
    case types::TypeId::kDouble:
    case types::TypeId::kDecimal:
      return value.ToString();
    default:
      break;
  }
  std::string text = "'";
  for (char c : value.ToString()) {
    text += c == '\'' ? "''" : std::string(1, c);
  }
  return text + "'";
}

// Predicate::ToString names fields "$<id>" and does not quote strings; EXPLAIN shows the
// column names and literals as SQL would.
std::string LeafText(const table::Predicate& leaf, const table::Schema& schema) {
  using Kind = table::Predicate::Kind;
  const table::NestedField* field = schema.FindField(leaf.field_id());
  std::string name = field != nullptr ? field->name : "$" + std::to_string(leaf.field_id());
  switch (leaf.kind()) {
    case Kind::kEqual:
      return name + " = " + LiteralText(leaf.literal());
    case Kind::kNotEqual:
      return name + " <> " + LiteralText(leaf.literal());
    case Kind::kLess:
      return name + " < " + LiteralText(leaf.literal());
    case Kind::kLessEqual:
      return name + " <= " + LiteralText(leaf.literal());
    case Kind::kGreater:
      return name + " > " + LiteralText(leaf.literal());
    case Kind::kGreaterEqual:
      return name + " >= " + LiteralText(leaf.literal());
    case Kind::kIn: {
      std::string text = name + " IN (";
      for (size_t i = 0; i < leaf.literals().size(); ++i) {
        text += (i > 0 ? ", " : "") + LiteralText(leaf.literals()[i]);
      }
      return text + ")";
    }
    case Kind::kIsNull:
      return name + " IS NULL";
    case Kind::kIsNotNull:
      return name + " IS NOT NULL";
    default:
      return leaf.ToString();
  }
}

std::string FilterText(const table::Predicate& filter, const table::Schema& schema) {
  if (filter.IsLeaf()) {
    return LeafText(filter, schema);
  }
  if (filter.kind() != table::Predicate::Kind::kAnd) {
    return filter.ToString();
  }
  std::string text;
  for (const table::Predicate& child : filter.children()) {
    text += (text.empty() ? "" : " AND ") + FilterText(child, schema);
  }
  return text;
}

}  // namespace

Result<std::unique_ptr<IcebergScanSource>> IcebergScanSource::Make(
    std::shared_ptr<const table::Table> table, std::string name, std::vector<int32_t> field_ids,
    std::shared_ptr<const vector::Schema> schema, table::Predicate filter,
    std::optional<int64_t> snapshot_id, format::parquet::ColumnChunkCache* column_cache) {
  // The metadata columns are not in the table's schema: the reader reads the others, and Read
  // adds these two after it.
  std::vector<int32_t> projection;
  std::vector<int> layout;
  bool with_row_position = false;
  for (int32_t id : field_ids) {
    if (id == table::kFilePathFieldId) {
      layout.push_back(kFileColumn);
    } else if (id == table::kRowPositionFieldId) {
      layout.push_back(kPositionColumn);
      with_row_position = true;
    } else {
      layout.push_back(static_cast<int>(projection.size()));
      projection.push_back(id);
    }
  }
  if (projection.empty()) {
    // Something must be read to count rows.
    const table::Schema* current = table->metadata->CurrentSchema();
    if (current == nullptr || current->fields().empty()) {
      return Status::NotSupported("reading only the row identity of a table without columns");
    }
    projection.push_back(current->fields()[0].id);
  }
  table::ScanOptions options;
  options.snapshot_id = snapshot_id;
  options.projection = std::move(projection);
  options.filter = std::move(filter);
  FLOE_ASSIGN_OR_RETURN(table::TableScan scan, table::TableScan::Make(*table, std::move(options)));
  auto source = std::make_unique<IcebergScanSource>(
      std::move(name), std::move(schema), std::make_unique<table::TableScan>(std::move(scan)));
  source->layout_ = std::move(layout);
  source->with_row_position_ = with_row_position;
  source->column_cache_ = column_cache;
  // Planned here rather than in Prepare so that EXPLAIN without ANALYZE shows what was pruned.
  FLOE_ASSIGN_OR_RETURN(source->tasks_, source->scan_->PlanFiles(&source->counters_));
  return source;
}

IcebergScanSource::IcebergScanSource(std::string name, std::shared_ptr<const vector::Schema> schema,
                                     std::unique_ptr<table::TableScan> scan)
    : name_(std::move(name)), schema_(std::move(schema)), scan_(std::move(scan)) {}

IcebergScanSource::~IcebergScanSource() = default;

std::vector<std::string> IcebergScanSource::Details() const {
  std::vector<std::string> details = {name_};
  if (scan_->options().snapshot_id.has_value()) {
    details.push_back(fmt::format("as of snapshot {}", *scan_->options().snapshot_id));
  }
  const table::Predicate& filter = scan_->options().filter;
  if (filter.kind() != table::Predicate::Kind::kTrue) {
    details.push_back("filter: " + FilterText(filter, scan_->schema()));
  }
  // Manifests pruned whole do not count their files, so the snapshot's summary gives the total.
  int64_t total = counters_.data_files_total;
  const table::Snapshot* snapshot = scan_->snapshot();
  if (snapshot != nullptr) {
    auto found = snapshot->summary.find("total-data-files");
    if (found != snapshot->summary.end()) {
      total = std::max<int64_t>(total, std::strtoll(found->second.c_str(), nullptr, 10));
    }
  }
  details.push_back(fmt::format("files: {} of {}", tasks_.size(), total));
  return details;
}

Result<int64_t> IcebergScanSource::Prepare(execution::QueryContext& context) {
  // Files this small seldom hold more than one row group, and reading their footers here
  // would cost a round trip each before the scan starts.
  constexpr int64_t kSplitMinBytes = int64_t{8} << 20;
  if (footers_.size() != tasks_.size()) {
    footers_.assign(tasks_.size(), nullptr);
    for (size_t task = 0; task < tasks_.size(); ++task) {
      FLOE_RETURN_NOT_OK(context.CheckCancelled());
      if (tasks_[task].data_file.file_size_in_bytes >= kSplitMinBytes) {
        FLOE_ASSIGN_OR_RETURN(footers_[task],
                              table::DataFileFooter(scan_->table(), tasks_[task], column_cache_));
      }
    }
  }
  morsels_.clear();
  for (size_t task = 0; task < tasks_.size(); ++task) {
    const size_t row_groups = footers_[task] != nullptr ? footers_[task]->row_groups.size() : 0;
    if (row_groups <= 1) {
      morsels_.push_back({task, -1});
      continue;
    }
    for (size_t row_group = 0; row_group < row_groups; ++row_group) {
      morsels_.push_back({task, static_cast<int>(row_group)});
    }
  }
  delete_cache_ = std::make_unique<table::DeleteFileCache>();
  return static_cast<int64_t>(morsels_.size());
}

Status IcebergScanSource::Read(execution::QueryContext& context, execution::OperatorState* state,
                               int64_t morsel, std::vector<vector::Batch>& output) {
  const Morsel& target = morsels_[static_cast<size_t>(morsel)];
  table::TableReadOptions options;
  options.tracker = context.tracker();
  options.delete_cache = delete_cache_.get();
  options.footer = footers_[target.task];
  options.column_cache = column_cache_;
  options.with_row_position = with_row_position_;
  if (target.row_group >= 0) {
    options.row_groups = {target.row_group};
  }
  const table::FileScanTask& task = tasks_[target.task];
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::TableReader> reader,
                        table::TableReader::Open(*scan_, task, options));
  vector::Vector path;
  for (int source : layout_) {
    if (source == kFileColumn) {
      vector::VectorBuilder builder(types::LogicalType::Varchar());
      FLOE_RETURN_NOT_OK(builder.AppendString(task.data_file.file_path));
      FLOE_ASSIGN_OR_RETURN(path, builder.Finish());
    }
  }
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
    if (!batch.has_value()) {
      return Status::OK();
    }
    // Same columns, but the operators above expect the schema the binder saw.
    std::vector<vector::Vector> columns;
    for (int source : layout_) {
      if (source == kFileColumn) {
        FLOE_ASSIGN_OR_RETURN(vector::Vector constant,
                              vector::Vector::MakeConstant(path, 0, batch->num_rows()));
        columns.push_back(std::move(constant));
      } else if (source == kPositionColumn) {
        columns.push_back(batch->column(batch->num_columns() - 1));
      } else {
        columns.push_back(batch->column(source));
      }
    }
    FLOE_ASSIGN_OR_RETURN(vector::Batch renamed,
                          vector::Batch::Make(schema_, std::move(columns), batch->num_rows()));
    output.push_back(std::move(renamed));
  }
}

}  // namespace floe::sql::planner
