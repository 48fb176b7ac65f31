#include "server/http/async_queries.h"

#include <algorithm>
#include <ctime>

#include <openssl/rand.h>

#include "common/logging.h"
#include "server/http/result_writer.h"
#include "server/metrics.h"
#include "vector/selection_vector.h"

namespace floe::server::http {
namespace {

using SystemClock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMaxLoggedSql = 300;

std::string_view StateName(AsyncQueryState state) {
  switch (state) {
    case AsyncQueryState::kQueued:
      return "queued";
    case AsyncQueryState::kRunning:
      return "running";
    case AsyncQueryState::kSucceeded:
      return "succeeded";
    case AsyncQueryState::kFailed:
      return "failed";
    case AsyncQueryState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

bool IsFinished(AsyncQueryState state) {
  return state == AsyncQueryState::kSucceeded || state == AsyncQueryState::kFailed ||
         state == AsyncQueryState::kCancelled;
}

std::string NewQueryId() {
  unsigned char random[16];
  RAND_bytes(random, sizeof(random));
  std::string id;
  for (unsigned char byte : random) {
    id += fmt::format("{:02x}", byte);
  }
  return id;
}

// RFC 3339 in UTC with milliseconds.
std::string TimeText(SystemClock::time_point time) {
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return fmt::format("\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z\"", parts.tm_year + 1900,
                     parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                     millis % 1000);
}

int64_t BytesOf(const vector::Vector& column) {
  int64_t bytes = 0;
  for (const auto* buffer :
       {&column.validity_buffer(), &column.values_buffer(), &column.data_buffer()}) {
    bytes += *buffer == nullptr ? 0 : (*buffer)->capacity();
  }
  for (int64_t index = 0; index < column.num_children(); ++index) {
    bytes += BytesOf(column.child(index));
  }
  return bytes;
}

std::string Abbreviate(std::string_view sql) {
  std::string text(sql.substr(0, kMaxLoggedSql));
  std::replace(text.begin(), text.end(), '\n', ' ');
  return sql.size() > kMaxLoggedSql ? text + "..." : text;
}

}  // namespace

struct AsyncQueries::Query {
  std::string id;
  std::string user;
  std::string sql;
  std::vector<types::Value> parameters;
  std::unique_ptr<SqlSession> session;  // Until the query finishes.
  AsyncQueryState state = AsyncQueryState::kQueued;
  bool is_cancel_requested = false;
  SystemClock::time_point submitted_at;
  SystemClock::time_point started_at;
  SystemClock::time_point finished_at;
  SteadyClock::time_point expires_at;
  int64_t rows = 0;
  int64_t reserved_bytes = 0;
  Status error;
  std::shared_ptr<const StoredResult> result;
};

std::vector<vector::Batch> StoredResult::Page(int64_t offset, int64_t limit) const {
  std::vector<vector::Batch> page;
  int64_t start = 0;
  for (const vector::Batch& batch : batches) {
    if (limit <= 0) {
      break;
    }
    int64_t end = start + batch.num_rows();
    if (offset < end) {
      int64_t from = std::max<int64_t>(offset - start, 0);
      int64_t count = std::min(batch.num_rows() - from, limit);
      page.push_back(batch.Slice(from, count));
      limit -= count;
      offset += count;
    }
    start = end;
  }
  return page;
}

AsyncQueries::AsyncQueries(AsyncQueryOptions options, ServerMetrics& metrics)
    : options_(options), metrics_(metrics) {
  int workers = std::max(options_.workers, 1);
  for (int index = 0; index < workers; ++index) {
    workers_.emplace_back([this] { Work(); });
  }
}

AsyncQueries::~AsyncQueries() {
  {
    std::lock_guard lock(mutex_);
    is_stopping_ = true;
    for (auto& [id, query] : queries_) {
      if (query->state == AsyncQueryState::kRunning) {
        query->is_cancel_requested = true;
        query->session->Cancel();
      }
    }
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) {
    worker.join();
  }
  for (auto& [id, query] : queries_) {
    if (query->session != nullptr) {
      metrics_.AddSession(Protocol::kHttp, -1);
    }
  }
}

Result<std::string> AsyncQueries::Submit(const std::string& user,
                                         std::unique_ptr<SqlSession> session, std::string sql,
                                         std::vector<types::Value> parameters) {
  auto query = std::make_unique<Query>();
  query->id = NewQueryId();
  query->user = user;
  query->sql = std::move(sql);
  query->parameters = std::move(parameters);
  query->session = std::move(session);
  query->submitted_at = SystemClock::now();
  std::string id = query->id;
  {
    std::lock_guard lock(mutex_);
    SweepExpired();
    if (queries_.size() >= options_.max_queries) {
      return Status::ResourceExhausted(
          "too many asynchronous queries ({}): fetch and delete finished ones first",
          queries_.size());
    }
    metrics_.AddSession(Protocol::kHttp, 1);
    queue_.push_back(query.get());
    queries_.emplace(id, std::move(query));
  }
  wake_.notify_one();
  return id;
}

void AsyncQueries::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return is_stopping_ || !queue_.empty(); });
    if (is_stopping_) {
      return;
    }
    Query* query = queue_.front();
    queue_.pop_front();
    query->state = AsyncQueryState::kRunning;
    query->started_at = SystemClock::now();
    lock.unlock();
    Run(*query);
    lock.lock();
    SweepExpired();
  }
}

