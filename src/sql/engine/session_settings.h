#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "types/fwd.h"

namespace floe::sql::engine {

/// The run-time parameters of one session, as SET, SHOW and RESET see them. Names are case
/// insensitive and stored lower case. Values are kept as the text SHOW prints.
///
/// Known parameters and their defaults:
///   search_path        "public"   schemas (Floe namespaces) searched for unqualified names
///   timezone           "UTC"      an IANA zone ('Europe/Paris'), hours east of UTC (-5, 5.5)
///                                 or a POSIX TZ string ('UTC+3': three hours west)
///   datestyle          "ISO, MDY" only ISO output is supported
///   application_name   ""
///   statement_timeout  "0"        milliseconds, 0 for none
///   threads            "0"        threads per query, 0 for the engine's default
///   memory_limit       "0"        bytes per query ("512MB"), 0 for the engine's default
///   client_encoding    "UTF8"     only UTF8
///   max_recursive_iterations "100000"  runs of a WITH RECURSIVE term before the query fails
///   analytics_cache    "on"       "off" makes this session's Iceberg scans neither use nor
///                                 fill the process's cache of decoded column chunks
///   extra_float_digits, standard_conforming_strings, intervalstyle: accepted as tools set them
/// Setting an unknown parameter is an error (42704), as in PostgreSQL.
class SessionSettings {
 public:
  SessionSettings();

  /// Sets `name` to `value`, or returns the error PostgreSQL would: 42704 for an unknown
  /// parameter, 22023 for a bad value, 0A000 for a value Floe does not support.
  Status Set(std::string_view name, std::string_view value);
  /// Restores the default of `name` (or of every parameter for "all").
  Status Reset(std::string_view name);
  /// Returns the value of `name`, or 42704 for an unknown parameter.
  Result<std::string> Get(std::string_view name) const;
  /// Returns every parameter and its value, sorted by name (SHOW ALL).
  std::vector<std::pair<std::string, std::string>> All() const;

  /// The schemas of search_path, in order, unquoted ("$user" is skipped).
  std::vector<std::string> SearchPath() const;
  int threads() const { return threads_; }
  int64_t memory_limit() const { return memory_limit_; }
  int64_t statement_timeout_millis() const { return statement_timeout_millis_; }
  int64_t max_recursive_iterations() const { return max_recursive_iterations_; }
  /// The zone of the timezone parameter; never null, lives for the process.
  const types::TimeZone* time_zone() const { return time_zone_; }
  bool analytics_cache() const { return analytics_cache_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
  int threads_ = 0;
  int64_t memory_limit_ = 0;
  int64_t statement_timeout_millis_ = 0;
  int64_t max_recursive_iterations_ = 100000;
  bool analytics_cache_ = true;
  const types::TimeZone* time_zone_;
};

/// Who runs statements in a session and where: the authenticated user (passed by the server,
/// or the OS user in the embedded shell), the database name and the session's settings.
struct SessionContext {
  std::string user = "floe";
  std::string database = "floe";
  SessionSettings settings;
};

}  // namespace floe::sql::engine
