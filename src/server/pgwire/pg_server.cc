#include "server/pgwire/pg_server.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "catalog/user_store.h"
#include "common/logging.h"
#include "server/metrics.h"
#include "server/net/tls_context.h"
#include "server/pgwire/messages.h"
#include "server/pgwire/pg_connection.h"

namespace floe::server::pgwire {

Result<std::unique_ptr<PgServer>> PgServer::Start(PgServerOptions options, SqlService& service,
                                                  catalog::UserStore* users,
                                                  ServerMetrics& metrics) {
  std::unique_ptr<PgServer> server(new PgServer(std::move(options), service, users, metrics));
  PgServer* raw = server.get();
  auto handler = [raw](net::Connection& connection, net::ConnectionControl& control) {
    ServePgConnection(*raw, connection, control);
  };
  auto reject = [](net::Connection& connection) {
    MessageWriter writer;
    WriteError(
        writer,
        {.severity = "FATAL", .sql_state = "53300", .message = "sorry, too many clients already"});
    (void)connection.WriteAll(writer.buffer(), net::DeadlineAfter(std::chrono::seconds(1)));
  };
  FLOE_ASSIGN_OR_RETURN(server->tcp_,
                        net::TcpServer::Start(server->options_.tcp, std::move(handler), reject));
  return server;
}

PgServer::~PgServer() {
  Shutdown(std::chrono::milliseconds(0));
}

int PgServer::port() const {
  return tcp_->port();
}

int PgServer::active_connections() const {
  return tcp_->active_connections();
}

void PgServer::Shutdown(std::chrono::milliseconds grace) {
  if (tcp_ != nullptr) {
    tcp_->Shutdown(grace);
  }
}

std::pair<int32_t, int32_t> PgServer::RegisterBackend(std::function<void()> cancel) {
  int32_t secret_key = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&secret_key), sizeof(secret_key));
  std::lock_guard lock(mutex_);
  int32_t process_id = next_process_id_++;
  if (next_process_id_ == INT32_MAX) {
    next_process_id_ = 1000;
  }
  backends_[process_id] = {.secret_key = secret_key, .cancel = std::move(cancel)};
  return {process_id, secret_key};
}

void PgServer::UnregisterBackend(int32_t process_id) {
  std::lock_guard lock(mutex_);
  backends_.erase(process_id);
}

void PgServer::CancelBackend(int32_t process_id, int32_t secret_key) {
  std::lock_guard lock(mutex_);
  auto found = backends_.find(process_id);
  if (found == backends_.end() ||
      CRYPTO_memcmp(&found->second.secret_key, &secret_key, sizeof(secret_key)) != 0) {
    FLOE_LOG_INFO("cancel request ignored: no such backend", {"process_id", process_id});
    return;
  }
  FLOE_LOG_INFO("cancel request", {"process_id", process_id});
  // Called under the lock, so that the session cannot go away meanwhile.
  found->second.cancel();
}

void ServePgConnection(PgServer& server, net::Connection& connection,
                       net::ConnectionControl& control) {
  server.metrics().RecordConnection(Protocol::kPgwire);
  PgConnection handler(server, connection, control);
  handler.Run();
  server.metrics().AddBytes(connection.bytes_read(), connection.bytes_written());
}

}  // namespace floe::server::pgwire
