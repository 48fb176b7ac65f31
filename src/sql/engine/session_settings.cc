#include "sql/engine/session_settings.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "common/config.h"
#include "types/time_zone.h"

namespace floe::sql::engine {
namespace {

struct Default {
  std::string_view name;
  std::string_view value;
};

constexpr Default kDefaults[] = {
    {"analytics_cache", "on"},
    {"application_name", ""},
    {"client_encoding", "UTF8"},
    {"client_min_messages", "notice"},
    {"datestyle", "ISO, MDY"},
    {"default_transaction_isolation", "serializable"},
    {"extra_float_digits", "1"},
    {"intervalstyle", "postgres"},
    {"max_recursive_iterations", "100000"},
    {"memory_limit", "0"},
    {"search_path", "public"},
    {"server_encoding", "UTF8"},
    {"server_version", "15.0"},
    {"standard_conforming_strings", "on"},
    {"statement_timeout", "0"},
    {"threads", "0"},
    {"timezone", "UTC"},
    {"transaction_isolation", "serializable"},
};

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) {
    ++begin;
  }
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) {
    --end;
  }
  return std::string(text.substr(begin, end - begin));
}

Status InvalidValue(std::string_view name, std::string_view value) {
  return Status::InvalidArgument("invalid value for parameter \"{}\": \"{}\"", name, value)
      .WithSqlState("22023");
}

// Parses "250", "250ms", "5s", "2min", "1h" into milliseconds, as PostgreSQL reads time-valued
// parameters whose default unit is milliseconds.
Result<int64_t> ParseMillis(std::string_view name, std::string_view text) {
  std::string value = Trim(text);
  int64_t number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || number < 0) {
    return InvalidValue(name, text);
  }
  std::string unit = Lower(Trim(std::string_view(end, value.data() + value.size() - end)));
  int64_t factor = 0;
  if (unit.empty() || unit == "ms") {
    factor = 1;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "min") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else if (unit == "d") {
    factor = 86'400'000;
  } else {
    return InvalidValue(name, text);
  }
  return number * factor;
}

// Reads a boolean parameter as PostgreSQL does: on, off, true, false, yes, no, 1, 0 and unique
// prefixes of the words (but "o" alone is ambiguous).
Result<bool> ParseBoolean(std::string_view name, std::string_view text) {
  std::string lower = Lower(Trim(text));
  auto is_prefix_of = [&](std::string_view word, size_t min_length) {
    return lower.size() >= min_length && word.substr(0, lower.size()) == lower;
  };
  if (lower == "1" || is_prefix_of("true", 1) || is_prefix_of("yes", 1) || is_prefix_of("on", 2)) {
    return true;
  }
  if (lower == "0" || is_prefix_of("false", 1) || is_prefix_of("no", 1) || is_prefix_of("off", 2)) {
    return false;
  }
  return Status::InvalidArgument("parameter \"{}\" requires a Boolean value", name)
      .WithSqlState("22023");
}

// Resolves a TimeZone value as PostgreSQL does: a number is hours east of UTC ('-5', '+5.5');
// anything else is a zone name or a POSIX TZ string ('UTC+3' is three hours west).
Result<const types::TimeZone*> ResolveTimeZone(std::string_view text) {
  std::string_view number = text;
  if (!number.empty() && number.front() == '+') {
    number.remove_prefix(1);
  }
  double hours = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), hours);
  if (!number.empty() && error == std::errc() && end == number.data() + number.size()) {
    if (!(hours > -16 && hours < 16)) {
      return InvalidValue("TimeZone", text);
    }
    Result<const types::TimeZone*> zone =
        types::TimeZone::FixedOffset(static_cast<int32_t>(std::lround(hours * 3600)));
    return zone.ok() ? zone : InvalidValue("TimeZone", text);
  }
  Result<const types::TimeZone*> zone = types::TimeZone::Find(text);
  return zone.ok() ? zone : InvalidValue("TimeZone", text);
}

}  // namespace

SessionSettings::SessionSettings() : time_zone_(&types::TimeZone::Utc()) {
  for (const Default& setting : kDefaults) {
    values_.emplace(std::string(setting.name), std::string(setting.value));
  }
}

