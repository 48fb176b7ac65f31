#include "types/time_zone.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <fmt/core.h>

#include "common/thread_annotations.h"
#include "types/temporal.h"

namespace floe::types {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;
// The Gregorian calendar repeats every 400 years, which are exactly 20871 weeks, so a POSIX
// rule (months, weekdays, days of the year) gives the same transitions 400 years later.
constexpr int64_t kCycleYears = 400;
constexpr int64_t kCycleSeconds = 146'097 * kSecondsPerDay;
// Timestamps end in 294246; the rule's years stay far from 64-bit overflow in seconds.
constexpr int64_t kMaxRuleYear = 300'000;
// PostgreSQL's limit for zone offsets.
constexpr int32_t kMaxOffsetSeconds = 15 * 3600 + 59 * 60 + 59;
// Zones are never freed (queries hold plain pointers to them), so the cache is bounded: names
// typed by users (AT TIME ZONE over a column, POSIX strings) must not grow it without end.
constexpr size_t kMaxCachedZones = 10'000;
// A zone file larger than this is not a zone file; the largest in tzdata is under 4 KB.
constexpr std::uintmax_t kMaxTzifBytes = 1 << 20;

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() - 1
                 : std::numeric_limits<int64_t>::min() + 1;
  }
  return sum;
}

// ---- TZif (RFC 8536)

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - position_; }
  size_t position() const { return position_; }

  bool Skip(uint64_t count) {
    if (count > remaining()) {
      return false;
    }
    position_ += count;
    return true;
  }
  std::optional<std::string_view> Take(uint64_t count) {
    if (count > remaining()) {
      return std::nullopt;
    }
    std::string_view taken = bytes_.substr(position_, count);
    position_ += count;
    return taken;
  }
  std::optional<int64_t> BigEndian(int width) {
    std::optional<std::string_view> raw = Take(width);
    if (!raw) {
      return std::nullopt;
    }
    uint64_t value = 0;
    for (char ch : *raw) {
      value = (value << 8) | static_cast<uint8_t>(ch);
    }
    if (width == 4) {
      return static_cast<int32_t>(static_cast<uint32_t>(value));
    }
    return static_cast<int64_t>(value);
  }

 private:
  std::string_view bytes_;
  size_t position_ = 0;
};

struct TzifHeader {
  char version = 0;
  uint64_t isutcnt = 0;
  uint64_t isstdcnt = 0;
  uint64_t leapcnt = 0;
  uint64_t timecnt = 0;
  uint64_t typecnt = 0;
  uint64_t charcnt = 0;

