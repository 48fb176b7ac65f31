#include "server/net/tcp_server.h"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/logging.h"

namespace floe::server::net {
namespace {

// After cancelling, running requests get this long to answer their client before the sockets
// are closed under them.
constexpr std::chrono::seconds kCancelGrace{2};

std::string PeerName(const sockaddr_storage& address, bool* is_loopback) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  *is_loopback = false;
  if (address.ss_family == AF_INET) {
    const auto& ipv4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &ipv4.sin_addr, host, sizeof(host));
    port = ntohs(ipv4.sin_port);
    *is_loopback = (ntohl(ipv4.sin_addr.s_addr) >> 24) == 127;
  } else if (address.ss_family == AF_INET6) {
    const auto& ipv6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &ipv6.sin6_addr, host, sizeof(host));
    port = ntohs(ipv6.sin6_port);
    *is_loopback = IN6_IS_ADDR_LOOPBACK(&ipv6.sin6_addr) != 0;
    if (IN6_IS_ADDR_V4MAPPED(&ipv6.sin6_addr)) {
      *is_loopback = ipv6.sin6_addr.s6_addr[12] == 127;
    }
  }
  return address.ss_family == AF_INET6 ? fmt::format("[{}]:{}", host, port)
                                       : fmt::format("{}:{}", host, port);
}

Result<int> BindListener(const std::string& address, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  int error =
      getaddrinfo(address.empty() ? nullptr : address.c_str(), service.c_str(), &hints, &found);
  if (error != 0) {
    return Status::InvalidArgument("cannot resolve listen address {}: {}", address,
                                   gai_strerror(error));
  }
  Status last = Status::IOError("no usable address for {}", address);
  for (addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    int fd = ::socket(entry->ai_family, entry->ai_socktype | SOCK_CLOEXEC, entry->ai_protocol);
    if (fd < 0) {
      continue;
    }
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (::bind(fd, entry->ai_addr, entry->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
      freeaddrinfo(found);
      return fd;
    }
    last = Status::IOError("cannot listen on {}:{}: {}", address, port, std::strerror(errno));
    ::close(fd);
  }
  freeaddrinfo(found);
  return last;
}

int BoundPort(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6&>(address).sin6_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in&>(address).sin_port);
}

}  // namespace

bool ConnectionControl::BecomeIdle() {
  is_busy_ = false;
  return !is_draining_;
}

void ConnectionControl::SetCanceller(std::function<void()> canceller) {
  std::lock_guard lock(mutex_);
  canceller_ = std::move(canceller);
}

bool ConnectionControl::Drain(Connection& connection) {
  is_draining_ = true;
  if (!is_busy_) {
    connection.Shutdown();
    return true;
  }
  return false;
}

void ConnectionControl::Cancel(Connection& connection) {
  std::lock_guard lock(mutex_);
  if (canceller_) {
    canceller_();
  }
}

Result<std::unique_ptr<TcpServer>> TcpServer::Start(TcpServerOptions options, Handler handler,
                                                    Rejecter reject) {
  FLOE_ASSIGN_OR_RETURN(int fd, BindListener(options.address, options.port));
  std::unique_ptr<TcpServer> server(
      new TcpServer(std::move(options), std::move(handler), std::move(reject)));
  server->listen_fd_ = fd;
  server->port_ = BoundPort(fd);
  server->wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (server->wake_fd_ < 0) {
    return Status::IOError("eventfd failed: {}", std::strerror(errno));
  }
  server->accept_thread_ = std::thread([raw = server.get()] { raw->AcceptLoop(); });
  return server;
}

TcpServer::~TcpServer() {
  Shutdown(std::chrono::milliseconds(0));
}

void TcpServer::AcceptLoop() {
  while (!is_stopping_) {
    pollfd entries[2] = {{.fd = listen_fd_, .events = POLLIN, .revents = 0},
                         {.fd = wake_fd_, .events = POLLIN, .revents = 0}};
    int ready = ::poll(entries, 2, 1000);
    ReapFinished();
    if (ready <= 0 || is_stopping_ || (entries[0].revents & POLLIN) == 0) {
      continue;
    }
    sockaddr_storage address{};
    socklen_t size = sizeof(address);
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size,
                       SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        FLOE_LOG_WARN("out of file descriptors; not accepting", {"server", options_.name});
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      continue;
    }
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    bool is_loopback = false;
    std::string peer = PeerName(address, &is_loopback);
    auto connection = std::make_unique<Connection>(fd, peer, is_loopback);
    if (active_.load() >= options_.max_connections) {
      ++rejected_;
      FLOE_LOG_WARN("connection refused: too many connections", {"server", options_.name},
                    {"peer", peer}, {"max_connections", options_.max_connections});
      if (reject_) {
        reject_(*connection);
      }
      continue;
    }
    ++accepted_;
    ++active_;
    std::lock_guard lock(mutex_);
    Slot& slot = slots_.emplace_back();
    slot.connection = std::move(connection);
    slot.thread = std::thread([this, raw = &slot] { Serve(raw); });
  }
}

void TcpServer::Serve(Slot* slot) {
  handler_(*slot->connection, slot->control);
  slot->connection->Shutdown();
  std::lock_guard lock(mutex_);
  slot->is_done = true;
  --active_;
  finished_.notify_all();
}

void TcpServer::ReapFinished() {
  std::list<Slot> done;
  {
    std::lock_guard lock(mutex_);
    for (auto it = slots_.begin(); it != slots_.end();) {
      auto next = std::next(it);
      if (it->is_done) {
        done.splice(done.end(), slots_, it);
      }
      it = next;
    }
  }
  for (Slot& slot : done) {
    slot.thread.join();
  }
}

void TcpServer::Shutdown(std::chrono::milliseconds grace) {
  if (is_shut_down_) {
    return;
  }
  is_shut_down_ = true;
  is_stopping_ = true;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t written = ::write(wake_fd_, &one, sizeof(one));
  if (accept_thread_.joinable()) {
    accept_thread_.join();
  }
  ::close(listen_fd_);
  ::close(wake_fd_);
  std::unique_lock lock(mutex_);
  for (Slot& slot : slots_) {
    if (!slot.is_done) {
      slot.control.Drain(*slot.connection);
    }
  }
  auto all_done = [this] { return active_.load() == 0; };
  if (!finished_.wait_for(lock, grace, all_done)) {
    FLOE_LOG_WARN("cancelling running requests at shutdown", {"server", options_.name},
                  {"active", active_.load()});
    for (Slot& slot : slots_) {
      if (!slot.is_done) {
        slot.control.Cancel(*slot.connection);
      }
    }
    if (!finished_.wait_for(lock, kCancelGrace, all_done)) {
      for (Slot& slot : slots_) {
        if (!slot.is_done) {
          slot.connection->Shutdown();
        }
      }
      finished_.wait(lock, all_done);
    }
  }
  std::list<Slot> slots = std::move(slots_);
  lock.unlock();
  for (Slot& slot : slots) {
    slot.thread.join();
  }
}

}  // namespace floe::server::net
