#include "catalog/sql_connection.h"

namespace floe::catalog {

Status RunInTransaction(SqlConnection& connection, TransactionMode mode,
                        const std::function<Status()>& body) {
  FLOE_RETURN_NOT_OK(connection.Begin(mode));
  Status status = body();
  if (!status.ok()) {
    // The body's error is the one worth reporting; a failed rollback also ends the transaction.
    (void)connection.Rollback();
    return status;
  }
  status = connection.Commit();
  if (!status.ok()) {
    (void)connection.Rollback();
  }
  return status;
}

}  // namespace floe::catalog
