#include "types/time_zone.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "types/temporal.h"

namespace floe::types {
namespace {

// Builds TZif files (RFC 8536) for the parser: one local time type per entry of `offsets`,
// transitions at `times` to the types of `indices`, and an optional footer.
class TzifBuilder {
 public:
  TzifBuilder& Version(char version) {
    version_ = version;
    return *this;
  }
  TzifBuilder& Type(int32_t offset, bool is_dst, std::string abbreviation) {
    types_.push_back({offset, is_dst, static_cast<uint8_t>(characters_.size())});
    characters_ += abbreviation + '\0';
    return *this;
  }
  TzifBuilder& Transition(int64_t time, uint8_t type) {
    times_.push_back(time);
    indices_.push_back(type);
    return *this;
  }
  TzifBuilder& Footer(std::string footer) {
    footer_ = std::move(footer);
    return *this;
  }

  std::string Build() const {
    std::string out;
    Block(out, 4);
    if (version_ == '\0') {
      return out;
    }
    Block(out, 8);
    out += "\n" + footer_ + "\n";
    return out;
  }

 private:
  struct RawType {
    int32_t offset;
    bool is_dst;
    uint8_t abbreviation;
  };

  static void Put(std::string& out, uint64_t value, int width) {
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((value >> shift) & 0xff));
    }
  }

  void Block(std::string& out, int time_size) const {
    out += "TZif";
    out.push_back(version_);
    out.append(15, '\0');
    for (size_t count :
         {size_t{0}, size_t{0}, size_t{0}, times_.size(), types_.size(), characters_.size()}) {
      Put(out, count, 4);
    }
    for (int64_t time : times_) {
      Put(out, static_cast<uint64_t>(time), time_size);
    }
    for (uint8_t index : indices_) {
      out.push_back(static_cast<char>(index));
    }
    for (const RawType& type : types_) {
      Put(out, static_cast<uint32_t>(type.offset), 4);
      out.push_back(type.is_dst ? 1 : 0);
      out.push_back(static_cast<char>(type.abbreviation));
    }
    out += characters_;
  }

  char version_ = '2';
  std::vector<RawType> types_;
  std::string characters_;
  std::vector<int64_t> times_;
  std::vector<uint8_t> indices_;
  std::string footer_;
};

constexpr int64_t kJan2024 = 1704067200;  // 2024-01-01 00:00:00 UTC.

std::string Show(int64_t micros, const TimeZone& zone) {
  return FormatTimestampTz(micros, zone);
}

int64_t Local(std::string_view text, const TimeZone& zone) {
  Result<int64_t> micros = ParseTimestampTz(text, zone);
  EXPECT_TRUE(micros.ok()) << micros.status().ToString();
  return micros.ValueOr(0);
}

bool HasSystemZones() {
  return TimeZone::Find("America/New_York").ok();
}

TEST(TimeZoneTest, ParsesTransitionsAndFooter) {
  std::string bytes = TzifBuilder()
                          .Type(-18000, false, "EST")
                          .Type(-14400, true, "EDT")
                          .Transition(kJan2024 - 86400 * 365, 0)
                          .Footer("EST5EDT,M3.2.0,M11.1.0")
                          .Build();
  Result<TimeZone> zone = TimeZone::ParseTzif(bytes, "Test/Eastern");
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  EXPECT_EQ(zone->name(), "Test/Eastern");
  EXPECT_EQ(zone->OffsetAt(kJan2024), -18000);
  // Past the last transition, the footer's rule: DST from 2024-03-10 07:00 UTC.
  EXPECT_EQ(zone->OffsetAt(kJan2024 + 69 * 86400 + 7 * 3600 - 1), -18000);
  EXPECT_EQ(zone->OffsetAt(kJan2024 + 69 * 86400 + 7 * 3600), -14400);
  EXPECT_EQ(zone->PeriodAt(kJan2024 + 100 * 86400).abbreviation, "EDT");
  // Far beyond the materialized years the rule repeats every 400 years.
  int64_t july_3024 = Local("3024-07-01 12:00:00+00", TimeZone::Utc()) / 1'000'000;
  EXPECT_EQ(zone->OffsetAt(july_3024), -14400);
  int64_t january_10024 = Local("10024-01-15 12:00:00+00", TimeZone::Utc()) / 1'000'000;
  EXPECT_EQ(zone->OffsetAt(january_10024), -18000);
}

TEST(TimeZoneTest, UsesFirstTypeBeforeFirstTransition) {
  std::string bytes = TzifBuilder()
                          .Type(-17762, false, "LMT")
                          .Type(-18000, false, "EST")
                          .Transition(-2717650800, 1)
                          .Build();
  Result<TimeZone> zone = TimeZone::ParseTzif(bytes, "Test/Lmt");
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  EXPECT_EQ(zone->OffsetAt(-2717650801), -17762);
  EXPECT_EQ(Show(-2717650801LL * 1'000'000, *zone), "1883-11-18 12:03:57-04:56:02");
  EXPECT_EQ(zone->OffsetAt(-2717650800), -18000);
}

TEST(TimeZoneTest, ReadsVersionOneFiles) {
  std::string bytes =
      TzifBuilder().Version('\0').Type(3600, false, "CET").Type(7200, true, "CEST").Build();
  Result<TimeZone> zone = TimeZone::ParseTzif(bytes, "Test/V1");
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  EXPECT_EQ(zone->OffsetAt(kJan2024), 3600);
}

