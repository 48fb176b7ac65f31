#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace floe::types {

/// A time zone: the offsets from UTC a place used over time, read from the system's compiled
/// IANA database (TZif files, RFC 8536, `docs/formats/tzif.md`), from a POSIX TZ string
/// ('EST5EDT', 'UTC+3', '<+03>-3') or a fixed offset. Immutable once built; zones returned by
/// Find() live until the process ends and may be shared by any number of threads.
///
/// Offsets are seconds east of UTC (ISO 8601's sign: New York in winter is -18000). Lookups
/// binary-search the transitions; instants past the last transition of the file follow the TZ
/// string of its footer, whose rule repeats every 400 Gregorian years.
class TimeZone {
 public:
  /// What a place's clocks read at one instant.
  struct Period {
    int32_t offset_seconds = 0;
    bool is_dst = false;
    std::string_view abbreviation;  // "EST", "+0545", "LMT"; owned by the zone.
  };

  /// Returns the zone that SET TIME ZONE and AT TIME ZONE take as text, as PostgreSQL resolves
  /// it: a zone of the database by name, ignoring case ('America/New_York', 'utc'), else a
  /// POSIX TZ string with POSIX's sign ('UTC+3' is three hours west of UTC). NotFound when
  /// neither reads. Zones are cached by name, so a zone file is read once per process.
  static Result<const TimeZone*> Find(std::string_view name, bool allow_posix = true);
  /// Returns the zone of a fixed offset (seconds east of UTC), named as PostgreSQL shows it:
  /// '<-05>+05', '<+05:30>-05:30'. InvalidArgument beyond +-15:59:59 as in PostgreSQL.
  static Result<const TimeZone*> FixedOffset(int32_t offset_seconds);
  /// Returns the offset of a time zone abbreviation that PostgreSQL's default abbreviation set
  /// defines with a fixed offset ('EST' -18000, 'CEST' 7200, 'Z' 0), ignoring case.
  static std::optional<int32_t> AbbreviationOffset(std::string_view abbreviation);
  /// Returns the zone that a zone named in date/time text or in AT TIME ZONE stands for: an
  /// abbreviation as a fixed offset, else Find(). InvalidArgument (22023) `time zone "<name>"
  /// not recognized` otherwise, as PostgreSQL; ResourceExhausted when too many distinct zones
  /// are in use.
  /// Date/time text passes `allow_posix` false: a word there is an abbreviation or a zone name.
  static Result<const TimeZone*> FindForText(std::string_view name, bool allow_posix = true);
  /// Returns the UTC zone (named "UTC").
  static const TimeZone& Utc();

  /// Parses the contents of a TZif file, version 1, 2 or 3 (RFC 8536). Corruption naming what
  /// is wrong for anything malformed: bad magic, truncated data, counts beyond the format's
  /// limits, indices out of range, a footer that is not a TZ string.
  static Result<TimeZone> ParseTzif(std::string_view bytes, std::string name);
  /// Parses a POSIX TZ string ('EST5EDT,M3.2.0,M11.1.0'). NotFound when it does not read.
  static Result<TimeZone> ParsePosix(std::string_view text);

  /// The name SHOW TIME ZONE prints.
  const std::string& name() const { return name_; }
  /// Returns the period in effect at `utc_seconds` (seconds since 1970-01-01 UTC).
  Period PeriodAt(int64_t utc_seconds) const;
  /// Returns the offset in effect at `utc_seconds`.
  int32_t OffsetAt(int64_t utc_seconds) const { return PeriodAt(utc_seconds).offset_seconds; }
  /// Returns the offset to subtract from a local wall-clock time (seconds since 1970-01-01 on
  /// the local calendar) to reach UTC, with PostgreSQL's rule for times that a transition
  /// skips or repeats: a skipped time is read with the offset before the jump (02:30 on the day
  /// New York springs forward is 03:30 EDT) and a repeated one with the offset after it (01:30
  /// on the day it falls back is 01:30 EST).
  int32_t OffsetForLocal(int64_t local_seconds) const;

  /// Converts microseconds since 1970 UTC to local wall-clock microseconds; infinities stay.
  int64_t ToLocalMicros(int64_t utc_micros) const;
  /// Converts local wall-clock microseconds to UTC with OffsetForLocal's rule.
  int64_t ToUtcMicros(int64_t local_micros) const;

 private:
  struct LocalType {
    int32_t offset_seconds = 0;
    bool is_dst = false;
    uint32_t abbreviation_index = 0;  // Into abbreviations_.
  };
  struct Transition {
    int64_t at;  // Seconds since 1970 UTC.
    uint32_t type;
  };
  struct PosixRule;

  TimeZone() = default;
  static Result<PosixRule> ReadPosix(std::string_view text);
  void ExtendWithRule(const PosixRule& rule);
  uint32_t AddType(int32_t offset_seconds, bool is_dst, std::string_view abbreviation);
  size_t TypeIndexAt(int64_t utc_seconds, int64_t* shift) const;

  std::string name_;
  std::vector<LocalType> types_;
  std::string abbreviations_;  // NUL-separated.
  std::vector<Transition> transitions_;
  // Transitions at or after cycle_start_ repeat every 400 years; 0 length when they do not.
  int64_t cycle_start_ = 0;
  int64_t cycle_length_ = 0;
  bool is_pure_rule_ = false;
};

}  // namespace floe::types
