#include "types/temporal.h"

#include <cctype>
#include <optional>

#include <fmt/core.h>

#include "types/text_internal.h"
#include "types/time_zone.h"

namespace floe::types {
namespace {

using internal::EqualsIgnoringCase;
using internal::TrimSpace;

// PostgreSQL's range: dates from 4714-11-24 BC (Julian day 0) to 5874897-12-31, timestamps from
// the same day. PostgreSQL's timestamps end at 294277-01-01 because it counts from 2000; counted
// from 1970 in 64 bits they end 30 years earlier, so Floe's end at 294247-01-01.
constexpr CivilDate kFirstDate{-4713, 11, 24};
constexpr CivilDate kLastDate{5874897, 12, 31};
constexpr CivilDate kTimestampEndDate{294247, 1, 1};
// Years beyond this are out of range for every type; rejecting them early keeps the arithmetic
// far from overflow.
constexpr int64_t kMaxYear = 99'999'999;
constexpr size_t kMaxNumberDigits = 18;
// PostgreSQL accepts offsets up to 15:59:59.
constexpr int kMaxOffsetHours = 15;

enum class TextKind { kDate, kTime, kTimestamp, kTimestampTz };

std::string_view TypeName(TextKind kind) {
  switch (kind) {
    case TextKind::kDate:
      return "date";
    case TextKind::kTime:
      return "time";
    case TextKind::kTimestamp:
      return "timestamp";
    case TextKind::kTimestampTz:
      return "timestamp with time zone";
  }
  return "date";
}

Status SyntaxError(TextKind kind, std::string_view text) {
  return Status::InvalidCast("invalid input syntax for type {}: \"{}\"", TypeName(kind), text)
      .WithSqlState("22007");
}

Status FieldOutOfRange(std::string_view text) {
  return Status::OutOfRange("date/time field value out of range: \"{}\"", text)
      .WithSqlState("22008");
}

Status ValueOutOfRange(TextKind kind, std::string_view text) {
  std::string_view name = kind == TextKind::kDate ? "date" : "timestamp";
  return Status::OutOfRange("{} out of range: \"{}\"", name, text).WithSqlState("22008");
}

// Reads date/time text left to right.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return position_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[position_]; }
  bool PeekDigit() const { return std::isdigit(static_cast<unsigned char>(Peek())) != 0; }

  bool Consume(char expected) {
    if (Peek() != expected) {
      return false;
    }
    ++position_;
    return true;
  }

  /// Reads a zone name or abbreviation: letters first, then letters, digits, '/', '_', '+',
  /// '-' ('Europe/Paris', 'Etc/GMT+5', 'EST').
  std::string_view ZoneName() {
    size_t start = position_;
    if (!std::isalpha(static_cast<unsigned char>(Peek()))) {
      return {};
    }
    while (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '/' || Peek() == '_' ||
           Peek() == '+' || Peek() == '-') {
      ++position_;
    }
    return text_.substr(start, position_ - start);
  }

  bool ConsumeWord(std::string_view word) {
    if (!EqualsIgnoringCase(text_.substr(position_, word.size()), word)) {
      return false;
    }
    position_ += word.size();
    return true;
  }

  void SkipSpaces() {
    while (std::isspace(static_cast<unsigned char>(Peek()))) {
      ++position_;
    }
  }

  /// Reads between 1 and `max_digits` digits.
  std::optional<int64_t> Number(size_t max_digits) {
    int64_t value = 0;
    size_t count = 0;
    while (PeekDigit() && count < max_digits) {
      value = value * 10 + (text_[position_++] - '0');
      ++count;
    }
    if (count == 0 || PeekDigit()) {
      return std::nullopt;
    }
    return value;
  }

  /// Reads fraction digits after a decimal point as microseconds, rounding beyond six digits.
  int64_t FractionMicros() {
    int64_t micros = 0;
    int count = 0;
    while (PeekDigit() && count < 6) {
      micros = micros * 10 + (text_[position_++] - '0');
      ++count;
    }
    for (; count < 6; ++count) {
      micros *= 10;
    }
    if (PeekDigit() && Peek() >= '5') {
      ++micros;
    }
    while (PeekDigit()) {
      ++position_;
    }
    return micros;
  }

