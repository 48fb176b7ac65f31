// Date and time functions: extract, date_part, date_trunc, now and its aliases, current_date,
// clock_timestamp, age, make_date, make_time, make_timestamp, make_interval, to_timestamp,
// date_bin, isfinite, justify_days, justify_hours, justify_interval.

#include <chrono>
#include <cmath>
#include <string>

#include "sql/functions/registration_internal.h"
#include "sql/functions/temporal_internal.h"
#include "sql/functions/text_internal.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/temporal.h"

namespace floe::sql::internal {
namespace {

using types::Int128;
using types::Interval;
using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

constexpr int64_t kMicrosPerDay = types::kMicrosPerDay;

enum class Field : uint8_t {
  kMicroseconds,
  kMilliseconds,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kDayOfWeek,
  kIsoDayOfWeek,
  kDayOfYear,
  kIsoYear,
  kEpoch,
  kJulian,
  kTimezone,  // The offset from UTC in seconds (TIMESTAMPTZ only).
  kTimezoneHour,
  kTimezoneMinute,
};

std::optional<Field> ParseField(std::string_view text) {
  std::string name;
  AppendLower(text, name);
  struct Alias {
    std::string_view name;
    Field field;
  };
  static constexpr Alias kAliases[] = {
      {"microsecond", Field::kMicroseconds},
      {"microseconds", Field::kMicroseconds},
      {"us", Field::kMicroseconds},
      {"usec", Field::kMicroseconds},
      {"usecs", Field::kMicroseconds},
      {"millisecond", Field::kMilliseconds},
      {"milliseconds", Field::kMilliseconds},
      {"ms", Field::kMilliseconds},
      {"msec", Field::kMilliseconds},
      {"msecs", Field::kMilliseconds},
      {"second", Field::kSecond},
      {"seconds", Field::kSecond},
      {"s", Field::kSecond},
      {"sec", Field::kSecond},
      {"secs", Field::kSecond},
      {"minute", Field::kMinute},
      {"minutes", Field::kMinute},
      {"m", Field::kMinute},
      {"min", Field::kMinute},
      {"mins", Field::kMinute},
      {"hour", Field::kHour},
      {"hours", Field::kHour},
      {"h", Field::kHour},
      {"hr", Field::kHour},
      {"hrs", Field::kHour},
      {"day", Field::kDay},
      {"days", Field::kDay},
      {"d", Field::kDay},
      {"week", Field::kWeek},
      {"weeks", Field::kWeek},
      {"w", Field::kWeek},
      {"month", Field::kMonth},
      {"months", Field::kMonth},
      {"mon", Field::kMonth},
      {"mons", Field::kMonth},
      {"quarter", Field::kQuarter},
      {"qtr", Field::kQuarter},
      {"year", Field::kYear},
      {"years", Field::kYear},
      {"y", Field::kYear},
      {"yr", Field::kYear},
      {"yrs", Field::kYear},
      {"decade", Field::kDecade},
      {"decades", Field::kDecade},
      {"dec", Field::kDecade},
      {"century", Field::kCentury},
      {"centuries", Field::kCentury},
      {"c", Field::kCentury},
      {"cent", Field::kCentury},
      {"millennium", Field::kMillennium},
      {"millennia", Field::kMillennium},
      {"mil", Field::kMillennium},
      {"dow", Field::kDayOfWeek},
      {"isodow", Field::kIsoDayOfWeek},
      {"doy", Field::kDayOfYear},
      {"isoyear", Field::kIsoYear},
      {"epoch", Field::kEpoch},
      {"julian", Field::kJulian},
      {"j", Field::kJulian},
      {"timezone", Field::kTimezone},
      {"timezone_h", Field::kTimezoneHour},
      {"timezone_hour", Field::kTimezoneHour},
      {"timezone_m", Field::kTimezoneMinute},
      {"timezone_minute", Field::kTimezoneMinute},
  };
  for (const Alias& alias : kAliases) {
    if (alias.name == name) {
      return alias.field;
    }
  }
  return std::nullopt;
}

// The scale of extract()'s numeric result for a field, as PostgreSQL 14+ prints it.
int FieldScale(Field field, TypeId source) {
  switch (field) {
    case Field::kSecond:
      return 6;
    case Field::kMilliseconds:
      return 3;
    case Field::kEpoch:
      return source == TypeId::kDate ? 0 : 6;
    default:
      return 0;
  }
}

Status UnitNotRecognized(std::string_view unit, const LogicalType& type) {
  return Status::InvalidArgument("unit \"{}\" not recognized for type {}", unit, type.ToString())
      .WithSqlState("22023");
}

Status UnitNotSupported(std::string_view unit, const LogicalType& type) {
  return Status::NotSupported("unit \"{}\" not supported for type {}", unit, type.ToString())
      .WithSqlState("0A000");
}

Status InfiniteValue() {
  return Status::NotSupported("extracting a field of an infinite date or timestamp");
}

// ISO 8601 week-numbering year and week of a day count.
void IsoWeek(int64_t days, int64_t* iso_year, int64_t* week) {
  int64_t dow = ((days % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday; 0 is Sunday.
  int64_t iso_dow = dow == 0 ? 7 : dow;
  int64_t thursday = days + (4 - iso_dow);
  types::CivilDate date = types::CivilFromDays(thursday);
  int64_t first = types::DaysFromCivil({date.year, 1, 1});
  *iso_year = date.year;
  *week = (thursday - first) / 7 + 1;
}

// Computes a field of a timestamp (or date, as its midnight) as an unscaled value at
// FieldScale. A TIMESTAMPTZ comes with the session's `zone` and is split in local time. Returns
// false when the field does not apply to the type.
bool ExtractFromTimestamp(Field field, int64_t micros, bool is_date, Int128* out,
                          const types::TimeZone* zone = nullptr) {
  int64_t instant = micros;
  int64_t offset = 0;
  if (zone != nullptr && IsFiniteTimestamp(micros)) {
    micros = zone->ToLocalMicros(instant);
    offset = (micros - instant) / types::kMicrosPerSecond;
  }
  CivilTime t = SplitTimestamp(micros);
  int64_t year = t.year;
  auto positive_year = [&] { return year > 0 ? year : year - 1; };  // No year 0 in BC/AD.
  int64_t second_micros = int64_t{t.second} * 1'000'000 + t.microsecond;
  switch (field) {
    case Field::kMicroseconds:
      *out = second_micros;
      return !is_date;
    case Field::kMilliseconds:
      *out = second_micros;  // At scale 3, micros are milliseconds.
      return !is_date;
    case Field::kSecond:
      *out = second_micros;
      return !is_date;
    case Field::kMinute:
      *out = t.minute;
      return !is_date;
    case Field::kHour:
      *out = t.hour;
      return !is_date;
    case Field::kDay:
      *out = t.day;
      return true;
    case Field::kMonth:
      *out = t.month;
      return true;
    case Field::kQuarter:
      *out = (t.month - 1) / 3 + 1;
      return true;
    case Field::kYear:
      *out = positive_year();
      return true;
    case Field::kDecade:
      *out = year >= 0 ? year / 10 : -((8 - (year - 1)) / 10);
      return true;
    case Field::kCentury:
      *out = year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100);
      return true;
    case Field::kMillennium:
      *out = year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000);
      return true;
    case Field::kDayOfWeek:
      *out = ((t.days % 7) + 7 + 4) % 7;
      return true;
    case Field::kIsoDayOfWeek: {
      int64_t dow = ((t.days % 7) + 7 + 4) % 7;
      *out = dow == 0 ? 7 : dow;
      return true;
    }
    case Field::kDayOfYear:
      *out = t.days - types::DaysFromCivil({year, 1, 1}) + 1;
      return true;
    case Field::kWeek:
    case Field::kIsoYear: {
      int64_t iso_year = 0;
      int64_t week = 0;
      IsoWeek(t.days, &iso_year, &week);
      *out = field == Field::kWeek ? week : (iso_year > 0 ? iso_year : iso_year - 1);
      return true;
    }
    case Field::kEpoch:
      *out = is_date ? Int128{t.days} * 86400 : Int128{instant};
      return true;
    case Field::kJulian:
      // Julian day 2440588 is 1970-01-01.
      *out = t.days + 2440588;
      return is_date;
    case Field::kTimezone:
      *out = offset;
      return zone != nullptr;
    case Field::kTimezoneHour:
      *out = offset / 3600;
      return zone != nullptr;
    case Field::kTimezoneMinute:
      *out = offset / 60 % 60;
      return zone != nullptr;
  }
  return false;
}

bool ExtractFromTime(Field field, int64_t micros, Int128* out) {
  int64_t second_micros = micros % types::kMicrosPerMinute;
  switch (field) {
    case Field::kMicroseconds:
    case Field::kMilliseconds:
    case Field::kSecond:
      *out = second_micros;
      return true;
    case Field::kMinute:
      *out = micros / types::kMicrosPerMinute % 60;
      return true;
    case Field::kHour:
      *out = micros / types::kMicrosPerHour;
      return true;
    case Field::kEpoch:
      *out = micros;
      return true;
    default:
      return false;
  }
}

bool ExtractFromInterval(Field field, const Interval& interval, Int128* out) {
  int64_t time = interval.micros;
  switch (field) {
    case Field::kMicroseconds:
    case Field::kMilliseconds:
    case Field::kSecond:
      *out = time % types::kMicrosPerMinute;
      return true;
    case Field::kMinute:
      *out = time / types::kMicrosPerMinute % 60;
      return true;
    case Field::kHour:
      *out = time / types::kMicrosPerHour;
      return true;
    case Field::kDay:
      *out = interval.days;
      return true;
    case Field::kMonth:
      *out = interval.months % 12;
      return true;
    case Field::kQuarter:
      *out = (interval.months % 12) / 3 + 1;
      return true;
    case Field::kYear:
      *out = interval.months / 12;
      return true;
    case Field::kDecade:
      *out = interval.months / 120;
      return true;
    case Field::kCentury:
      *out = interval.months / 1200;
      return true;
    case Field::kMillennium:
      *out = interval.months / 12000;
      return true;
    case Field::kEpoch: {
      // PostgreSQL counts a year as 365.25 days and a month as 30 days.
      Int128 years = interval.months / 12;
      Int128 months = interval.months % 12;
      *out = years * 36525 * kMicrosPerDay / 100 + months * 30 * kMicrosPerDay +
             Int128{interval.days} * kMicrosPerDay + time;
      return true;
    }
    default:
      return false;
  }
}

// The unscaled value of the field at its natural scale: micros-based fields come at scale 6
// (seconds, epoch), at scale 3 (milliseconds, from micros / 1000 in exact arithmetic) or 0.
Result<std::pair<Int128, int>> ExtractAny(Field field, std::string_view unit, const Vector& source,
                                          int64_t row, const types::TimeZone& zone) {
  const LogicalType& type = source.type();
  Int128 value = 0;
  bool supported = false;
  int natural_scale = 0;
  switch (type.id()) {
    case TypeId::kDate: {
      int32_t days = source.Get<int32_t>(row);
      if (days == types::kDateInfinity || days == types::kDateNegativeInfinity) {
        return InfiniteValue();
      }
      supported = ExtractFromTimestamp(field, int64_t{days} * kMicrosPerDay, true, &value);
      break;
    }
    case TypeId::kTime:
      supported = ExtractFromTime(field, source.Get<int64_t>(row), &value);
      break;
    case TypeId::kInterval:
      supported = ExtractFromInterval(field, source.Get<Interval>(row), &value);
      break;
    default: {
      int64_t micros = source.Get<int64_t>(row);
      if (!IsFiniteTimestamp(micros)) {
        return InfiniteValue();
      }
      supported = ExtractFromTimestamp(field, micros, false, &value,
                                       type.id() == TypeId::kTimestampTz ? &zone : nullptr);
      break;
    }
  }
  if (!supported) {
    return UnitNotSupported(unit, type);
  }
  switch (field) {
    case Field::kSecond:
    case Field::kMilliseconds:
      natural_scale = field == Field::kSecond ? 6 : 3;
      break;
    case Field::kEpoch:
      natural_scale = type.id() == TypeId::kDate ? 0 : 6;
      break;
    default:
      break;
  }
  return std::make_pair(value, natural_scale);
}

// extract and date_part of a date or timestamp with a constant field: one loop over the values.
Result<Vector> ExtractConstantField(FunctionContext& context, std::span<const Vector> args,
                                    int64_t rows, const LogicalType& result, bool as_double) {
  std::string_view unit = args[0].GetString(0);
  const LogicalType& type = args[1].type();
  std::optional<Field> parsed = ParseField(unit);
  if (!parsed.has_value()) {
    return UnitNotRecognized(unit, type);
  }
  Field field = *parsed;
  bool is_date = type.id() == TypeId::kDate;
  const types::TimeZone* zone = type.id() == TypeId::kTimestampTz ? &SessionZone(context) : nullptr;
  Int128 probe = 0;
  if (!ExtractFromTimestamp(field, 0, is_date, &probe, zone)) {
    return UnitNotSupported(unit, type);
  }
  int natural = FieldScale(field, type.id());
  double divisor = std::pow(10.0, natural);
  Int128 factor = types::PowerOfTen(std::max(0, result.scale() - natural));
  auto compute = [field, is_date, zone](int64_t micros, Int128* value) -> unsigned {
    if (!IsFiniteTimestamp(micros)) {
      return 1;
    }
    ExtractFromTimestamp(field, micros, is_date, value, zone);
    return 0;
  };
  auto run = [&](auto input_storage, auto output_storage) -> Result<Vector> {
    using A = decltype(input_storage);
    using R = decltype(output_storage);
    return UnaryFixed<A, R>(
        context, args[1], rows, result,
        [&](A input, R* out) -> unsigned {
          int64_t micros = 0;
          if constexpr (std::is_same_v<A, int32_t>) {
            bool finite = input != types::kDateInfinity && input != types::kDateNegativeInfinity;
            micros = finite ? int64_t{input} * kMicrosPerDay : types::kTimestampInfinity;
          } else {
            micros = input;
          }
          Int128 value = 0;
          unsigned code = compute(micros, &value);
          if constexpr (std::is_same_v<R, double>) {
            *out = static_cast<double>(value) / divisor;
          } else {
            *out = static_cast<R>(value * factor);
          }
          return code;
        },
        [](unsigned) { return InfiniteValue(); });
  };
  auto with_input = [&](auto output_storage) -> Result<Vector> {
    if (is_date) {
      return run(int32_t{}, output_storage);
    }
    return run(int64_t{}, output_storage);
  };
  if (as_double) {
    return with_input(double{});
  }
  if (IsDecimal64(result)) {
    return with_input(int64_t{});
  }
  return with_input(Int128{});
}

// extract(field, x) returns numeric; when the field is a known constant the result's scale is
// the field's (0 for year, 6 for second), else DECIMAL(38,6).
ScalarOverload ExtractOverload(TypeId source, bool as_double) {
  ScalarOverload overload;
  overload.name = as_double ? "date_part" : "extract";
  overload.arguments = Specs({TypeId::kVarchar, source});
  overload.bind_with_constants =
      [source, as_double](std::span<const LogicalType>,
                          std::span<const types::Value> constants) -> Result<BoundScalar> {
    LogicalType result = LogicalType::Double();
    if (!as_double) {
      int scale = 6;
      if (!constants.empty() && !constants[0].is_null() &&
          constants[0].type().id() == TypeId::kVarchar) {
        std::optional<Field> field = ParseField(constants[0].string_value());
        if (field.has_value()) {
          scale = FieldScale(*field, source);
        }
      }
      result = LogicalType::Decimal(scale == 0 ? 18 : 38, scale).value();
    }
    ScalarKernel kernel = [result, as_double](FunctionContext& context,
                                              std::span<const Vector> args,
                                              int64_t rows) -> Result<Vector> {
      TypeId source_id = args[1].type().id();
      if (args[0].encoding() == vector::Encoding::kConstant &&
          (source_id == TypeId::kDate || source_id == TypeId::kTimestamp ||
           source_id == TypeId::kTimestampTz)) {
        return ExtractConstantField(context, args, rows, result, as_double);
      }
      std::optional<Field> field;
      std::string last_unit;
      return BuildRows(context, args, rows, result, [&](int64_t row, VectorBuilder& out) -> Status {
        std::string_view unit = args[0].GetString(row);
        if (!field.has_value() || unit != last_unit) {
          field = ParseField(unit);
          if (!field.has_value()) {
            return UnitNotRecognized(unit, args[1].type());
          }
          last_unit = std::string(unit);
        }
        FLOE_ASSIGN_OR_RETURN(auto extracted,
                              ExtractAny(*field, unit, args[1], row, SessionZone(context)));
        auto [value, scale] = extracted;
        if (*field == Field::kMicroseconds) {
          scale = 0;
        }
        if (as_double) {
          return out.Append<double>(static_cast<double>(value) / std::pow(10.0, scale));
        }
        FLOE_ASSIGN_OR_RETURN(
            Int128 scaled, types::RescaleDecimal(value, scale, result.precision(), result.scale()));
        return IsDecimal64(result) ? out.Append<int64_t>(static_cast<int64_t>(scaled))
                                   : out.Append<Int128>(scaled);
      });
    };
    return BoundScalar{result, StrictKernel(result, kernel)};
  };
  return overload;
}

// date_trunc for timestamps: zeroes the fields below `field`; weeks start on Monday.
Result<int64_t> TruncateTimestamp(Field field, int64_t micros) {
  if (!IsFiniteTimestamp(micros)) {
    return micros;
  }
  CivilTime t = SplitTimestamp(micros);
  int64_t days = t.days;
  int64_t time = micros - days * kMicrosPerDay;
  auto at = [](int64_t year, int month, int day) {
    return types::DaysFromCivil({year, month, day}) * kMicrosPerDay;
  };
  auto floor_year = [&](int64_t unit) {
    // Decades, centuries and millennia start at years ending in 0, 01 and 001.
    int64_t offset = unit == 10 ? 0 : 1;
    int64_t year = t.year - offset;
    int64_t start = (year >= 0 ? year / unit : (year - unit + 1) / unit) * unit + offset;
    return at(start, 1, 1);
  };
  switch (field) {
    case Field::kMicroseconds:
      return micros;
    case Field::kMilliseconds:
      return days * kMicrosPerDay + time / 1000 * 1000;
    case Field::kSecond:
      return days * kMicrosPerDay + time / types::kMicrosPerSecond * types::kMicrosPerSecond;
    case Field::kMinute:
      return days * kMicrosPerDay + time / types::kMicrosPerMinute * types::kMicrosPerMinute;
    case Field::kHour:
      return days * kMicrosPerDay + time / types::kMicrosPerHour * types::kMicrosPerHour;
    case Field::kDay:
      return days * kMicrosPerDay;
    case Field::kWeek: {
      int64_t dow = ((days % 7) + 7 + 4) % 7;
      int64_t iso_dow = dow == 0 ? 7 : dow;
      return (days - (iso_dow - 1)) * kMicrosPerDay;
    }
    case Field::kMonth:
      return at(t.year, t.month, 1);
    case Field::kQuarter:
      return at(t.year, (t.month - 1) / 3 * 3 + 1, 1);
    case Field::kYear:
      return at(t.year, 1, 1);
    case Field::kDecade:
      return floor_year(10);
    case Field::kCentury:
      return floor_year(100);
    case Field::kMillennium:
      return floor_year(1000);
    default:
      return Status::NotSupported("date_trunc unit");
  }
}

Result<Interval> TruncateInterval(Field field, const Interval& interval) {
  Interval result = interval;
  switch (field) {
    case Field::kMicroseconds:
      return result;
    case Field::kMilliseconds:
      result.micros = interval.micros / 1000 * 1000;
      return result;
    case Field::kSecond:
      result.micros = interval.micros / types::kMicrosPerSecond * types::kMicrosPerSecond;
      return result;
    case Field::kMinute:
      result.micros = interval.micros / types::kMicrosPerMinute * types::kMicrosPerMinute;
      return result;
    case Field::kHour:
      result.micros = interval.micros / types::kMicrosPerHour * types::kMicrosPerHour;
      return result;
    case Field::kDay:
      result.micros = 0;
      return result;
    case Field::kMonth:
      return Interval{interval.months, 0, 0};
    case Field::kQuarter:
      return Interval{interval.months / 3 * 3, 0, 0};
    case Field::kYear:
      return Interval{interval.months / 12 * 12, 0, 0};
    case Field::kDecade:
      return Interval{interval.months / 120 * 120, 0, 0};
    case Field::kCentury:
      return Interval{interval.months / 1200 * 1200, 0, 0};
    case Field::kMillennium:
      return Interval{interval.months / 12000 * 12000, 0, 0};
    default:
      return Status::NotSupported("date_trunc unit");
  }
}

// date_trunc of a TIMESTAMPTZ truncates local time in `zone`. As in PostgreSQL, units of a day
// and more find the offset of the truncated time again; smaller units keep the original one.
Result<int64_t> TruncateZoned(Field field, int64_t micros, const types::TimeZone& zone) {
  if (!IsFiniteTimestamp(micros)) {
    return micros;
  }
  int64_t local = zone.ToLocalMicros(micros);
  FLOE_ASSIGN_OR_RETURN(int64_t truncated, TruncateTimestamp(field, local));
  bool is_below_day = field == Field::kHour || field == Field::kMinute || field == Field::kSecond ||
                      field == Field::kMilliseconds || field == Field::kMicroseconds;
  return is_below_day ? truncated - (local - micros) : zone.ToUtcMicros(truncated);
}

void RegisterTruncation(FunctionRegistry& registry) {
  registry.AddScalar(FixedOverload(
      "date_trunc", {TypeId::kVarchar, TypeId::kTimestamp}, LogicalType::Timestamp(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        LogicalType type = LogicalType::Timestamp();
        return BuildRows(context, args, rows, type, [&](int64_t row, VectorBuilder& out) -> Status {
          std::string_view unit = args[0].GetString(row);
          std::optional<Field> field = ParseField(unit);
          if (!field.has_value()) {
            return UnitNotRecognized(unit, type);
          }
          Result<int64_t> result = TruncateTimestamp(*field, args[1].Get<int64_t>(row));
          if (!result.ok()) {
            return UnitNotSupported(unit, type);
          }
          return out.Append<int64_t>(*result);
        });
      }));
  // date_trunc(unit, timestamptz [, zone]): in the session's zone, or the one named.
  auto zoned_kernel = [](bool has_zone) -> ScalarKernel {
    return [has_zone](FunctionContext& context, std::span<const Vector> args,
                      int64_t rows) -> Result<Vector> {
      LogicalType type = LogicalType::TimestampTz();
      const types::TimeZone* zone = &SessionZone(context);
      std::string last_zone_name;
      bool has_last_zone = false;
      return BuildRows(context, args, rows, type, [&](int64_t row, VectorBuilder& out) -> Status {
        if (has_zone) {
          // Rows usually share one zone name: look it up once.
          std::string_view name = args[2].GetString(row);
          if (!has_last_zone || name != last_zone_name) {
            FLOE_ASSIGN_OR_RETURN(zone, types::TimeZone::FindForText(name));
            last_zone_name = std::string(name);
            has_last_zone = true;
          }
        }
        std::string_view unit = args[0].GetString(row);
        std::optional<Field> field = ParseField(unit);
        if (!field.has_value()) {
          return UnitNotRecognized(unit, type);
        }
        Result<int64_t> result = TruncateZoned(*field, args[1].Get<int64_t>(row), *zone);
        if (!result.ok()) {
          return UnitNotSupported(unit, type);
        }
        return out.Append<int64_t>(*result);
      });
    };
  };
  registry.AddScalar(FixedOverload("date_trunc", {TypeId::kVarchar, TypeId::kTimestampTz},
                                   LogicalType::TimestampTz(), zoned_kernel(false)));
  registry.AddScalar(FixedOverload("date_trunc",
                                   {TypeId::kVarchar, TypeId::kTimestampTz, TypeId::kVarchar},
                                   LogicalType::TimestampTz(), zoned_kernel(true)));
  registry.AddScalar(FixedOverload(
      "date_trunc", {TypeId::kVarchar, TypeId::kInterval}, LogicalType::Interval(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Interval(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           std::string_view unit = args[0].GetString(row);
                           std::optional<Field> field = ParseField(unit);
                           if (!field.has_value()) {
                             return UnitNotRecognized(unit, LogicalType::Interval());
                           }
                           Result<Interval> result =
                               TruncateInterval(*field, args[1].Get<Interval>(row));
                           if (!result.ok()) {
                             return UnitNotSupported(unit, LogicalType::Interval());
                           }
                           return out.Append<Interval>(*result);
                         });
      }));
}

// Functions without arguments whose value comes from the statement or the clock.
ScalarOverload ClockOverload(const char* name, LogicalType type, bool is_statement_time) {
  ScalarOverload overload;
  overload.name = name;
  overload.deterministic = is_statement_time;
  overload.bind = [type, is_statement_time](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [type, is_statement_time](FunctionContext& context,
                                                    std::span<const Vector>,
                                                    int64_t rows) -> Result<Vector> {
      int64_t micros = context.statement_time_micros;
      if (!is_statement_time) {
        micros = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
      }
      VectorBuilder builder(type, context.tracker);
      if (type.id() != TypeId::kTimestampTz) {
        // current_date and localtimestamp are the session zone's wall clock.
        micros = SessionZone(context).ToLocalMicros(micros);
      }
      if (type.id() == TypeId::kDate) {
        FLOE_RETURN_NOT_OK(builder.Append<int32_t>(types::TimestampToDate(micros)));
      } else {
        FLOE_RETURN_NOT_OK(builder.Append<int64_t>(micros));
      }
      FLOE_ASSIGN_OR_RETURN(Vector one, builder.Finish());
      return Vector::MakeConstant(one, 0, rows, context.tracker);
    };
    return BoundScalar{type, kernel};
  };
  return overload;
}

void RegisterClock(FunctionRegistry& registry) {
  for (const char* name :
       {"now", "current_timestamp", "transaction_timestamp", "statement_timestamp"}) {
    registry.AddScalar(ClockOverload(name, LogicalType::TimestampTz(), true));
  }
  registry.AddScalar(ClockOverload("localtimestamp", LogicalType::Timestamp(), true));
  registry.AddScalar(ClockOverload("current_date", LogicalType::Date(), true));
  registry.AddScalar(ClockOverload("clock_timestamp", LogicalType::TimestampTz(), false));
}

// PostgreSQL's age(): the field-wise difference, borrowing from the next larger field, with
// a month borrowed as the length of the earlier timestamp's month.
Interval Age(int64_t later, int64_t earlier) {
  CivilTime a = SplitTimestamp(later);
  CivilTime b = SplitTimestamp(earlier);
  int64_t usec = a.microsecond - b.microsecond;
  int64_t sec = a.second - b.second;
  int64_t min = a.minute - b.minute;
  int64_t hour = a.hour - b.hour;
  int64_t day = a.day - b.day;
  int64_t month = a.month - b.month;
  int64_t year = a.year - b.year;
  bool flip = later < earlier;
  auto negate_all = [&] {
    usec = -usec;
    sec = -sec;
    min = -min;
    hour = -hour;
    day = -day;
    month = -month;
    year = -year;
  };
  if (flip) {
    negate_all();
  }
  while (usec < 0) {
    usec += 1'000'000;
    --sec;
  }
  while (sec < 0) {
    sec += 60;
    --min;
  }
  while (min < 0) {
    min += 60;
    --hour;
  }
  while (hour < 0) {
    hour += 24;
    --day;
  }
  while (day < 0) {
    const CivilTime& from = flip ? a : b;
    day += types::DaysInMonth(from.year, from.month);
    --month;
  }
  while (month < 0) {
    month += 12;
    --year;
  }
  if (flip) {
    negate_all();
  }
  return Interval{static_cast<int32_t>(year * 12 + month), static_cast<int32_t>(day),
                  ((hour * 60 + min) * 60 + sec) * 1'000'000 + usec};
}

void RegisterAge(FunctionRegistry& registry) {
  // age of TIMESTAMPTZ values compares their local times in the session's zone.
  for (TypeId id : {TypeId::kTimestamp, TypeId::kTimestampTz}) {
    bool is_zoned = id == TypeId::kTimestampTz;
    registry.AddScalar(FixedOverload(
        "age", {id, id}, LogicalType::Interval(),
        [is_zoned](FunctionContext& context, std::span<const Vector> args,
                   int64_t rows) -> Result<Vector> {
          const types::TimeZone& zone = is_zoned ? SessionZone(context) : types::TimeZone::Utc();
          return BinaryFixed<int64_t, int64_t, Interval>(
              context, args[0], args[1], rows, LogicalType::Interval(),
              [&zone](int64_t a, int64_t b, Interval* out) -> unsigned {
                if (!IsFiniteTimestamp(a) || !IsFiniteTimestamp(b)) {
                  *out = Interval{};
                  return 1;
                }
                *out = Age(zone.ToLocalMicros(a), zone.ToLocalMicros(b));
                return 0;
              },
              [](unsigned) {
                return Status::OutOfRange("interval out of range").WithSqlState("22008");
              });
        }));
    // age(x) measures from midnight of the statement's date.
    registry.AddScalar(FixedOverload(
        "age", {id}, LogicalType::Interval(),
        [is_zoned](FunctionContext& context, std::span<const Vector> args,
                   int64_t rows) -> Result<Vector> {
          const types::TimeZone& zone = SessionZone(context);
          int64_t today = types::TimestampToDate(zone.ToLocalMicros(context.statement_time_micros));
          int64_t midnight = today * kMicrosPerDay;
          return BuildRows(
              context, args, rows, LogicalType::Interval(),
              [&](int64_t row, VectorBuilder& out) -> Status {
                int64_t value = args[0].Get<int64_t>(row);
                if (!IsFiniteTimestamp(value)) {
                  return Status::OutOfRange("interval out of range").WithSqlState("22008");
                }
                return out.Append<Interval>(
                    Age(midnight, is_zoned ? zone.ToLocalMicros(value) : value));
              });
        }));
  }
}

// timezone(zone, x), which `x AT TIME ZONE zone` calls: a TIMESTAMP read as local time in the
// zone gives a TIMESTAMPTZ; a TIMESTAMPTZ gives the zone's local TIMESTAMP. The zone is a name,
// abbreviation or POSIX string, or an interval of hours east of UTC.
Result<const types::TimeZone*> ZoneOfInterval(const Interval& interval) {
  if (interval.months != 0 || interval.days != 0) {
    return Status::InvalidArgument("interval time zone \"{}\" must not include months or days",
                                   types::FormatInterval(interval))
        .WithSqlState("22023");
  }
  int64_t seconds = interval.micros / types::kMicrosPerSecond;
  Result<const types::TimeZone*> zone = types::TimeZone::FixedOffset(static_cast<int32_t>(seconds));
  if (!zone.ok() || interval.micros % types::kMicrosPerSecond != 0) {
    return Status::InvalidArgument("interval time zone \"{}\" is out of range",
                                   types::FormatInterval(interval))
        .WithSqlState("22023");
  }
  return zone;
}

void RegisterTimezone(FunctionRegistry& registry) {
  for (TypeId zone_id : {TypeId::kVarchar, TypeId::kInterval}) {
    for (TypeId id : {TypeId::kTimestamp, TypeId::kTimestampTz}) {
      bool to_local = id == TypeId::kTimestampTz;
      LogicalType result = to_local ? LogicalType::Timestamp() : LogicalType::TimestampTz();
      registry.AddScalar(FixedOverload(
          "timezone", {zone_id, id}, result,
          [to_local, result, zone_id](FunctionContext& context, std::span<const Vector> args,
                                      int64_t rows) -> Result<Vector> {
            const types::TimeZone* zone = nullptr;
            std::string last_name;
            Interval last_interval{};
            return BuildRows(context, args, rows, result,
                             [&](int64_t row, VectorBuilder& out) -> Status {
                               // Rows usually share one zone: resolve it again only when it
                               // changes.
                               if (zone_id == TypeId::kVarchar) {
                                 std::string_view name = args[0].GetString(row);
                                 if (zone == nullptr || name != last_name) {
                                   FLOE_ASSIGN_OR_RETURN(zone, types::TimeZone::FindForText(name));
                                   last_name = std::string(name);
                                 }
                               } else {
                                 Interval interval = args[0].Get<Interval>(row);
                                 if (zone == nullptr || !(interval == last_interval)) {
                                   FLOE_ASSIGN_OR_RETURN(zone, ZoneOfInterval(interval));
                                   last_interval = interval;
                                 }
                               }
                               int64_t micros = args[1].Get<int64_t>(row);
                               return out.Append<int64_t>(to_local ? zone->ToLocalMicros(micros)
                                                                   : zone->ToUtcMicros(micros));
                             });
          }));
    }
  }
}

Status DateFieldOutOfRange(int64_t year, int64_t month, int64_t day) {
  return Status::OutOfRange("date field value out of range: {}-{:02}-{:02}", year, month, day)
      .WithSqlState("22008");
}

Result<int64_t> MakeDays(int64_t year, int64_t month, int64_t day) {
  if (year == 0 || month < 1 || month > 12 || day < 1 ||
      day > types::DaysInMonth(year < 0 ? year + 1 : year, static_cast<int>(month))) {
    return DateFieldOutOfRange(year, month, day);
  }
  // Negative years are BC: -1 is 1 BC, astronomical year 0.
  int64_t astronomical = year < 0 ? year + 1 : year;
  return types::DaysFromCivil({astronomical, static_cast<int>(month), static_cast<int>(day)});
}

Result<int64_t> MakeTimeMicros(int64_t hour, int64_t minute, double second) {
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59 || second < 0 || second > 60 ||
      (hour == 24 && (minute != 0 || second != 0))) {
    return Status::OutOfRange("time field value out of range: {}:{:02}:{:02}", hour, minute, second)
        .WithSqlState("22008");
  }
  return (hour * 60 + minute) * types::kMicrosPerMinute +
         static_cast<int64_t>(std::rint(second * 1e6));
}

