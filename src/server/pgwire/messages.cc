#include "server/pgwire/messages.h"

#include <cstring>

namespace floe::server::pgwire {
namespace {

// A Bind or Parse message may not declare more parameters than a 16-bit count allows; the
// counts are also bounded by the bytes actually present, so a lying count cannot allocate.
constexpr size_t kMaxCount = 65535;

Result<std::vector<int16_t>> ReadInt16List(MessageReader& reader) {
  FLOE_ASSIGN_OR_RETURN(int16_t count, reader.ReadInt16());
  if (count < 0 || static_cast<size_t>(count) * 2 > reader.remaining()) {
    return ProtocolViolation("invalid count of format codes");
  }
  std::vector<int16_t> values;
  values.reserve(static_cast<size_t>(count));
  for (int16_t index = 0; index < count; ++index) {
    FLOE_ASSIGN_OR_RETURN(int16_t value, reader.ReadInt16());
    if (value != 0 && value != 1) {
      return ProtocolViolation(fmt::format("unsupported format code {}", value));
    }
    values.push_back(value);
  }
  return values;
}

}  // namespace

Status ProtocolViolation(std::string_view what) {
  return Status::InvalidArgument("protocol violation: {}", what).WithSqlState("08P01");
}

Result<int16_t> MessageReader::ReadInt16() {
  if (remaining() < 2) {
    return ProtocolViolation("message too short");
  }
  auto bytes = reinterpret_cast<const uint8_t*>(body_.data() + offset_);
  offset_ += 2;
  return static_cast<int16_t>((bytes[0] << 8) | bytes[1]);
}

Result<int32_t> MessageReader::ReadInt32() {
  if (remaining() < 4) {
    return ProtocolViolation("message too short");
  }
  auto bytes = reinterpret_cast<const uint8_t*>(body_.data() + offset_);
  offset_ += 4;
  return static_cast<int32_t>((uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                              (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]});
}

Result<uint8_t> MessageReader::ReadByte() {
  if (remaining() < 1) {
    return ProtocolViolation("message too short");
  }
  return static_cast<uint8_t>(body_[offset_++]);
}

Result<std::string_view> MessageReader::ReadCString() {
  size_t end = body_.find('\0', offset_);
  if (end == std::string_view::npos) {
    return ProtocolViolation("unterminated string in message");
  }
  std::string_view text = body_.substr(offset_, end - offset_);
  offset_ = end + 1;
  return text;
}

Result<std::string_view> MessageReader::ReadBytes(size_t size) {
  if (remaining() < size) {
    return ProtocolViolation("message too short");
  }
  std::string_view bytes = body_.substr(offset_, size);
  offset_ += size;
  return bytes;
}

Status MessageReader::ExpectEnd() const {
  if (remaining() != 0) {
    return ProtocolViolation("unexpected bytes at the end of a message");
  }
  return Status::OK();
}

const std::string* StartupPacket::Find(std::string_view name) const {
  for (const auto& [key, value] : parameters) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

Result<StartupPacket> DecodeStartupPacket(std::string_view body) {
  MessageReader reader(body);
  StartupPacket packet;
  FLOE_ASSIGN_OR_RETURN(packet.protocol_version, reader.ReadInt32());
  switch (packet.protocol_version) {
    case kSslRequestCode:
      packet.kind = StartupPacket::Kind::kSslRequest;
      FLOE_RETURN_NOT_OK(reader.ExpectEnd());
      return packet;
    case kGssEncRequestCode:
      packet.kind = StartupPacket::Kind::kGssEncRequest;
      FLOE_RETURN_NOT_OK(reader.ExpectEnd());
      return packet;
    case kCancelRequestCode: {
      packet.kind = StartupPacket::Kind::kCancel;
      FLOE_ASSIGN_OR_RETURN(packet.cancel_process_id, reader.ReadInt32());
      FLOE_ASSIGN_OR_RETURN(packet.cancel_secret_key, reader.ReadInt32());
      FLOE_RETURN_NOT_OK(reader.ExpectEnd());
      return packet;
    }
    default:
      break;
  }
  int major = packet.protocol_version >> 16;
  if (major != 3) {
    return Status::NotSupported("unsupported frontend protocol {}.{}: server supports 3.0", major,
                                packet.protocol_version & 0xffff);
  }
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::string_view name, reader.ReadCString());
    if (name.empty()) {
      break;
    }
    FLOE_ASSIGN_OR_RETURN(std::string_view value, reader.ReadCString());
    packet.parameters.emplace_back(std::string(name), std::string(value));
  }
  FLOE_RETURN_NOT_OK(reader.ExpectEnd());
  return packet;
}

