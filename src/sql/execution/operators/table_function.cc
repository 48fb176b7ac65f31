#include "sql/execution/operators/table_function.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sql/execution/expression_evaluator.h"
#include "sql/execution/sources/generate_series.h"
#include "types/interval.h"
#include "types/temporal.h"
#include "vector/selection_vector.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using types::TypeId;

namespace {

std::shared_ptr<const vector::Schema> TableFunctionSchema(const PhysicalOperator& child,
                                                          const std::string& name,
                                                          const types::LogicalType& type,
                                                          bool with_ordinality) {
  std::vector<vector::Field> fields = child.output_schema()->fields();
  fields.push_back({name, type, true});
  if (with_ordinality) {
    fields.push_back({"ordinality", types::LogicalType::BigInt(), true});
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}

// Reads an INTEGER or BIGINT (or TIMESTAMP[TZ]) argument as int64 for every row.
void ReadInt64(const vector::Vector& vector, std::vector<int64_t>& values) {
  const int64_t rows = vector.length();
  values.resize(static_cast<size_t>(rows));
  if (vector.type().id() == TypeId::kInteger) {
    for (int64_t row = 0; row < rows; ++row) {
      values[static_cast<size_t>(row)] = vector.IsNull(row) ? 0 : vector.Get<int32_t>(row);
    }
    return;
  }
  for (int64_t row = 0; row < rows; ++row) {
    values[static_cast<size_t>(row)] = vector.IsNull(row) ? 0 : vector.Get<int64_t>(row);
  }
}

// The number of values start, start + step, ... that do not pass stop; step is not zero.
int64_t LinearCount(int64_t start, int64_t stop, int64_t step) {
  if (step > 0 ? start > stop : start < stop) {
    return 0;
  }
  __int128 span = static_cast<__int128>(stop) - start;
  return static_cast<int64_t>(span / step) + 1;
}

// The step's length with a month as 30 days, as PostgreSQL orders intervals.
__int128 ApproximateMicros(const types::Interval& step) {
  return (static_cast<__int128>(step.months) * 30 + step.days) * types::kMicrosPerDay + step.micros;
}

}  // namespace

// Collects output rows (an input row, the produced value or a NULL, the ordinal) and turns
// every kDefaultBatchSize of them into one output batch.
class TableFunctionOperator::Emitter {
 public:
  Emitter(QueryContext& context, const TableFunctionOperator& op, const vector::Batch& input,
          const vector::Vector* elements, std::vector<vector::Batch>& output)
      : context_(context), op_(op), input_(input), elements_(elements), output_(output) {
    rows_.reserve(kCapacity);
    ordinals_.reserve(kCapacity);
    is_null_.reserve(kCapacity);
    if (elements_ != nullptr) {
      element_rows_.reserve(kCapacity);
    } else {
      values_.reserve(kCapacity);
    }
  }

  // Room left in the current output batch.
  int64_t room() const { return kCapacity - static_cast<int64_t>(rows_.size()); }

  // Appends `count` series values first, first + step, ... for input row `row`, numbered from
  // `ordinal`; count is at most room().
  void AddSeries(uint32_t row, int64_t first, int64_t step, int64_t count, int64_t ordinal) {
    for (int64_t k = 0; k < count; ++k) {
      rows_.push_back(row);
      values_.push_back(first + k * step);
      is_null_.push_back(0);
      ordinals_.push_back(ordinal + k);
    }
  }
  // Appends one value for input row `row`.
  void AddValue(uint32_t row, int64_t value, int64_t ordinal) {
    rows_.push_back(row);
    values_.push_back(value);
    is_null_.push_back(0);
    ordinals_.push_back(ordinal);
  }
  // Appends the elements [begin, begin + count) of the list child for input row `row`.
  void AddElements(uint32_t row, uint32_t begin, int64_t count, int64_t ordinal) {
    for (int64_t k = 0; k < count; ++k) {
      rows_.push_back(row);
      element_rows_.push_back(begin + static_cast<uint32_t>(k));
      is_null_.push_back(0);
      ordinals_.push_back(ordinal + k);
    }
  }
  // Appends input row `row` with NULLs: a row the function produced nothing for.
  void AddEmpty(uint32_t row) {
    rows_.push_back(row);
    if (elements_ != nullptr) {
      element_rows_.push_back(vector::SelectionVector::kNullRow);
    } else {
      values_.push_back(0);
    }
    is_null_.push_back(1);
    ordinals_.push_back(0);
  }

