#include "common/config.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>

// The one adapter to toml++: exceptions off, so malformed files come back as values.
#define TOML_EXCEPTIONS 0
#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

extern char** environ;

namespace floe {
namespace {

using Setter = std::function<Status(Settings&, std::string_view)>;
using Getter = std::function<std::string(const Settings&)>;

struct SettingSpec {
  SettingInfo info;
  Setter set;
  Getter get;
  bool is_string;  // Quoted in TOML output.
};

Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("expected an integer, got \"{}\"", text);
  }
  if (value < min || value > max) {
    return Status::InvalidArgument("{} is outside {}..{}", value, min, max);
  }
  return value;
}

SettingSpec StringSetting(SettingInfo info, std::string Settings::*member,
                          std::initializer_list<std::string_view> allowed = {}) {
  std::vector<std::string_view> choices(allowed);
  return {info,
          [member, choices](Settings& settings, std::string_view text) -> Status {
            if (!choices.empty() &&
                std::find(choices.begin(), choices.end(), text) == choices.end()) {
              return Status::InvalidArgument("\"{}\" is not one of {}", text,
                                             fmt::join(choices, ", "));
            }
            settings.*member = std::string(text);
            return Status::OK();
          },
          [member](const Settings& settings) { return settings.*member; }, true};
}

SettingSpec IntSetting(SettingInfo info, int Settings::*member, int min, int max) {
  return {info,
          [member, min, max](Settings& settings, std::string_view text) -> Status {
            FLOE_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, min, max));
            settings.*member = static_cast<int>(value);
            return Status::OK();
          },
          [member](const Settings& settings) { return std::to_string(settings.*member); },
          false};
}

SettingSpec ByteSizeSetting(SettingInfo info, int64_t Settings::*member) {
  return {info,
          [member](Settings& settings, std::string_view text) -> Status {
            FLOE_ASSIGN_OR_RETURN(settings.*member, ParseByteSize(text));
            return Status::OK();
          },
          [member](const Settings& settings) { return std::to_string(settings.*member); },
          false};
}

const std::vector<SettingSpec>& Specs() {
  static const std::vector<SettingSpec> specs = {
      StringSetting({"warehouse", "warehouse", "folder or object-store URI holding table data"},
                    &Settings::warehouse),
      StringSetting({"metastore", "metastore", "sqlite:PATH or postgresql://... catalog database"},
                    &Settings::metastore),
      StringSetting({"server.listen", "listen", "address the servers bind to"}, &Settings::listen),
      IntSetting({"server.pg_port", "pg_port", "PostgreSQL wire protocol port"},
                 &Settings::pg_port, 1, 65535),
      IntSetting({"server.http_port", "http_port", "HTTP API and Iceberg REST catalog port"},
                 &Settings::http_port, 1, 65535),
      StringSetting({"server.tls_cert", "tls_cert", "PEM certificate enabling TLS"},
                    &Settings::tls_cert),
      StringSetting({"server.tls_key", "tls_key", "PEM private key for tls_cert"},
                    &Settings::tls_key),
      ByteSizeSetting({"http.async_result_bytes", "http_async_result_bytes",
                       "disk for results of asynchronous HTTP queries, all together"},
                      &Settings::http_async_result_bytes),
      IntSetting({"http.async_result_ttl", "http_async_result_ttl",
                  "seconds a finished asynchronous HTTP query and its result are kept"},
                 &Settings::http_async_result_ttl, 1, 7 * 24 * 3600),
      IntSetting({"http.async_workers", "http_async_workers",
                  "asynchronous HTTP queries running at once; more wait queued"},
                 &Settings::http_async_workers, 1, 256),
      StringSetting({"http.async_result_directory", "http_async_result_directory",
                     "local folder of asynchronous HTTP query results; empty means "
                     "<warehouse>/.floe/async (a local warehouse) or the system's temp folder"},
                    &Settings::http_async_result_directory),
      IntSetting({"engine.threads", "threads", "worker threads; 0 means one per core"},
                 &Settings::threads, 0, 1024),
      ByteSizeSetting({"engine.memory_limit", "memory_limit",
                       "process memory budget (bytes, 4GiB, 80%); 0 means 80% of RAM"},
                      &Settings::memory_limit),
      ByteSizeSetting({"engine.query_memory_limit", "query_memory_limit",
                       "memory budget of one query; 0 means the process budget"},
                      &Settings::query_memory_limit),
      StringSetting({"engine.temp_directory", "temp_directory",
                     "where operators spill; empty means <warehouse>/.tmp"},
                    &Settings::temp_directory),
      StringSetting({"log.level", "log_level", "debug, info, warn or error"},
                    &Settings::log_level, {"debug", "info", "warn", "error"}),
      StringSetting({"log.format", "log_format", "text or json"}, &Settings::log_format,
                    {"text", "json"}),
      StringSetting({"s3.endpoint", "s3_endpoint",
                     "S3-compatible endpoint URL; empty means AWS (or AWS_ENDPOINT_URL)"},
                    &Settings::s3_endpoint),
      StringSetting({"s3.region", "s3_region", "S3 region; empty means AWS_REGION or us-east-1"},
                    &Settings::s3_region),
      StringSetting({"s3.access_key_id", "s3_access_key_id",
                     "S3 access key; empty means AWS_ACCESS_KEY_ID"},
                    &Settings::s3_access_key_id),
      StringSetting({"s3.secret_access_key", "s3_secret_access_key",
                     "S3 secret key; empty means AWS_SECRET_ACCESS_KEY", true},
                    &Settings::s3_secret_access_key),
      StringSetting({"s3.session_token", "s3_session_token",
                     "S3 session token; empty means AWS_SESSION_TOKEN", true},
                    &Settings::s3_session_token),
      StringSetting({"s3.addressing", "s3_addressing",
                     "auto (path style for custom endpoints), path or virtual"},
                    &Settings::s3_addressing, {"auto", "path", "virtual"}),
      StringSetting({"cache.directory", "cache_directory",
                     "local folder caching object-storage reads; empty disables the cache"},
                    &Settings::cache_directory),
      ByteSizeSetting({"cache.size", "cache_size", "most bytes the read cache keeps"},
                      &Settings::cache_size),
      StringSetting({"cache.persist", "cache_persist",
                     "on: the read cache keeps its blocks across restarts; off: starts empty"},
                    &Settings::cache_persist, {"on", "off"}),
      ByteSizeSetting({"cache.memory", "cache_memory",
                       "memory for decoded column chunks of Iceberg tables; 0 turns it off"},
                      &Settings::cache_memory),
  };
  return specs;
}