  uint64_t DataSize(int time_size) const {
    return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

Status TzifError(std::string_view name, std::string_view what) {
  return Status::Corruption("time zone file \"{}\" is malformed: {}", name, what);
}

Result<TzifHeader> ReadTzifHeader(ByteReader& reader, std::string_view name) {
  std::optional<std::string_view> magic = reader.Take(4);
  if (!magic || *magic != "TZif") {
    return TzifError(name, "bad magic");
  }
  std::optional<std::string_view> version = reader.Take(1);
  if (!version || !reader.Skip(15)) {
    return TzifError(name, "truncated header");
  }
  TzifHeader header;
  header.version = (*version)[0];
  if (header.version != '\0' && (header.version < '2' || header.version > '4')) {
    return TzifError(name, "unknown version");
  }
  uint64_t* counts[] = {&header.isutcnt, &header.isstdcnt, &header.leapcnt,
                        &header.timecnt, &header.typecnt,  &header.charcnt};
  for (uint64_t* count : counts) {
    std::optional<int64_t> value = reader.BigEndian(4);
    if (!value) {
      return TzifError(name, "truncated header");
    }
    *count = static_cast<uint32_t>(*value);
  }
  if (header.typecnt == 0 || header.charcnt == 0) {
    return TzifError(name, "no local time types");
  }
  if ((header.isutcnt != 0 && header.isutcnt != header.typecnt) ||
      (header.isstdcnt != 0 && header.isstdcnt != header.typecnt) || header.typecnt > 256) {
    return TzifError(name, "inconsistent counts");
  }
  return header;
}

// ---- POSIX TZ strings (POSIX.1-2017 section 8.3, with RFC 8536's extensions)

class PosixScanner {
 public:
  explicit PosixScanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return position_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[position_]; }
  bool Consume(char ch) {
    if (Peek() != ch) {
      return false;
    }
    ++position_;
    return true;
  }

  // An abbreviation: three or more letters, or three or more characters in '<' '>'. Like
  // PostgreSQL, an empty standard-time name is accepted ('+05:30' is 5:30 west of UTC).
  std::optional<std::string> Name(bool allow_empty = false) {
    size_t start = position_;
    if (Consume('<')) {
      // Like PostgreSQL, anything up to '>' (its own names for fixed offsets hold a ':').
      while (!AtEnd() && Peek() != '>') {
        ++position_;
      }
      std::string name(text_.substr(start + 1, position_ - start - 1));
      if (!Consume('>') || name.size() < 3) {
        return std::nullopt;
      }
      return name;
    }
    while (std::isalpha(static_cast<unsigned char>(Peek()))) {
      ++position_;
    }
    if (allow_empty && position_ == start) {
      return std::string();
    }
    if (position_ - start < 3) {
      return std::nullopt;
    }
    return std::string(text_.substr(start, position_ - start));
  }

  std::optional<int64_t> Number(int max_digits) {
    int64_t value = 0;
    int digits = 0;
    while (std::isdigit(static_cast<unsigned char>(Peek())) && digits < max_digits) {
      value = value * 10 + (text_[position_++] - '0');
      ++digits;
    }
    if (digits == 0) {
      return std::nullopt;
    }
    return value;
  }

  // [+-]hh[:mm[:ss]], in seconds.
  std::optional<int32_t> Time(int max_hours) {
    bool is_negative = Peek() == '-';
    if (!Consume('-')) {
      (void)Consume('+');
    }
    std::optional<int64_t> hours = Number(3);
    if (!hours || *hours > max_hours) {
      return std::nullopt;
    }
    int64_t seconds = *hours * 3600;
    for (int64_t factor : {60, 1}) {
      if (!Consume(':')) {
        break;
      }
      std::optional<int64_t> part = Number(2);
      if (!part || *part > 59) {
        return std::nullopt;
      }
      seconds += *part * factor;
    }
    return static_cast<int32_t>(is_negative ? -seconds : seconds);
  }

 private:
  std::string_view text_;
  size_t position_ = 0;
};

}  // namespace

// When a rule switches: a day of the year in one of POSIX's three forms, and a local time.
struct RuleDate {
  enum class Kind { kJulianNoLeap, kZeroBasedDay, kMonthWeekDay } kind = Kind::kMonthWeekDay;
  int day = 0;  // Jn: 1..365; n: 0..365; Mm.w.d: the weekday d (0 is Sunday).
  int month = 0;
  int week = 0;
  int32_t time_seconds = 2 * 3600;

  // Returns the days since 1970-01-01 of this date in `year`.
  int64_t DayIn(int64_t year) const {
    int64_t first = DaysFromCivil(CivilDate{year, 1, 1});
    switch (kind) {
      case Kind::kJulianNoLeap:
        return first + day - 1 + (IsLeapYear(year) && day >= 60 ? 1 : 0);
      case Kind::kZeroBasedDay:
        return first + day;
      case Kind::kMonthWeekDay:
        break;
    }
    int64_t month_start = DaysFromCivil(CivilDate{year, month, 1});
    // 1970-01-01 was a Thursday (weekday 4).
    int64_t weekday = ((month_start % 7) + 7 + 4) % 7;
    int64_t result = month_start + (day - weekday + 7) % 7 + (week - 1) * 7;
    while (result >= month_start + DaysInMonth(year, month)) {
      result -= 7;
    }
    return result;
  }
};

struct TimeZone::PosixRule {
  std::string standard_name;
  int32_t standard_offset = 0;  // East of UTC.
  bool has_dst = false;
  std::string dst_name;
  int32_t dst_offset = 0;
  RuleDate start;
  RuleDate end;
};

