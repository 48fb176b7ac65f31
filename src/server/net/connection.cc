#include "server/net/connection.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/net/tls_context.h"

namespace floe::server::net {
namespace {

constexpr size_t kBufferSize = 16 * 1024;

int MillisUntil(Deadline deadline) {
  if (deadline == Deadline::max()) {
    return -1;
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, 1'000'000));
}

}  // namespace

Connection::Connection(int fd, std::string peer, bool is_loopback)
    : fd_(fd),
      peer_(std::move(peer)),
      is_loopback_(is_loopback),
      buffer_(std::make_unique<char[]>(kBufferSize)) {}

Connection::~Connection() {
  if (ssl_ != nullptr) {
    if (!is_shut_down_) {
      SSL_shutdown(ssl_);  // Best effort close_notify; the socket is non-blocking.
    }
    SSL_free(ssl_);
  }
  ::close(fd_);
}

void Connection::Shutdown() {
  is_shut_down_ = true;
  ::shutdown(fd_, SHUT_RDWR);
}

Status Connection::Wait(bool for_write, Deadline deadline) {
  while (true) {
    if (is_shut_down_) {
      return Status::IOError("connection from {} was shut down", peer_);
    }
    pollfd entry{
        .fd = fd_, .events = static_cast<short>(for_write ? POLLOUT : POLLIN), .revents = 0};
    int timeout = MillisUntil(deadline);
    int ready = ::poll(&entry, 1, timeout);
    if (ready > 0) {
      return Status::OK();
    }
    if (ready == 0) {
      return Status::Timeout("connection from {} timed out", peer_);
    }
    if (errno != EINTR) {
      return Status::IOError("poll failed on connection from {}: {}", peer_, std::strerror(errno));
    }
  }
}

Result<size_t> Connection::ReadRaw(char* data, size_t size, Deadline deadline) {
  while (true) {
    if (is_shut_down_) {
      return Status::IOError("connection from {} was shut down", peer_);
    }
    if (ssl_ != nullptr) {
      ERR_clear_error();
      int read = SSL_read(ssl_, data, static_cast<int>(std::min<size_t>(size, 1 << 30)));
      if (read > 0) {
        return static_cast<size_t>(read);
      }
      int error = SSL_get_error(ssl_, read);
      if (error == SSL_ERROR_ZERO_RETURN) {
        return size_t{0};
      }
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        FLOE_RETURN_NOT_OK(Wait(error == SSL_ERROR_WANT_WRITE, deadline));
        continue;
      }
      if (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        return size_t{0};  // The peer closed without close_notify.
      }
      return Status::IOError("TLS read failed on connection from {}", peer_);
    }
    ssize_t read = ::recv(fd_, data, size, 0);
    if (read >= 0) {
      return static_cast<size_t>(read);
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      FLOE_RETURN_NOT_OK(Wait(false, deadline));
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == ECONNRESET) {
      return size_t{0};
    }
    return Status::IOError("read failed on connection from {}: {}", peer_, std::strerror(errno));
  }
}

Result<size_t> Connection::Read(std::span<char> buffer, Deadline deadline) {
  if (buffer.empty()) {
    return size_t{0};
  }
  if (buffered() == 0) {
    // Large reads go straight to the caller; small ones refill the buffer.
    if (buffer.size() >= kBufferSize) {
      FLOE_ASSIGN_OR_RETURN(size_t read, ReadRaw(buffer.data(), buffer.size(), deadline));
      bytes_read_ += static_cast<int64_t>(read);
      return read;
    }
    FLOE_ASSIGN_OR_RETURN(size_t read, ReadRaw(buffer_.get(), kBufferSize, deadline));
    bytes_read_ += static_cast<int64_t>(read);
    buffer_begin_ = 0;
    buffer_end_ = read;
    if (read == 0) {
      return size_t{0};
    }
  }
  size_t count = std::min(buffer.size(), buffered());
  std::memcpy(buffer.data(), buffer_.get() + buffer_begin_, count);
  buffer_begin_ += count;
  return count;
}

Status Connection::ReadExact(std::span<char> buffer, Deadline deadline) {
  size_t done = 0;
  while (done < buffer.size()) {
    FLOE_ASSIGN_OR_RETURN(size_t read, Read(buffer.subspan(done), deadline));
    if (read == 0) {
      return Status::IOError("connection from {} closed in the middle of a message", peer_);
    }
    done += read;
  }
  return Status::OK();
}

Result<size_t> Connection::WriteRaw(const char* data, size_t size, Deadline deadline) {
  while (true) {
    if (is_shut_down_) {
      return Status::IOError("connection from {} was shut down", peer_);
    }
    if (ssl_ != nullptr) {
      ERR_clear_error();
      int written = SSL_write(ssl_, data, static_cast<int>(std::min<size_t>(size, 1 << 30)));
      if (written > 0) {
        return static_cast<size_t>(written);
      }
      int error = SSL_get_error(ssl_, written);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        FLOE_RETURN_NOT_OK(Wait(error == SSL_ERROR_WANT_WRITE, deadline));
        continue;
      }
      return Status::IOError("TLS write failed on connection from {}", peer_);
    }
    ssize_t written = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (written >= 0) {
      return static_cast<size_t>(written);
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      FLOE_RETURN_NOT_OK(Wait(true, deadline));
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    return Status::IOError("write failed on connection from {}: {}", peer_, std::strerror(errno));
  }
}

Status Connection::WriteAll(std::string_view data, Deadline deadline) {
  while (!data.empty()) {
    FLOE_ASSIGN_OR_RETURN(size_t written, WriteRaw(data.data(), data.size(), deadline));
    bytes_written_ += static_cast<int64_t>(written);
    data.remove_prefix(written);
  }
  return Status::OK();
}

Status Connection::StartTls(const TlsContext& context, Deadline deadline) {
  if (buffered() != 0) {
    return Status::InvalidArgument("connection from {} sent unencrypted data after requesting TLS",
                                   peer_);
  }
  ssl_ = SSL_new(context.native());
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    return Status::Internal("cannot set up TLS on connection from {}", peer_);
  }
  while (true) {
    ERR_clear_error();
    int done = SSL_accept(ssl_);
    if (done == 1) {
      return Status::OK();
    }
    int error = SSL_get_error(ssl_, done);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      FLOE_RETURN_NOT_OK(Wait(error == SSL_ERROR_WANT_WRITE, deadline));
      continue;
    }
    char text[256] = "connection closed";
    if (unsigned long code = ERR_get_error(); code != 0) {
      ERR_error_string_n(code, text, sizeof(text));
    }
    SSL_free(ssl_);
    ssl_ = nullptr;
    return Status::IOError("TLS handshake with {} failed: {}", peer_, text);
  }
}

}  // namespace floe::server::net