 private:
  std::string_view text_;
  size_t position_ = 0;
};

struct DateTimeFields {
  CivilDate date{1970, 1, 1};
  int64_t time_micros = 0;
  std::optional<int64_t> offset_micros;
  std::string_view zone_name;
  bool is_before_christ = false;
  bool has_field_error = false;
  bool has_offset_error = false;
};

bool ScanDate(Scanner& scanner, DateTimeFields& fields) {
  std::optional<int64_t> year = scanner.Number(kMaxNumberDigits);
  if (!year || !scanner.Consume('-')) {
    return false;
  }
  fields.has_field_error |= *year > kMaxYear;
  std::optional<int64_t> month = scanner.Number(2);
  if (!month || !scanner.Consume('-')) {
    return false;
  }
  std::optional<int64_t> day = scanner.Number(2);
  if (!day) {
    return false;
  }
  fields.date = CivilDate{*year, static_cast<int>(*month), static_cast<int>(*day)};
  return true;
}

bool ScanTime(Scanner& scanner, DateTimeFields& fields) {
  std::optional<int64_t> hour = scanner.Number(2);
  if (!hour || !scanner.Consume(':')) {
    return false;
  }
  std::optional<int64_t> minute = scanner.Number(2);
  if (!minute) {
    return false;
  }
  int64_t second = 0;
  int64_t fraction = 0;
  if (scanner.Consume(':')) {
    std::optional<int64_t> whole = scanner.Number(2);
    if (!whole) {
      return false;
    }
    second = *whole;
    if (scanner.Consume('.')) {
      fraction = scanner.FractionMicros();
    }
  }
  // PostgreSQL accepts a leap second (60) and 24:00:00, both meaning the next full minute/day.
  fields.has_field_error |= *minute > 59 || second > 60;
  fields.time_micros =
      *hour * kMicrosPerHour + *minute * kMicrosPerMinute + second * kMicrosPerSecond + fraction;
  fields.has_field_error |= fields.time_micros > kMicrosPerDay;
  return true;
}

bool ScanOffset(Scanner& scanner, DateTimeFields& fields) {
  if (std::isalpha(static_cast<unsigned char>(scanner.Peek()))) {
    Scanner lookahead = scanner;
    std::string_view word = lookahead.ZoneName();
    if (EqualsIgnoringCase(word, "bc") || EqualsIgnoringCase(word, "ad")) {
      return true;
    }
    fields.zone_name = word;
    scanner = lookahead;
    return true;
  }
  bool is_negative = scanner.Peek() == '-';
  if (!scanner.Consume('-') && !scanner.Consume('+')) {
    return true;
  }
  std::optional<int64_t> hours = scanner.Number(4);
  if (!hours) {
    return false;
  }
  int64_t minutes = 0;
  if (*hours >= 100) {  // The compact form +HHMM.
    minutes = *hours % 100;
    *hours /= 100;
  } else if (scanner.Consume(':')) {
    std::optional<int64_t> parsed = scanner.Number(2);
    if (!parsed) {
      return false;
    }
    minutes = *parsed;
  }
  int64_t seconds = 0;
  if (scanner.Consume(':')) {
    std::optional<int64_t> parsed = scanner.Number(2);
    if (!parsed) {
      return false;
    }
    seconds = *parsed;
  }
  fields.has_offset_error |= *hours > kMaxOffsetHours || minutes > 59 || seconds > 59;
  int64_t offset =
      *hours * kMicrosPerHour + minutes * kMicrosPerMinute + seconds * kMicrosPerSecond;
  fields.offset_micros = is_negative ? -offset : offset;
  return true;
}

void ScanEra(Scanner& scanner, DateTimeFields& fields) {
  scanner.SkipSpaces();
  if (scanner.ConsumeWord("bc")) {
    fields.is_before_christ = true;
  } else {
    (void)scanner.ConsumeWord("ad");
  }
}

// Scans '<date>[( |T)<time>][ ][<offset>][ BC|AD]' as PostgreSQL's ISO input does.
bool ScanDateTime(std::string_view text, DateTimeFields& fields) {
  Scanner scanner(text);
  scanner.SkipSpaces();
  if (!ScanDate(scanner, fields)) {
    return false;
  }
  bool has_separator = scanner.Consume('T') || scanner.Consume('t');
  scanner.SkipSpaces();
  if (has_separator && !scanner.PeekDigit()) {
    return false;
  }
  if (scanner.PeekDigit() && !ScanTime(scanner, fields)) {
    return false;
  }
  scanner.SkipSpaces();
  if (!ScanOffset(scanner, fields)) {
    return false;
  }
  ScanEra(scanner, fields);
  scanner.SkipSpaces();
  return scanner.AtEnd();
}

bool IsBefore(const CivilDate& a, const CivilDate& b) {
  if (a.year != b.year) {
    return a.year < b.year;
  }
  return a.month != b.month ? a.month < b.month : a.day < b.day;
}

// Validates the calendar fields and turns a BC year into an astronomical one.
bool ResolveDate(DateTimeFields& fields) {
  CivilDate& date = fields.date;
  if (fields.has_field_error || date.year == 0 || date.month < 1 || date.month > 12 ||
      date.day < 1) {
    return false;
  }
  if (fields.is_before_christ) {
    date.year = 1 - date.year;
  }
  return date.day <= DaysInMonth(date.year, date.month);
}

// Resolves a zone written in date/time text: an abbreviation or a zone of the database. As in
// PostgreSQL an unknown word is bad syntax, and an unknown path-like word ('Mars/Base') is 22023
// with the name lower-cased.
Result<const TimeZone*> ResolveZoneWord(std::string_view word, TextKind kind,
                                        std::string_view text) {
  Result<const TimeZone*> named = TimeZone::FindForText(word, /*allow_posix=*/false);
  if (named.ok() || named.status().code() != StatusCode::kInvalidArgument) {
    return named;
  }
  if (word.find('/') == std::string_view::npos) {
    return SyntaxError(kind, text);
  }
  std::string lower(word);
  for (char& ch : lower) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return Status::InvalidArgument("time zone \"{}\" not recognized", lower).WithSqlState("22023");
}

std::optional<int64_t> SpecialTimestamp(std::string_view text) {
  std::string_view trimmed = TrimSpace(text);
  if (EqualsIgnoringCase(trimmed, "infinity") || EqualsIgnoringCase(trimmed, "+infinity")) {
    return kTimestampInfinity;
  }
  if (EqualsIgnoringCase(trimmed, "-infinity")) {
    return kTimestampNegativeInfinity;
  }
  if (EqualsIgnoringCase(trimmed, "epoch")) {
    return 0;
  }
  return std::nullopt;
}

Result<int64_t> ParseTimestampText(std::string_view text, TextKind kind,
                                   const TimeZone& session_zone) {
  if (std::optional<int64_t> special = SpecialTimestamp(text)) {
    return *special;
  }
  DateTimeFields fields;
  if (!ScanDateTime(text, fields)) {
    return SyntaxError(kind, text);
  }
  if (!ResolveDate(fields)) {
    return FieldOutOfRange(text);
  }
  if (fields.has_offset_error) {
    return Status::OutOfRange("time zone displacement out of range: \"{}\"", text)
        .WithSqlState("22009");
  }
  if (IsBefore(fields.date, kFirstDate) || !IsBefore(fields.date, kTimestampEndDate)) {
    return ValueOutOfRange(kind, text);
  }
  const TimeZone* zone = &session_zone;
  if (!fields.zone_name.empty()) {
    FLOE_ASSIGN_OR_RETURN(zone, ResolveZoneWord(fields.zone_name, kind, text));
  }
  int64_t micros = DaysFromCivil(fields.date) * kMicrosPerDay + fields.time_micros;
  if (kind == TextKind::kTimestampTz) {
    micros = fields.offset_micros ? micros - *fields.offset_micros : zone->ToUtcMicros(micros);
  }
  if (micros < DaysFromCivil(kFirstDate) * kMicrosPerDay ||
      micros >= DaysFromCivil(kTimestampEndDate) * kMicrosPerDay) {
    return ValueOutOfRange(kind, text);
  }
  return micros;
}

std::string FormatCivilDate(const CivilDate& date) {
  int64_t year = date.year > 0 ? date.year : 1 - date.year;
  return fmt::format("{:04}-{:02}-{:02}", year, date.month, date.day);
}

std::string FormatTimeOfDay(int64_t micros) {
  std::string text = fmt::format("{:02}:{:02}:{:02}", micros / kMicrosPerHour,
                                 micros / kMicrosPerMinute % 60, micros / kMicrosPerSecond % 60);
  int64_t fraction = micros % kMicrosPerSecond;
  if (fraction != 0) {
    std::string digits = fmt::format(".{:06}", fraction);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += digits;
  }
  return text;
}

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

std::string FormatTimestampWithSuffix(int64_t micros, std::string_view offset) {
  if (micros == kTimestampInfinity) {
    return "infinity";
  }
  if (micros == kTimestampNegativeInfinity) {
    return "-infinity";
  }
  int64_t days = FloorDivide(micros, kMicrosPerDay);
  CivilDate date = CivilFromDays(days);
  std::string text = FormatCivilDate(date) + " " + FormatTimeOfDay(micros - days * kMicrosPerDay);
  text += offset;
  return date.year > 0 ? text : text + " BC";
}

}  // namespace

