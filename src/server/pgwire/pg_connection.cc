#include "server/pgwire/pg_connection.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "catalog/user_store.h"
#include "common/logging.h"
#include "server/metrics.h"
#include "server/net/tls_context.h"
#include "server/pgwire/pg_server.h"
#include "server/pgwire/scram.h"
#include "server/pgwire/type_codec.h"
#include "types/cast.h"
#include "types/time_zone.h"

namespace floe::server::pgwire {
namespace {

using Clock = std::chrono::steady_clock;

// Output is written when this much is pending, so that a large result streams in pieces.
constexpr size_t kFlushThreshold = 64 * 1024;
constexpr int kMaxLoggedSql = 300;

// Authentication request codes (AuthenticationXXX messages).
constexpr int32_t kAuthOk = 0;
constexpr int32_t kAuthCleartextPassword = 3;
constexpr int32_t kAuthSasl = 10;
constexpr int32_t kAuthSaslContinue = 11;
constexpr int32_t kAuthSaslFinal = 12;
constexpr std::string_view kScramSha256 = "SCRAM-SHA-256";
constexpr std::string_view kScramSha256Plus = "SCRAM-SHA-256-PLUS";

bool IsBlank(std::string_view query) {
  return std::all_of(query.begin(), query.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '\f';
  });
}

std::string Abbreviate(std::string_view sql) {
  std::string text(sql.substr(0, kMaxLoggedSql));
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (sql.size() > static_cast<size_t>(kMaxLoggedSql)) {
    text += "...";
  }
  return text;
}

// Parses statement_timeout as PostgreSQL shows it: "0", "1500", "1500ms", "5s", "2min".
std::chrono::milliseconds ParseTimeout(std::string_view text) {
  int64_t number = 0;
  size_t index = 0;
  while (index < text.size() && text[index] >= '0' && text[index] <= '9') {
    number = std::min<int64_t>(number * 10 + (text[index] - '0'), int64_t{1} << 40);
    ++index;
  }
  std::string_view unit = text.substr(index);
  while (!unit.empty() && unit.front() == ' ') {
    unit.remove_prefix(1);
  }
  if (unit == "s") {
    number *= 1000;
  } else if (unit == "min") {
    number *= 60'000;
  } else if (unit == "h") {
    number *= 3'600'000;
  }
  return std::chrono::milliseconds(number);
}

// Cancels a session when a statement outlives its timeout.
class StatementWatchdog {
 public:
  StatementWatchdog(SqlSession& session, std::chrono::milliseconds timeout) {
    if (timeout.count() <= 0) {
      return;
    }
    thread_ = std::thread([this, &session, timeout] {
      std::unique_lock lock(mutex_);
      if (!done_cv_.wait_for(lock, timeout, [this] { return is_done_; })) {
        has_fired_ = true;
        session.Cancel();
      }
    });
  }
  StatementWatchdog(const StatementWatchdog&) = delete;
  StatementWatchdog& operator=(const StatementWatchdog&) = delete;
  ~StatementWatchdog() { Stop(); }