  Status Flush() {
    if (rows_.empty()) {
      return Status::OK();
    }
    MemoryTracker* tracker = context_.tracker();
    const auto count = static_cast<int64_t>(rows_.size());
    FLOE_ASSIGN_OR_RETURN(vector::Batch gathered,
                          input_.Gather(vector::SelectionVector::Borrow(rows_), tracker));
    std::vector<vector::Vector> columns = gathered.columns();
    FLOE_ASSIGN_OR_RETURN(vector::Vector produced, Produced(tracker));
    columns.push_back(std::move(produced));
    if (op_.with_ordinality_) {
      vector::VectorBuilder builder(types::LogicalType::BigInt(), tracker);
      FLOE_RETURN_NOT_OK(builder.Reserve(count));
      for (int64_t i = 0; i < count; ++i) {
        FLOE_RETURN_NOT_OK(is_null_[static_cast<size_t>(i)] != 0
                               ? builder.AppendNull()
                               : builder.Append<int64_t>(ordinals_[static_cast<size_t>(i)]));
      }
      FLOE_ASSIGN_OR_RETURN(vector::Vector ordinals, builder.Finish());
      columns.push_back(std::move(ordinals));
    }
    FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                          vector::Batch::Make(op_.output_schema(), std::move(columns), count));
    output_.push_back(std::move(batch));
    rows_.clear();
    values_.clear();
    element_rows_.clear();
    is_null_.clear();
    ordinals_.clear();
    // One row may expand to a long series: cancel between its batches.
    return context_.CheckCancelled();
  }

 private:
  static constexpr int64_t kCapacity = vector::Batch::kDefaultBatchSize;

  Result<vector::Vector> Produced(MemoryTracker* tracker) const {
    if (elements_ != nullptr) {
      return elements_->Gather(vector::SelectionVector::Borrow(element_rows_), tracker);
    }
    const auto count = static_cast<int64_t>(values_.size());
    vector::VectorBuilder builder(op_.type_, tracker);
    FLOE_RETURN_NOT_OK(builder.Reserve(count));
    const bool is_integer = op_.type_.id() == TypeId::kInteger;
    for (int64_t i = 0; i < count; ++i) {
      const auto index = static_cast<size_t>(i);
      if (is_null_[index] != 0) {
        FLOE_RETURN_NOT_OK(builder.AppendNull());
      } else if (is_integer) {
        FLOE_RETURN_NOT_OK(builder.Append<int32_t>(static_cast<int32_t>(values_[index])));
      } else {
        FLOE_RETURN_NOT_OK(builder.Append<int64_t>(values_[index]));
      }
    }
    return builder.Finish();
  }

  QueryContext& context_;
  const TableFunctionOperator& op_;
  const vector::Batch& input_;
  const vector::Vector* elements_;
  std::vector<vector::Batch>& output_;
  std::vector<uint32_t> rows_;
  std::vector<int64_t> values_;
  std::vector<uint32_t> element_rows_;
  std::vector<uint8_t> is_null_;
  std::vector<int64_t> ordinals_;
};

TableFunctionOperator::TableFunctionOperator(PhysicalOperatorPtr child, TableFunctionKind kind,
                                             std::string name, std::vector<ExpressionPtr> arguments,
                                             types::LogicalType type, bool keeps_empty,
                                             bool with_ordinality)
    : PhysicalOperator(TableFunctionSchema(*child, name, type, with_ordinality), {}),
      kind_(kind),
      name_(std::move(name)),
      arguments_(std::move(arguments)),
      type_(std::move(type)),
      keeps_empty_(keeps_empty),
      with_ordinality_(with_ordinality) {
  AddChild(std::move(child));
}