void RegisterConstructors(FunctionRegistry& registry) {
  TypeId integer = TypeId::kInteger;
  TypeId dbl = TypeId::kDouble;
  registry.AddScalar(FixedOverload(
      "make_date", {integer, integer, integer}, LogicalType::Date(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Date(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           FLOE_ASSIGN_OR_RETURN(int64_t days, MakeDays(args[0].Get<int32_t>(row),
                                                                        args[1].Get<int32_t>(row),
                                                                        args[2].Get<int32_t>(row)));
                           return out.Append<int32_t>(static_cast<int32_t>(days));
                         });
      }));
  registry.AddScalar(FixedOverload(
      "make_time", {integer, integer, dbl}, LogicalType::Time(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Time(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           FLOE_ASSIGN_OR_RETURN(
                               int64_t micros,
                               MakeTimeMicros(args[0].Get<int32_t>(row), args[1].Get<int32_t>(row),
                                              args[2].Get<double>(row)));
                           return out.Append<int64_t>(micros);
                         });
      }));
  registry.AddScalar(FixedOverload(
      "make_timestamp", {integer, integer, integer, integer, integer, dbl},
      LogicalType::Timestamp(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Timestamp(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           FLOE_ASSIGN_OR_RETURN(int64_t days, MakeDays(args[0].Get<int32_t>(row),
                                                                        args[1].Get<int32_t>(row),
                                                                        args[2].Get<int32_t>(row)));
                           FLOE_ASSIGN_OR_RETURN(
                               int64_t micros,
                               MakeTimeMicros(args[3].Get<int32_t>(row), args[4].Get<int32_t>(row),
                                              args[5].Get<double>(row)));
                           return out.Append<int64_t>(days * kMicrosPerDay + micros);
                         });
      }));
  // make_interval(years, months, weeks, days, hours, mins, secs), each optional from the right.
  for (size_t count = 0; count <= 7; ++count) {
    std::vector<ArgumentSpec> specs;
    for (size_t index = 0; index < count; ++index) {
      specs.push_back(ArgumentSpec::Of(index == 6 ? dbl : integer));
    }
    registry.AddScalar(BoundOverload(
        "make_interval", specs, [](std::span<const LogicalType>) -> Result<BoundScalar> {
          ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector> args,
                                   int64_t rows) -> Result<Vector> {
            return BuildRows(
                context, args, rows, LogicalType::Interval(),
                [&](int64_t row, VectorBuilder& out) -> Status {
                  int64_t parts[6] = {};
                  for (size_t index = 0; index < std::min<size_t>(args.size(), 6); ++index) {
                    parts[index] = args[index].Get<int32_t>(row);
                  }
                  double seconds = args.size() == 7 ? args[6].Get<double>(row) : 0.0;
                  int64_t months = parts[0] * 12 + parts[1];
                  int64_t days = parts[2] * 7 + parts[3];
                  double micros = static_cast<double>(parts[4] * types::kMicrosPerHour +
                                                      parts[5] * types::kMicrosPerMinute) +
                                  std::rint(seconds * 1e6);
                  if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX ||
                      days < INT32_MIN || !std::isfinite(micros) || std::abs(micros) > 9e18) {
                    return Status::OutOfRange("interval out of range").WithSqlState("22008");
                  }
                  return out.Append<Interval>(Interval{static_cast<int32_t>(months),
                                                       static_cast<int32_t>(days),
                                                       static_cast<int64_t>(micros)});
                });
          };
          return BoundScalar{LogicalType::Interval(), kernel};
        }));
  }
  registry.AddScalar(FixedOverload(
      "to_timestamp", {dbl}, LogicalType::TimestampTz(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return UnaryFixed<double, int64_t>(
            context, args[0], rows, LogicalType::TimestampTz(),
            [](double seconds, int64_t* out) -> unsigned {
              if (std::isinf(seconds)) {
                *out = seconds > 0 ? types::kTimestampInfinity : types::kTimestampNegativeInfinity;
                return 0;
              }
              double micros = std::rint(seconds * 1e6);
              if (std::isnan(micros) || micros < static_cast<double>(kMinTimestamp) ||
                  micros > static_cast<double>(kMaxTimestamp)) {
                *out = 0;
                return 1;
              }
              *out = static_cast<int64_t>(micros);
              return 0;
            },
            [](unsigned) {
              return Status::OutOfRange("timestamp out of range").WithSqlState("22008");
            });
      }));
}