int16_t BindMessage::ParameterFormat(size_t index) const {
  if (parameter_formats.empty()) {
    return 0;
  }
  return parameter_formats.size() == 1
             ? parameter_formats[0]
             : parameter_formats[std::min(index, parameter_formats.size() - 1)];
}

int16_t BindMessage::ResultFormat(size_t index) const {
  if (result_formats.empty()) {
    return 0;
  }
  return result_formats.size() == 1 ? result_formats[0]
                                    : result_formats[std::min(index, result_formats.size() - 1)];
}

Result<ParseMessage> DecodeParse(std::string_view body) {
  MessageReader reader(body);
  ParseMessage message;
  FLOE_ASSIGN_OR_RETURN(std::string_view name, reader.ReadCString());
  FLOE_ASSIGN_OR_RETURN(std::string_view query, reader.ReadCString());
  FLOE_ASSIGN_OR_RETURN(int16_t count, reader.ReadInt16());
  if (count < 0 || static_cast<size_t>(count) * 4 > reader.remaining()) {
    return ProtocolViolation("invalid parameter count in Parse");
  }
  message.statement_name = name;
  message.query = query;
  for (int16_t index = 0; index < count; ++index) {
    FLOE_ASSIGN_OR_RETURN(int32_t oid, reader.ReadInt32());
    message.parameter_type_oids.push_back(oid);
  }
  FLOE_RETURN_NOT_OK(reader.ExpectEnd());
  return message;
}

Result<BindMessage> DecodeBind(std::string_view body) {
  MessageReader reader(body);
  BindMessage message;
  FLOE_ASSIGN_OR_RETURN(std::string_view portal, reader.ReadCString());
  FLOE_ASSIGN_OR_RETURN(std::string_view statement, reader.ReadCString());
  message.portal_name = portal;
  message.statement_name = statement;
  FLOE_ASSIGN_OR_RETURN(message.parameter_formats, ReadInt16List(reader));
  FLOE_ASSIGN_OR_RETURN(int16_t count, reader.ReadInt16());
  if (count < 0 || static_cast<size_t>(count) * 4 > reader.remaining() ||
      static_cast<size_t>(count) > kMaxCount) {
    return ProtocolViolation("invalid parameter count in Bind");
  }
  if (message.parameter_formats.size() > 1 &&
      message.parameter_formats.size() != static_cast<size_t>(count)) {
    return ProtocolViolation(fmt::format("bind message has {} parameter formats but {} parameters",
                                         message.parameter_formats.size(), count));
  }
  message.parameters.reserve(static_cast<size_t>(count));
  for (int16_t index = 0; index < count; ++index) {
    FLOE_ASSIGN_OR_RETURN(int32_t size, reader.ReadInt32());
    if (size == -1) {
      message.parameters.emplace_back(std::nullopt);
      continue;
    }
    if (size < 0) {
      return ProtocolViolation("negative parameter length in Bind");
    }
    FLOE_ASSIGN_OR_RETURN(std::string_view value, reader.ReadBytes(static_cast<size_t>(size)));
    message.parameters.emplace_back(std::string(value));
  }
  FLOE_ASSIGN_OR_RETURN(message.result_formats, ReadInt16List(reader));
  FLOE_RETURN_NOT_OK(reader.ExpectEnd());
  return message;
}

Result<TargetMessage> DecodeTarget(std::string_view body) {
  MessageReader reader(body);
  TargetMessage message;
  FLOE_ASSIGN_OR_RETURN(uint8_t kind, reader.ReadByte());
  if (kind != 'S' && kind != 'P') {
    return ProtocolViolation(
        fmt::format("invalid Describe or Close target '{}'", static_cast<char>(kind)));
  }
  message.kind = static_cast<char>(kind);
  FLOE_ASSIGN_OR_RETURN(std::string_view name, reader.ReadCString());
  message.name = name;
  FLOE_RETURN_NOT_OK(reader.ExpectEnd());
  return message;
}

