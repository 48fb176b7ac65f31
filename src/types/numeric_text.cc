#include "types/numeric_text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>

#include <fmt/core.h>

#include "types/text_internal.h"

namespace floe::types {
namespace {

using internal::TrimSpace;

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& ch : lower) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return lower;
}

Status InvalidSyntax(std::string_view type_name, std::string_view text) {
  return Status::InvalidCast("invalid input syntax for type {}: \"{}\"", type_name, text);
}

template <typename Integer>
Result<Integer> ParseIntegerText(std::string_view text, std::string_view type_name) {
  std::string_view digits = TrimSpace(text);
  bool is_negative = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    digits.remove_prefix(1);
  }
  if (digits.empty()) {
    return InvalidSyntax(type_name, text);
  }
  // Accumulate negatively: the negative range is one larger than the positive one.
  Integer value = 0;
  bool is_overflow = false;
  for (char ch : digits) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) {
      return InvalidSyntax(type_name, text);
    }
    is_overflow |= __builtin_mul_overflow(value, Integer{10}, &value);
    is_overflow |= __builtin_sub_overflow(value, static_cast<Integer>(ch - '0'), &value);
  }
  if (!is_negative && !is_overflow) {
    is_overflow = __builtin_sub_overflow(Integer{0}, value, &value);
  }
  if (is_overflow) {
    return Status::OutOfRange("value \"{}\" is out of range for type {}", text, type_name);
  }
  return value;
}

template <typename Float>
std::optional<Float> SpecialFloat(std::string_view trimmed) {
  std::string lower = ToLower(trimmed);
  if (lower == "nan") {
    return std::numeric_limits<Float>::quiet_NaN();
  }
  if (lower == "infinity" || lower == "+infinity" || lower == "inf" || lower == "+inf") {
    return std::numeric_limits<Float>::infinity();
  }
  if (lower == "-infinity" || lower == "-inf") {
    return -std::numeric_limits<Float>::infinity();
  }
  return std::nullopt;
}

template <typename Float>
Result<Float> ParseFloat(std::string_view text, std::string_view type_name) {
  std::string_view trimmed = TrimSpace(text);
  if (std::optional<Float> special = SpecialFloat<Float>(trimmed)) {
    return *special;
  }
  std::string_view number = trimmed;
  if (number.size() > 1 && number.front() == '+' && number[1] != '-') {
    number.remove_prefix(1);
  }
  Float value{};
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error == std::errc::result_out_of_range) {
    return Status::OutOfRange("\"{}\" is out of range for type {}", text, type_name);
  }
  if (error != std::errc() || end != number.data() + number.size() || number.empty()) {
    return InvalidSyntax(type_name, text);
  }
  return value;
}

// Rewrites the shortest round-trip digits in PostgreSQL's layout (its float output follows %g
// with the shortest precision: exponent notation when the exponent is < -4 or >= `fixed_limit`).
template <typename Float>
std::string FormatFloat(Float value, int fixed_limit) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "Infinity" : "-Infinity";
  }
  char buffer[64];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string_view scientific(buffer, static_cast<size_t>(end - buffer));
  std::string sign = scientific.front() == '-' ? "-" : "";
  scientific.remove_prefix(sign.size());
  size_t exponent_position = scientific.find('e');
  int exponent = 0;
  std::string_view exponent_text = scientific.substr(exponent_position + 1);
  if (exponent_text.front() == '+') {
    exponent_text.remove_prefix(1);
  }
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  std::string digits;
  for (char ch : scientific.substr(0, exponent_position)) {
    if (ch != '.') {
      digits.push_back(ch);
    }
  }
  if (exponent < -4 || exponent >= fixed_limit) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) {
      mantissa += "." + digits.substr(1);
    }
    return fmt::format("{}{}e{}{:02}", sign, mantissa, exponent < 0 ? '-' : '+',
                       std::abs(exponent));
  }
  if (exponent < 0) {
    return sign + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  }
  auto integer_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    return sign + digits + std::string(integer_digits - digits.size(), '0');
  }
  return sign + digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
}

// Accepts `text` when it is a non-empty prefix of `word` at least `minimum` characters long.
bool IsPrefixOf(std::string_view text, std::string_view word, size_t minimum = 1) {
  return text.size() >= minimum && text.size() <= word.size() &&
         word.substr(0, text.size()) == text;
}

}  // namespace

Result<bool> ParseBoolean(std::string_view text) {
  std::string lower = ToLower(TrimSpace(text));
  // "o" alone is ambiguous between "on" and "off", hence the two-letter minimum.
  if (IsPrefixOf(lower, "true") || IsPrefixOf(lower, "yes") || IsPrefixOf(lower, "on", 2) ||
      lower == "1") {
    return true;
  }
  if (IsPrefixOf(lower, "false") || IsPrefixOf(lower, "no") || IsPrefixOf(lower, "off", 2) ||
      lower == "0") {
    return false;
  }
  return InvalidSyntax("boolean", text);
}

Result<int16_t> ParseSmallInt(std::string_view text) {
  return ParseIntegerText<int16_t>(text, "smallint");
}

Result<int32_t> ParseInteger(std::string_view text) {
  return ParseIntegerText<int32_t>(text, "integer");
}

Result<int64_t> ParseBigInt(std::string_view text) {
  return ParseIntegerText<int64_t>(text, "bigint");
}

Result<float> ParseReal(std::string_view text) {
  return ParseFloat<float>(text, "real");
}

Result<double> ParseDouble(std::string_view text) {
  return ParseFloat<double>(text, "double precision");
}

std::string FormatBoolean(bool value) {
  return value ? "t" : "f";
}

std::string FormatReal(float value) {
  return FormatFloat(value, std::numeric_limits<float>::digits10);
}

std::string FormatDouble(double value) {
  return FormatFloat(value, std::numeric_limits<double>::digits10);
}

}  // namespace floe::types
