#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "server/net/connection.h"
#include "server/net/tcp_server.h"
#include "server/pgwire/messages.h"
#include "server/sql_service.h"
#include "sql/engine/copy_format.h"
#include "types/fwd.h"

namespace floe::server::pgwire {

class PgServer;

/// The protocol state of one PostgreSQL connection: startup, authentication, then messages
/// until Terminate, an error that ends the connection, or shutdown. Runs on the connection's
/// thread; only the session's Cancel() is reached from other threads.
class PgConnection {
 public:
  PgConnection(PgServer& server, net::Connection& connection, net::ConnectionControl& control);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  void Run();

 private:
  struct Statement {
    std::string query;
    bool is_empty = false;
    PreparedInfo info;
  };
  struct Portal {
    std::string statement_name;
    std::shared_ptr<Statement> statement;
    std::vector<types::Value> parameters;
    std::vector<int16_t> result_formats;
    std::unique_ptr<StatementResult> result;
    std::optional<vector::Batch> batch;  // Rows not yet sent.
    int64_t next_row = 0;
    int64_t rows_sent = 0;
    bool is_done = false;
  };
  struct Message {
    char type = 0;
    std::string body;
  };
  /// COPY ... FROM STDIN's data: CopyData messages read while the statement runs.
  class CopyIn final : public sql::engine::CopyInput {
   public:
    explicit CopyIn(PgConnection& connection) : connection_(connection) {}
    Status Begin(int64_t columns) override;
    Result<std::optional<std::string>> Read() override;
    /// After a COPY that stopped reading early (an error in its data), reads and drops the
    /// client's remaining CopyData up to its CopyDone or CopyFail, as PostgreSQL does.
    void Drain();

   private:
    PgConnection& connection_;
    bool is_active_ = false;  // Between CopyInResponse and the client's CopyDone or CopyFail.
  };

  // Startup.
  Status Startup();
  Status Authenticate(const std::string& user);
  Status AuthenticateScram(const std::string& user);
  Status AuthenticateCleartext(const std::string& user);
  Result<Message> ReadMessage(net::Deadline deadline);
  Result<std::string> ReadAuthenticationResponse();
  Status OpenSession(const StartupPacket& packet);

  // Messages.
  /// Returns false when the connection should end.
  bool Dispatch(const Message& message);
  void SimpleQuery(std::string_view body);
  Status Parse(std::string_view body);
  Status Bind(std::string_view body);
  Status Describe(std::string_view body);
  Status Execute(std::string_view body);
  Status Close(std::string_view body);
  void Sync();

  Status SendRows(StatementResult& result, const std::vector<int16_t>& formats,
                  std::optional<vector::Batch>& batch, int64_t& next_row, int64_t max_rows,
                  int64_t& rows_sent, bool* is_suspended);
  /// Sends COPY ... TO STDOUT's lines: CopyOutResponse, one CopyData per line, CopyDone.
  Status SendCopyOut(StatementResult& result, int64_t& rows_sent);
  void WriteRowDescription(const std::vector<ColumnInfo>& columns,
                           const std::vector<int16_t>& formats);
  void WriteCommandComplete(const std::string& tag);
  void WriteReadyForQuery();
  void WriteParameterStatus(std::string_view name, std::string_view value);
  // Sends ParameterStatus TimeZone when a statement changed the session's zone, as PostgreSQL
  // reports its GUC_REPORT settings before ReadyForQuery.
  void ReportTimeZone();
  // The session's zone for TIMESTAMPTZ text.
  const types::TimeZone& SessionTimeZone() const;
  void SendFatal(const Status& status);
  void SendError(const Status& status);
  // NoticeResponses for the statement's notices (severity NOTICE, SQLSTATE 00000).
  void SendNotices(const StatementResult& result);
  Status Flush();
  Status FlushIfLarge();

  /// Runs `run` under the session's statement_timeout, logging and counting it.
  Status Timed(std::string_view sql, const std::function<Status(int64_t* rows)>& run);
  std::chrono::milliseconds StatementTimeout() const;

  PgServer& server_;
  net::Connection& connection_;
  net::ConnectionControl& control_;
  MessageWriter writer_;
  std::string user_;
  std::string peer_;
  std::unique_ptr<SqlSession> session_;
  int32_t process_id_ = 0;
  bool is_registered_ = false;
  bool is_cancel_request_ = false;
  bool skip_until_sync_ = false;
  bool transaction_failed_ = false;
  std::string reported_time_zone_ = "UTC";
  bool is_superuser_ = false;
  std::map<std::string, std::shared_ptr<Statement>> statements_;
  std::map<std::string, Portal> portals_;
  CopyIn copy_in_{*this};
};

}  // namespace floe::server::pgwire
