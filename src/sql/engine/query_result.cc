#include "sql/engine/query_result.h"

#include <fmt/format.h>

namespace floe::sql::engine {

QueryResult QueryResult::Command(std::string tag) {
  QueryResult result;
  result.tag_prefix_ = std::move(tag);
  return result;
}

QueryResult QueryResult::Rows(std::vector<ResultColumn> columns,
                              std::unique_ptr<BatchStream> stream, std::string tag_prefix) {
  QueryResult result;
  result.columns_ = std::move(columns);
  result.stream_ = std::move(stream);
  result.counts_rows_ = tag_prefix == "SELECT";
  result.tag_prefix_ = std::move(tag_prefix);
  return result;
}

QueryResult QueryResult::Materialized(std::vector<ResultColumn> columns,
                                      std::vector<vector::Batch> batches, std::string tag_prefix) {
  return Rows(std::move(columns), std::make_unique<MaterializedStream>(std::move(batches)),
              std::move(tag_prefix));
}

QueryResult QueryResult::CopyOut(int64_t data_columns, bool has_header,
                                 std::unique_ptr<BatchStream> lines) {
  QueryResult result = Rows({{"COPY", types::LogicalType::Varchar()}}, std::move(lines), "SELECT");
  result.tag_prefix_ = "COPY";
  result.copy_out_columns_ = data_columns;
  result.has_copy_header_ = has_header;
  return result;
}

std::string QueryResult::command_tag() const {
  if (counts_rows_) {
    int64_t rows = has_copy_header_ && rows_returned_ > 0 ? rows_returned_ - 1 : rows_returned_;
    return fmt::format("{} {}", tag_prefix_, rows);
  }
  return tag_prefix_;
}

Result<std::optional<vector::Batch>> QueryResult::Next() {
  if (stream_ == nullptr) {
    return std::optional<vector::Batch>();
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, stream_->Next());
  if (batch.has_value()) {
    rows_returned_ += batch->num_rows();
  }
  return batch;
}

Result<std::vector<vector::Batch>> QueryResult::FetchAll() {
  std::vector<vector::Batch> batches;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, Next());
    if (!batch.has_value()) {
      return batches;
    }
    batches.push_back(std::move(*batch));
  }
}

Result<std::optional<vector::Batch>> MaterializedStream::Next() {
  if (next_ >= batches_.size()) {
    return std::optional<vector::Batch>();
  }
  return std::optional<vector::Batch>(std::move(batches_[next_++]));
}

}  // namespace floe::sql::engine