void AsyncQueries::Run(Query& query) {
  auto started = SteadyClock::now();
  auto stored = std::make_shared<StoredResult>();
  int64_t reserved = 0;
  Status status = [&]() -> Status {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<StatementResult> result,
                          query.session->Execute(query.sql, query.parameters));
    {
      // A cancel that came while the statement was being planned found nothing to stop yet.
      std::lock_guard lock(mutex_);
      if (query.is_cancel_requested) {
        query.session->Cancel();
      }
    }
    stored->columns = result->columns();
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result->Next());
      if (!batch.has_value()) {
        break;
      }
      // Copied out of the engine's memory, which the query's trackers own and free with it.
      FLOE_ASSIGN_OR_RETURN(vector::Batch copy,
                            batch->Gather(vector::SelectionVector::Identity(batch->num_rows())));
      int64_t bytes = 0;
      for (const vector::Vector& column : copy.columns()) {
        bytes += BytesOf(column);
      }
      std::lock_guard lock(mutex_);
      if (query.is_cancel_requested) {
        return Status::Cancelled("canceling statement due to user request");
      }
      if (used_bytes_ + bytes > options_.result_bytes) {
        return Status::ResourceExhausted(
                   "the result of query {} does not fit the {} bytes kept for asynchronous "
                   "results (http.async_result_bytes); add LIMIT, or fetch it synchronously",
                   query.id, options_.result_bytes)
            .WithSqlState("54000");
      }
      used_bytes_ += bytes;
      reserved += bytes;
      query.reserved_bytes = reserved;
      query.rows += copy.num_rows();
      stored->num_rows += copy.num_rows();
      stored->batches.push_back(std::move(copy));
    }
    stored->command_tag = result->command_tag();
    return Status::OK();
  }();
  // Once published as finished, the query may be deleted at any moment: what the log needs is
  // copied first.
  std::string user = query.user;
  std::string id = query.id;
  std::string sql = Abbreviate(query.sql);
  int64_t rows = stored->num_rows;
  std::unique_ptr<SqlSession> session;
  {
    std::lock_guard lock(mutex_);
    if (!status.ok() && query.is_cancel_requested) {
      status = Status::Cancelled("canceling statement due to user request");
    }
    query.finished_at = SystemClock::now();
    query.expires_at = SteadyClock::now() + options_.result_ttl;
    session = std::move(query.session);
    if (status.ok()) {
      query.state = AsyncQueryState::kSucceeded;
      query.result = std::move(stored);
    } else {
      query.state = status.code() == StatusCode::kCancelled ? AsyncQueryState::kCancelled
                                                            : AsyncQueryState::kFailed;
      query.error = status;
      used_bytes_ -= reserved;
      query.reserved_bytes = 0;
    }
  }
  session.reset();
  metrics_.AddSession(Protocol::kHttp, -1);
  auto duration = SteadyClock::now() - started;
  metrics_.RecordStatement(Protocol::kHttp, OutcomeOf(status), duration, rows);
  double millis = std::chrono::duration<double, std::milli>(duration).count();
  if (status.ok()) {
    FLOE_LOG_INFO("statement", {"protocol", "http"}, {"user", user}, {"query_id", id},
                  {"duration_ms", millis}, {"rows", rows}, {"sql", sql});
  } else {
    FLOE_LOG_INFO("statement failed", {"protocol", "http"}, {"user", user}, {"query_id", id},
                  {"duration_ms", millis}, {"sql_state", status.sql_state()},
                  {"error", status.message()}, {"sql", sql});
  }
}