namespace {

bool ReadRuleDate(PosixScanner& scanner, RuleDate& date) {
  if (scanner.Consume('J')) {
    std::optional<int64_t> day = scanner.Number(3);
    if (!day || *day < 1 || *day > 365) {
      return false;
    }
    date.kind = RuleDate::Kind::kJulianNoLeap;
    date.day = static_cast<int>(*day);
  } else if (scanner.Consume('M')) {
    std::optional<int64_t> month = scanner.Number(2);
    if (!month || *month < 1 || *month > 12 || !scanner.Consume('.')) {
      return false;
    }
    std::optional<int64_t> week = scanner.Number(1);
    if (!week || *week < 1 || *week > 5 || !scanner.Consume('.')) {
      return false;
    }
    std::optional<int64_t> weekday = scanner.Number(1);
    if (!weekday || *weekday > 6) {
      return false;
    }
    date.kind = RuleDate::Kind::kMonthWeekDay;
    date.month = static_cast<int>(*month);
    date.week = static_cast<int>(*week);
    date.day = static_cast<int>(*weekday);
  } else {
    std::optional<int64_t> day = scanner.Number(3);
    if (!day || *day > 365) {
      return false;
    }
    date.kind = RuleDate::Kind::kZeroBasedDay;
    date.day = static_cast<int>(*day);
  }
  if (scanner.Consume('/')) {
    std::optional<int32_t> time = scanner.Time(167);
    if (!time) {
      return false;
    }
    date.time_seconds = *time;
  }
  return true;
}

std::string FixedOffsetText(int32_t offset_seconds) {
  int32_t magnitude = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  std::string text = fmt::format("{}{:02}", offset_seconds < 0 ? '-' : '+', magnitude / 3600);
  if (magnitude % 3600 != 0) {
    text += fmt::format(":{:02}", magnitude / 60 % 60);
  }
  if (magnitude % 60 != 0) {
    text += fmt::format(":{:02}", magnitude % 60);
  }
  return text;
}

std::filesystem::path ZoneDirectory() {
  const char* configured = std::getenv("TZDIR");
  return configured != nullptr && *configured != '\0' ? configured : "/usr/share/zoneinfo";
}

// Zone names are paths under the zone directory; nothing else may be reached through them.
bool IsSafeZoneName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') {
    return false;
  }
  for (char ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '/' && ch != '_' && ch != '-' &&
        ch != '+' && ch != '.') {
      return false;
    }
  }
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = std::min(name.find('/', start), name.size());
    std::string_view part = name.substr(start, slash - start);
    if (part.empty() || part.front() == '.') {
      return false;
    }
    start = slash + 1;
  }
  return true;
}

bool SameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Finds the file of `name` ignoring case, as PostgreSQL does, and returns its name as spelled
// in the directory ('america/new_york' -> 'America/New_York').
std::optional<std::string> ResolveZoneFile(std::string_view name) {
  std::filesystem::path path = ZoneDirectory();
  std::string canonical;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = std::min(name.find('/', start), name.size());
    std::string_view part = name.substr(start, slash - start);
    std::error_code error;
    std::string found;
    if (std::filesystem::exists(path / std::string(part), error)) {
      found = std::string(part);
    }
    // An exact match may still differ in case on a case-insensitive file system; the listing
    // gives the spelling of the directory.
    for (std::filesystem::directory_iterator entry(path, error), end; !error && entry != end;
         entry.increment(error)) {
      std::string entry_name = entry->path().filename().string();
      if (SameIgnoringCase(entry_name, part)) {
        found = entry_name;
        if (entry_name == part) {
          break;
        }
      }
    }
    if (found.empty()) {
      return std::nullopt;
    }
    path /= found;
    canonical += (canonical.empty() ? "" : "/") + found;
    start = slash + 1;
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return std::nullopt;
  }
  return canonical;
}

Result<std::string> ReadZoneFile(const std::string& canonical) {
  std::filesystem::path path = ZoneDirectory() / canonical;
  std::error_code error;
  std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error || size > kMaxTzifBytes) {
    return Status::IOError("cannot read time zone file \"{}\"", canonical);
  }
  std::ifstream file(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!file.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Status::IOError("cannot read time zone file \"{}\"", canonical);
  }
  return bytes;
}

class ZoneCache {
 public:
  static ZoneCache& Instance() {
    static ZoneCache* cache = new ZoneCache();  // Never destroyed: zones outlive every query.
    return *cache;
  }

