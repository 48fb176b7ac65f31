#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace floe {

enum class LogLevel : unsigned char { kDebug, kInfo, kWarn, kError };
enum class LogFormat : unsigned char { kText, kJson };

/// One key=value pair attached to a log event. Values are rendered to text when the field is
/// built, so only build fields for events that pass the level check (the FLOE_LOG macros do).
struct LogField {
  LogField(std::string_view key, std::string_view value) : key(key), value(value) {}
  LogField(std::string_view key, const char* value) : key(key), value(value) {}
  LogField(std::string_view key, const std::string& value) : key(key), value(value) {}
  LogField(std::string_view key, int64_t value) : key(key), value(std::to_string(value)) {}
  LogField(std::string_view key, int value) : key(key), value(std::to_string(value)) {}
  LogField(std::string_view key, uint64_t value) : key(key), value(std::to_string(value)) {}
  LogField(std::string_view key, double value);
  LogField(std::string_view key, bool value) : key(key), value(value ? "true" : "false") {}

  std::string_view key;
  std::string value;
};

/// Structured logging: one line per event, with a UTC timestamp, a level, a message and fields,
/// as `key=value` text or as a JSON object per line. Thread-safe: lines never interleave.
class Logger {
 public:
  using Sink = std::function<void(std::string_view line)>;

  /// Sets the level, format and destination of all later events (stderr when `sink` is empty).
  static void Configure(LogLevel level, LogFormat format, Sink sink = {});
  static bool IsEnabled(LogLevel level);
  static void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields);

  /// Parses "debug", "info", "warn", "error".
  static bool ParseLevel(std::string_view text, LogLevel* level);
};

}  // namespace floe

#define FLOE_LOG(level, message, ...)                                   \
  do {                                                                  \
    if (::floe::Logger::IsEnabled(::floe::LogLevel::level)) {           \
      ::floe::Logger::Log(::floe::LogLevel::level, message, __VA_ARGS__); \
    }                                                                   \
  } while (false)
#define FLOE_LOG_DEBUG(message, ...) FLOE_LOG(kDebug, message, {__VA_ARGS__})
#define FLOE_LOG_INFO(message, ...) FLOE_LOG(kInfo, message, {__VA_ARGS__})
#define FLOE_LOG_WARN(message, ...) FLOE_LOG(kWarn, message, {__VA_ARGS__})
#define FLOE_LOG_ERROR(message, ...) FLOE_LOG(kError, message, {__VA_ARGS__})