void AsyncQueries::SweepExpired() {
  auto now = SteadyClock::now();
  for (auto it = queries_.begin(); it != queries_.end();) {
    const Query& query = *it->second;
    if (IsFinished(query.state) && query.expires_at <= now) {
      used_bytes_ -= query.reserved_bytes;
      it = queries_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<AsyncQueries::Query*> AsyncQueries::Find(const std::string& id, const std::string& user) {
  SweepExpired();
  auto found = queries_.find(id);
  // Another user's query answers as an unknown one, so that ids cannot be probed.
  if (found == queries_.end() || found->second->user != user) {
    return Status::NotFound("no query {}: unknown, expired or deleted", id.substr(0, 64));
  }
  return found->second.get();
}

Result<std::string> AsyncQueries::DescribeJson(const std::string& id, const std::string& user,
                                               std::string_view base_path) {
  std::lock_guard lock(mutex_);
  FLOE_ASSIGN_OR_RETURN(Query * query, Find(id, user));
  std::string url = fmt::format("{}/{}", base_path, query->id);
  std::string text = fmt::format(
      "{{\"id\":\"{}\",\"state\":\"{}\",\"status_url\":{},\"submitted_at\":{}", query->id,
      StateName(query->state), JsonString(url), TimeText(query->submitted_at));
  if (query->state != AsyncQueryState::kQueued) {
    text += fmt::format(",\"started_at\":{}", TimeText(query->started_at));
    auto end = IsFinished(query->state) ? query->finished_at : SystemClock::now();
    text += fmt::format(
        ",\"elapsed_ms\":{}",
        std::chrono::duration_cast<std::chrono::milliseconds>(end - query->started_at).count());
  }
  if (IsFinished(query->state)) {
    text += fmt::format(",\"finished_at\":{}", TimeText(query->finished_at));
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(query->expires_at -
                                                                           SteadyClock::now());
    text += fmt::format(",\"expires_at\":{}", TimeText(SystemClock::now() + remaining));
  }
  text += fmt::format(",\"row_count\":{}", query->rows);
  if (query->state == AsyncQueryState::kSucceeded) {
    text +=
        fmt::format(",\"command_tag\":{},\"columns\":[", JsonString(query->result->command_tag));
    for (size_t index = 0; index < query->result->columns.size(); ++index) {
      const ColumnInfo& column = query->result->columns[index];
      text += fmt::format("{}{{\"name\":{},\"type\":{}}}", index == 0 ? "" : ",",
                          JsonString(column.name), JsonString(column.type.ToString()));
    }
    text += fmt::format("],\"results_url\":{}", JsonString(url + "/results"));
  }
  if (!query->error.ok()) {
    const Status& error = query->error;
    text += fmt::format(",\"error\":{{\"code\":{},\"sqlstate\":{},\"message\":{}}}",
                        JsonString(StatusCodeName(error.code())), JsonString(error.sql_state()),
                        JsonString(error.message()));
  }
  text += "}\n";
  return text;
}

Result<std::shared_ptr<const StoredResult>> AsyncQueries::GetResult(const std::string& id,
                                                                    const std::string& user) {
  std::lock_guard lock(mutex_);
  FLOE_ASSIGN_OR_RETURN(Query * query, Find(id, user));
  if (query->state != AsyncQueryState::kSucceeded) {
    return Status::Conflict("query {} has no result: it is {}", query->id, StateName(query->state));
  }
  return query->result;
}

Result<CancelOutcome> AsyncQueries::Cancel(const std::string& id, const std::string& user) {
  std::lock_guard lock(mutex_);
  FLOE_ASSIGN_OR_RETURN(Query * query, Find(id, user));
  switch (query->state) {
    case AsyncQueryState::kQueued:
      std::erase(queue_, query);
      query->state = AsyncQueryState::kCancelled;
      query->error = Status::Cancelled("canceling statement due to user request");
      query->started_at = query->finished_at = SystemClock::now();
      query->expires_at = SteadyClock::now() + options_.result_ttl;
      query->session.reset();
      metrics_.AddSession(Protocol::kHttp, -1);
      return CancelOutcome::kCancelled;
    case AsyncQueryState::kRunning:
      query->is_cancel_requested = true;
      query->session->Cancel();
      return CancelOutcome::kCancelling;
    default:
      used_bytes_ -= query->reserved_bytes;
      queries_.erase(query->id);
      return CancelOutcome::kFreed;
  }
}

int64_t AsyncQueries::used_bytes() const {
  std::lock_guard lock(mutex_);
  return used_bytes_;
}

}  // namespace floe::server::http