  Result<const TimeZone*> Find(std::string_view name, bool allow_posix) {
    std::string key(name);
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto found = zones_.find(key); found != zones_.end()) {
      return found->second.get();
    }
    FLOE_RETURN_NOT_OK(CheckRoom());
    FLOE_ASSIGN_OR_RETURN(TimeZone zone, Load(name, allow_posix));
    auto owned = std::make_unique<const TimeZone>(std::move(zone));
    const TimeZone* pointer = owned.get();
    zones_.emplace(std::move(key), std::move(owned));
    return pointer;
  }

  template <typename Make>
  Result<const TimeZone*> FindOrMake(const std::string& key, Make make) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto found = zones_.find(key); found != zones_.end()) {
      return found->second.get();
    }
    FLOE_RETURN_NOT_OK(CheckRoom());
    FLOE_ASSIGN_OR_RETURN(TimeZone zone, make());
    auto owned = std::make_unique<const TimeZone>(std::move(zone));
    const TimeZone* pointer = owned.get();
    zones_.emplace(key, std::move(owned));
    return pointer;
  }

 private:
  Status CheckRoom() const FLOE_REQUIRES(mutex_) {
    if (zones_.size() >= kMaxCachedZones) {
      return Status::ResourceExhausted("too many distinct time zones in use (limit {})",
                                       kMaxCachedZones);
    }
    return Status::OK();
  }

  static Result<TimeZone> Load(std::string_view name, bool allow_posix) {
    if (IsSafeZoneName(name)) {
      if (std::optional<std::string> canonical = ResolveZoneFile(name)) {
        Result<std::string> bytes = ReadZoneFile(*canonical);
        if (bytes.ok()) {
          Result<TimeZone> zone = TimeZone::ParseTzif(*bytes, *canonical);
          if (zone.ok()) {
            return zone;
          }
        }
      }
    }
    if (!allow_posix) {
      return Status::NotFound("time zone \"{}\" not recognized", name);
    }
    return TimeZone::ParsePosix(name);
  }

  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<const TimeZone>, std::less<>> zones_
      FLOE_GUARDED_BY(mutex_);
};

}  // namespace

Result<const TimeZone*> TimeZone::Find(std::string_view name, bool allow_posix) {
  if (SameIgnoringCase(name, "utc")) {
    return &Utc();
  }
  return ZoneCache::Instance().Find(name, allow_posix);
}

std::optional<int32_t> TimeZone::AbbreviationOffset(std::string_view abbreviation) {
  struct Abbreviation {
    std::string_view name;
    int32_t offset_minutes;
  };
  // The abbreviations of PostgreSQL's "Default" set that name one fixed offset.
  static constexpr Abbreviation kAbbreviations[] = {
      {"acdt", 630},  {"acst", 570}, {"adt", -180}, {"aedt", 660}, {"aest", 600}, {"akdt", -480},
      {"akst", -540}, {"ast", -240}, {"awst", 480}, {"bst", 60},   {"cdt", -300}, {"cest", 120},
      {"cet", 60},    {"cst", -360}, {"edt", -240}, {"eest", 180}, {"eet", 120},  {"est", -300},
      {"gmt", 0},     {"hkt", 480},  {"hst", -600}, {"ist", 120},  {"jst", 540},  {"kst", 540},
      {"mdt", -360},  {"mest", 120}, {"met", 60},   {"msk", 180},  {"mst", -420}, {"ndt", -150},
      {"nst", -210},  {"nzdt", 780}, {"nzst", 720}, {"pdt", -420}, {"pst", -480}, {"sgt", 480},
      {"ut", 0},      {"utc", 0},    {"wet", 0},    {"z", 0},      {"zulu", 0},
  };
  for (const Abbreviation& entry : kAbbreviations) {
    if (SameIgnoringCase(entry.name, abbreviation)) {
      return entry.offset_minutes * 60;
    }
  }
  return std::nullopt;
}

Result<const TimeZone*> TimeZone::FindForText(std::string_view name, bool allow_posix) {
  if (std::optional<int32_t> offset = AbbreviationOffset(name)) {
    if (*offset == 0) {
      return &Utc();
    }
    return FixedOffset(*offset);
  }
  Result<const TimeZone*> zone = Find(name, allow_posix);
  if (!zone.ok() && zone.status().code() == StatusCode::kNotFound) {
    return Status::InvalidArgument("time zone \"{}\" not recognized", name).WithSqlState("22023");
  }
  return zone;
}

const TimeZone& TimeZone::Utc() {
  static const TimeZone* utc = [] {
    auto* zone = new TimeZone();
    zone->name_ = "UTC";
    (void)zone->AddType(0, false, "UTC");
    return zone;
  }();
  return *utc;
}

