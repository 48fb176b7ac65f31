// to_char(timestamp | timestamptz | date, format), to_date(text, format) and
// to_timestamp(text, format) for PostgreSQL's common template patterns: YYYY YY MM DD DDD D HH24
// HH12 HH MI SS MS US Mon MON mon Month MONTH month Dy DY dy Day DAY day Q AM PM am pm, the FM
// prefix and "quoted text". Other patterns made of letters are NotSupported rather than
// silently copied.

#include <array>
#include <string>
#include <string_view>

#include "sql/functions/registration_internal.h"
#include "sql/functions/temporal_internal.h"
#include "types/temporal.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

enum class Token : uint8_t {
  kYear4,
  kYear2,
  kMonth,
  kDay,
  kDayOfYear,
  kDayOfWeek,
  kHour24,
  kHour12,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kMonthAbbrev,
  kMonthName,
  kDayAbbrev,
  kDayName,
  kQuarter,
  kMeridiem,
  kMeridiemLower,
  kZoneAbbreviation,  // TZ, tz: the session zone's abbreviation ('EST', '+0545').
  kZoneOffset,        // OF: '+05:45', '-04'.
  kZoneHour,          // TZH: '-04'.
  kZoneMinute,        // TZM: '30'.
};

// Letter case of a name pattern: Mon (capitalized), MON (upper), mon (lower).
enum class Casing : uint8_t { kCapitalized, kUpper, kLower };

struct Pattern {
  std::string_view text;
  Token token;
  Casing casing;
};

// Longest patterns first, so that "HH24" wins over "HH" and "Month" over "Mon".
constexpr Pattern kPatterns[] = {
    {"YYYY", Token::kYear4, Casing::kUpper},
    {"TZH", Token::kZoneHour, Casing::kUpper},
    {"TZM", Token::kZoneMinute, Casing::kUpper},
    {"TZ", Token::kZoneAbbreviation, Casing::kUpper},
    {"tz", Token::kZoneAbbreviation, Casing::kLower},
    {"OF", Token::kZoneOffset, Casing::kUpper},
    {"HH24", Token::kHour24, Casing::kUpper},
    {"HH12", Token::kHour12, Casing::kUpper},
    {"MONTH", Token::kMonthName, Casing::kUpper},
    {"Month", Token::kMonthName, Casing::kCapitalized},
    {"month", Token::kMonthName, Casing::kLower},
    {"DDD", Token::kDayOfYear, Casing::kUpper},
    {"DAY", Token::kDayName, Casing::kUpper},
    {"Day", Token::kDayName, Casing::kCapitalized},
    {"day", Token::kDayName, Casing::kLower},
    {"MON", Token::kMonthAbbrev, Casing::kUpper},
    {"Mon", Token::kMonthAbbrev, Casing::kCapitalized},
    {"mon", Token::kMonthAbbrev, Casing::kLower},
    {"YY", Token::kYear2, Casing::kUpper},
    {"MM", Token::kMonth, Casing::kUpper},
    {"DD", Token::kDay, Casing::kUpper},
    {"dd", Token::kDay, Casing::kLower},
    {"HH", Token::kHour12, Casing::kUpper},
    {"MI", Token::kMinute, Casing::kUpper},
    {"SS", Token::kSecond, Casing::kUpper},
    {"MS", Token::kMillisecond, Casing::kUpper},
    {"US", Token::kMicrosecond, Casing::kUpper},
    {"DY", Token::kDayAbbrev, Casing::kUpper},
    {"Dy", Token::kDayAbbrev, Casing::kCapitalized},
    {"dy", Token::kDayAbbrev, Casing::kLower},
    {"AM", Token::kMeridiem, Casing::kUpper},
    {"PM", Token::kMeridiem, Casing::kUpper},
    {"am", Token::kMeridiemLower, Casing::kLower},
    {"pm", Token::kMeridiemLower, Casing::kLower},
    {"D", Token::kDayOfWeek, Casing::kUpper},
    {"Q", Token::kQuarter, Casing::kUpper},
};

struct FormatItem {
  bool is_literal = true;
  std::string literal;
  Pattern pattern{};
  bool fill_mode = false;  // FM: no padding.
};

