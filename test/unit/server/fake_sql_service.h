#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "server/sql_service.h"

namespace floe::server::test {

/// A scripted SqlService standing in for the engine, so that the protocols can be tested on
/// their own. Statements it knows (case-sensitive, one per ';'):
///   SELECT 1           one INTEGER column "?column?" holding 1
///   TYPES              one row with a column of every scalar type
///   ROWS <n>           n BIGINT rows 0..n-1, in batches of 100
///   ECHO               one column echoing parameter $1 (declared VARCHAR unless typed)
///   SLEEP              waits until cancelled, then fails with 57014
///   RETYPED            described as one INTEGER column, but runs returning a BIGINT one (a
///                      table changed between Parse and Execute)
///   BEGIN / COMMIT     opens and closes a transaction block
///   anything else      SyntaxError 42601 at position 1
class FakeSqlService final : public SqlService {
 public:
  Result<std::unique_ptr<SqlSession>> Connect(const std::string& user,
                                              const std::string& database) override;
  Status CheckReady() override { return ready; }

  Status ready = Status::OK();
  std::atomic<int> sessions_opened{0};
  /// Counts ExecutePrepared calls and ExpireBindings calls, over all sessions.
  std::atomic<int> prepared_executions{0};
  std::atomic<int> expired_bindings{0};
};

}  // namespace floe::server::test
