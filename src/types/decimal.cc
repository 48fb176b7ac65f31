#include "types/decimal.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/check.h"
#include "types/logical_type.h"
#include "types/text_internal.h"

namespace floe::types {
namespace {

using internal::EqualsIgnoringCase;
using internal::TrimSpace;

constexpr std::array<Int128, LogicalType::kMaxDecimalPrecision + 1> MakePowersOfTen() {
  std::array<Int128, LogicalType::kMaxDecimalPrecision + 1> powers{};
  powers[0] = 1;
  for (size_t index = 1; index < powers.size(); ++index) {
    powers[index] = powers[index - 1] * 10;
  }
  return powers;
}

constexpr std::array<Int128, LogicalType::kMaxDecimalPrecision + 1> kPowersOfTen =
    MakePowersOfTen();

// PostgreSQL's numeric rejects exponents whose display scale exceeds 16383 digits ("value
// overflows numeric format"); Floe keeps the same limit, far beyond any DECIMAL(38).
constexpr int kExponentLimit = 16383;

// The parts of a numeric literal: value = (-1)^is_negative * digits * 10^-fraction_digits.
struct NumericText {
  bool is_negative = false;
  std::string digits;  // Without leading zeros; empty for zero.
  int fraction_digits = 0;
  bool is_exponent_too_large = false;
};

bool ParseExponent(std::string_view text, int* exponent) {
  bool is_negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    is_negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return false;
  }
  int value = 0;
  for (char ch : text) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) {
      return false;
    }
    value = std::min(value * 10 + (ch - '0'), kExponentLimit + 1);
  }
  *exponent = is_negative ? -value : value;
  return true;
}

bool SplitNumericText(std::string_view text, NumericText* parts) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    parts->is_negative = text.front() == '-';
    text.remove_prefix(1);
  }
  bool has_digit = false;
  bool has_point = false;
  size_t index = 0;
  for (; index < text.size(); ++index) {
    char ch = text[index];
    if (ch == '.' && !has_point) {
      has_point = true;
    } else if (std::isdigit(static_cast<unsigned char>(ch))) {
      has_digit = true;
      if (!parts->digits.empty() || ch != '0') {
        parts->digits.push_back(ch);
      }
      parts->fraction_digits += has_point ? 1 : 0;
    } else {
      break;
    }
  }
  if (!has_digit) {
    return false;
  }
  if (index < text.size()) {
    if (text[index] != 'e' && text[index] != 'E') {
      return false;
    }
    int exponent = 0;
    if (!ParseExponent(text.substr(index + 1), &exponent)) {
      return false;
    }
    parts->is_exponent_too_large = exponent > kExponentLimit || exponent < -kExponentLimit;
    parts->fraction_digits -= exponent;
  }
  return true;
}

Int128 DigitsToInt128(std::string_view digits) {
  Int128 value = 0;
  for (char ch : digits) {
    value = value * 10 + (ch - '0');
  }
  return value;
}

// Scales the parsed digits to `scale` fraction digits, rounding half away from zero.
Result<Int128> ScaleNumericText(const NumericText& parts, int precision, int scale) {
  if (parts.digits.empty()) {
    return Int128{0};
  }
  const auto length = static_cast<int64_t>(parts.digits.size());
  const int64_t shift = static_cast<int64_t>(scale) - parts.fraction_digits;
  int64_t kept = length + shift;  // Digits left of the rounding position.
  if (kept > precision) {
    return NumericFieldOverflow(precision, scale);
  }
  if (kept <= 0) {
    bool rounds_up = kept == 0 && parts.digits[0] >= '5';
    Int128 magnitude = rounds_up ? 1 : 0;
    if (!FitsPrecision(magnitude, precision)) {
      return NumericFieldOverflow(precision, scale);
    }
    return parts.is_negative ? -magnitude : magnitude;
  }
  Int128 magnitude;
  if (shift >= 0) {
    magnitude = DigitsToInt128(parts.digits) * PowerOfTen(static_cast<int>(shift));
  } else {
    std::string_view digits = parts.digits;
    magnitude = DigitsToInt128(digits.substr(0, kept));
    magnitude += digits[kept] >= '5' ? 1 : 0;
  }
  if (!FitsPrecision(magnitude, precision)) {
    return NumericFieldOverflow(precision, scale);
  }
  return parts.is_negative ? -magnitude : magnitude;
}

}  // namespace

Int128 PowerOfTen(int exponent) {
  FLOE_DCHECK(exponent >= 0 && exponent <= LogicalType::kMaxDecimalPrecision);
  return kPowersOfTen[exponent];
}

bool FitsPrecision(Int128 unscaled, int precision) {
  return unscaled > -PowerOfTen(precision) && unscaled < PowerOfTen(precision);
}

Status NumericFieldOverflow(int precision, int scale) {
  int integer_digits = precision - scale;
  std::string limit = integer_digits > 0 ? fmt::format("10^{}", integer_digits) : "1";
  return Status::OutOfRange(
      "numeric field overflow: A field with precision {}, scale {} must round to an absolute "
      "value less than {}.",
      precision, scale, limit);
}

Int128 DivideRoundingHalfAway(Int128 value, Int128 divisor) {
  FLOE_DCHECK(divisor > 0);
  Int128 quotient = value / divisor;
  Int128 remainder = value % divisor;
  // Comparing remainder with divisor - remainder avoids overflowing 2 * remainder.
  Int128 magnitude = remainder < 0 ? -remainder : remainder;
  if (magnitude >= divisor - magnitude) {
    quotient += value < 0 ? -1 : 1;
  }
  return quotient;
}

Result<Int128> ParseDecimal(std::string_view text, int precision, int scale) {
  std::string_view trimmed = TrimSpace(text);
  if (EqualsIgnoringCase(trimmed, "nan")) {
    return Status::NotSupported("numeric({},{}) cannot hold NaN", precision, scale);
  }
  if (EqualsIgnoringCase(trimmed, "infinity") || EqualsIgnoringCase(trimmed, "+infinity") ||
      EqualsIgnoringCase(trimmed, "-infinity")) {
    return Status::OutOfRange(
        "numeric field overflow: A field with precision {}, scale {} cannot hold an infinite "
        "value.",
        precision, scale);
  }
  NumericText parts;
  if (!SplitNumericText(trimmed, &parts)) {
    return Status::InvalidCast("invalid input syntax for type numeric: \"{}\"", text);
  }
  if (parts.is_exponent_too_large) {
    return Status::OutOfRange("value overflows numeric format");
  }
  return ScaleNumericText(parts, precision, scale);
}

std::string FormatDecimal(Int128 unscaled, int scale) {
  std::string digits = Int128ToString(unscaled);
  bool is_negative = digits.front() == '-';
  if (is_negative) {
    digits.erase(0, 1);
  }
  if (scale > 0) {
    if (static_cast<int>(digits.size()) <= scale) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  return is_negative ? "-" + digits : digits;
}

Result<Int128> RescaleDecimal(Int128 unscaled, int scale, int target_precision, int target_scale) {
  Int128 result = unscaled;
  if (target_scale > scale) {
    std::optional<Int128> scaled = CheckedMultiply(unscaled, PowerOfTen(target_scale - scale));
    if (!scaled) {
      return NumericFieldOverflow(target_precision, target_scale);
    }
    result = *scaled;
  } else if (target_scale < scale) {
    result = DivideRoundingHalfAway(unscaled, PowerOfTen(scale - target_scale));
  }
  if (!FitsPrecision(result, target_precision)) {
    return NumericFieldOverflow(target_precision, target_scale);
  }
  return result;
}

}  // namespace floe::types