Result<const TimeZone*> TimeZone::FixedOffset(int32_t offset_seconds) {
  if (offset_seconds < -kMaxOffsetSeconds || offset_seconds > kMaxOffsetSeconds) {
    return Status::InvalidArgument("time zone offset {} is out of range", offset_seconds);
  }
  std::string abbreviation = FixedOffsetText(offset_seconds);
  // The POSIX part counts hours west, so zero is written "-00", as PostgreSQL does.
  std::string posix = FixedOffsetText(offset_seconds == 0 ? 0 : -offset_seconds);
  std::string name = "<" + abbreviation + ">" + (offset_seconds == 0 ? "-00" : posix);
  return ZoneCache::Instance().FindOrMake("\x01" + name, [&]() -> Result<TimeZone> {
    TimeZone zone;
    zone.name_ = name;
    (void)zone.AddType(offset_seconds, false, abbreviation);
    return zone;
  });
}

Result<TimeZone::PosixRule> TimeZone::ReadPosix(std::string_view text) {
  auto invalid = [&] { return Status::NotFound("time zone \"{}\" not recognized", text); };
  PosixScanner scanner(text);
  PosixRule rule;
  std::optional<std::string> standard = scanner.Name(/*allow_empty=*/true);
  std::optional<int32_t> standard_west = standard ? scanner.Time(24) : std::nullopt;
  if (!standard_west) {
    return invalid();
  }
  rule.standard_name = *standard;
  rule.standard_offset = -*standard_west;
  if (scanner.AtEnd()) {
    return rule;
  }
  std::optional<std::string> dst = scanner.Name();
  if (!dst) {
    return invalid();
  }
  rule.has_dst = true;
  rule.dst_name = *dst;
  rule.dst_offset = rule.standard_offset + 3600;
  if (!scanner.AtEnd() && scanner.Peek() != ',') {
    std::optional<int32_t> dst_west = scanner.Time(24);
    if (!dst_west) {
      return invalid();
    }
    rule.dst_offset = -*dst_west;
  }
  if (scanner.AtEnd()) {
    // Without dates POSIX leaves the rule to the implementation; PostgreSQL, like the tz
    // code, uses the United States' rules of 2007.
    rule.start = RuleDate{RuleDate::Kind::kMonthWeekDay, 0, 3, 2, 2 * 3600};
    rule.end = RuleDate{RuleDate::Kind::kMonthWeekDay, 0, 11, 1, 2 * 3600};
    return rule;
  }
  if (!scanner.Consume(',') || !ReadRuleDate(scanner, rule.start) || !scanner.Consume(',') ||
      !ReadRuleDate(scanner, rule.end) || !scanner.AtEnd()) {
    return invalid();
  }
  return rule;
}

Result<TimeZone> TimeZone::ParsePosix(std::string_view text) {
  FLOE_ASSIGN_OR_RETURN(PosixRule rule, ReadPosix(text));
  if (rule.standard_offset < -kMaxOffsetSeconds || rule.standard_offset > kMaxOffsetSeconds ||
      rule.dst_offset < -kMaxOffsetSeconds || rule.dst_offset > kMaxOffsetSeconds) {
    return Status::NotFound("time zone \"{}\" not recognized", text);
  }
  TimeZone zone;
  zone.name_ = std::string(text);
  (void)zone.AddType(rule.standard_offset, false, rule.standard_name);
  zone.ExtendWithRule(rule);
  return zone;
}

uint32_t TimeZone::AddType(int32_t offset_seconds, bool is_dst, std::string_view abbreviation) {
  for (uint32_t index = 0; index < types_.size(); ++index) {
    const LocalType& type = types_[index];
    if (type.offset_seconds == offset_seconds && type.is_dst == is_dst &&
        std::string_view(abbreviations_.c_str() + type.abbreviation_index) == abbreviation) {
      return index;
    }
  }
  LocalType type{offset_seconds, is_dst, static_cast<uint32_t>(abbreviations_.size())};
  abbreviations_.append(abbreviation);
  abbreviations_.push_back('\0');
  types_.push_back(type);
  return static_cast<uint32_t>(types_.size() - 1);
}