  /// Returns true when the timeout fired.
  bool Stop() {
    if (thread_.joinable()) {
      {
        std::lock_guard lock(mutex_);
        is_done_ = true;
      }
      done_cv_.notify_all();
      thread_.join();
    }
    return has_fired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool is_done_ = false;
  bool has_fired_ = false;
  std::thread thread_;
};

// Splits the startup "options" value as PostgreSQL does: words separated by spaces ("\ " keeps
// one), each "-c name=value", "-cname=value" or "--name=value".
std::vector<std::pair<std::string, std::string>> ParseCommandLineOptions(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (size_t index = 0; index < text.size(); ++index) {
    char c = text[index];
    if (c == '\\' && index + 1 < text.size()) {
      word += text[++index];
    } else if (c == ' ' || c == '\t') {
      if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
    } else {
      word += c;
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  std::vector<std::pair<std::string, std::string>> settings;
  for (size_t index = 0; index < words.size(); ++index) {
    std::string setting;
    if (words[index] == "-c" && index + 1 < words.size()) {
      setting = words[++index];
    } else if (words[index].starts_with("-c")) {
      setting = words[index].substr(2);
    } else if (words[index].starts_with("--")) {
      setting = words[index].substr(2);
    }
    size_t equals = setting.find('=');
    if (equals != std::string::npos && equals > 0) {
      std::string name = setting.substr(0, equals);
      std::replace(name.begin(), name.end(), '-', '_');
      settings.emplace_back(std::move(name), setting.substr(equals + 1));
    }
  }
  return settings;
}

// The rows of a prepared statement must have the columns its Parse described: after DDL
// changed a table it reads, the client would otherwise get rows it cannot decode. Counts and
// types are compared, not names (a renamed column decodes the same); PostgreSQL refuses such an
// execution with the same SQLSTATE and message.
Status CheckResultType(const PreparedInfo& info, const StatementResult& result) {
  if (!info.has_rows || !result.has_rows() || result.copy_out_columns() >= 0) {
    return Status::OK();
  }
  const std::vector<ColumnInfo>& columns = result.columns();
  bool is_same =
      columns.size() == info.columns.size() &&
      std::equal(columns.begin(), columns.end(), info.columns.begin(),
                 [](const ColumnInfo& a, const ColumnInfo& b) { return a.type == b.type; });
  if (is_same) {
    return Status::OK();
  }
  return Status::NotSupported("cached plan must not change result type").WithSqlState("0A000");
}

}  // namespace

PgConnection::PgConnection(PgServer& server, net::Connection& connection,
                           net::ConnectionControl& control)
    : server_(server), connection_(connection), control_(control), peer_(connection.peer()) {}

PgConnection::~PgConnection() {
  if (is_registered_) {
    server_.UnregisterBackend(process_id_);
  }
  control_.SetCanceller({});
  if (session_ != nullptr) {
    server_.metrics().AddSession(Protocol::kPgwire, -1);
  }
}

void PgConnection::Run() {
  Status started = Startup();
  if (!started.ok()) {
    if (started.code() != StatusCode::kIOError && started.code() != StatusCode::kOk) {
      SendFatal(started);
    }
    if (is_cancel_request_) {
      return;
    }
    FLOE_LOG_INFO("pgwire connection refused", {"peer", peer_}, {"user", user_},
                  {"error", started.ToString()});
    return;
  }
  FLOE_LOG_INFO("pgwire connection", {"peer", peer_}, {"user", user_},
                {"tls", connection_.is_tls()}, {"process_id", process_id_});
  while (true) {
    if (!control_.BecomeIdle()) {
      SendFatal(Status::Unavailable("terminating connection due to administrator command")
                    .WithSqlState("57P01"));
      break;
    }
    Result<Message> message = ReadMessage(net::DeadlineAfter(server_.options().idle_timeout));
    if (!message.ok()) {
      const Status& status = message.status();
      if (status.code() == StatusCode::kTimeout) {
        SendFatal(
            Status::Timeout("terminating connection due to idle timeout").WithSqlState("57P05"));
      } else if (status.code() != StatusCode::kIOError) {
        SendFatal(status);
      }
      if (status.code() != StatusCode::kIOError ||
          status.message().find("middle") != std::string_view::npos) {
        FLOE_LOG_INFO("pgwire connection closed", {"peer", peer_}, {"reason", status.ToString()});
      }
      break;
    }
    control_.BecomeBusy();
    if (!Dispatch(*message)) {
      break;
    }
  }
  (void)Flush();
  FLOE_LOG_INFO("pgwire disconnection", {"peer", peer_}, {"user", user_},
                {"process_id", process_id_});
}

Status PgConnection::Flush() {
  if (writer_.size() == 0) {
    return Status::OK();
  }
  if (session_ != nullptr) {
    session_->ExpireBindings();
  }
  Status written =
      connection_.WriteAll(writer_.buffer(), net::DeadlineAfter(server_.options().message_timeout));
  writer_.Clear();
  return written;
}

Status PgConnection::FlushIfLarge() {
  return writer_.size() >= kFlushThreshold ? Flush() : Status::OK();
}

void PgConnection::SendFatal(const Status& status) {
  WriteError(writer_, ErrorFieldsOf(status, "FATAL"));
  (void)Flush();
}

void PgConnection::SendError(const Status& status) {
  WriteError(writer_, ErrorFieldsOf(status, "ERROR"));
}

void PgConnection::SendNotices(const StatementResult& result) {
  for (const std::string& notice : result.notices()) {
    ErrorFields fields;
    fields.severity = "NOTICE";
    fields.sql_state = "00000";
    fields.message = notice;
    WriteError(writer_, fields, /*is_notice=*/true);
  }
}

Result<PgConnection::Message> PgConnection::ReadMessage(net::Deadline deadline) {
  char header[5];
  FLOE_ASSIGN_OR_RETURN(size_t first, connection_.Read({header, 1}, deadline));
  if (first == 0) {
    return Status::IOError("connection closed by the client");
  }
  // The body must follow promptly, whatever the idle timeout: a client that sends half a
  // message and stalls is cut off.
  net::Deadline body_deadline = net::DeadlineAfter(server_.options().message_timeout);
  FLOE_RETURN_NOT_OK(connection_.ReadExact({header + 1, 4}, body_deadline));
  uint32_t length = (uint32_t{static_cast<uint8_t>(header[1])} << 24) |
                    (uint32_t{static_cast<uint8_t>(header[2])} << 16) |
                    (uint32_t{static_cast<uint8_t>(header[3])} << 8) |
                    uint32_t{static_cast<uint8_t>(header[4])};
  if (length < 4) {
    return ProtocolViolation(fmt::format("invalid message length {}", length));
  }
  if (static_cast<int64_t>(length) - 4 > server_.options().max_message_size) {
    return ProtocolViolation(fmt::format("message of {} bytes exceeds the limit of {} bytes",
                                         length - 4, server_.options().max_message_size))
        .WithSqlState("54000");
  }
  Message message;
  message.type = header[0];
  message.body.resize(length - 4);
  FLOE_RETURN_NOT_OK(connection_.ReadExact(message.body, body_deadline));
  return message;
}

Status PgConnection::Startup() {
  const PgServerOptions& options = server_.options();
  net::Deadline deadline = net::DeadlineAfter(options.message_timeout);
  StartupPacket packet;
  while (true) {
    char length_bytes[4];
    FLOE_ASSIGN_OR_RETURN(size_t first, connection_.Read({length_bytes, 1}, deadline));
    if (first == 0) {
      return Status::IOError("connection closed before startup");
    }
    FLOE_RETURN_NOT_OK(connection_.ReadExact({length_bytes + 1, 3}, deadline));
    uint32_t length = (uint32_t{static_cast<uint8_t>(length_bytes[0])} << 24) |
                      (uint32_t{static_cast<uint8_t>(length_bytes[1])} << 16) |
                      (uint32_t{static_cast<uint8_t>(length_bytes[2])} << 8) |
                      uint32_t{static_cast<uint8_t>(length_bytes[3])};
    if (length < 8 || length > static_cast<uint32_t>(kMaxStartupPacket)) {
      return ProtocolViolation(fmt::format("invalid length of startup packet: {}", length));
    }
    std::string body(length - 4, '\0');
    FLOE_RETURN_NOT_OK(connection_.ReadExact(body, deadline));
    FLOE_ASSIGN_OR_RETURN(packet, DecodeStartupPacket(body));
    switch (packet.kind) {
      case StartupPacket::Kind::kSslRequest: {
        bool can_tls = options.tls != nullptr && !connection_.is_tls();
        FLOE_RETURN_NOT_OK(connection_.WriteAll(can_tls ? "S" : "N", deadline));
        if (can_tls) {
          FLOE_RETURN_NOT_OK(connection_.StartTls(*options.tls, deadline));
        }
        continue;
      }
      case StartupPacket::Kind::kGssEncRequest:
        FLOE_RETURN_NOT_OK(connection_.WriteAll("N", deadline));
        continue;
      case StartupPacket::Kind::kCancel:
        is_cancel_request_ = true;
        server_.CancelBackend(packet.cancel_process_id, packet.cancel_secret_key);
        return Status::IOError("cancel request handled");
      case StartupPacket::Kind::kStartup:
        break;
    }
    break;
  }
  const std::string* user = packet.Find("user");
  if (user == nullptr || user->empty()) {
    return Status::Unauthenticated("no PostgreSQL user name specified in startup packet")
        .WithSqlState("28000");
  }
  user_ = *user;
  // Ask the client to fall back to 3.0 when it asked for a later minor version or for
  // protocol options (_pq_.*) this server does not know.
  std::vector<std::string> unknown_options;
  for (const auto& [name, value] : packet.parameters) {
    if (name.starts_with("_pq_.")) {
      unknown_options.push_back(name);
    }
  }
  if ((packet.protocol_version & 0xffff) != 0 || !unknown_options.empty()) {
    writer_.Begin('v');
    writer_.Int32(kProtocolVersion3);
    writer_.Int32(static_cast<int32_t>(unknown_options.size()));
    for (const std::string& name : unknown_options) {
      writer_.CString(name);
    }
    writer_.End();
  }
  FLOE_RETURN_NOT_OK(Authenticate(user_));
  return OpenSession(packet);
}

Status PgConnection::Authenticate(const std::string& user) {
  const PgServerOptions& options = server_.options();
  catalog::UserStore* users = server_.users();
  if (options.trust_loopback && connection_.is_loopback()) {
    if (users != nullptr) {
      FLOE_ASSIGN_OR_RETURN(std::optional<catalog::UserRecord> record, users->FindUser(user));
      is_superuser_ = !record.has_value() || record->is_superuser;
    } else {
      is_superuser_ = true;
    }
    return Status::OK();
  }
  if (users == nullptr) {
    return Status::Unauthenticated("no authentication method accepts user \"{}\" from {}", user,
                                   peer_)
        .WithSqlState("28000");
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<catalog::UserRecord> record, users->FindUser(user));
  Status authenticated;
  if (record.has_value() && record->scram_verifier.empty() && connection_.is_tls()) {
    // Users created before SCRAM verifiers existed can still log in over TLS.
    authenticated = AuthenticateCleartext(user);
  } else {
    authenticated = AuthenticateScram(user);
  }
  if (!authenticated.ok()) {
    server_.metrics().RecordAuthenticationFailure(Protocol::kPgwire);
    return authenticated;
  }
  if (!record.has_value() || !record->can_login) {
    server_.metrics().RecordAuthenticationFailure(Protocol::kPgwire);
    return PasswordFailed(user);
  }
  is_superuser_ = record->is_superuser;
  return Status::OK();
}

Result<std::string> PgConnection::ReadAuthenticationResponse() {
  FLOE_RETURN_NOT_OK(Flush());
  FLOE_ASSIGN_OR_RETURN(Message message,
                        ReadMessage(net::DeadlineAfter(server_.options().message_timeout)));
  if (message.type != 'p') {
    return ProtocolViolation(
        fmt::format("expected a password message, got message type '{}'", message.type));
  }
  return std::move(message.body);
}

Status PgConnection::AuthenticateScram(const std::string& user) {
  std::optional<catalog::ScramVerifier> verifier;
  FLOE_ASSIGN_OR_RETURN(std::optional<catalog::UserRecord> record, server_.users()->FindUser(user));
  if (record.has_value() && !record->scram_verifier.empty()) {
    Result<catalog::ScramVerifier> parsed = catalog::ScramVerifier::Parse(record->scram_verifier);
    if (parsed.ok()) {
      verifier = std::move(parsed).value();
    }
  }
  // Over TLS, SCRAM-SHA-256-PLUS is offered first, as PostgreSQL does, so that a client that
  // can bind the exchange to the TLS channel (RFC 5929 tls-server-end-point) does.
  const std::shared_ptr<net::TlsContext>& tls = server_.options().tls;
  ScramChannelBinding channel_binding;
  if (connection_.is_tls() && tls != nullptr) {
    channel_binding.certificate_hash = tls->certificate_hash();
  }
  writer_.Begin('R');
  writer_.Int32(kAuthSasl);
  if (!channel_binding.certificate_hash.empty()) {
    writer_.CString(kScramSha256Plus);
  }
  writer_.CString(kScramSha256);
  writer_.Byte(0);
  writer_.End();
  FLOE_ASSIGN_OR_RETURN(std::string initial, ReadAuthenticationResponse());
  FLOE_ASSIGN_OR_RETURN(SaslInitialResponse first, DecodeSaslInitialResponse(initial));
  if (first.mechanism == kScramSha256Plus && !channel_binding.certificate_hash.empty()) {
    channel_binding.is_selected = true;
  } else if (first.mechanism != kScramSha256) {
    return Status::InvalidArgument("client selected an invalid SASL authentication mechanism")
        .WithSqlState("08P01");
  }
  ScramExchange exchange(std::move(verifier), user, {}, std::move(channel_binding));
  FLOE_ASSIGN_OR_RETURN(std::string server_first, exchange.ClientFirst(first.data));
  writer_.Begin('R');
  writer_.Int32(kAuthSaslContinue);
  writer_.Bytes(server_first);
  writer_.End();
  FLOE_ASSIGN_OR_RETURN(std::string final_message, ReadAuthenticationResponse());
  FLOE_ASSIGN_OR_RETURN(std::string server_final, exchange.ClientFinal(final_message));
  writer_.Begin('R');
  writer_.Int32(kAuthSaslFinal);
  writer_.Bytes(server_final);
  writer_.End();
  return Status::OK();
}

Status PgConnection::AuthenticateCleartext(const std::string& user) {
  writer_.Begin('R');
  writer_.Int32(kAuthCleartextPassword);
  writer_.End();
  FLOE_ASSIGN_OR_RETURN(std::string body, ReadAuthenticationResponse());
  MessageReader reader(body);
  FLOE_ASSIGN_OR_RETURN(std::string_view password, reader.ReadCString());
  Result<catalog::UserRecord> checked = server_.users()->CheckPassword(user, password);
  if (!checked.ok()) {
    return PasswordFailed(user);
  }
  return Status::OK();
}

Status PgConnection::OpenSession(const StartupPacket& packet) {
  const PgServerOptions& options = server_.options();
  const std::string* database = packet.Find("database");
  std::string database_name =
      database == nullptr || database->empty() ? options.database : *database;
  if (database_name != options.database) {
    return Status::NotFound("database \"{}\" does not exist", database_name).WithSqlState("3D000");
  }
  FLOE_ASSIGN_OR_RETURN(session_, server_.service().Connect(user_, database_name));
  session_->SetCopyInput(&copy_in_);
  server_.metrics().AddSession(Protocol::kPgwire, 1);
  std::string application_name;
  for (const auto& [name, value] : packet.parameters) {
    if (name == "user" || name == "database" || name == "replication" ||
        name == "client_encoding" || name.starts_with("_pq_.")) {
      continue;
    }
    if (name == "application_name") {
      application_name = value;
    }
    if (name == "options") {
      for (const auto& [option, setting] : ParseCommandLineOptions(value)) {
        Status set = session_->SetParameter(option, setting);
        if (!set.ok()) {
          return set;
        }
      }
      continue;
    }
    // Drivers send settings the engine may not know (extra_float_digits, say); PostgreSQL
    // would refuse unknown ones, but refusing here would lock those drivers out.
    Status set = session_->SetParameter(name, value);
    if (!set.ok()) {
      FLOE_LOG_DEBUG("startup parameter ignored", {"name", name}, {"error", set.ToString()});
    }
  }
  SqlSession* session = session_.get();
  auto [process_id, secret_key] = server_.RegisterBackend([session] { session->Cancel(); });
  process_id_ = process_id;
  is_registered_ = true;
  control_.SetCanceller([session] { session->Cancel(); });

  writer_.Begin('R');
  writer_.Int32(kAuthOk);
  writer_.End();
  WriteParameterStatus("application_name", application_name);
  WriteParameterStatus("client_encoding", "UTF8");
  WriteParameterStatus("DateStyle", "ISO, MDY");
  WriteParameterStatus("default_transaction_read_only", "off");
  WriteParameterStatus("in_hot_standby", "off");
  WriteParameterStatus("integer_datetimes", "on");
  WriteParameterStatus("IntervalStyle", "postgres");
  WriteParameterStatus("is_superuser", is_superuser_ ? "on" : "off");
  WriteParameterStatus("server_encoding", "UTF8");
  WriteParameterStatus("server_version", options.server_version);
  WriteParameterStatus("session_authorization", user_);
  WriteParameterStatus("standard_conforming_strings", "on");
  // A startup packet may have set the zone (PGTZ, options=-c timezone=...).
  Result<std::string> zone = session_->GetParameter("timezone");
  reported_time_zone_ = zone.ok() ? *zone : "UTC";
  WriteParameterStatus("TimeZone", reported_time_zone_);
  writer_.Begin('K');
  writer_.Int32(process_id);
  writer_.Int32(secret_key);
  writer_.End();
  WriteReadyForQuery();
  return Flush();
}

void PgConnection::WriteParameterStatus(std::string_view name, std::string_view value) {
  writer_.Begin('S');
  writer_.CString(name);
  writer_.CString(value);
  writer_.End();
}

void PgConnection::ReportTimeZone() {
  if (session_ == nullptr) {
    return;
  }
  Result<std::string> zone = session_->GetParameter("timezone");
  if (zone.ok() && *zone != reported_time_zone_) {
    WriteParameterStatus("TimeZone", *zone);
    reported_time_zone_ = std::move(*zone);
  }
}

const types::TimeZone& PgConnection::SessionTimeZone() const {
  Result<std::string> name = session_->GetParameter("timezone");
  // The setting holds only names that resolved when it was set; zones stay cached.
  Result<const types::TimeZone*> zone =
      name.ok() ? types::TimeZone::Find(*name) : Result<const types::TimeZone*>(nullptr);
  return zone.ok() && *zone != nullptr ? **zone : types::TimeZone::Utc();
}

void PgConnection::WriteReadyForQuery() {
  ReportTimeZone();
  char status = 'I';
  if (session_ != nullptr && session_->in_transaction_block()) {
    status = transaction_failed_ ? 'E' : 'T';
  } else {
    transaction_failed_ = false;
  }
  writer_.Begin('Z');
  writer_.Byte(static_cast<uint8_t>(status));
  writer_.End();
}

void PgConnection::WriteCommandComplete(const std::string& tag) {
  writer_.Begin('C');
  writer_.CString(tag);
  writer_.End();
}

void PgConnection::WriteRowDescription(const std::vector<ColumnInfo>& columns,
                                       const std::vector<int16_t>& formats) {
  writer_.Begin('T');
  writer_.Int16(static_cast<int16_t>(columns.size()));
  for (size_t index = 0; index < columns.size(); ++index) {
    const ColumnInfo& column = columns[index];
    writer_.CString(column.name);
    writer_.Int32(0);  // Table OID.
    writer_.Int16(0);  // Column number.
    writer_.Int32(TypeOidOf(column.type));
    writer_.Int16(TypeSizeOf(column.type));
    writer_.Int32(TypeModifierOf(column.type));
    int16_t format = 0;
    if (formats.size() == 1) {
      format = formats[0];
    } else if (index < formats.size()) {
      format = formats[index];
    }
    writer_.Int16(format);
  }
  writer_.End();
}

std::chrono::milliseconds PgConnection::StatementTimeout() const {
  Result<std::string> value = session_->GetParameter("statement_timeout");
  return value.ok() ? ParseTimeout(*value) : std::chrono::milliseconds(0);
}

Status PgConnection::Timed(std::string_view sql, const std::function<Status(int64_t* rows)>& run) {
  auto started = Clock::now();
  int64_t rows = 0;
  Status status;
  {
    StatementWatchdog watchdog(*session_, StatementTimeout());
    status = run(&rows);
    if (watchdog.Stop() && status.code() == StatusCode::kCancelled) {
      status = Status::Cancelled("canceling statement due to statement timeout");
    }
  }
  if (status.code() == StatusCode::kCancelled &&
      status.message().find("timeout") == std::string_view::npos) {
    status = Status::Cancelled("canceling statement due to user request");
  }
  auto duration = Clock::now() - started;
  server_.metrics().RecordStatement(Protocol::kPgwire, OutcomeOf(status), duration, rows);
  double millis = std::chrono::duration<double, std::milli>(duration).count();
  if (status.ok()) {
    FLOE_LOG_INFO("statement", {"protocol", "pgwire"}, {"user", user_}, {"process_id", process_id_},
                  {"duration_ms", millis}, {"rows", rows}, {"sql", Abbreviate(sql)});
  } else {
    FLOE_LOG_INFO("statement failed", {"protocol", "pgwire"}, {"user", user_},
                  {"process_id", process_id_}, {"duration_ms", millis},
                  {"sql_state", status.sql_state()}, {"error", status.message()},
                  {"sql", Abbreviate(sql)});
  }
  return status;
}

bool PgConnection::Dispatch(const Message& message) {
  if (skip_until_sync_ && message.type != 'S' && message.type != 'X') {
    return true;
  }
  Status status;
  switch (message.type) {
    case 'Q':
      SimpleQuery(message.body);
      return Flush().ok();
    case 'P':
      status = Parse(message.body);
      break;
    case 'B':
      status = Bind(message.body);
      break;
    case 'D':
      status = Describe(message.body);
      break;
    case 'E':
      status = Execute(message.body);
      break;
    case 'C':
      status = Close(message.body);
      break;
    case 'S':
      Sync();
      return Flush().ok();
    case 'H':
      return Flush().ok();
    case 'X':
      return false;
    case 'd':
    case 'c':
    case 'f':
      return true;  // Copy messages outside COPY are ignored, as the protocol says.
    case 'F':
      status = Status::NotSupported("the function call protocol is not supported");
      break;
    default:
      SendFatal(ProtocolViolation(
          fmt::format("invalid frontend message type {}", static_cast<int>(message.type))));
      return false;
  }
  if (!status.ok()) {
    if (status.sql_state() == "08P01") {
      SendFatal(status);
      return false;
    }
    SendError(status);
    skip_until_sync_ = true;
    if (session_->in_transaction_block()) {
      transaction_failed_ = true;
    }
  }
  return FlushIfLarge().ok();
}

void PgConnection::SimpleQuery(std::string_view body) {
  Result<std::string_view> query = DecodeQuery(body);
  // A simple query ends the unnamed statement and portal.
  statements_.erase("");
  portals_.erase("");
  if (!query.ok()) {
    SendError(query.status());
  } else if (IsBlank(*query)) {
    writer_.Begin('I');
    writer_.End();
  } else {
    Status status = Timed(*query, [this, &query](int64_t* rows) {
      return session_->ExecuteEach(*query, [this, rows](StatementResult& result) -> Status {
        SendNotices(result);
        std::vector<int16_t> text_formats;
        if (result.copy_out_columns() >= 0) {
          int64_t sent = 0;
          FLOE_RETURN_NOT_OK(SendCopyOut(result, sent));
          *rows += sent;
          WriteCommandComplete(result.command_tag());
          return Status::OK();
        }
        if (result.has_rows()) {
          WriteRowDescription(result.columns(), text_formats);
        }
        std::optional<vector::Batch> batch;
        int64_t next_row = 0;
        int64_t sent = 0;
        FLOE_RETURN_NOT_OK(SendRows(result, text_formats, batch, next_row, 0, sent, nullptr));
        *rows += sent;
        WriteCommandComplete(result.command_tag());
        return Status::OK();
      });
    });
    copy_in_.Drain();
    if (!status.ok()) {
      SendError(status);
      if (session_->in_transaction_block()) {
        transaction_failed_ = true;
      }
    }
  }
  WriteReadyForQuery();
}

Status PgConnection::CopyIn::Begin(int64_t columns) {
  MessageWriter& writer = connection_.writer_;
  writer.Begin('G');
  writer.Byte(0);  // Text: COPY's text or CSV format.
  writer.Int16(static_cast<int16_t>(columns));
  for (int64_t column = 0; column < columns; ++column) {
    writer.Int16(0);
  }
  writer.End();
  is_active_ = true;
  return connection_.Flush();
}

void PgConnection::CopyIn::Drain() {
  while (is_active_) {
    Result<std::optional<std::string>> chunk = Read();
    if (!chunk.ok() && chunk.status().sql_state() != "57014") {
      is_active_ = false;  // The connection broke or misbehaved; Run() sees it next.
    }
  }
}

Result<std::optional<std::string>> PgConnection::CopyIn::Read() {
  while (true) {
    FLOE_ASSIGN_OR_RETURN(
        Message message,
        connection_.ReadMessage(net::DeadlineAfter(connection_.server_.options().idle_timeout)));
    switch (message.type) {
      case 'd':
        return std::optional<std::string>(std::move(message.body));
      case 'c':
        is_active_ = false;
        return std::optional<std::string>();
      case 'f': {
        is_active_ = false;
        std::string reason = message.body;
        if (!reason.empty() && reason.back() == '\0') {
          reason.pop_back();
        }
        return Status::Cancelled("COPY from stdin failed: {}", reason).WithSqlState("57014");
      }
      case 'H':
      case 'S':
        continue;  // Flush and Sync mean nothing during COPY, as the protocol says.
      default:
        return ProtocolViolation(
            fmt::format("unexpected message type 0x{:02X} during COPY from stdin",
                        static_cast<unsigned char>(message.type)));
    }
  }
}

Status PgConnection::SendCopyOut(StatementResult& result, int64_t& rows_sent) {
  writer_.Begin('H');
  writer_.Byte(0);  // Text: the lines are COPY's text, CSV or JSON.
  auto columns = static_cast<int16_t>(result.copy_out_columns());
  writer_.Int16(columns);
  for (int16_t column = 0; column < columns; ++column) {
    writer_.Int16(0);
  }
  writer_.End();
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result.Next());
    if (!batch.has_value()) {
      break;
    }
    const vector::Vector& lines = batch->column(0);
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      writer_.Begin('d');
      writer_.Bytes(lines.GetString(row));
      writer_.End();
      ++rows_sent;
      FLOE_RETURN_NOT_OK(FlushIfLarge());
    }
  }
  writer_.Begin('c');
  writer_.End();
  return Status::OK();
}

