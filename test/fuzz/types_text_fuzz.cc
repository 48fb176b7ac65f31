// Text that users type becomes typed values through casts: every cast from text must either
// fail with a Status or produce a value whose text form casts back to the same value.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "types/cast.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace {

using floe::types::LogicalType;
using floe::types::Value;

const std::vector<LogicalType>& Targets() {
  static const std::vector<LogicalType> targets = {
      LogicalType::Boolean(),     LogicalType::SmallInt(),
      LogicalType::Integer(),     LogicalType::BigInt(),
      LogicalType::Real(),        LogicalType::Double(),
      *LogicalType::Decimal(9, 2), *LogicalType::Decimal(38, 10),
      LogicalType::Date(),        LogicalType::Time(),
      LogicalType::Timestamp(),   LogicalType::TimestampTz(),
      LogicalType::Interval(),    LogicalType::Bytea(),
      LogicalType::Uuid(),        LogicalType::List(LogicalType::Integer()),
      LogicalType::List(LogicalType::Varchar()),
      LogicalType::Struct({{"a", std::make_shared<const LogicalType>(LogicalType::Integer())},
                           {"b", std::make_shared<const LogicalType>(LogicalType::Varchar())}}),
  };
  return targets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const LogicalType& target = Targets()[data[0] % Targets().size()];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  floe::Result<Value> value = floe::types::CastValue(Value::Varchar(std::string(text)), target);
  if (!value.ok()) {
    return 0;
  }
  // The text form of a value is what psql shows and what COPY writes: it must read back.
  std::string printed = value->ToString();
  floe::Result<Value> reparsed = floe::types::CastValue(Value::Varchar(printed), target);
  FLOE_CHECK(reparsed.ok());
  FLOE_CHECK(reparsed->ToString() == printed);
  return 0;
}