Result<ExecuteMessage> DecodeExecute(std::string_view body) {
  MessageReader reader(body);
  ExecuteMessage message;
  FLOE_ASSIGN_OR_RETURN(std::string_view portal, reader.ReadCString());
  message.portal_name = portal;
  FLOE_ASSIGN_OR_RETURN(message.max_rows, reader.ReadInt32());
  FLOE_RETURN_NOT_OK(reader.ExpectEnd());
  return message;
}

Result<std::string_view> DecodeQuery(std::string_view body) {
  MessageReader reader(body);
  FLOE_ASSIGN_OR_RETURN(std::string_view query, reader.ReadCString());
  FLOE_RETURN_NOT_OK(reader.ExpectEnd());
  return query;
}

Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body) {
  MessageReader reader(body);
  SaslInitialResponse response;
  FLOE_ASSIGN_OR_RETURN(std::string_view mechanism, reader.ReadCString());
  FLOE_ASSIGN_OR_RETURN(int32_t size, reader.ReadInt32());
  response.mechanism = mechanism;
  if (size >= 0) {
    FLOE_ASSIGN_OR_RETURN(std::string_view data, reader.ReadBytes(static_cast<size_t>(size)));
    response.data = data;
  }
  FLOE_RETURN_NOT_OK(reader.ExpectEnd());
  return response;
}

void MessageWriter::Begin(char type) {
  start_ = buffer_.size();
  buffer_.push_back(type);
  buffer_.append(4, '\0');
}

void MessageWriter::Int16(int16_t value) {
  auto bits = static_cast<uint16_t>(value);
  buffer_.push_back(static_cast<char>(bits >> 8));
  buffer_.push_back(static_cast<char>(bits & 0xff));
}

void MessageWriter::Int32(int32_t value) {
  auto bits = static_cast<uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) {
    buffer_.push_back(static_cast<char>((bits >> shift) & 0xff));
  }
}

void MessageWriter::Byte(uint8_t value) {
  buffer_.push_back(static_cast<char>(value));
}

void MessageWriter::CString(std::string_view text) {
  // A NUL inside would end the field early and desynchronise the client.
  for (char c : text) {
    buffer_.push_back(c == '\0' ? ' ' : c);
  }
  buffer_.push_back('\0');
}

void MessageWriter::Bytes(std::string_view bytes) {
  buffer_.append(bytes);
}

void MessageWriter::End() {
  auto length = static_cast<uint32_t>(buffer_.size() - start_ - 1);
  for (int index = 0; index < 4; ++index) {
    buffer_[start_ + 1 + static_cast<size_t>(index)] =
        static_cast<char>((length >> (24 - 8 * index)) & 0xff);
  }
}

ErrorFields ErrorFieldsOf(const Status& status, std::string_view severity) {
  ErrorFields fields;
  fields.severity = severity;
  fields.sql_state = status.sql_state();
  fields.message = status.message();
  fields.detail = status.detail();
  fields.hint = status.hint();
  fields.position = status.position();
  return fields;
}

void WriteError(MessageWriter& writer, const ErrorFields& fields, bool is_notice) {
  writer.Begin(is_notice ? 'N' : 'E');
  writer.Byte('S');
  writer.CString(fields.severity);
  writer.Byte('V');
  writer.CString(fields.severity);
  writer.Byte('C');
  writer.CString(fields.sql_state);
  writer.Byte('M');
  writer.CString(fields.message);
  if (!fields.detail.empty()) {
    writer.Byte('D');
    writer.CString(fields.detail);
  }
  if (!fields.hint.empty()) {
    writer.Byte('H');
    writer.CString(fields.hint);
  }
  if (fields.position > 0) {
    writer.Byte('P');
    writer.CString(std::to_string(fields.position));
  }
  writer.Byte(0);
  writer.End();
}

}  // namespace floe::server::pgwire
