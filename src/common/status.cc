#include "common/status.h"

#include <array>
#include <cstdio>
#include <cstdlib>

#include "common/check.h"
#include "common/result.h"

namespace floe {
namespace {

struct CodeMapping {
  StatusCode code;
  std::string_view name;
  std::string_view sql_state;
  int http_status;
};

// The single table that ties Floe's error codes to the two outside vocabularies. SQLSTATEs follow
// PostgreSQL's errcodes appendix; HTTP statuses follow the Iceberg REST catalog's error model
// where it names one (404 missing, 409 conflict or exists, 400 bad request, 503 unavailable).
constexpr std::array<CodeMapping, 19> kMappings = {{
    {StatusCode::kOk, "OK", "00000", 200},
    {StatusCode::kInvalidArgument, "InvalidArgument", "22023", 400},
    {StatusCode::kSyntaxError, "SyntaxError", "42601", 400},
    {StatusCode::kNotFound, "NotFound", "42704", 404},
    {StatusCode::kAlreadyExists, "AlreadyExists", "42710", 409},
    {StatusCode::kConflict, "Conflict", "40001", 409},
    {StatusCode::kPermissionDenied, "PermissionDenied", "42501", 403},
    {StatusCode::kUnauthenticated, "Unauthenticated", "28000", 401},
    {StatusCode::kOutOfRange, "OutOfRange", "22003", 400},
    {StatusCode::kDivisionByZero, "DivisionByZero", "22012", 400},
    {StatusCode::kInvalidCast, "InvalidCast", "22P02", 400},
    {StatusCode::kIOError, "IOError", "58030", 500},
    {StatusCode::kCorruption, "Corruption", "XX001", 500},
    {StatusCode::kNotSupported, "NotSupported", "0A000", 501},
    {StatusCode::kResourceExhausted, "ResourceExhausted", "53200", 503},
    {StatusCode::kCancelled, "Cancelled", "57014", 499},
    {StatusCode::kTimeout, "Timeout", "57014", 504},
    {StatusCode::kUnavailable, "Unavailable", "08006", 503},
    {StatusCode::kInternal, "Internal", "XX000", 500},
}};

const CodeMapping& MappingOf(StatusCode code) {
  auto index = static_cast<size_t>(code);
  return index < kMappings.size() ? kMappings[index] : kMappings.back();
}

}  // namespace

std::string_view StatusCodeName(StatusCode code) { return MappingOf(code).name; }
std::string_view SqlStateOf(StatusCode code) { return MappingOf(code).sql_state; }
int HttpStatusOf(StatusCode code) { return MappingOf(code).http_status; }

Status::Status(StatusCode code, std::string message) {
  if (code != StatusCode::kOk) {
    state_ = std::make_unique<State>();
    state_->code = code;
    state_->message = std::move(message);
  }
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) {
    state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  }
  return *this;
}

std::string_view Status::message() const {
  return state_ ? std::string_view(state_->message) : std::string_view();
}

std::string_view Status::sql_state() const {
  if (state_ && !state_->sql_state.empty()) {
    return state_->sql_state;
  }
  return SqlStateOf(code());
}

Status Status::WithSqlState(std::string_view sql_state) const {
  Status copy(*this);
  if (copy.state_) {
    copy.state_->sql_state = std::string(sql_state);
  }
  return copy;
}

Status Status::WithContext(std::string_view context) const {
  Status copy(*this);
  if (copy.state_) {
    copy.state_->message = fmt::format("{}: {}", context, copy.state_->message);
  }
  return copy;
}

Status Status::WithPosition(int position) const {
  Status copy(*this);
  if (copy.state_) {
    copy.state_->position = position;
  }
  return copy;
}

std::string_view Status::detail() const {
  return state_ ? std::string_view(state_->detail) : std::string_view();
}

Status Status::WithDetail(std::string_view detail) const {
  Status copy(*this);
  if (copy.state_) {
    copy.state_->detail = std::string(detail);
  }
  return copy;
}

std::string_view Status::hint() const {
  return state_ ? std::string_view(state_->hint) : std::string_view();
}

Status Status::WithHint(std::string_view hint) const {
  Status copy(*this);
  if (copy.state_) {
    copy.state_->hint = std::string(hint);
  }
  return copy;
}

std::string Status::ToString() const {
  if (ok()) {
    return "OK";
  }
  return fmt::format("{}: {}", StatusCodeName(code()), message());
}

namespace internal {
void DieOnBadResultAccess(const Status& status) {
  std::fprintf(stderr, "fatal: value of a failed Result accessed: %s\n", status.ToString().c_str());
  std::abort();
}

void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "fatal: check failed at %s:%d: %s\n", file, line, condition);
  std::abort();
}
}  // namespace internal

}  // namespace floe