bool IsLeapYear(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// The era-based day count of the proleptic Gregorian calendar: 400-year eras of 146097 days,
// with years starting in March so that the leap day falls at the end.
int64_t DaysFromCivil(const CivilDate& date) {
  int64_t year = date.month <= 2 ? date.year - 1 : date.year;
  int64_t era = FloorDivide(year, 400);
  int64_t year_of_era = year - era * 400;
  int64_t month_from_march = date.month > 2 ? date.month - 3 : date.month + 9;
  int64_t day_of_year = (153 * month_from_march + 2) / 5 + date.day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  int64_t shifted = days + 719468;
  int64_t era = FloorDivide(shifted, 146097);
  int64_t day_of_era = shifted - era * 146097;
  int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t month_from_march = (5 * day_of_year + 2) / 153;
  int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  int month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{year, month, day};
}

Result<int32_t> ParseDate(std::string_view text) {
  if (std::optional<int64_t> special = SpecialTimestamp(text)) {
    if (*special == kTimestampInfinity) {
      return kDateInfinity;
    }
    return *special == kTimestampNegativeInfinity ? kDateNegativeInfinity : 0;
  }
  DateTimeFields fields;
  if (!ScanDateTime(text, fields)) {
    return SyntaxError(TextKind::kDate, text);
  }
  if (!ResolveDate(fields)) {
    return FieldOutOfRange(text);
  }
  if (!fields.zone_name.empty()) {
    FLOE_RETURN_NOT_OK(ResolveZoneWord(fields.zone_name, TextKind::kDate, text).status());
  }
  if (IsBefore(fields.date, kFirstDate) || IsBefore(kLastDate, fields.date)) {
    return ValueOutOfRange(TextKind::kDate, text);
  }
  return static_cast<int32_t>(DaysFromCivil(fields.date));
}

std::string FormatDate(int32_t days) {
  if (days == kDateInfinity) {
    return "infinity";
  }
  if (days == kDateNegativeInfinity) {
    return "-infinity";
  }
  CivilDate date = CivilFromDays(days);
  std::string text = FormatCivilDate(date);
  return date.year > 0 ? text : text + " BC";
}

Result<int64_t> ParseTime(std::string_view text) {
  Scanner scanner(text);
  DateTimeFields fields;
  scanner.SkipSpaces();
  if (!ScanTime(scanner, fields)) {
    return SyntaxError(TextKind::kTime, text);
  }
  scanner.SkipSpaces();
  if (!scanner.AtEnd()) {
    return SyntaxError(TextKind::kTime, text);
  }
  if (fields.has_field_error) {
    return FieldOutOfRange(text);
  }
  return fields.time_micros;
}

std::string FormatTime(int64_t micros) {
  return FormatTimeOfDay(micros);
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  return ParseTimestampText(text, TextKind::kTimestamp, TimeZone::Utc());
}

std::string FormatTimestamp(int64_t micros) {
  return FormatTimestampWithSuffix(micros, "");
}

Result<int64_t> ParseTimestampTz(std::string_view text, const TimeZone& zone) {
  return ParseTimestampText(text, TextKind::kTimestampTz, zone);
}

Result<int64_t> ParseTimestampTz(std::string_view text) {
  return ParseTimestampTz(text, TimeZone::Utc());
}

std::string FormatTimestampTz(int64_t micros) {
  return FormatTimestampTz(micros, TimeZone::Utc());
}

std::string FormatOffset(int32_t offset_seconds) {
  int32_t magnitude = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  std::string text = fmt::format("{}{:02}", offset_seconds < 0 ? '-' : '+', magnitude / 3600);
  if (magnitude % 3600 != 0) {
    text += fmt::format(":{:02}", magnitude / 60 % 60);
  }
  if (magnitude % 60 != 0) {
    text += fmt::format(":{:02}", magnitude % 60);
  }
  return text;
}

std::string FormatTimestampTz(int64_t micros, const TimeZone& zone) {
  if (micros == kTimestampInfinity || micros == kTimestampNegativeInfinity) {
    return FormatTimestampWithSuffix(micros, "");
  }
  int32_t offset = zone.OffsetAt(FloorDivide(micros, kMicrosPerSecond));
  return FormatTimestampWithSuffix(micros + int64_t{offset} * kMicrosPerSecond,
                                   FormatOffset(offset));
}

Result<int64_t> DateToTimestamp(int32_t days) {
  if (days == kDateInfinity) {
    return kTimestampInfinity;
  }
  if (days == kDateNegativeInfinity) {
    return kTimestampNegativeInfinity;
  }
  if (days >= DaysFromCivil(kTimestampEndDate)) {
    return Status::OutOfRange("date out of range for timestamp").WithSqlState("22008");
  }
  return days * kMicrosPerDay;
}

int32_t TimestampToDate(int64_t micros) {
  if (micros == kTimestampInfinity) {
    return kDateInfinity;
  }
  if (micros == kTimestampNegativeInfinity) {
    return kDateNegativeInfinity;
  }
  return static_cast<int32_t>(FloorDivide(micros, kMicrosPerDay));
}

int64_t TimestampToTime(int64_t micros) {
  return micros - FloorDivide(micros, kMicrosPerDay) * kMicrosPerDay;
}

}  // namespace floe::types
