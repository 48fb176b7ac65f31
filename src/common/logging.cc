#include "common/logging.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <fmt/format.h>

#include "common/json_text.h"

namespace floe {
namespace {

struct LoggerState {
  std::mutex mutex;
  std::atomic<LogLevel> level{LogLevel::kInfo};
  LogFormat format = LogFormat::kText;
  Logger::Sink sink;
};

LoggerState& State() {
  static LoggerState state;
  return state;
}

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error"};

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     millis % 1000);
}

// Text values are quoted only when they would otherwise be ambiguous to a key=value parser.
void AppendTextValue(std::string& out, std::string_view text) {
  bool needs_quotes = text.empty() || text.find_first_of(" \"=\n\t") != std::string_view::npos;
  if (needs_quotes) {
    AppendJsonString(out, text);
  } else {
    out += text;
  }
}

std::string FormatLine(LogFormat format, LogLevel level, std::string_view message,
                       std::initializer_list<LogField> fields) {
  std::string line;
  std::string_view level_name = kLevelNames[static_cast<int>(level)];
  if (format == LogFormat::kJson) {
    line = fmt::format("{{\"ts\":\"{}\",\"level\":\"{}\",\"msg\":", Timestamp(), level_name);
    AppendJsonString(line, message);
    for (const LogField& field : fields) {
      line += ',';
      AppendJsonString(line, field.key);
      line += ':';
      AppendJsonString(line, field.value);
    }
    line += '}';
  } else {
    line = fmt::format("{} {:<5} {}", Timestamp(), level_name, message);
    for (const LogField& field : fields) {
      line += fmt::format(" {}=", field.key);
      AppendTextValue(line, field.value);
    }
  }
  line += '\n';
  return line;
}

}  // namespace

LogField::LogField(std::string_view key, double value)
    : key(key), value(fmt::format("{}", value)) {}

void Logger::Configure(LogLevel level, LogFormat format, Sink sink) {
  LoggerState& state = State();
  std::lock_guard lock(state.mutex);
  state.level.store(level);
  state.format = format;
  state.sink = std::move(sink);
}

bool Logger::IsEnabled(LogLevel level) {
  return level >= State().level.load();
}

void Logger::Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  LoggerState& state = State();
  std::lock_guard lock(state.mutex);
  std::string line = FormatLine(state.format, level, message, fields);
  if (state.sink) {
    state.sink(line);
  } else {
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

bool Logger::ParseLevel(std::string_view text, LogLevel* level) {
  for (size_t i = 0; i < std::size(kLevelNames); ++i) {
    if (kLevelNames[i] == text) {
      *level = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

}  // namespace floe