// Materializes the rule's transitions for 401 years after the last explicit transition; later
// instants are mapped back into that window by whole 400-year cycles.
void TimeZone::ExtendWithRule(const PosixRule& rule) {
  uint32_t standard = AddType(rule.standard_offset, false, rule.standard_name);
  if (!rule.has_dst) {
    // The last transition already selects the rule's standard time.
    return;
  }
  uint32_t dst = AddType(rule.dst_offset, true, rule.dst_name);
  bool is_pure_rule = transitions_.empty();
  int64_t last = is_pure_rule ? std::numeric_limits<int64_t>::min() : transitions_.back().at;
  int64_t first_year = is_pure_rule ? 1970 : CivilFromDays(FloorDivide(last, kSecondsPerDay)).year;
  if (first_year < -kMaxRuleYear || first_year > kMaxRuleYear) {
    // Transitions beyond the timestamp range leave nothing for the rule to decide.
    return;
  }
  std::vector<Transition> generated;
  for (int64_t year = first_year; year <= first_year + kCycleYears; ++year) {
    int64_t start =
        rule.start.DayIn(year) * kSecondsPerDay + rule.start.time_seconds - rule.standard_offset;
    int64_t end = rule.end.DayIn(year) * kSecondsPerDay + rule.end.time_seconds - rule.dst_offset;
    generated.push_back({start, dst});
    generated.push_back({end, standard});
  }
  std::sort(generated.begin(), generated.end(),
            [](const Transition& a, const Transition& b) { return a.at < b.at; });
  for (const Transition& transition : generated) {
    if (transition.at > last) {
      transitions_.push_back(transition);
    }
  }
  cycle_start_ = DaysFromCivil(CivilDate{first_year + 1, 1, 1}) * kSecondsPerDay;
  cycle_length_ = kCycleSeconds;
  // A zone made only of a rule repeats in both directions: instants before the window use the
  // same cycle.
  is_pure_rule_ = is_pure_rule;
}

Result<TimeZone> TimeZone::ParseTzif(std::string_view bytes, std::string name) {
  ByteReader reader(bytes);
  FLOE_ASSIGN_OR_RETURN(TzifHeader header, ReadTzifHeader(reader, name));
  int time_size = 4;
  if (header.version != '\0') {
    // Version 2 and later repeat the data with 64-bit times after the version 1 block.
    if (!reader.Skip(header.DataSize(4))) {
      return TzifError(name, "truncated data");
    }
    FLOE_ASSIGN_OR_RETURN(header, ReadTzifHeader(reader, name));
    time_size = 8;
  }
  if (header.DataSize(time_size) > reader.remaining()) {
    return TzifError(name, "truncated data");
  }
  TimeZone zone;
  zone.name_ = std::move(name);
  std::vector<int64_t> times(header.timecnt);
  for (size_t index = 0; index < times.size(); ++index) {
    times[index] = *reader.BigEndian(time_size);
    if (index > 0 && times[index] <= times[index - 1]) {
      return TzifError(zone.name_, "transition times are not ascending");
    }
  }
  std::string_view indices = *reader.Take(header.timecnt);
  struct RawType {
    int32_t offset;
    bool is_dst;
    uint8_t abbreviation;
  };
  std::vector<RawType> raw_types(header.typecnt);
  for (RawType& type : raw_types) {
    type.offset = static_cast<int32_t>(*reader.BigEndian(4));
    std::string_view flags = *reader.Take(2);
    type.is_dst = flags[0] != 0;
    type.abbreviation = static_cast<uint8_t>(flags[1]);
    if (type.offset == std::numeric_limits<int32_t>::min() || (flags[0] != 0 && flags[0] != 1) ||
        type.abbreviation >= header.charcnt) {
      return TzifError(zone.name_, "bad local time type");
    }
  }
  std::string_view characters = *reader.Take(header.charcnt);
  if (characters.back() != '\0') {
    return TzifError(zone.name_, "abbreviations are not terminated");
  }
  // Leap second records and the standard/UT indicators do not change civil time; skipped.
  (void)reader.Skip(header.leapcnt * (time_size + 4) + header.isstdcnt + header.isutcnt);
  // AddType merges duplicate types, so file indices map to zone indices.
  std::vector<uint32_t> type_map;
  for (const RawType& type : raw_types) {
    type_map.push_back(zone.AddType(type.offset, type.is_dst,
                                    std::string_view(characters.data() + type.abbreviation)));
  }
  for (size_t index = 0; index < times.size(); ++index) {
    uint8_t type = static_cast<uint8_t>(indices[index]);
    if (type >= raw_types.size()) {
      return TzifError(zone.name_, "transition type out of range");
    }
    zone.transitions_.push_back({times[index], type_map[type]});
  }
  if (header.version == '\0') {
    return zone;
  }
  std::string_view footer = bytes.substr(reader.position());
  if (footer.size() < 2 || footer.front() != '\n') {
    return TzifError(zone.name_, "missing footer");
  }
  size_t newline = footer.find('\n', 1);
  if (newline == std::string_view::npos) {
    return TzifError(zone.name_, "unterminated footer");
  }
  std::string_view tz = footer.substr(1, newline - 1);
  if (!tz.empty()) {
    Result<PosixRule> rule = ReadPosix(tz);
    if (!rule.ok()) {
      return TzifError(zone.name_, "footer is not a TZ string");
    }
    zone.ExtendWithRule(*rule);
  }
  return zone;
}