TEST(TimeZoneTest, RejectsMalformedFiles) {
  std::string good = TzifBuilder()
                         .Type(-18000, false, "EST")
                         .Type(-14400, true, "EDT")
                         .Transition(kJan2024, 1)
                         .Footer("EST5EDT,M3.2.0,M11.1.0")
                         .Build();
  ASSERT_TRUE(TimeZone::ParseTzif(good, "ok").ok());
  // Every truncation fails cleanly.
  for (size_t size = 0; size + 1 < good.size(); ++size) {
    Result<TimeZone> zone = TimeZone::ParseTzif(good.substr(0, size), "cut");
    EXPECT_FALSE(zone.ok()) << size;
    EXPECT_EQ(zone.status().code(), StatusCode::kCorruption) << size;
  }
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_NE(TimeZone::ParseTzif(bad_magic, "magic").status().message().find("bad magic"),
            std::string::npos);
  std::string huge = good;
  // timecnt of the first header at bytes 32..35.
  huge[32] = '\x7f';
  huge[33] = '\xff';
  EXPECT_NE(TimeZone::ParseTzif(huge, "huge").status().message().find("truncated"),
            std::string::npos);
  std::string bad_index = TzifBuilder().Type(0, false, "UTC").Transition(0, 7).Build();
  EXPECT_FALSE(TimeZone::ParseTzif(bad_index, "index").ok());
  std::string descending = TzifBuilder()
                               .Type(0, false, "A")
                               .Type(60, false, "B")
                               .Transition(10, 1)
                               .Transition(5, 0)
                               .Build();
  EXPECT_FALSE(TimeZone::ParseTzif(descending, "order").ok());
  std::string bad_footer = TzifBuilder().Type(0, false, "UTC").Footer("not a rule").Build();
  EXPECT_FALSE(TimeZone::ParseTzif(bad_footer, "footer").ok());
  std::string no_types = TzifBuilder().Build();
  EXPECT_FALSE(TimeZone::ParseTzif(no_types, "types").ok());
}

TEST(TimeZoneTest, PosixStringsCountHoursWest) {
  Result<TimeZone> west = TimeZone::ParsePosix("UTC+3");
  ASSERT_TRUE(west.ok());
  EXPECT_EQ(west->OffsetAt(kJan2024), -3 * 3600);
  Result<TimeZone> bracketed = TimeZone::ParsePosix("<+0545>-5:45");
  ASSERT_TRUE(bracketed.ok());
  EXPECT_EQ(bracketed->OffsetAt(kJan2024), 5 * 3600 + 45 * 60);
  Result<TimeZone> southern = TimeZone::ParsePosix("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(southern.ok());
  EXPECT_EQ(southern->OffsetAt(kJan2024), 11 * 3600);
  EXPECT_EQ(southern->OffsetAt(kJan2024 + 180 * 86400), 10 * 3600);
  EXPECT_FALSE(TimeZone::ParsePosix("Z").ok());
  EXPECT_FALSE(TimeZone::ParsePosix("EST5EDT,M13.1.0,M11.1.0").ok());
  EXPECT_FALSE(TimeZone::ParsePosix("").ok());
}

TEST(TimeZoneTest, FixedOffsetsAreNamedAsPostgresShowsThem) {
  EXPECT_EQ((*TimeZone::FixedOffset(-5 * 3600))->name(), "<-05>+05");
  EXPECT_EQ((*TimeZone::FixedOffset(5 * 3600 + 1800))->name(), "<+05:30>-05:30");
  EXPECT_EQ((*TimeZone::FixedOffset(0))->name(), "<+00>-00");
  // The names read back as the same zones, as SHOW's value must for a later SET.
  for (int32_t offset : {-5 * 3600, 5 * 3600 + 1800, 0, -(4 * 3600 + 56 * 60 + 2)}) {
    Result<TimeZone> again = TimeZone::ParsePosix((*TimeZone::FixedOffset(offset))->name());
    ASSERT_TRUE(again.ok()) << offset;
    EXPECT_EQ(again->OffsetAt(kJan2024), offset);
  }
  EXPECT_FALSE(TimeZone::FixedOffset(16 * 3600).ok());
}

TEST(TimeZoneTest, LocalTimesAtTransitionsFollowPostgres) {
  if (!HasSystemZones()) {
    GTEST_SKIP() << "the system has no compiled time zone database";
  }
  const TimeZone& new_york = **TimeZone::Find("america/new_york");
  EXPECT_EQ(new_york.name(), "America/New_York");
  // A skipped time moves forward; a repeated one takes the later offset.
  EXPECT_EQ(Show(Local("2024-03-10 02:30", new_york), new_york), "2024-03-10 03:30:00-04");
  EXPECT_EQ(Show(Local("2024-11-03 01:30", new_york), new_york), "2024-11-03 01:30:00-05");
  EXPECT_EQ(Show(Local("2024-01-01 12:00 Europe/Paris", new_york), new_york),
            "2024-01-01 06:00:00-05");
  EXPECT_EQ(Show(Local("2100-07-01 12:00", new_york), new_york), "2100-07-01 12:00:00-04");
  Result<int64_t> unknown = ParseTimestampTz("2024-01-01 12:00 Mars/Olympus", new_york);
  EXPECT_EQ(unknown.status().message(), "time zone \"mars/olympus\" not recognized");
}

TEST(TimeZoneTest, ZoneNamesCannotLeaveTheDatabase) {
  EXPECT_FALSE(TimeZone::Find("../../etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Find("/etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Find("America/../../../etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Find("zone.tab").ok());
}

}  // namespace
}  // namespace floe::types
