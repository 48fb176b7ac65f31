#include "common/status.h"

#include <gtest/gtest.h>

#include <string>

#include "common/result.h"

namespace floe {
namespace {

TEST(StatusTest, OkHasNoMessageAndMapsToSuccess) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.sql_state(), "00000");
  EXPECT_EQ(status.http_status(), 200);
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(StatusTest, FactoriesFormatTheirMessage) {
  Status status = Status::NotSupported("table format version {} at {}", 4, "s3://b/t");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kNotSupported);
  EXPECT_EQ(status.message(), "table format version 4 at s3://b/t");
  EXPECT_EQ(status.ToString(), "NotSupported: table format version 4 at s3://b/t");
}

struct Mapping {
  Status status;
  const char* sql_state;
  int http_status;
};

TEST(StatusTest, EveryCodeMapsToItsSqlStateAndHttpStatus) {
  const Mapping mappings[] = {
      {Status::InvalidArgument("x"), "22023", 400},  {Status::SyntaxError("x"), "42601", 400},
      {Status::NotFound("x"), "42704", 404},         {Status::AlreadyExists("x"), "42710", 409},
      {Status::Conflict("x"), "40001", 409},         {Status::PermissionDenied("x"), "42501", 403},
      {Status::Unauthenticated("x"), "28000", 401},  {Status::OutOfRange("x"), "22003", 400},
      {Status::DivisionByZero("x"), "22012", 400},   {Status::InvalidCast("x"), "22P02", 400},
      {Status::IOError("x"), "58030", 500},          {Status::Corruption("x"), "XX001", 500},
      {Status::NotSupported("x"), "0A000", 501},     {Status::ResourceExhausted("x"), "53200", 503},
      {Status::Cancelled("x"), "57014", 499},        {Status::Timeout("x"), "57014", 504},
      {Status::Unavailable("x"), "08006", 503},      {Status::Internal("x"), "XX000", 500},
  };
  for (const Mapping& mapping : mappings) {
    SCOPED_TRACE(mapping.status.ToString());
    EXPECT_EQ(mapping.status.sql_state(), mapping.sql_state);
    EXPECT_EQ(mapping.status.http_status(), mapping.http_status);
    EXPECT_EQ(mapping.status.sql_state().size(), 5u);
  }
}

TEST(StatusTest, SqlStateOverrideKeepsCodeAndHttpStatus) {
  Status status = Status::NotFound("table \"t\" does not exist").WithSqlState("42P01");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.sql_state(), "42P01");
  EXPECT_EQ(status.http_status(), 404);
}

TEST(StatusTest, ContextIsPrefixedAndCopiesAreIndependent) {
  Status original = Status::IOError("connection reset");
  Status with_context = original.WithContext("reading s3://b/k");
  EXPECT_EQ(with_context.message(), "reading s3://b/k: connection reset");
  EXPECT_EQ(original.message(), "connection reset");
  Status copy = with_context;
  EXPECT_EQ(copy, with_context);
  EXPECT_TRUE(Status::OK().WithContext("ignored").ok());
}

TEST(StatusTest, PositionDetailAndHintTravelWithCopies) {
  Status status = Status::SyntaxError("syntax error at or near \"FROM\"")
                      .WithPosition(8)
                      .WithDetail("a select list may not be empty")
                      .WithHint("name a column or *");
  Status copy = status;
  EXPECT_EQ(copy.position(), 8);
  EXPECT_EQ(copy.detail(), "a select list may not be empty");
  EXPECT_EQ(copy.hint(), "name a column or *");
  EXPECT_EQ(copy.WithContext("parsing").position(), 8);
  EXPECT_EQ(Status::NotFound("x").position(), 0);
  EXPECT_TRUE(Status::NotFound("x").detail().empty());
  EXPECT_TRUE(Status::OK().WithPosition(3).ok());
}

Result<int> ParsePositive(int value) {
  if (value <= 0) {
    return Status::InvalidArgument("not positive: {}", value);
  }
  return value;
}

Result<int> Doubled(int value) {
  FLOE_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

Status CheckBoth(int a, int b) {
  FLOE_RETURN_NOT_OK(ParsePositive(a).status());
  FLOE_RETURN_NOT_OK(ParsePositive(b).status());
  return Status::OK();
}

TEST(ResultTest, MacrosPropagateValuesAndErrors) {
  ASSERT_TRUE(Doubled(21).ok());
  EXPECT_EQ(*Doubled(21), 42);
  Result<int> failed = Doubled(-1);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "not positive: -1");
  EXPECT_EQ(failed.ValueOr(7), 7);
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  EXPECT_EQ(CheckBoth(1, 0).code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternalError) {
  Result<std::string> result{Status::OK()};
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
}

TEST(ResultDeathTest, ReadingTheValueOfAnErrorAborts) {
  Result<int> result = Status::NotFound("gone");
  EXPECT_DEATH((void)result.value(), "NotFound: gone");
}

}  // namespace
}  // namespace floe
