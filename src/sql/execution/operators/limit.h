#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sql/execution/physical_operator.h"

namespace floe::sql::execution {

/// LIMIT n OFFSET m, exact across threads: each batch claims a range of the input's row
/// numbers with one atomic add and keeps the part of it inside [offset, offset + limit). Once
/// the limit is reached the operator reports IsFinished() and the pipeline starts no more
/// morsels. Which rows are kept follows the input's order only when the pipeline runs its
/// morsels in order (a sorted input); otherwise any n rows are kept, as SQL allows.
class LimitOperator final : public PhysicalOperator {
 public:
  /// `limit` < 0 means no limit (OFFSET only).
  LimitOperator(PhysicalOperatorPtr child, int64_t limit, int64_t offset);

  std::string Name() const override { return "LIMIT"; }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_streaming = true}; }
  int64_t limit() const { return limit_; }
  int64_t offset() const { return offset_; }

  Status Execute(QueryContext& context, OperatorState* state, const vector::Batch& input,
                 std::vector<vector::Batch>& output) override;
  bool IsFinished() const override;

 private:
  const int64_t limit_;
  const int64_t offset_;
  std::atomic<int64_t> seen_{0};
};

}  // namespace floe::sql::execution
