#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace floe {

/// Every setting of a Floe process. The defaults serve the embedded case: a warehouse folder
/// under the working directory, a SQLite metastore inside it, servers on loopback only.
struct Settings {
  std::string warehouse = "./warehouse";
  std::string metastore = "sqlite:./warehouse/floe.db";
  std::string listen = "127.0.0.1";
  int pg_port = 5433;
  int http_port = 8181;
  std::string tls_cert;
  std::string tls_key;
  // Asynchronous queries of the HTTP SQL API: disk for their results, for how long, how many run.
  int64_t http_async_result_bytes = int64_t{256} << 20;
  int http_async_result_ttl = 3600;  // Seconds.
  int http_async_workers = 4;
  // Local folder of their result files. Empty: <warehouse>/.floe/async for a local warehouse,
  // else floe-async in the system's temporary folder.
  std::string http_async_result_directory;
  int threads = 0;                 // 0: one worker per core.
  int64_t memory_limit = 0;        // 0: 80% of physical memory.
  int64_t query_memory_limit = 0;  // 0: the whole memory limit.
  std::string temp_directory;      // Empty: <warehouse>/.tmp.
  std::string log_level = "info";
  std::string log_format = "text";
  // Object storage. Empty values fall back to the usual AWS_* environment variables.
  std::string s3_endpoint;
  std::string s3_region;
  std::string s3_access_key_id;
  std::string s3_secret_access_key;
  std::string s3_session_token;
  std::string s3_addressing = "auto";
  std::string cache_directory;  // Empty: object storage is read without a local cache.
  int64_t cache_size = int64_t{10} << 30;
  // "on": the read cache keeps its blocks across restarts; "off": it starts empty.
  std::string cache_persist = "on";
  // Decoded column chunks and footers of Iceberg data files kept in memory; 0 turns it off.
  int64_t cache_memory = int64_t{1} << 30;
};

/// Where one setting's value came from, lowest precedence first.
enum class SettingSource { kDefault, kFile, kEnvironment, kFlag };

/// The raw inputs of configuration, gathered by the caller so that loading stays testable.
struct ConfigSources {
  /// A TOML file to read; when empty, `./floe.toml` is read if it exists.
  std::string file;
  /// Environment variables; only FLOE_* names that are settings are used.
  std::vector<std::pair<std::string, std::string>> environment;
  /// Command-line values by setting name ("pg_port"), already split by the flag parser.
  std::vector<std::pair<std::string, std::string>> flags;

  /// Returns the process environment as `environment`, and FLOE_CONFIG as `file`.
  static ConfigSources FromProcessEnvironment();
};

/// Describes one setting for help text and `floe config`.
struct SettingInfo {
  std::string_view key;  // TOML key, dotted by section: "server.pg_port".
  std::string_view name;  // Bare name: "pg_port"; flag --pg-port, variable FLOE_PG_PORT.
  std::string_view help;
  bool is_secret = false;  // Printed masked by `floe config`.
};

/// The effective configuration: defaults, overridden by the TOML file, overridden by FLOE_*
/// environment variables, overridden by command-line flags.
class Config {
 public:
  /// Returns the configuration, or InvalidArgument naming the setting, the source and the bad
  /// value; SyntaxError for a malformed TOML file; an unknown key in the file is an error, so
  /// that a typo never silently falls back to a default.
  static Result<Config> Load(const ConfigSources& sources);

  const Settings& settings() const { return settings_; }
  SettingSource SourceOf(std::string_view name) const;

  /// Returns the effective configuration as TOML, each value annotated with its source.
  std::string ToToml() const;

  static const std::vector<SettingInfo>& AllSettings();
  /// Returns "FLOE_PG_PORT" for "pg_port".
  static std::string EnvironmentVariableOf(std::string_view name);
  /// Returns "--pg-port" for "pg_port".
  static std::string FlagOf(std::string_view name);

 private:
  Settings settings_;
  std::vector<std::pair<std::string, SettingSource>> sources_;
};

/// Returns the embedded metastore of a warehouse folder: "sqlite:<warehouse>/floe.db". A local
/// warehouse given without a metastore gets this one, so that a warehouse folder carries its
/// own catalog wherever it is.
std::string EmbeddedMetastoreOf(std::string_view warehouse);

/// Parses a byte size: "1048576", "512MB", "4GiB", "1.5 GB", or "N%" of physical memory.
Result<int64_t> ParseByteSize(std::string_view text);
/// Returns the machine's physical memory in bytes.
int64_t PhysicalMemoryBytes();

}  // namespace floe
