#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/engine/query_result.h"
#include "sql/engine/session_settings.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace floe::sql::engine {

class CopyInput;
class Database;
struct PreparedStatement;
struct CancelSlot;

/// What the extended query protocol needs to know about a statement before running it.
struct StatementDescription {
  /// The type of each `$n`, inferred from its use (or given when preparing).
  std::vector<types::LogicalType> parameter_types;
  /// The result columns; empty for a statement without rows.
  std::vector<ResultColumn> columns;
  bool has_rows = false;
};

/// One connection's state: the user, settings, prepared statements and the statement running.
///
/// Statements run one at a time (autocommit). BEGIN, COMMIT and ROLLBACK are accepted so that
/// drivers work, but each statement inside a block commits on its own; ROLLBACK cannot undo
/// what a statement already committed, and says so with a warning-free "ROLLBACK" tag (see
/// docs/sql.md). Not thread-safe, except Cancel(), which may be called from any thread.
class Session {
 public:
  Session(std::shared_ptr<Database> database, std::string user);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  /// Runs every statement of `sql` in order and returns the last one's result; the earlier
  /// results are run to completion and discarded. `parameters` bind `$1`, `$2`... (only for a
  /// single statement). Errors carry a SQLSTATE and, for syntax and name errors, the 1-based
  /// character position in `sql`.
  Result<QueryResult> Execute(std::string_view sql, std::span<const types::Value> parameters = {});
  /// Runs every statement of `sql` in order, handing each result to `consume` before the next
  /// starts (a shell prints each); stops at the first error.
  Status ExecuteEach(std::string_view sql,
                     const std::function<Status(QueryResult& result)>& consume);

  /// Parses and binds one statement under `name` ("" is the unnamed statement, replaced by
  /// each Prepare). `parameter_types` may fix the types of the first parameters (unknown
  /// types are inferred). Returns its description.
  Result<StatementDescription> Prepare(const std::string& name, std::string_view sql,
                                       std::span<const types::LogicalType> parameter_types = {});
  /// Describes a prepared statement; NotFound (26000) when there is none of that name.
  Result<StatementDescription> Describe(const std::string& name) const;
  /// Runs a prepared statement with its parameters (cast to the inferred types).
  Result<QueryResult> ExecutePrepared(const std::string& name,
                                      std::span<const types::Value> parameters);
  /// Forgets a prepared statement; a missing one is not an error.
  void Deallocate(const std::string& name);
  /// Ends the reuse of what Prepare bound. Prepare binds a query's names to the catalog to
  /// describe it, and ExecutePrepared runs that binding rather than bind again when no other
  /// statement ran in between and this was not called since: a client that sends Parse, Bind
  /// and Execute together cannot tell the two moments apart. Call it when the client may have
  /// seen the session's progress (the server answered it), so that a later execution sees what
  /// was committed meanwhile.
  void ExpireBindings() { ++binding_epoch_; }

  /// Lets COPY ... FROM STDIN read the client's data from `input` (null: it cannot); the
  /// input must outlive the statements that run while it is set.
  void SetCopyInput(CopyInput* input) { copy_input_ = input; }

  /// Asks the running statement to stop; it then fails with Cancelled (57014). Thread-safe.
  void Cancel();

  SessionContext& context() { return context_; }
  const SessionContext& context() const { return context_; }
  Database& database() const { return *database_; }
  /// True inside BEGIN ... COMMIT.
  bool in_transaction_block() const { return in_transaction_block_; }

 private:
  friend class StatementRunner;

  std::shared_ptr<Database> database_;
  SessionContext context_;
  std::map<std::string, std::shared_ptr<PreparedStatement>> prepared_;
  // Advances with every statement run and every ExpireBindings().
  uint64_t binding_epoch_ = 0;
  bool in_transaction_block_ = false;
  std::atomic<bool> cancel_requested_{false};
  std::shared_ptr<CancelSlot> cancel_slot_;
  CopyInput* copy_input_ = nullptr;
};

}  // namespace floe::sql::engine
