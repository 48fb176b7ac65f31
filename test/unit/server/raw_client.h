#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace floe::server::test {

/// A plain TCP client on loopback for feeding a server exact, possibly hostile, bytes.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    is_connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { Close(); }

  bool is_connected() const { return is_connected_; }
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }
  /// Reads until the peer closes or `timeout` passes; returns what arrived.
  std::string ReadAll(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return out;
      }
      pollfd entry{.fd = fd_, .events = POLLIN, .revents = 0};
      if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) {
        return out;
      }
      char buffer[65536];
      ssize_t read = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (read <= 0) {
        is_closed_by_peer_ = true;
        return out;
      }
      out.append(buffer, static_cast<size_t>(read));
    }
  }
  /// Reads until `marker` appears, the peer closes, or `timeout` passes.
  std::string ReadUntil(std::string_view marker,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.find(marker) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd entry{.fd = fd_, .events = POLLIN, .revents = 0};
      if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) {
        break;
      }
      char buffer[65536];
      ssize_t read = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (read <= 0) {
        is_closed_by_peer_ = true;
        break;
      }
      out.append(buffer, static_cast<size_t>(read));
    }
    return out;
  }
  bool is_closed_by_peer() const { return is_closed_by_peer_; }
  void Close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_ = -1;
  bool is_connected_ = false;
  bool is_closed_by_peer_ = false;
};

}  // namespace floe::server::test
