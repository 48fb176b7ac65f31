#include "sql/execution/sources/generate_series.h"

#include <algorithm>

#include <fmt/format.h>

#include "types/temporal.h"
#include "types/time_zone.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using types::LogicalType;
using types::TypeId;

namespace {
// PostgreSQL's timestamp + interval: months first (clamping the day to the month's length),
// then days, then microseconds.
int64_t AddInterval(int64_t micros, const types::Interval& step) {
  int64_t days = micros >= 0 ? micros / types::kMicrosPerDay
                             : -((-micros + types::kMicrosPerDay - 1) / types::kMicrosPerDay);
  int64_t time_of_day = micros - days * types::kMicrosPerDay;
  if (step.months != 0) {
    types::CivilDate date = types::CivilFromDays(days);
    int64_t month_index = date.year * 12 + (date.month - 1) + step.months;
    int64_t year = month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
    int month = static_cast<int>(month_index - year * 12) + 1;
    int day = std::min(date.day, types::DaysInMonth(year, month));
    days = types::DaysFromCivil({year, month, day});
  }
  days += step.days;
  return days * types::kMicrosPerDay + time_of_day + step.micros;
}

bool Passed(int64_t value, int64_t stop, bool ascending) {
  return ascending ? value > stop : value < stop;
}
}  // namespace

int64_t NextSeriesTimestamp(int64_t micros, const types::Interval& step,
                            const types::TimeZone* zone) {
  if (zone == nullptr) {
    return AddInterval(micros, step);
  }
  const types::Interval calendar{step.months, step.days, 0};
  return zone->ToUtcMicros(AddInterval(zone->ToLocalMicros(micros), calendar)) + step.micros;
}

GenerateSeries::GenerateSeries(LogicalType type, int64_t start, int64_t stop, types::Interval step)
    : type_(type),
      schema_(std::make_shared<const vector::Schema>(
          std::vector<vector::Field>{{"generate_series", type, false}})),
      start_(start),
      stop_(stop),
      step_(step) {}

Result<std::unique_ptr<GenerateSeries>> GenerateSeries::Integers(LogicalType type, int64_t start,
                                                                 int64_t stop, int64_t step) {
  if (step == 0) {
    return Status::InvalidArgument("step size cannot equal zero");
  }
  if (type.id() != TypeId::kInteger && type.id() != TypeId::kBigInt) {
    return Status::InvalidArgument("generate_series of {} is not an integer series",
                                   type.ToString());
  }
  auto series = std::unique_ptr<GenerateSeries>(
      new GenerateSeries(type, start, stop, types::Interval{0, 0, step}));
  series->linear_step_ = step;
  return series;
}

Result<std::unique_ptr<GenerateSeries>> GenerateSeries::Timestamps(LogicalType type, int64_t start,
                                                                   int64_t stop,
                                                                   types::Interval step) {
  if (step.months == 0 && step.days == 0 && step.micros == 0) {
    return Status::InvalidArgument("step size cannot equal zero");
  }
  auto series = std::unique_ptr<GenerateSeries>(new GenerateSeries(type, start, stop, step));
  // A TIMESTAMPTZ series steps days in the session's zone, where a day may last 23 or 25 hours.
  if (step.months == 0 && (step.days == 0 || type.id() == TypeId::kTimestamp)) {
    series->linear_step_ = step.days * types::kMicrosPerDay + step.micros;
  }
  return series;
}

std::vector<std::string> GenerateSeries::Details() const {
  return {fmt::format("{} from {} to {}", type_.ToString(), start_, stop_)};
}

Result<int64_t> GenerateSeries::Prepare(QueryContext& context) {
  if (linear_step_ == 0) {
    return 1;  // A step with months: values are computed one after another.
  }
  bool ascending = linear_step_ > 0;
  if (Passed(start_, stop_, ascending)) {
    count_ = 0;
    return 0;
  }
  __int128 span = static_cast<__int128>(stop_) - start_;
  count_ = static_cast<int64_t>(span / linear_step_) + 1;
  return (count_ + kRowsPerMorsel - 1) / kRowsPerMorsel;
}

Status GenerateSeries::Read(QueryContext& context, OperatorState* state, int64_t morsel,
                            std::vector<vector::Batch>& output) {
  if (linear_step_ == 0) {
    return ReadCalendar(context, output);
  }
  const int64_t first = morsel * kRowsPerMorsel;
  const int64_t end = std::min(count_, first + kRowsPerMorsel);
  for (int64_t begin = first; begin < end; begin += vector::Batch::kDefaultBatchSize) {
    const int64_t rows = std::min(vector::Batch::kDefaultBatchSize, end - begin);
    vector::VectorBuilder builder(type_, context.tracker());
    if (type_.id() == TypeId::kInteger) {
      FLOE_ASSIGN_OR_RETURN(int32_t * values, builder.AppendUninitialized<int32_t>(rows));
      for (int64_t i = 0; i < rows; ++i) {
        values[i] = static_cast<int32_t>(start_ + (begin + i) * linear_step_);
      }
    } else {
      FLOE_ASSIGN_OR_RETURN(int64_t * values, builder.AppendUninitialized<int64_t>(rows));
      for (int64_t i = 0; i < rows; ++i) {
        values[i] = start_ + (begin + i) * linear_step_;
      }
    }
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    FLOE_ASSIGN_OR_RETURN(vector::Batch batch, vector::Batch::Make(schema_, {column}, rows));
    output.push_back(std::move(batch));
  }
  return Status::OK();
}

Status GenerateSeries::ReadCalendar(QueryContext& context, std::vector<vector::Batch>& output) {
  // With a month step the direction is the sign of the whole interval measured in days.
  int64_t approximate = static_cast<int64_t>(step_.months) * 30 * types::kMicrosPerDay +
                        step_.days * types::kMicrosPerDay + step_.micros;
  bool ascending = approximate > 0;
  const types::TimeZone* zone =
      type_.id() == TypeId::kTimestampTz ? context.function_context().time_zone : nullptr;
  const types::Interval calendar{step_.months, step_.days, 0};
  vector::VectorBuilder builder(type_, context.tracker());
  int64_t value = start_;
  while (!Passed(value, stop_, ascending)) {
    FLOE_RETURN_NOT_OK(builder.Append<int64_t>(value));
    if (builder.length() == vector::Batch::kDefaultBatchSize) {
      FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                            vector::Batch::Make(schema_, {column}, column.length()));
      output.push_back(std::move(batch));
      FLOE_RETURN_NOT_OK(context.CheckCancelled());
    }
    // PostgreSQL adds the step to the previous value, so month clamping accumulates:
    // Jan 31, Feb 28, Mar 28.
    value = zone == nullptr ? AddInterval(value, step_)
                            : zone->ToUtcMicros(AddInterval(zone->ToLocalMicros(value), calendar)) +
                                  step_.micros;
  }
  if (builder.length() > 0) {
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                          vector::Batch::Make(schema_, {column}, column.length()));
    output.push_back(std::move(batch));
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
