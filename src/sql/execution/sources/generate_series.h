#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/execution/data_source.h"
#include "types/interval.h"

namespace floe::types {
class TimeZone;
}  // namespace floe::types

namespace floe::sql::execution {

/// Returns the value after `micros` in a timestamp series stepping by `step`: PostgreSQL's
/// timestamp + interval (months, then days, then microseconds), with months and days counted in
/// `zone`'s local time when it is not null (TIMESTAMPTZ).
int64_t NextSeriesTimestamp(int64_t micros, const types::Interval& step,
                            const types::TimeZone* zone);

/// generate_series(start, stop[, step]) as PostgreSQL defines it, for BIGINT (or INTEGER)
/// and for TIMESTAMP / TIMESTAMPTZ with an INTERVAL step: the values start, start + step, ...
/// while they do not pass stop (in the step's direction). One column named
/// "generate_series". Morsels of 64 batches let threads share long series.
class GenerateSeries final : public DataSource {
 public:
  /// An integer series of `type` (INTEGER or BIGINT). Fails with InvalidArgument when step is
  /// zero ("step size cannot equal zero").
  static Result<std::unique_ptr<GenerateSeries>> Integers(types::LogicalType type, int64_t start,
                                                          int64_t stop, int64_t step);
  /// A TIMESTAMP or TIMESTAMPTZ series. Fails with InvalidArgument when step is zero.
  static Result<std::unique_ptr<GenerateSeries>> Timestamps(types::LogicalType type, int64_t start,
                                                            int64_t stop, types::Interval step);

  std::string Name() const override { return "GENERATE_SERIES"; }
  std::vector<std::string> Details() const override;
  std::shared_ptr<const vector::Schema> schema() const override { return schema_; }
  Result<int64_t> Prepare(QueryContext& context) override;
  Status Read(QueryContext& context, OperatorState* state, int64_t morsel,
              std::vector<vector::Batch>& output) override;

 private:
  GenerateSeries(types::LogicalType type, int64_t start, int64_t stop, types::Interval step);
  Status ReadCalendar(QueryContext& context, std::vector<vector::Batch>& output);

  static constexpr int64_t kRowsPerMorsel = 64 * vector::Batch::kDefaultBatchSize;

  types::LogicalType type_;
  std::shared_ptr<const vector::Schema> schema_;
  int64_t start_;
  int64_t stop_;
  types::Interval step_;
  int64_t linear_step_ = 0;  // The step in values (or micros) when it has no months.
  int64_t count_ = 0;        // Rows of a linear series.
};

}  // namespace floe::sql::execution