Result<std::vector<FormatItem>> ParseFormat(std::string_view format) {
  std::vector<FormatItem> items;
  size_t position = 0;
  bool fill_mode = false;
  while (position < format.size()) {
    std::string_view rest = format.substr(position);
    if (rest.starts_with("FM") || rest.starts_with("fm")) {
      fill_mode = true;
      position += 2;
      continue;
    }
    if (rest[0] == '"') {
      size_t end = rest.find('"', 1);
      FormatItem item;
      item.literal = std::string(rest.substr(1, end == std::string_view::npos ? end : end - 1));
      items.push_back(std::move(item));
      position += end == std::string_view::npos ? rest.size() : end + 1;
      continue;
    }
    bool matched = false;
    for (const Pattern& pattern : kPatterns) {
      if (rest.starts_with(pattern.text)) {
        FormatItem item;
        item.is_literal = false;
        item.pattern = pattern;
        item.fill_mode = fill_mode;
        items.push_back(std::move(item));
        position += pattern.text.size();
        matched = true;
        break;
      }
    }
    fill_mode = false;
    if (matched) {
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(rest[0])) != 0) {
      return Status::NotSupported("template pattern at \"{}\" in \"{}\"", rest, format);
    }
    FormatItem item;
    item.literal = std::string(1, rest[0]);
    items.push_back(std::move(item));
    ++position;
  }
  return items;
}