std::vector<std::string> TableFunctionOperator::Details() const {
  std::string call;
  for (size_t i = 0; i < arguments_.size(); ++i) {
    call += (i > 0 ? ", " : "") + arguments_[i]->ToString();
  }
  std::vector<std::string> details = {fmt::format("{}({})", name_, call)};
  if (keeps_empty_) {
    details.push_back("keeps rows without values");
  }
  if (with_ordinality_) {
    details.push_back("WITH ORDINALITY");
  }
  return details;
}

// Where a thread is in its current input batch.
struct TableFunctionOperator::RunState : OperatorState {
  explicit RunState(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
  bool has_more = false;  // The last Execute stopped inside its input batch.
  std::vector<vector::Vector> arguments;
  std::vector<int64_t> starts;
  std::vector<int64_t> stops;
  std::vector<int64_t> steps;
  int64_t row = 0;   // The input row to continue with,
  int64_t done = 0;  // of which this many values were emitted,
  int64_t next = 0;  // and, for a series with months or zoned days, the value to emit next.
};

Result<std::unique_ptr<OperatorState>> TableFunctionOperator::MakeLocalState(
    QueryContext& context) {
  return std::unique_ptr<OperatorState>(std::make_unique<RunState>(&context.function_context()));
}

bool TableFunctionOperator::HasMoreOutput(const OperatorState* state) const {
  return static_cast<const RunState*>(state)->has_more;
}

void TableFunctionOperator::DiscardMoreOutput(OperatorState* state) const {
  auto* run = static_cast<RunState*>(state);
  run->has_more = false;
  run->arguments.clear();
}

Status TableFunctionOperator::Execute(QueryContext& context, OperatorState* state,
                                      const vector::Batch& input,
                                      std::vector<vector::Batch>& output) {
  auto& run = static_cast<RunState&>(*state);
  if (!run.has_more) {
    run.arguments.clear();
    for (const ExpressionPtr& argument : arguments_) {
      FLOE_ASSIGN_OR_RETURN(vector::Vector value, run.evaluator.Evaluate(*argument, input));
      run.arguments.push_back(std::move(value));
    }
    run.row = 0;
    run.done = 0;
    if (kind_ != TableFunctionKind::kUnnest) {
      ReadInt64(run.arguments[0], run.starts);
      ReadInt64(run.arguments[1], run.stops);
      if (kind_ == TableFunctionKind::kIntegerSeries && run.arguments.size() > 2) {
        ReadInt64(run.arguments[2], run.steps);
      } else {
        run.steps.assign(static_cast<size_t>(input.num_rows()), 1);
      }
    }
  }
  // Cleared until this call completes, so a failed call leaves no half-done batch behind.
  run.has_more = false;
  bool paused = false;
  if (kind_ == TableFunctionKind::kUnnest) {
    // Offsets index the whole element child of the vector holding the values.
    const vector::Vector& elements = run.arguments[0].ValueSource().child(0);
    Emitter emitter(context, *this, input, &elements, output);
    FLOE_ASSIGN_OR_RETURN(paused, EmitUnnest(run, emitter));
    if (!paused) {
      FLOE_RETURN_NOT_OK(emitter.Flush());
    }
  } else {
    Emitter emitter(context, *this, input, nullptr, output);
    FLOE_ASSIGN_OR_RETURN(paused, EmitSeries(context, run, emitter));
    if (!paused) {
      FLOE_RETURN_NOT_OK(emitter.Flush());
    }
  }
  if (!paused) {
    run.arguments.clear();
  }
  run.has_more = paused;
  return Status::OK();
}

Result<bool> TableFunctionOperator::EmitUnnest(RunState& run, Emitter& emitter) const {
  const vector::Vector& array = run.arguments[0];
  const vector::Vector& source = array.ValueSource();
  const int32_t* offsets = source.offsets();
  for (; run.row < array.length(); ++run.row, run.done = 0) {
    const auto input_row = static_cast<uint32_t>(run.row);
    int64_t begin = 0;
    int64_t count = 0;
    if (!array.IsNull(run.row)) {
      const int64_t index = array.ValueIndex(run.row);
      begin = offsets[index];
      count = offsets[index + 1] - begin;
    }
    while (run.done < count) {
      const int64_t take = std::min(count - run.done, emitter.room());
      emitter.AddElements(input_row, static_cast<uint32_t>(begin + run.done), take, run.done + 1);
      run.done += take;
      if (emitter.room() == 0) {
        FLOE_RETURN_NOT_OK(emitter.Flush());
        return true;
      }
    }
    if (count == 0 && keeps_empty_) {
      emitter.AddEmpty(input_row);
      if (emitter.room() == 0) {
        FLOE_RETURN_NOT_OK(emitter.Flush());
        ++run.row;
        run.done = 0;
        return true;
      }
    }
  }
  return false;
}

Result<bool> TableFunctionOperator::EmitSeries(QueryContext& context, RunState& run,
                                               Emitter& emitter) const {
  const std::vector<vector::Vector>& arguments = run.arguments;
  const int64_t rows = arguments[0].length();
  const bool is_timestamp = kind_ == TableFunctionKind::kTimestampSeries;
  // A TIMESTAMPTZ series steps months and days in the session's zone.
  const types::TimeZone* zone =
      type_.id() == TypeId::kTimestampTz ? context.function_context().time_zone : nullptr;
  for (; run.row < rows; ++run.row, run.done = 0) {
    const auto index = static_cast<size_t>(run.row);
    const auto input_row = static_cast<uint32_t>(run.row);
    bool is_null = false;
    for (const vector::Vector& argument : arguments) {
      is_null = is_null || argument.IsNull(run.row);
    }
    const int64_t start = run.starts[index];
    const int64_t stop = run.stops[index];
    int64_t linear_step = 0;
    types::Interval step;
    if (!is_null && is_timestamp) {
      step = arguments[2].Get<types::Interval>(run.row);
      // PostgreSQL compares the step with zero counting a month as 30 days.
      if (ApproximateMicros(step) == 0) {
        return Status::InvalidArgument("step size cannot equal zero").WithSqlState("22023");
      }
      // Days of a TIMESTAMPTZ series may last 23 or 25 hours.
      if (step.months == 0 && (step.days == 0 || zone == nullptr)) {
        linear_step = step.days * types::kMicrosPerDay + step.micros;
      }
    } else if (!is_null) {
      linear_step = run.steps[index];
      if (linear_step == 0) {
        return Status::InvalidArgument("step size cannot equal zero").WithSqlState("22023");
      }
    }
    bool is_empty = is_null;
    if (!is_null && linear_step != 0) {
      const int64_t count = LinearCount(start, stop, linear_step);
      is_empty = count == 0;
      while (run.done < count) {
        const int64_t take = std::min(count - run.done, emitter.room());
        emitter.AddSeries(input_row, start + run.done * linear_step, linear_step, take,
                          run.done + 1);
        run.done += take;
        if (emitter.room() == 0) {
          FLOE_RETURN_NOT_OK(emitter.Flush());
          return true;
        }
      }
    } else if (!is_null) {
      // A step with months: each value is the previous one plus the step, so month-end
      // clamping accumulates as in PostgreSQL (Jan 31, Feb 29, Mar 29).
      const bool ascending = ApproximateMicros(step) > 0;
      int64_t value = run.done == 0 ? start : run.next;
      is_empty = run.done == 0 && (ascending ? value > stop : value < stop);
      while (ascending ? value <= stop : value >= stop) {
        emitter.AddValue(input_row, value, ++run.done);
        value = NextSeriesTimestamp(value, step, zone);
        if (emitter.room() == 0) {
          run.next = value;
          FLOE_RETURN_NOT_OK(emitter.Flush());
          return true;
        }
      }
    }
    if (is_empty && keeps_empty_) {
      emitter.AddEmpty(input_row);
      if (emitter.room() == 0) {
        FLOE_RETURN_NOT_OK(emitter.Flush());
        ++run.row;
        run.done = 0;
        return true;
      }
    }
  }
  return false;
}

}  // namespace floe::sql::execution
