#include "types/interval.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "types/int128.h"
#include "types/temporal.h"

namespace floe::types {
namespace {

constexpr int64_t kDaysPerMonth = 30;  // PostgreSQL's convention for fractions and comparisons.
constexpr int kMaxWholeDigits = 18;

// Each unit adds to one field; `factor` is in that field's unit.
enum class Field { kMonths, kDays, kMicros };

struct Unit {
  std::string_view name;
  Field field;
  int64_t factor;
};

constexpr Unit kUnits[] = {
    {"microsecond", Field::kMicros, 1},
    {"microseconds", Field::kMicros, 1},
    {"us", Field::kMicros, 1},
    {"usec", Field::kMicros, 1},
    {"usecs", Field::kMicros, 1},
    {"millisecond", Field::kMicros, 1000},
    {"milliseconds", Field::kMicros, 1000},
    {"ms", Field::kMicros, 1000},
    {"msec", Field::kMicros, 1000},
    {"msecs", Field::kMicros, 1000},
    {"second", Field::kMicros, kMicrosPerSecond},
    {"seconds", Field::kMicros, kMicrosPerSecond},
    {"s", Field::kMicros, kMicrosPerSecond},
    {"sec", Field::kMicros, kMicrosPerSecond},
    {"secs", Field::kMicros, kMicrosPerSecond},
    {"minute", Field::kMicros, kMicrosPerMinute},
    {"minutes", Field::kMicros, kMicrosPerMinute},
    {"m", Field::kMicros, kMicrosPerMinute},
    {"min", Field::kMicros, kMicrosPerMinute},
    {"mins", Field::kMicros, kMicrosPerMinute},
    {"hour", Field::kMicros, kMicrosPerHour},
    {"hours", Field::kMicros, kMicrosPerHour},
    {"h", Field::kMicros, kMicrosPerHour},
    {"hr", Field::kMicros, kMicrosPerHour},
    {"hrs", Field::kMicros, kMicrosPerHour},
    {"day", Field::kDays, 1},
    {"days", Field::kDays, 1},
    {"d", Field::kDays, 1},
    {"week", Field::kDays, 7},
    {"weeks", Field::kDays, 7},
    {"w", Field::kDays, 7},
    {"month", Field::kMonths, 1},
    {"months", Field::kMonths, 1},
    {"mon", Field::kMonths, 1},
    {"mons", Field::kMonths, 1},
    {"year", Field::kMonths, 12},
    {"years", Field::kMonths, 12},
    {"y", Field::kMonths, 12},
    {"yr", Field::kMonths, 12},
    {"yrs", Field::kMonths, 12},
    {"decade", Field::kMonths, 120},
    {"decades", Field::kMonths, 120},
    {"century", Field::kMonths, 1200},
    {"centuries", Field::kMonths, 1200},
    {"millennium", Field::kMonths, 12000},
    {"millennia", Field::kMonths, 12000},
    {"millenniums", Field::kMonths, 12000},
};

const Unit* FindUnit(std::string_view word) {
  for (const Unit& unit : kUnits) {
    if (unit.name == word) {
      return &unit;
    }
  }
  return nullptr;
}

// A parsed number: sign * (whole + fraction), 0 <= fraction < 1.
struct Number {
  int64_t sign = 1;
  int64_t whole = 0;
  double fraction = 0;
};

// Sums the fields in 64 bits and records overflow; the result must fit the 32-bit fields too.
class Accumulator {
 public:
  void Add(Field field, int64_t amount) {
    int64_t& target = field == Field::kMonths ? months_ : field == Field::kDays ? days_ : micros_;
    is_overflow_ |= __builtin_add_overflow(target, amount, &target);
  }

  void AddScaled(Field field, int64_t whole, int64_t factor) {
    int64_t amount = 0;
    is_overflow_ |= __builtin_mul_overflow(whole, factor, &amount);
    Add(field, amount);
  }

  // Spreads a number of `factor` units over the fields as PostgreSQL does: fractions of years go
  // to whole months, fractions of months (30 days) and weeks to days, and the rest of a day to
  // microseconds.
  void AddNumber(const Number& number, Field field, int64_t factor) {
    AddScaled(field, number.sign * number.whole, factor);
    double fraction = static_cast<double>(number.sign) * number.fraction;
    if (field == Field::kMonths && factor >= 12) {
      Add(Field::kMonths, static_cast<int64_t>(std::nearbyint(fraction * factor)));
      return;
    }
    if (field == Field::kMonths) {
      fraction *= kDaysPerMonth;
    }
    if (field != Field::kMicros) {
      double days = fraction * (field == Field::kDays ? factor : 1);
      auto whole_days = static_cast<int64_t>(days);
      Add(Field::kDays, whole_days);
      fraction = days - static_cast<double>(whole_days);
      factor = kMicrosPerDay;
    }
    Add(Field::kMicros, static_cast<int64_t>(std::nearbyint(fraction * factor)));
  }