const SettingSpec* FindByName(std::string_view name) {
  for (const SettingSpec& spec : Specs()) {
    if (spec.info.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

const SettingSpec* FindByKey(std::string_view key) {
  for (const SettingSpec& spec : Specs()) {
    if (spec.info.key == key) {
      return &spec;
    }
  }
  return nullptr;
}

Result<std::string> TomlValueAsText(const toml::node& node, std::string_view key) {
  if (auto text = node.value<std::string>(); node.is_string() && text) {
    return *text;
  }
  if (auto number = node.value<int64_t>(); node.is_integer() && number) {
    return std::to_string(*number);
  }
  if (auto flag = node.value<bool>(); node.is_boolean() && flag) {
    return std::string(*flag ? "true" : "false");
  }
  return Status::InvalidArgument("setting {} must be a string or an integer", key);
}

// Flattens tables into dotted keys so that both `[server] pg_port = 1` and
// `server.pg_port = 1` name the same setting.
Status CollectTomlValues(const toml::table& table, const std::string& prefix,
                         std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& [name, node] : table) {
    std::string key = prefix.empty() ? std::string(name.str())
                                     : fmt::format("{}.{}", prefix, name.str());
    if (const toml::table* nested = node.as_table()) {
      FLOE_RETURN_NOT_OK(CollectTomlValues(*nested, key, out));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(std::string text, TomlValueAsText(node, key));
    out.emplace_back(std::move(key), std::move(text));
  }
  return Status::OK();
}

Result<std::vector<std::pair<std::string, std::string>>> ReadTomlFile(const std::string& path) {
  toml::parse_result parsed = toml::parse_file(path);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    if (!std::filesystem::exists(path)) {
      return Status::NotFound("configuration file {} does not exist", path);
    }
    return Status::SyntaxError("configuration file {}, line {}, column {}: {}", path,
                               error.source().begin.line, error.source().begin.column,
                               error.description());
  }
  std::vector<std::pair<std::string, std::string>> values;
  FLOE_RETURN_NOT_OK(CollectTomlValues(parsed.table(), "", values));
  return values;
}

std::string TomlQuote(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

ConfigSources ConfigSources::FromProcessEnvironment() {
  ConfigSources sources;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals == std::string_view::npos || !text.starts_with("FLOE_")) {
      continue;
    }
    std::string name(text.substr(0, equals));
    std::string value(text.substr(equals + 1));
    if (name == "FLOE_CONFIG") {
      sources.file = value;
    } else {
      sources.environment.emplace_back(std::move(name), std::move(value));
    }
  }
  return sources;
}

Result<Config> Config::Load(const ConfigSources& sources) {
  Config config;
  auto apply = [&config](const SettingSpec& spec, std::string_view text, SettingSource source,
                         std::string_view origin) -> Status {
    Status status = spec.set(config.settings_, text);
    if (!status.ok()) {
      return Status::InvalidArgument("invalid {} from {}: {}", spec.info.name, origin,
                                     status.message());
    }
    config.sources_.emplace_back(std::string(spec.info.name), source);
    return Status::OK();
  };

  std::string file = sources.file;
  if (file.empty() && std::filesystem::exists("floe.toml")) {
    file = "floe.toml";
  }
  if (!file.empty()) {
    FLOE_ASSIGN_OR_RETURN(auto values, ReadTomlFile(file));
    for (const auto& [key, text] : values) {
      const SettingSpec* spec = FindByKey(key);
      if (spec == nullptr) {
        return Status::InvalidArgument("configuration file {}: unknown setting \"{}\"", file, key);
      }
      FLOE_RETURN_NOT_OK(apply(*spec, text, SettingSource::kFile, file));
    }
  }
  for (const SettingSpec& spec : Specs()) {
    std::string variable = EnvironmentVariableOf(spec.info.name);
    for (const auto& [name, text] : sources.environment) {
      if (name == variable) {
        FLOE_RETURN_NOT_OK(apply(spec, text, SettingSource::kEnvironment, variable));
      }
    }
  }
  for (const auto& [name, text] : sources.flags) {
    const SettingSpec* spec = FindByName(name);
    if (spec == nullptr) {
      return Status::InvalidArgument("unknown setting \"{}\"", name);
    }
    FLOE_RETURN_NOT_OK(apply(*spec, text, SettingSource::kFlag, FlagOf(name)));
  }
  const std::string& warehouse = config.settings_.warehouse;
  if (config.SourceOf("metastore") == SettingSource::kDefault &&
      warehouse.find("://") == std::string::npos) {
    config.settings_.metastore = EmbeddedMetastoreOf(warehouse);
  }
  return config;
}

std::string EmbeddedMetastoreOf(std::string_view warehouse) {
  while (warehouse.size() > 1 && warehouse.back() == '/') {
    warehouse.remove_suffix(1);
  }
  return fmt::format("sqlite:{}/floe.db", warehouse);
}

SettingSource Config::SourceOf(std::string_view name) const {
  SettingSource source = SettingSource::kDefault;
  for (const auto& [setting, origin] : sources_) {
    if (setting == name) {
      source = origin;  // Later entries have higher precedence.
    }
  }
  return source;
}

std::string Config::ToToml() const {
  constexpr std::string_view kSourceNames[] = {"default", "file", "environment", "flag"};
  std::string out;
  std::string section;
  for (const SettingSpec& spec : Specs()) {
    std::string_view key = spec.info.key;
    size_t dot = key.find('.');
    std::string spec_section(dot == std::string_view::npos ? "" : key.substr(0, dot));
    if (spec_section != section) {
      section = spec_section;
      out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", section);
    }
    std::string value = spec.get(settings_);
    if (spec.info.is_secret && !value.empty()) {
      value = "********";
    }
    std::string rendered = spec.is_string ? TomlQuote(value) : value;
    out += fmt::format("{} = {}  # {}\n", key.substr(dot == std::string_view::npos ? 0 : dot + 1),
                       rendered, kSourceNames[static_cast<int>(SourceOf(spec.info.name))]);
  }
  return out;
}

const std::vector<SettingInfo>& Config::AllSettings() {
  static const std::vector<SettingInfo> infos = [] {
    std::vector<SettingInfo> result;
    for (const SettingSpec& spec : Specs()) {
      result.push_back(spec.info);
    }
    return result;
  }();
  return infos;
}

std::string Config::EnvironmentVariableOf(std::string_view name) {
  std::string variable = "FLOE_";
  for (char c : name) {
    variable += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return variable;
}

std::string Config::FlagOf(std::string_view name) {
  std::string flag = "--";
  for (char c : name) {
    flag += c == '_' ? '-' : c;
  }
  return flag;
}

int64_t PhysicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) {
    return int64_t{8} << 30;
  }
  return static_cast<int64_t>(pages) * page_size;
}