std::string Cased(std::string_view name, Casing casing) {
  std::string text(name);
  for (size_t index = 0; index < text.size(); ++index) {
    char& c = text[index];
    if (casing == Casing::kUpper) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (casing == Casing::kLower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return text;
}

void AppendNumber(int64_t value, int width, bool fill_mode, std::string& out) {
  out.append(fill_mode ? fmt::format("{}", value) : fmt::format("{:0{}}", value, width));
}

void AppendName(std::string_view name, Casing casing, bool pad, bool fill_mode, std::string& out) {
  std::string text = Cased(name, casing);
  out.append(text);
  if (pad && !fill_mode && text.size() < 9) {
    out.append(9 - text.size(), ' ');
  }
}

// Formats local time `micros`; `period` is the zone's offset and abbreviation then (empty for
// values without a zone, whose offset prints as +00).
void FormatTimestamp(const std::vector<FormatItem>& items, int64_t micros,
                     const types::TimeZone::Period& period, std::string& out) {
  CivilTime t = SplitTimestamp(micros);
  int32_t offset = period.offset_seconds;
  int32_t offset_magnitude = offset < 0 ? -offset : offset;
  char offset_sign = offset < 0 ? '-' : '+';
  int64_t year = t.year > 0 ? t.year : 1 - t.year;
  int dow = static_cast<int>(((t.days % 7) + 7 + 4) % 7);
  int hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
  for (const FormatItem& item : items) {
    if (item.is_literal) {
      out.append(item.literal);
      continue;
    }
    bool fm = item.fill_mode;
    Casing casing = item.pattern.casing;
    switch (item.pattern.token) {
      case Token::kYear4:
        AppendNumber(year, 4, fm, out);
        break;
      case Token::kYear2:
        AppendNumber(year % 100, 2, fm, out);
        break;
      case Token::kMonth:
        AppendNumber(t.month, 2, fm, out);
        break;
      case Token::kDay:
        AppendNumber(t.day, 2, fm, out);
        break;
      case Token::kDayOfYear:
        AppendNumber(t.days - types::DaysFromCivil({t.year, 1, 1}) + 1, 3, fm, out);
        break;
      case Token::kDayOfWeek:
        AppendNumber(dow + 1, 1, fm, out);
        break;
      case Token::kHour24:
        AppendNumber(t.hour, 2, fm, out);
        break;
      case Token::kHour12:
        AppendNumber(hour12, 2, fm, out);
        break;
      case Token::kMinute:
        AppendNumber(t.minute, 2, fm, out);
        break;
      case Token::kSecond:
        AppendNumber(t.second, 2, fm, out);
        break;
      case Token::kMillisecond:
        AppendNumber(t.microsecond / 1000, 3, fm, out);
        break;
      case Token::kMicrosecond:
        AppendNumber(t.microsecond, 6, fm, out);
        break;
      case Token::kMonthAbbrev:
        AppendName(kMonths[static_cast<size_t>(t.month - 1)].substr(0, 3), casing, false, fm, out);
        break;
      case Token::kMonthName:
        AppendName(kMonths[static_cast<size_t>(t.month - 1)], casing, true, fm, out);
        break;
      case Token::kDayAbbrev:
        AppendName(kDays[static_cast<size_t>(dow)].substr(0, 3), casing, false, fm, out);
        break;
      case Token::kDayName:
        AppendName(kDays[static_cast<size_t>(dow)], casing, true, fm, out);
        break;
      case Token::kQuarter:
        AppendNumber((t.month - 1) / 3 + 1, 1, fm, out);
        break;
      case Token::kMeridiem:
        out.append(t.hour < 12 ? "AM" : "PM");
        break;
      case Token::kMeridiemLower:
        out.append(t.hour < 12 ? "am" : "pm");
        break;
      case Token::kZoneAbbreviation:
        out.append(
            Cased(period.abbreviation, casing == Casing::kLower ? Casing::kLower : Casing::kUpper));
        break;
      case Token::kZoneOffset:
        out.push_back(offset_sign);
        AppendNumber(offset_magnitude / 3600, 2, false, out);
        if (offset_magnitude / 60 % 60 != 0) {
          out.push_back(':');
          AppendNumber(offset_magnitude / 60 % 60, 2, false, out);
        }
        break;
      case Token::kZoneHour:
        out.push_back(offset_sign);
        AppendNumber(offset_magnitude / 3600, 2, fm, out);
        break;
      case Token::kZoneMinute:
        AppendNumber(offset_magnitude / 60 % 60, 2, fm, out);
        break;
    }
  }
}

ScalarKernel ToCharKernel(TypeId source) {
  return [source](FunctionContext& context, std::span<const Vector> args,
                  int64_t rows) -> Result<Vector> {
    std::string last_format;
    std::vector<FormatItem> items;
    bool parsed = false;
    std::string buffer;
    const types::TimeZone& zone = SessionZone(context);
    return BuildRows(context, args, rows, LogicalType::Varchar(),
                     [&](int64_t row, VectorBuilder& out) -> Status {
                       std::string_view format = args[1].GetString(row);
                       if (!parsed || format != last_format) {
                         FLOE_ASSIGN_OR_RETURN(items, ParseFormat(format));
                         last_format = std::string(format);
                         parsed = true;
                       }
                       int64_t micros = source == TypeId::kDate
                                            ? DateToMicros(args[0].Get<int32_t>(row))
                                            : args[0].Get<int64_t>(row);
                       if (!IsFiniteTimestamp(micros)) {
                         return out.AppendNull();
                       }
                       types::TimeZone::Period period;
                       if (source == TypeId::kTimestampTz) {
                         int64_t local = zone.ToLocalMicros(micros);
                         period = zone.PeriodAt(types::TimestampToDate(micros) * int64_t{86400} +
                                                types::TimestampToTime(micros) /
                                                    types::kMicrosPerSecond);
                         micros = local;
                       }
                       buffer.clear();
                       FormatTimestamp(items, micros, period, buffer);
                       return out.AppendString(buffer);
                     });
  };
}

// Reads the fields of `text` by `items`. Separators in the template match any run of
// non-alphanumeric characters, as PostgreSQL's lenient parsing does.
Result<int64_t> ParseByFormat(std::string_view text, const std::vector<FormatItem>& items,
                              bool is_date) {
  int64_t year = 1;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t micros = 0;
  bool pm = false;
  bool has_meridiem = false;
  size_t position = 0;
  auto skip_separators = [&] {
    while (position < text.size() &&
           std::isalnum(static_cast<unsigned char>(text[position])) == 0) {
      ++position;
    }
  };
  auto read_number = [&](int max_digits) -> std::optional<int64_t> {
    skip_separators();
    size_t start = position;
    int64_t value = 0;
    while (position < text.size() && position - start < static_cast<size_t>(max_digits) &&
           std::isdigit(static_cast<unsigned char>(text[position])) != 0) {
      value = value * 10 + (text[position] - '0');
      ++position;
    }
    return position == start ? std::nullopt : std::optional<int64_t>(value);
  };
  auto invalid = [&] {
    return Status::InvalidCast("invalid value \"{}\" for \"{}\"",
                               text.substr(std::min(position, text.size())), text)
        .WithSqlState("22007");
  };
  for (const FormatItem& item : items) {
    if (item.is_literal) {
      if (!item.literal.empty() && std::isalnum(static_cast<unsigned char>(item.literal[0])) != 0 &&
          text.substr(position).starts_with(item.literal)) {
        position += item.literal.size();
      }
      continue;
    }
    std::optional<int64_t> number;
    switch (item.pattern.token) {
      case Token::kYear4:
        number = read_number(4);
        year = number.value_or(-1);
        break;
      case Token::kYear2:
        number = read_number(2);
        // PostgreSQL maps two-digit years to the one nearest 2020.
        year = number.has_value() ? (*number < 70 ? 2000 + *number : 1900 + *number) : -1;
        break;
      case Token::kMonth:
        number = read_number(2);
        month = static_cast<int>(number.value_or(-1));
        break;
      case Token::kDay:
        number = read_number(2);
        day = static_cast<int>(number.value_or(-1));
        break;
      case Token::kHour24:
      case Token::kHour12:
        number = read_number(2);
        hour = static_cast<int>(number.value_or(-1));
        break;
      case Token::kMinute:
        number = read_number(2);
        minute = static_cast<int>(number.value_or(-1));
        break;
      case Token::kSecond:
        number = read_number(2);
        second = static_cast<int>(number.value_or(-1));
        break;
      case Token::kMillisecond:
        number = read_number(3);
        micros = number.value_or(0) * 1000;
        break;
      case Token::kMicrosecond:
        number = read_number(6);
        micros = number.value_or(0);
        break;
      case Token::kMonthAbbrev:
      case Token::kMonthName: {
        skip_separators();
        bool found = false;
        for (size_t index = 0; index < kMonths.size() && !found; ++index) {
          std::string_view name = kMonths[index];
          if (item.pattern.token == Token::kMonthAbbrev) {
            name = name.substr(0, 3);
          }
          std::string_view candidate = text.substr(position, name.size());
          if (candidate.size() == name.size() &&
              std::equal(name.begin(), name.end(), candidate.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
              })) {
            month = static_cast<int>(index) + 1;
            position += name.size();
            found = true;
          }
        }
        if (!found) {
          return invalid();
        }
        number = 0;
        break;
      }
      case Token::kMeridiem:
      case Token::kMeridiemLower: {
        skip_separators();
        std::string_view marker = text.substr(position, 2);
        has_meridiem = true;
        pm = marker == "PM" || marker == "pm";
        if (!pm && marker != "AM" && marker != "am") {
          return invalid();
        }
        position += 2;
        number = 0;
        break;
      }
      default:
        return Status::NotSupported("template pattern \"{}\" in to_date and to_timestamp",
                                    item.pattern.text);
    }
    if (!number.has_value()) {
      return invalid();
    }
  }
  if (has_meridiem && hour >= 1 && hour <= 12) {
    hour = hour % 12 + (pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || year < 0 || day > types::DaysInMonth(year, month) ||
      hour < 0 || hour > 24 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return Status::OutOfRange("date/time field value out of range: \"{}\"", text)
        .WithSqlState("22008");
  }
  int64_t days = types::DaysFromCivil({year, month, day});
  if (is_date) {
    return days;
  }
  return days * types::kMicrosPerDay +
         ((hour * 60 + minute) * 60 + second) * types::kMicrosPerSecond + micros;
}

ScalarKernel ParseKernel(bool is_date) {
  LogicalType result = is_date ? LogicalType::Date() : LogicalType::TimestampTz();
  return [is_date, result](FunctionContext& context, std::span<const Vector> args,
                           int64_t rows) -> Result<Vector> {
    std::string last_format;
    std::vector<FormatItem> items;
    bool parsed = false;
    return BuildRows(context, args, rows, result, [&](int64_t row, VectorBuilder& out) -> Status {
      std::string_view format = args[1].GetString(row);
      if (!parsed || format != last_format) {
        FLOE_ASSIGN_OR_RETURN(items, ParseFormat(format));
        last_format = std::string(format);
        parsed = true;
      }
      FLOE_ASSIGN_OR_RETURN(int64_t value, ParseByFormat(args[0].GetString(row), items, is_date));
      // to_timestamp reads local time in the session's zone.
      return is_date ? out.Append<int32_t>(static_cast<int32_t>(value))
                     : out.Append<int64_t>(SessionZone(context).ToUtcMicros(value));
    });
  };
}

}  // namespace

void RegisterDateTimeFormatting(FunctionRegistry& registry) {
  for (TypeId id : {TypeId::kTimestamp, TypeId::kTimestampTz, TypeId::kDate}) {
    registry.AddScalar(
        FixedOverload("to_char", {id, TypeId::kVarchar}, LogicalType::Varchar(), ToCharKernel(id)));
  }
  registry.AddScalar(FixedOverload("to_date", {TypeId::kVarchar, TypeId::kVarchar},
                                   LogicalType::Date(), ParseKernel(true)));
  registry.AddScalar(FixedOverload("to_timestamp", {TypeId::kVarchar, TypeId::kVarchar},
                                   LogicalType::TimestampTz(), ParseKernel(false)));
}

}  // namespace floe::sql::internal