Status PgConnection::SendRows(StatementResult& result, const std::vector<int16_t>& formats,
                              std::optional<vector::Batch>& batch, int64_t& next_row,
                              int64_t max_rows, int64_t& rows_sent, bool* is_suspended) {
  int64_t sent_now = 0;
  const types::TimeZone& zone = SessionTimeZone();
  while (true) {
    if (!batch.has_value() || next_row >= batch->num_rows()) {
      FLOE_ASSIGN_OR_RETURN(batch, result.Next());
      next_row = 0;
      if (!batch.has_value()) {
        return Status::OK();
      }
      continue;
    }
    if (max_rows > 0 && sent_now >= max_rows) {
      if (is_suspended != nullptr) {
        *is_suspended = true;
      }
      return Status::OK();
    }
    const vector::Batch& rows = *batch;
    int64_t num_columns = rows.num_columns();
    writer_.Begin('D');
    writer_.Int16(static_cast<int16_t>(num_columns));
    for (int64_t column = 0; column < num_columns; ++column) {
      const vector::Vector& values = rows.column(column);
      if (values.IsNull(next_row)) {
        writer_.Int32(-1);
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(types::Value value, values.GetValue(next_row));
      int16_t format = formats.size() == 1                            ? formats[0]
                       : static_cast<size_t>(column) < formats.size() ? formats[column]
                                                                      : 0;
      std::string bytes;
      if (format == 1) {
        FLOE_ASSIGN_OR_RETURN(bytes, EncodeBinary(value));
      } else {
        bytes = EncodeText(value, zone);
      }
      writer_.Int32(static_cast<int32_t>(bytes.size()));
      writer_.Bytes(bytes);
    }
    writer_.End();
    ++next_row;
    ++sent_now;
    ++rows_sent;
    FLOE_RETURN_NOT_OK(FlushIfLarge());
  }
}

Status PgConnection::Parse(std::string_view body) {
  FLOE_ASSIGN_OR_RETURN(ParseMessage message, DecodeParse(body));
  if (!message.statement_name.empty() && statements_.contains(message.statement_name)) {
    return Status::AlreadyExists("prepared statement \"{}\" already exists", message.statement_name)
        .WithSqlState("42P05");
  }
  auto statement = std::make_shared<Statement>();
  statement->query = message.query;
  statement->is_empty = IsBlank(message.query);
  if (!statement->is_empty) {
    std::vector<types::LogicalType> types;
    for (int32_t type_oid : message.parameter_type_oids) {
      FLOE_ASSIGN_OR_RETURN(types::LogicalType type, LogicalTypeOfOid(type_oid));
      types.push_back(std::move(type));
    }
    FLOE_ASSIGN_OR_RETURN(statement->info,
                          session_->Prepare(message.statement_name, message.query, types));
  }
  statements_[message.statement_name] = std::move(statement);
  writer_.Begin('1');
  writer_.End();
  return Status::OK();
}

Status PgConnection::Bind(std::string_view body) {
  FLOE_ASSIGN_OR_RETURN(BindMessage message, DecodeBind(body));
  auto found = statements_.find(message.statement_name);
  if (found == statements_.end()) {
    return Status::NotFound("prepared statement \"{}\" does not exist", message.statement_name)
        .WithSqlState("26000");
  }
  if (!message.portal_name.empty() && portals_.contains(message.portal_name)) {
    return Status::AlreadyExists("cursor \"{}\" already exists", message.portal_name)
        .WithSqlState("42P03");
  }
  const std::shared_ptr<Statement>& statement = found->second;
  const std::vector<types::LogicalType>& types = statement->info.parameter_types;
  if (message.parameters.size() != types.size()) {
    return ProtocolViolation(fmt::format(
        "bind message supplies {} parameters, but prepared statement \"{}\" requires {}",
        message.parameters.size(), message.statement_name, types.size()));
  }
  size_t num_columns = statement->info.columns.size();
  if (message.result_formats.size() > 1 && message.result_formats.size() != num_columns) {
    return ProtocolViolation(
        fmt::format("bind message has {} result formats but query has {} "
                    "columns",
                    message.result_formats.size(), num_columns));
  }
  Portal portal;
  portal.statement_name = message.statement_name;
  portal.statement = statement;
  portal.result_formats = message.result_formats;
  for (size_t index = 0; index < message.parameters.size(); ++index) {
    const types::LogicalType& type = types[index];
    const std::optional<std::string>& bytes = message.parameters[index];
    if (!bytes.has_value()) {
      portal.parameters.push_back(types::Value::Null(type));
      continue;
    }
    if (message.ParameterFormat(index) == 1) {
      FLOE_ASSIGN_OR_RETURN(types::Value value, DecodeBinary(type, *bytes));
      portal.parameters.push_back(std::move(value));
      continue;
    }
    types::Value text = types::Value::Varchar(*bytes);
    if (type.id() == types::TypeId::kNull || type.id() == types::TypeId::kVarchar) {
      portal.parameters.push_back(std::move(text));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(types::Value value, types::CastValue(text, type));
    portal.parameters.push_back(std::move(value));
  }
  portals_[message.portal_name] = std::move(portal);
  writer_.Begin('2');
  writer_.End();
  return Status::OK();
}

Status PgConnection::Describe(std::string_view body) {
  FLOE_ASSIGN_OR_RETURN(TargetMessage message, DecodeTarget(body));
  if (message.kind == 'S') {
    auto found = statements_.find(message.name);
    if (found == statements_.end()) {
      return Status::NotFound("prepared statement \"{}\" does not exist", message.name)
          .WithSqlState("26000");
    }
    const PreparedInfo& info = found->second->info;
    writer_.Begin('t');
    writer_.Int16(static_cast<int16_t>(info.parameter_types.size()));
    for (const types::LogicalType& type : info.parameter_types) {
      writer_.Int32(type.id() == types::TypeId::kNull ? oid::kText : TypeOidOf(type));
    }
    writer_.End();
    if (info.has_rows) {
      WriteRowDescription(info.columns, {});
    } else {
      writer_.Begin('n');
      writer_.End();
    }
    return Status::OK();
  }
  auto found = portals_.find(message.name);
  if (found == portals_.end()) {
    return Status::NotFound("portal \"{}\" does not exist", message.name).WithSqlState("34000");
  }
  const PreparedInfo& info = found->second.statement->info;
  if (info.has_rows) {
    WriteRowDescription(info.columns, found->second.result_formats);
  } else {
    writer_.Begin('n');
    writer_.End();
  }
  return Status::OK();
}

Status PgConnection::Execute(std::string_view body) {
  FLOE_ASSIGN_OR_RETURN(ExecuteMessage message, DecodeExecute(body));
  auto found = portals_.find(message.portal_name);
  if (found == portals_.end()) {
    return Status::NotFound("portal \"{}\" does not exist", message.portal_name)
        .WithSqlState("34000");
  }
  Portal& portal = found->second;
  if (portal.statement->is_empty) {
    writer_.Begin('I');
    writer_.End();
    return Status::OK();
  }
  if (portal.is_done) {
    WriteCommandComplete(portal.result != nullptr ? portal.result->command_tag() : "SELECT 0");
    return Status::OK();
  }
  bool is_suspended = false;
  Status status = Timed(portal.statement->query, [&](int64_t* rows) -> Status {
    if (portal.result == nullptr) {
      FLOE_ASSIGN_OR_RETURN(portal.result,
                            session_->ExecutePrepared(portal.statement_name, portal.parameters));
      FLOE_RETURN_NOT_OK(CheckResultType(portal.statement->info, *portal.result));
      SendNotices(*portal.result);
    }
    int64_t before = portal.rows_sent;
    if (portal.result->copy_out_columns() >= 0) {
      // COPY data is never suspended: the row limit of Execute does not apply to it.
      Status sent = SendCopyOut(*portal.result, portal.rows_sent);
      *rows = portal.rows_sent - before;
      return sent;
    }
    Status sent = portal.result->has_rows()
                      ? SendRows(*portal.result, portal.result_formats, portal.batch,
                                 portal.next_row, message.max_rows, portal.rows_sent, &is_suspended)
                      : Status::OK();
    *rows = portal.rows_sent - before;
    return sent;
  });
  copy_in_.Drain();
  if (!status.ok()) {
    portals_.erase(found);
    return status;
  }
  if (is_suspended) {
    writer_.Begin('s');
    writer_.End();
    return Status::OK();
  }
  portal.is_done = true;
  WriteCommandComplete(portal.result->command_tag());
  return Status::OK();
}

Status PgConnection::Close(std::string_view body) {
  FLOE_ASSIGN_OR_RETURN(TargetMessage message, DecodeTarget(body));
  if (message.kind == 'S') {
    if (statements_.erase(message.name) > 0) {
      session_->Deallocate(message.name);
    }
  } else {
    portals_.erase(message.name);
  }
  writer_.Begin('3');
  writer_.End();
  return Status::OK();
}

void PgConnection::Sync() {
  skip_until_sync_ = false;
  if (!session_->in_transaction_block()) {
    portals_.clear();
  }
  WriteReadyForQuery();
}

}  // namespace floe::server::pgwire