  // PostgreSQL rejects a unit given twice ('1 day 2 days'); units are told apart by their size.
  bool MarkUnit(Field field, int64_t factor) {
    for (const auto& [seen_field, seen_factor] : seen_units_) {
      if (seen_field == field && seen_factor == factor) {
        return false;
      }
    }
    seen_units_.emplace_back(field, factor);
    return true;
  }

  void Negate() {
    months_ = -months_;
    days_ = -days_;
    micros_ = -micros_;
  }

  std::optional<Interval> Finish() const {
    constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
    if (is_overflow_ || months_ < kMin || months_ > kMax || days_ < kMin || days_ > kMax) {
      return std::nullopt;
    }
    return Interval{static_cast<int32_t>(months_), static_cast<int32_t>(days_), micros_};
  }

 private:
  int64_t months_ = 0;
  int64_t days_ = 0;
  int64_t micros_ = 0;
  bool is_overflow_ = false;
  std::vector<std::pair<Field, int64_t>> seen_units_;
};

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

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
  void SkipSpaces() {
    while (std::isspace(static_cast<unsigned char>(Peek()))) {
      ++position_;
    }
  }
  std::string Word() {
    std::string word;
    while (std::isalpha(static_cast<unsigned char>(Peek()))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text_[position_]))));
      ++position_;
    }
    return word;
  }

  /// Reads unsigned digits; nullopt when there are none or too many.
  std::optional<int64_t> Digits() {
    int64_t value = 0;
    int count = 0;
    for (; PeekDigit(); ++count) {
      if (count >= kMaxWholeDigits) {  // Checked first: one more digit could overflow.
        return std::nullopt;
      }
      value = value * 10 + (text_[position_++] - '0');
    }
    return count == 0 ? std::nullopt : std::optional<int64_t>(value);
  }

  /// Reads '[+-]digits[.digits]' or '[+-].digits'.
  std::optional<Number> ReadNumber() {
    Number number;
    if (Consume('-')) {
      number.sign = -1;
    } else {
      (void)Consume('+');
    }
    bool has_whole = PeekDigit();
    if (has_whole) {
      std::optional<int64_t> whole = Digits();
      if (!whole) {
        return std::nullopt;
      }
      number.whole = *whole;
    }
    if (Consume('.')) {
      double scale = 0.1;
      bool has_fraction = false;
      for (; PeekDigit(); scale /= 10) {
        number.fraction += (text_[position_++] - '0') * scale;
        has_fraction = true;
      }
      has_whole |= has_fraction;
    }
    return has_whole ? std::optional<Number>(number) : std::nullopt;
  }

 private:
  std::string_view text_;
  size_t position_ = 0;
};

// Reads the rest of 'H:MM[:SS[.ffffff]]' after its hours; the sign covers the whole field.
bool ReadClock(Cursor& cursor, const Number& hours, Accumulator& sum) {
  if (hours.fraction != 0) {
    return false;
  }
  std::optional<int64_t> minutes = cursor.Digits();
  if (!minutes) {
    return false;
  }
  Number seconds;
  if (cursor.Consume(':')) {
    if (!cursor.PeekDigit()) {
      return false;
    }
    std::optional<Number> parsed = cursor.ReadNumber();
    if (!parsed) {
      return false;
    }
    seconds = *parsed;
  }
  Number signed_minutes{hours.sign, *minutes, 0};
  seconds.sign = hours.sign;
  if (!sum.MarkUnit(Field::kMicros, kMicrosPerHour) ||
      !sum.MarkUnit(Field::kMicros, kMicrosPerMinute) ||
      !sum.MarkUnit(Field::kMicros, kMicrosPerSecond)) {
    return false;
  }
  sum.AddNumber(hours, Field::kMicros, kMicrosPerHour);
  sum.AddNumber(signed_minutes, Field::kMicros, kMicrosPerMinute);
  sum.AddNumber(seconds, Field::kMicros, kMicrosPerSecond);
  return true;
}

bool ParsePostgresStyle(Cursor& cursor, Accumulator& sum) {
  cursor.SkipSpaces();
  (void)cursor.Consume('@');
  bool has_part = false;
  for (cursor.SkipSpaces(); !cursor.AtEnd(); cursor.SkipSpaces()) {
    if (std::isalpha(static_cast<unsigned char>(cursor.Peek()))) {
      if (cursor.Word() != "ago" || !has_part) {
        return false;
      }
      sum.Negate();
      cursor.SkipSpaces();
      return cursor.AtEnd();
    }
    std::optional<Number> number = cursor.ReadNumber();
    if (!number) {
      return false;
    }
    has_part = true;
    if (cursor.Consume(':')) {
      if (!ReadClock(cursor, *number, sum)) {
        return false;
      }
      continue;
    }
    cursor.SkipSpaces();
    std::string word = cursor.Word();
    const Unit* unit = word.empty() ? FindUnit("second") : FindUnit(word);
    if (unit == nullptr || !sum.MarkUnit(unit->field, unit->factor)) {
      return false;
    }
    sum.AddNumber(*number, unit->field, unit->factor);
  }
  return has_part;
}

