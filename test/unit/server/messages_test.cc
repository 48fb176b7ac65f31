#include "server/pgwire/messages.h"

#include <gtest/gtest.h>

namespace floe::server::pgwire {
namespace {

std::string Int32Bytes(int32_t value) {
  MessageWriter writer;
  writer.Int32(value);
  return writer.buffer();
}

std::string Int16Bytes(int16_t value) {
  MessageWriter writer;
  writer.Int16(value);
  return writer.buffer();
}

TEST(PgMessagesTest, DecodesAStartupPacket) {
  std::string body =
      Int32Bytes(kProtocolVersion3) + std::string("user\0alice\0database\0floe\0\0", 26);
  Result<StartupPacket> packet = DecodeStartupPacket(body);
  ASSERT_TRUE(packet.ok()) << packet.status().ToString();
  EXPECT_EQ(packet->kind, StartupPacket::Kind::kStartup);
  ASSERT_NE(packet->Find("user"), nullptr);
  EXPECT_EQ(*packet->Find("user"), "alice");
  EXPECT_EQ(*packet->Find("database"), "floe");
  EXPECT_EQ(packet->Find("options"), nullptr);
}

TEST(PgMessagesTest, RecognisesSslGssAndCancelRequests) {
  EXPECT_EQ(DecodeStartupPacket(Int32Bytes(kSslRequestCode))->kind,
            StartupPacket::Kind::kSslRequest);
  EXPECT_EQ(DecodeStartupPacket(Int32Bytes(kGssEncRequestCode))->kind,
            StartupPacket::Kind::kGssEncRequest);
  Result<StartupPacket> cancel =
      DecodeStartupPacket(Int32Bytes(kCancelRequestCode) + Int32Bytes(1234) + Int32Bytes(-7));
  ASSERT_TRUE(cancel.ok());
  EXPECT_EQ(cancel->kind, StartupPacket::Kind::kCancel);
  EXPECT_EQ(cancel->cancel_process_id, 1234);
  EXPECT_EQ(cancel->cancel_secret_key, -7);
}

TEST(PgMessagesTest, RejectsOtherProtocolVersionsClearly) {
  Result<StartupPacket> packet = DecodeStartupPacket(Int32Bytes(2 << 16) + std::string(1, '\0'));
  ASSERT_FALSE(packet.ok());
  EXPECT_EQ(packet.status().sql_state(), "0A000");
  EXPECT_NE(packet.status().message().find("unsupported frontend protocol 2.0"),
            std::string_view::npos);
}

TEST(PgMessagesTest, RejectsTruncatedStartupPackets) {
  EXPECT_FALSE(DecodeStartupPacket("").ok());
  EXPECT_FALSE(DecodeStartupPacket(Int32Bytes(kProtocolVersion3) + "user").ok());
  EXPECT_FALSE(DecodeStartupPacket(Int32Bytes(kCancelRequestCode) + "ab").ok());
}

TEST(PgMessagesTest, DecodesParseAndBind) {
  std::string parse = std::string("s1\0SELECT $1\0", 13) + Int16Bytes(1) + Int32Bytes(23);
  Result<ParseMessage> parsed = DecodeParse(parse);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->statement_name, "s1");
  EXPECT_EQ(parsed->query, "SELECT $1");
  EXPECT_EQ(parsed->parameter_type_oids, std::vector<int32_t>{23});

  std::string bind = std::string("p\0s1\0", 5) + Int16Bytes(1) + Int16Bytes(1) + Int16Bytes(2) +
                     Int32Bytes(4) + Int32Bytes(42) + Int32Bytes(-1) + Int16Bytes(1) +
                     Int16Bytes(1);
  Result<BindMessage> bound = DecodeBind(bind);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_EQ(bound->portal_name, "p");
  EXPECT_EQ(bound->statement_name, "s1");
  ASSERT_EQ(bound->parameters.size(), 2u);
  EXPECT_EQ(bound->parameters[0]->size(), 4u);
  EXPECT_FALSE(bound->parameters[1].has_value());
  EXPECT_EQ(bound->ParameterFormat(1), 1);
  EXPECT_EQ(bound->ResultFormat(5), 1);
}

TEST(PgMessagesTest, RejectsBindWithLyingCounts) {
  // 1000 parameters announced, none present.
  std::string bind = std::string("\0\0", 2) + Int16Bytes(0) + Int16Bytes(1000);
  Result<BindMessage> bound = DecodeBind(bind);
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().sql_state(), "08P01");
  // A parameter longer than the message.
  bind = std::string("\0\0", 2) + Int16Bytes(0) + Int16Bytes(1) + Int32Bytes(1 << 30);
  EXPECT_FALSE(DecodeBind(bind).ok());
  // A format code that is neither text nor binary.
  bind = std::string("\0\0", 2) + Int16Bytes(1) + Int16Bytes(7) + Int16Bytes(0) + Int16Bytes(0);
  EXPECT_FALSE(DecodeBind(bind).ok());
}

TEST(PgMessagesTest, DecodesDescribeCloseAndExecute) {
  Result<TargetMessage> target = DecodeTarget(std::string("Pportal\0", 8));
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->kind, 'P');
  EXPECT_EQ(target->name, "portal");
  EXPECT_FALSE(DecodeTarget(std::string("Xname\0", 6)).ok());
  Result<ExecuteMessage> execute = DecodeExecute(std::string("\0", 1) + Int32Bytes(10));
  ASSERT_TRUE(execute.ok());
  EXPECT_EQ(execute->max_rows, 10);
  EXPECT_FALSE(DecodeExecute(std::string("\0", 1) + Int32Bytes(10) + "x").ok());
}

TEST(PgMessagesTest, WritesLengthPrefixedMessages) {
  MessageWriter writer;
  writer.Begin('Z');
  writer.Byte('I');
  writer.End();
  EXPECT_EQ(writer.buffer(), std::string("Z\0\0\0\5I", 6));
}

TEST(PgMessagesTest, WritesErrorFields) {
  MessageWriter writer;
  Status status =
      Status::SyntaxError("syntax error at or near \"x\"").WithPosition(8).WithHint("h");
  WriteError(writer, ErrorFieldsOf(status));
  const std::string& bytes = writer.buffer();
  EXPECT_EQ(bytes[0], 'E');
  EXPECT_NE(bytes.find(std::string("C42601\0", 7)), std::string::npos);
  EXPECT_NE(bytes.find(std::string("SERROR\0", 7)), std::string::npos);
  EXPECT_NE(bytes.find(std::string("P8\0", 3)), std::string::npos);
  EXPECT_NE(bytes.find(std::string("Hh\0", 3)), std::string::npos);
  EXPECT_EQ(bytes.back(), '\0');
}

}  // namespace
}  // namespace floe::server::pgwire
