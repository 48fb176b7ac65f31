#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace floe::server::pgwire {

/// Message codes and framing of the PostgreSQL frontend/backend protocol, version 3.0
/// (docs/protocols/pgwire.md).
inline constexpr int32_t kProtocolVersion3 = 196608;  // 3.0
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;
inline constexpr int32_t kCancelRequestCode = 80877102;
/// The largest startup packet accepted, as in PostgreSQL.
inline constexpr int32_t kMaxStartupPacket = 10000;

/// Reads the fields of one message body, refusing to run past its end: every accessor returns
/// InvalidArgument (SQLSTATE 08P01, protocol violation) on a truncated or malformed body.
class MessageReader {
 public:
  explicit MessageReader(std::string_view body) : body_(body) {}

  Result<int16_t> ReadInt16();
  Result<int32_t> ReadInt32();
  Result<uint8_t> ReadByte();
  /// Reads a NUL-terminated string.
  Result<std::string_view> ReadCString();
  Result<std::string_view> ReadBytes(size_t size);
  size_t remaining() const { return body_.size() - offset_; }
  /// Fails unless the whole body was read.
  Status ExpectEnd() const;

 private:
  std::string_view body_;
  size_t offset_ = 0;
};

/// Returns the status of a malformed message: 08P01 protocol_violation.
Status ProtocolViolation(std::string_view what);

/// The first packet of a connection.
struct StartupPacket {
  enum class Kind : uint8_t { kStartup, kSslRequest, kGssEncRequest, kCancel };
  Kind kind = Kind::kStartup;
  int32_t protocol_version = 0;
  /// user, database, application_name, options... in the order sent.
  std::vector<std::pair<std::string, std::string>> parameters{};
  int32_t cancel_process_id = 0;
  int32_t cancel_secret_key = 0;

  /// Returns the value of parameter `name`, or nullptr.
  const std::string* Find(std::string_view name) const;
};

/// Decodes a startup packet's body (after its length word). Rejects protocol versions other
/// than 3.x with 0A000 feature_not_supported.
Result<StartupPacket> DecodeStartupPacket(std::string_view body);

struct ParseMessage {
  std::string statement_name{};
  std::string query{};
  std::vector<int32_t> parameter_type_oids{};
};

struct BindMessage {
  std::string portal_name{};
  std::string statement_name{};
  std::vector<int16_t> parameter_formats{};              // Empty: all text; one: applies to all.
  std::vector<std::optional<std::string>> parameters{};  // nullopt is NULL.
  std::vector<int16_t> result_formats{};

  /// Returns the format (0 text, 1 binary) of parameter `index`.
  int16_t ParameterFormat(size_t index) const;
  /// Returns the format of result column `index`.
  int16_t ResultFormat(size_t index) const;
};

/// Describe and Close name a statement ('S') or a portal ('P').
struct TargetMessage {
  char kind = 'S';
  std::string name{};
};

struct ExecuteMessage {
  std::string portal_name{};
  int32_t max_rows = 0;  // 0: no limit.
};

Result<ParseMessage> DecodeParse(std::string_view body);
Result<BindMessage> DecodeBind(std::string_view body);
Result<TargetMessage> DecodeTarget(std::string_view body);
Result<ExecuteMessage> DecodeExecute(std::string_view body);
/// The query string of a Query ('Q') message.
Result<std::string_view> DecodeQuery(std::string_view body);
/// The data of a PasswordMessage / SASLInitialResponse: mechanism and initial response.
struct SaslInitialResponse {
  std::string mechanism{};
  std::string data{};
};
Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body);

/// Builds backend messages into one output buffer, so that a batch of messages leaves in one
/// write.
class MessageWriter {
 public:
  /// Starts a message of type `type`; its length is filled in by End().
  void Begin(char type);
  void Int16(int16_t value);
  void Int32(int32_t value);
  void Byte(uint8_t value);
  void CString(std::string_view text);
  void Bytes(std::string_view bytes);
  void End();

  std::string& buffer() { return buffer_; }
  size_t size() const { return buffer_.size(); }
  void Clear() { buffer_.clear(); }

 private:
  std::string buffer_{};
  size_t start_ = 0;
};

/// The fields of an ErrorResponse or NoticeResponse.
struct ErrorFields {
  std::string severity = "ERROR";  // ERROR, FATAL, WARNING, NOTICE...
  std::string sql_state = "XX000";
  std::string message{};
  std::string detail{};
  std::string hint{};
  int position = 0;
};

/// Returns the fields describing `status` at `severity`.
ErrorFields ErrorFieldsOf(const Status& status, std::string_view severity = "ERROR");
/// Appends an ErrorResponse ('E') or, with `is_notice`, a NoticeResponse ('N').
void WriteError(MessageWriter& writer, const ErrorFields& fields, bool is_notice = false);

}  // namespace floe::server::pgwire