// ISO 8601 'format with designators': P[nY][nM][nW][nD][T[nH][nM][nS]].
bool ParseIsoStyle(Cursor& cursor, Accumulator& sum) {
  bool is_time = false;
  bool has_part = false;
  while (!cursor.AtEnd()) {
    if (cursor.Consume('T')) {
      is_time = true;
      continue;
    }
    std::optional<Number> number = cursor.ReadNumber();
    if (!number) {
      return false;
    }
    char designator = cursor.Peek();
    const Unit* unit = nullptr;
    if (!is_time) {
      unit = designator == 'Y'   ? FindUnit("year")
             : designator == 'M' ? FindUnit("month")
             : designator == 'W' ? FindUnit("week")
             : designator == 'D' ? FindUnit("day")
                                 : nullptr;
    } else {
      unit = designator == 'H'   ? FindUnit("hour")
             : designator == 'M' ? FindUnit("minute")
             : designator == 'S' ? FindUnit("second")
                                 : nullptr;
    }
    if (unit == nullptr || !sum.MarkUnit(unit->field, unit->factor)) {
      return false;
    }
    (void)cursor.Consume(designator);
    sum.AddNumber(*number, unit->field, unit->factor);
    has_part = true;
  }
  return has_part;
}

// Appends one 'N unit(s)' part the way PostgreSQL's postgres style does: a '+' marks a positive
// part that follows a negative one, and only a value of exactly 1 is singular.
void AppendPart(std::string& text, int64_t value, std::string_view unit, bool& is_before) {
  if (value == 0) {
    return;
  }
  text += fmt::format("{}{}{} {}{}", text.empty() ? "" : " ", is_before && value > 0 ? "+" : "",
                      value, unit, value != 1 ? "s" : "");
  is_before = value < 0;
}

}  // namespace

Result<Interval> ParseInterval(std::string_view text) {
  Accumulator sum;
  Cursor cursor(text);
  cursor.SkipSpaces();
  bool is_parsed =
      cursor.Consume('P') ? ParseIsoStyle(cursor, sum) : ParsePostgresStyle(cursor, sum);
  if (!is_parsed) {
    return Status::InvalidCast("invalid input syntax for type interval: \"{}\"", text)
        .WithSqlState("22007");
  }
  std::optional<Interval> interval = sum.Finish();
  if (!interval) {
    return Status::OutOfRange("interval field value out of range: \"{}\"", text)
        .WithSqlState("22015");
  }
  return *interval;
}

std::string FormatInterval(const Interval& interval) {
  std::string text;
  bool is_before = false;
  AppendPart(text, interval.months / 12, "year", is_before);
  AppendPart(text, interval.months % 12, "mon", is_before);
  AppendPart(text, interval.days, "day", is_before);
  if (!text.empty() && interval.micros == 0) {
    return text;
  }
  bool is_negative = interval.micros < 0;
  // Unsigned magnitude: the most negative microsecond count has no positive counterpart.
  uint64_t magnitude = is_negative ? uint64_t{0} - static_cast<uint64_t>(interval.micros)
                                   : static_cast<uint64_t>(interval.micros);
  const auto per_hour = static_cast<uint64_t>(kMicrosPerHour);
  const auto per_minute = static_cast<uint64_t>(kMicrosPerMinute);
  const auto per_second = static_cast<uint64_t>(kMicrosPerSecond);
  text += fmt::format("{}{}{:02}:{:02}:{:02}", text.empty() ? "" : " ",
                      is_negative ? "-" : (is_before ? "+" : ""), magnitude / per_hour,
                      magnitude / per_minute % 60, magnitude / per_second % 60);
  uint64_t fraction = magnitude % per_second;
  if (fraction != 0) {
    std::string digits = fmt::format(".{:06}", fraction);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += digits;
  }
  return text;
}

int CompareIntervals(const Interval& a, const Interval& b) {
  auto span = [](const Interval& interval) {
    return Int128{interval.micros} +
           (Int128{interval.days} + Int128{interval.months} * kDaysPerMonth) * kMicrosPerDay;
  };
  Int128 left = span(a);
  Int128 right = span(b);
  return left < right ? -1 : (left > right ? 1 : 0);
}

}  // namespace floe::types
