#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/core.h>

namespace floe {

/// Names what went wrong, independently of where the error will be reported. Each code maps to
/// one PostgreSQL SQLSTATE and one HTTP status (see error_code.cc); a Status may override the
/// SQLSTATE when a more precise one exists (42P01 for a missing table, say).
enum class StatusCode : unsigned char {
  kOk,
  kInvalidArgument,      // A caller passed a value that is not acceptable.
  kSyntaxError,          // Text that does not parse (SQL, TOML, JSON...).
  kNotFound,             // A named object does not exist.
  kAlreadyExists,        // A named object exists and must not.
  kConflict,             // A concurrent change won (commit race, CAS failure).
  kPermissionDenied,     // The user lacks a privilege.
  kUnauthenticated,      // The user could not be identified.
  kOutOfRange,           // A numeric value does not fit its type.
  kDivisionByZero,       // Division or modulo by zero.
  kInvalidCast,          // A value that cannot be converted to the target type.
  kIOError,              // Storage or network failed.
  kCorruption,           // Stored data violates its format.
  kNotSupported,         // Valid request that Floe does not implement.
  kResourceExhausted,    // A memory budget, quota or limit was reached.
  kCancelled,            // The operation was cancelled.
  kTimeout,              // The operation ran out of time.
  kUnavailable,          // A dependency is down; retrying later may help.
  kInternal,             // A bug in Floe.
};

/// Returns the code's name as used in logs and the HTTP API ("InvalidArgument").
std::string_view StatusCodeName(StatusCode code);
/// Returns the five-character PostgreSQL SQLSTATE for a code ("22003").
std::string_view SqlStateOf(StatusCode code);
/// Returns the HTTP status for a code (404, 409, 500...).
int HttpStatusOf(StatusCode code);

/// The outcome of an operation that can fail: OK, or a code with a message.
///
/// OK costs one null pointer; errors allocate. Copyable and movable.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }

#define FLOE_STATUS_FACTORY(Name)                                                     \
  template <typename... Args>                                                         \
  static Status Name(fmt::format_string<Args...> format, Args&&... args) {            \
    return Status(StatusCode::k##Name, fmt::format(format, std::forward<Args>(args)...)); \
  }
  FLOE_STATUS_FACTORY(InvalidArgument)
  FLOE_STATUS_FACTORY(SyntaxError)
  FLOE_STATUS_FACTORY(NotFound)
  FLOE_STATUS_FACTORY(AlreadyExists)
  FLOE_STATUS_FACTORY(Conflict)
  FLOE_STATUS_FACTORY(PermissionDenied)
  FLOE_STATUS_FACTORY(Unauthenticated)
  FLOE_STATUS_FACTORY(OutOfRange)
  FLOE_STATUS_FACTORY(DivisionByZero)
  FLOE_STATUS_FACTORY(InvalidCast)
  FLOE_STATUS_FACTORY(IOError)
  FLOE_STATUS_FACTORY(Corruption)
  FLOE_STATUS_FACTORY(NotSupported)
  FLOE_STATUS_FACTORY(ResourceExhausted)
  FLOE_STATUS_FACTORY(Cancelled)
  FLOE_STATUS_FACTORY(Timeout)
  FLOE_STATUS_FACTORY(Unavailable)
  FLOE_STATUS_FACTORY(Internal)
#undef FLOE_STATUS_FACTORY

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  /// Returns the message, empty when OK.
  std::string_view message() const;
  /// Returns the SQLSTATE: the override when one was set, else the code's own.
  std::string_view sql_state() const;
  int http_status() const { return HttpStatusOf(code()); }

  /// Returns a copy whose SQLSTATE is `sql_state` (five characters) instead of the code's own.
  Status WithSqlState(std::string_view sql_state) const;
  /// Returns a copy whose message is "<context>: <message>".
  Status WithContext(std::string_view context) const;

  /// Where in a statement's text the error is: a 1-based character offset, as PostgreSQL reports
  /// it (the ErrorResponse 'P' field); 0 when the error has no position.
  int position() const { return state_ ? state_->position : 0; }
  Status WithPosition(int position) const;
  /// A secondary message with more detail (the ErrorResponse 'D' field); empty when none.
  std::string_view detail() const;
  Status WithDetail(std::string_view detail) const;
  /// A suggestion of what to do about the error (the ErrorResponse 'H' field); empty when none.
  std::string_view hint() const;
  Status WithHint(std::string_view hint) const;

  /// Returns "OK" or "<CodeName>: <message>".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct State {
    StatusCode code = StatusCode::kOk;
    std::string message;
    std::string sql_state;  // Empty unless overridden.
    int position = 0;
    std::string detail;
    std::string hint;
  };
  std::unique_ptr<State> state_;
};

}  // namespace floe

#define FLOE_CONCAT_IMPL(a, b) a##b
#define FLOE_CONCAT(a, b) FLOE_CONCAT_IMPL(a, b)

/// Evaluates `expr` (a Status) and returns it from the calling function when it is an error.
#define FLOE_RETURN_NOT_OK(expr)                           \
  do {                                                     \
    ::floe::Status floe_status_ = (expr);                  \
    if (!floe_status_.ok()) [[unlikely]] {                 \
      return floe_status_;                                 \
    }                                                      \
  } while (false)