size_t TimeZone::TypeIndexAt(int64_t utc_seconds, int64_t* shift) const {
  *shift = 0;
  if (cycle_length_ > 0 && (utc_seconds >= cycle_start_ + cycle_length_ ||
                            (is_pure_rule_ && utc_seconds < cycle_start_))) {
    *shift = FloorDivide(utc_seconds - cycle_start_, cycle_length_) * cycle_length_;
    utc_seconds -= *shift;
  }
  auto after = std::upper_bound(
      transitions_.begin(), transitions_.end(), utc_seconds,
      [](int64_t time, const Transition& transition) { return time < transition.at; });
  if (after == transitions_.begin()) {
    return 0;
  }
  return (after - 1)->type;
}

TimeZone::Period TimeZone::PeriodAt(int64_t utc_seconds) const {
  int64_t shift = 0;
  const LocalType& type = types_[TypeIndexAt(utc_seconds, &shift)];
  return Period{type.offset_seconds, type.is_dst,
                std::string_view(abbreviations_.c_str() + type.abbreviation_index)};
}

int32_t TimeZone::OffsetForLocal(int64_t local_seconds) const {
  // PostgreSQL's reasoning: zones change offset less than a day apart at most once, so the
  // first transition after one day before the local time decides between the offset before
  // and the offset after it.
  int64_t probe = SaturatingAdd(local_seconds, -kSecondsPerDay);
  int32_t before = OffsetAt(probe);
  if (transitions_.empty()) {
    return before;
  }
  int64_t shift = 0;
  int64_t shifted = probe;
  if (cycle_length_ > 0 &&
      (probe >= cycle_start_ + cycle_length_ || (is_pure_rule_ && probe < cycle_start_))) {
    shift = FloorDivide(probe - cycle_start_, cycle_length_) * cycle_length_;
    shifted -= shift;
  }
  auto next = std::upper_bound(
      transitions_.begin(), transitions_.end(), shifted,
      [](int64_t time, const Transition& transition) { return time < transition.at; });
  if (next == transitions_.end()) {
    if (cycle_length_ == 0) {
      return before;
    }
    shift += cycle_length_;
    next = std::lower_bound(
        transitions_.begin(), transitions_.end(), cycle_start_,
        [](const Transition& transition, int64_t time) { return transition.at < time; });
    if (next == transitions_.end()) {
      return before;
    }
  }
  int64_t boundary = next->at + shift;
  int32_t after = types_[next->type].offset_seconds;
  int64_t before_time = local_seconds - before;
  int64_t after_time = local_seconds - after;
  if (before_time < boundary && after_time < boundary) {
    return before;
  }
  if (before_time >= boundary && after_time >= boundary) {
    return after;
  }
  // Skipped (spring forward): keep the offset before; repeated (fall back): the one after.
  return before_time > after_time ? before : after;
}

int64_t TimeZone::ToLocalMicros(int64_t utc_micros) const {
  if (utc_micros == kTimestampInfinity || utc_micros == kTimestampNegativeInfinity) {
    return utc_micros;
  }
  int64_t offset = OffsetAt(FloorDivide(utc_micros, kMicrosPerSecond));
  return SaturatingAdd(utc_micros, offset * kMicrosPerSecond);
}

int64_t TimeZone::ToUtcMicros(int64_t local_micros) const {
  if (local_micros == kTimestampInfinity || local_micros == kTimestampNegativeInfinity) {
    return local_micros;
  }
  int64_t offset = OffsetForLocal(FloorDivide(local_micros, kMicrosPerSecond));
  return SaturatingAdd(local_micros, -offset * kMicrosPerSecond);
}

}  // namespace floe::types