Result<int64_t> ParseByteSize(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  size_t number_end = 0;
  while (number_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[number_end])) || text[number_end] == '.')) {
    ++number_end;
  }
  std::string number(text.substr(0, number_end));
  std::string unit(text.substr(number_end));
  std::erase_if(unit, [](char c) { return c == ' '; });
  std::transform(unit.begin(), unit.end(), unit.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  double value = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || error != std::errc() || end != number.data() + number.size()) {
    return Status::InvalidArgument("expected a byte size such as 4GiB or 80%, got \"{}\"", text);
  }
  double multiplier = 0;
  static const std::pair<std::string_view, double> kUnits[] = {
      {"", 1},          {"b", 1},          {"kb", 1e3},  {"mb", 1e6},          {"gb", 1e9},
      {"tb", 1e12},     {"kib", 1024.0},   {"mib", 1024.0 * 1024},
      {"gib", 1024.0 * 1024 * 1024},       {"tib", 1024.0 * 1024 * 1024 * 1024}};
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) {
      multiplier = factor;
    }
  }
  if (unit == "%") {
    if (value > 100) {
      return Status::InvalidArgument("a share of memory cannot exceed 100%: \"{}\"", text);
    }
    multiplier = static_cast<double>(PhysicalMemoryBytes()) / 100;
  }
  if (multiplier == 0) {
    return Status::InvalidArgument("unknown byte size unit \"{}\" in \"{}\"", unit, text);
  }
  double bytes = value * multiplier;
  if (bytes >= static_cast<double>(std::numeric_limits<int64_t>::max())) {
    return Status::InvalidArgument("byte size too large: \"{}\"", text);
  }
  return static_cast<int64_t>(std::llround(bytes));
}

}  // namespace floe
