#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/execution/data_source.h"

namespace floe::sql::execution {

/// Rows already in memory: VALUES lists, results of a subquery computed earlier, test input.
/// One morsel per batch; batches are shared, not copied.
class BatchSource final : public DataSource {
 public:
  BatchSource(std::shared_ptr<const vector::Schema> schema, std::vector<vector::Batch> batches,
              std::string name = "VALUES")
      : schema_(std::move(schema)), batches_(std::move(batches)), name_(std::move(name)) {}

  std::string Name() const override { return name_; }
  std::vector<std::string> Details() const override;
  std::shared_ptr<const vector::Schema> schema() const override { return schema_; }
  Result<int64_t> Prepare(QueryContext& context) override {
    return static_cast<int64_t>(batches_.size());
  }
  Status Read(QueryContext& context, OperatorState* state, int64_t morsel,
              std::vector<vector::Batch>& output) override {
    output.push_back(batches_[static_cast<size_t>(morsel)]);
    return Status::OK();
  }

 private:
  std::shared_ptr<const vector::Schema> schema_;
  std::vector<vector::Batch> batches_;
  std::string name_;
};

}  // namespace floe::sql::execution