Status SessionSettings::Set(std::string_view raw_name, std::string_view value) {
  std::string name = Lower(raw_name);
  if (name == "time zone") {
    name = "timezone";
  }
  auto found = values_.find(name);
  if (found == values_.end()) {
    return Status::NotFound("unrecognized configuration parameter \"{}\"", raw_name)
        .WithSqlState("42704");
  }
  std::string text = Trim(value);
  if (name == "timezone") {
    FLOE_ASSIGN_OR_RETURN(time_zone_, ResolveTimeZone(value));
    text = time_zone_->name();
  } else if (name == "datestyle") {
    if (Lower(text).find("iso") == std::string::npos) {
      return Status::NotSupported("DateStyle \"{}\" is not supported: dates print as ISO", text);
    }
    text = "ISO, MDY";
  } else if (name == "client_encoding") {
    std::string lower = Lower(text);
    if (lower != "utf8" && lower != "utf-8" && lower != "unicode") {
      return Status::NotSupported("client encoding \"{}\" is not supported: use UTF8", text);
    }
    text = "UTF8";
  } else if (name == "statement_timeout") {
    FLOE_ASSIGN_OR_RETURN(statement_timeout_millis_, ParseMillis(name, text));
    text = std::to_string(statement_timeout_millis_);
  } else if (name == "threads") {
    int threads = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), threads);
    if (error != std::errc() || end != text.data() + text.size() || threads < 0) {
      return InvalidValue(name, value);
    }
    threads_ = threads;
  } else if (name == "analytics_cache") {
    FLOE_ASSIGN_OR_RETURN(analytics_cache_, ParseBoolean(name, text));
    text = analytics_cache_ ? "on" : "off";
  } else if (name == "max_recursive_iterations") {
    int64_t iterations = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), iterations);
    if (error != std::errc() || end != text.data() + text.size() || iterations < 0) {
      return InvalidValue(name, value);
    }
    max_recursive_iterations_ = iterations;
  } else if (name == "memory_limit") {
    Result<int64_t> bytes = text == "0" ? Result<int64_t>(int64_t{0}) : ParseByteSize(text);
    if (!bytes.ok() || *bytes < 0) {
      return InvalidValue(name, value);
    }
    memory_limit_ = *bytes;
  } else if (name == "server_version" || name == "server_encoding") {
    return Status::InvalidArgument("parameter \"{}\" cannot be changed", name)
        .WithSqlState("55P02");
  }
  found->second = text;
  return Status::OK();
}

Status SessionSettings::Reset(std::string_view raw_name) {
  std::string name = Lower(raw_name);
  if (name == "all") {
    *this = SessionSettings();
    return Status::OK();
  }
  if (name == "time zone") {
    name = "timezone";
  }
  for (const Default& setting : kDefaults) {
    if (setting.name == name) {
      if (name == "server_version" || name == "server_encoding") {
        return Status::OK();
      }
      return Set(name, setting.value);
    }
  }
  return Status::NotFound("unrecognized configuration parameter \"{}\"", raw_name)
      .WithSqlState("42704");
}

Result<std::string> SessionSettings::Get(std::string_view raw_name) const {
  std::string name = Lower(raw_name);
  if (name == "time zone") {
    name = "timezone";
  }
  auto found = values_.find(name);
  if (found == values_.end()) {
    return Status::NotFound("unrecognized configuration parameter \"{}\"", raw_name)
        .WithSqlState("42704");
  }
  return found->second;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::All() const {
  return {values_.begin(), values_.end()};
}

std::vector<std::string> SessionSettings::SearchPath() const {
  std::vector<std::string> schemas;
  const std::string& path = values_.find("search_path")->second;
  size_t start = 0;
  while (start <= path.size()) {
    size_t comma = path.find(',', start);
    if (comma == std::string::npos) {
      comma = path.size();
    }
    std::string item = Trim(std::string_view(path).substr(start, comma - start));
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    } else {
      item = Lower(item);
    }
    if (!item.empty() && item != "$user") {
      schemas.push_back(item);
    }
    start = comma + 1;
  }
  return schemas;
}

}  // namespace floe::sql::engine