void RegisterIntervalHelpers(FunctionRegistry& registry) {
  auto justify = [](bool days, bool hours) {
    return [days, hours](FunctionContext& context, std::span<const Vector> args,
                         int64_t rows) -> Result<Vector> {
      return UnaryFixed<Interval, Interval>(
          context, args[0], rows, LogicalType::Interval(),
          [days, hours](const Interval& in, Interval* out) -> unsigned {
            int64_t months = in.months;
            int64_t day_count = in.days;
            int64_t micros = in.micros;
            if (hours) {
              day_count += micros / kMicrosPerDay;
              micros %= kMicrosPerDay;
            }
            if (days) {
              months += day_count / 30;
              day_count %= 30;
            }
            // justify_interval makes all fields share one sign, as PostgreSQL does.
            if (days && hours) {
              if (months > 0 && (day_count < 0 || (day_count == 0 && micros < 0))) {
                day_count += 30;
                --months;
              } else if (months < 0 && (day_count > 0 || (day_count == 0 && micros > 0))) {
                day_count -= 30;
                ++months;
              }
              if (day_count > 0 && micros < 0) {
                micros += kMicrosPerDay;
                --day_count;
              } else if (day_count < 0 && micros > 0) {
                micros -= kMicrosPerDay;
                ++day_count;
              }
            } else if (hours) {
              if (day_count > 0 && micros < 0) {
                micros += kMicrosPerDay;
                --day_count;
              } else if (day_count < 0 && micros > 0) {
                micros -= kMicrosPerDay;
                ++day_count;
              }
            }
            if (months > INT32_MAX || months < INT32_MIN || day_count > INT32_MAX ||
                day_count < INT32_MIN) {
              *out = Interval{};
              return 1;
            }
            *out = Interval{static_cast<int32_t>(months), static_cast<int32_t>(day_count), micros};
            return 0;
          },
          [](unsigned) {
            return Status::OutOfRange("interval out of range").WithSqlState("22008");
          });
    };
  };
  registry.AddScalar(FixedOverload("justify_days", {TypeId::kInterval}, LogicalType::Interval(),
                                   justify(true, false)));
  registry.AddScalar(FixedOverload("justify_hours", {TypeId::kInterval}, LogicalType::Interval(),
                                   justify(false, true)));
  registry.AddScalar(FixedOverload("justify_interval", {TypeId::kInterval}, LogicalType::Interval(),
                                   justify(true, true)));
  auto finite = [](TypeId id) -> ScalarKernel {
    return [id](FunctionContext& context, std::span<const Vector> args,
                int64_t rows) -> Result<Vector> {
      return BuildRows(
          context, args, rows, LogicalType::Boolean(), [&](int64_t row, VectorBuilder& out) {
            bool is_finite = true;
            if (id == TypeId::kDate) {
              int32_t days = args[0].Get<int32_t>(row);
              is_finite = days != types::kDateInfinity && days != types::kDateNegativeInfinity;
            } else if (id != TypeId::kInterval) {
              is_finite = IsFiniteTimestamp(args[0].Get<int64_t>(row));
            }
            return out.AppendBool(is_finite);
          });
    };
  };
  for (TypeId id : {TypeId::kDate, TypeId::kTimestamp, TypeId::kTimestampTz, TypeId::kInterval}) {
    registry.AddScalar(FixedOverload("isfinite", {id}, LogicalType::Boolean(), finite(id)));
  }
  for (TypeId id : {TypeId::kTimestamp, TypeId::kTimestampTz}) {
    LogicalType type = TypeOf(id);
    registry.AddScalar(FixedOverload(
        "date_bin", {TypeId::kInterval, id, id}, type,
        [type](FunctionContext& context, std::span<const Vector> args,
               int64_t rows) -> Result<Vector> {
          return BuildRows(context, args, rows, type,
                           [&](int64_t row, VectorBuilder& out) -> Status {
                             Interval stride = args[0].Get<Interval>(row);
                             int64_t source = args[1].Get<int64_t>(row);
                             int64_t origin = args[2].Get<int64_t>(row);
                             if (stride.months != 0) {
                               return Status::NotSupported(
                                   "timestamps cannot be binned into intervals containing months "
                                   "or years");
                             }
                             int64_t width = stride.days * kMicrosPerDay + stride.micros;
                             if (width <= 0) {
                               return Status::InvalidArgument("stride must be greater than zero")
                                   .WithSqlState("22023");
                             }
                             int64_t delta = source - origin;
                             int64_t bins = delta / width;
                             if (delta % width < 0) {
                               --bins;
                             }
                             return out.Append<int64_t>(origin + bins * width);
                           });
        }));
  }
}

}  // namespace

void RegisterDateTimeFunctions(FunctionRegistry& registry) {
  for (TypeId id : {TypeId::kDate, TypeId::kTime, TypeId::kTimestamp, TypeId::kTimestampTz,
                    TypeId::kInterval}) {
    registry.AddScalar(ExtractOverload(id, false));
    registry.AddScalar(ExtractOverload(id, true));
  }
  RegisterTruncation(registry);
  RegisterClock(registry);
  RegisterAge(registry);
  RegisterTimezone(registry);
  RegisterConstructors(registry);
  RegisterIntervalHelpers(registry);
}

}  // namespace floe::sql::internal
