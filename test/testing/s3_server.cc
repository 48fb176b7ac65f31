#include "testing/s3_server.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace floe::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(20);

std::unique_ptr<S3Server>& GlobalServer() {
  static std::unique_ptr<S3Server> server;
  return server;
}

sockaddr_in LoopbackAddress(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Returns a port that was free a moment ago; the server binds it soon after.
Result<int> FreeLoopbackPort() {
  int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = LoopbackAddress(0);
  socklen_t length = sizeof(address);
  if (socket_fd < 0 || ::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (socket_fd >= 0) {
      ::close(socket_fd);
    }
    return Status::Unavailable("no free loopback port");
  }
  ::close(socket_fd);
  return static_cast<int>(ntohs(address.sin_port));
}

bool AcceptsConnections(int port) {
  int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = LoopbackAddress(port);
  bool is_connected =
      ::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(socket_fd);
  return is_connected;
}

[[noreturn]] void RunServer(const std::string& script, const std::string& directory, int port,
                            const std::string& bucket) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  int null_fd = ::open("/dev/null", O_WRONLY);
  ::dup2(null_fd, STDOUT_FILENO);
  std::string port_text = std::to_string(port);
  // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its
  // legacy provider; without it every listing of more than one page fails with HTTP 500.
  const char* arguments[] = {"node",
                             "--openssl-legacy-provider",
                             script.c_str(),
                             "-d",
                             directory.c_str(),
                             "-p",
                             port_text.c_str(),
                             "-a",
                             "127.0.0.1",
                             "--silent",
                             "--configure-bucket",
                             bucket.c_str(),
                             nullptr};
  ::execvp("node", const_cast<char* const*>(arguments));
  ::_exit(127);
}

void Stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  for (int wait = 0; wait < 50; ++wait) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

Result<std::unique_ptr<S3Server>> S3Server::Start(const std::string& bucket) {
  std::string script = std::string(FLOE_SOURCE_DIR) + "/node_modules/s3rver/bin/s3rver.js";
  if (!std::filesystem::exists(script)) {
    return Status::Unavailable("s3rver is not installed: {}", script);
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "floe-s3rver-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::IOError("cannot create a folder for s3rver");
  }
  FLOE_ASSIGN_OR_RETURN(int port, FreeLoopbackPort());
  pid_t pid = ::fork();
  if (pid == 0) {
    RunServer(script, pattern, port, bucket);
  }
  std::unique_ptr<S3Server> server(new S3Server(pid, port, bucket, pattern));
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!AcceptsConnections(port)) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {
      server->pid_ = -1;
      return Status::Unavailable("s3rver exited at start (is node installed?)");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable("s3rver did not accept connections on port {}", port);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return server;
}

S3Server::S3Server(pid_t pid, int port, std::string bucket, std::string directory)
    : pid_(pid), port_(port), bucket_(std::move(bucket)), directory_(std::move(directory)) {}

S3Server::~S3Server() {
  if (pid_ > 0) {
    Stop(pid_);
  }
  std::error_code error;
  std::filesystem::remove_all(directory_, error);
}

std::string S3Server::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void S3ServerEnvironment::SetUp() {
  Result<std::unique_ptr<S3Server>> server = S3Server::Start(bucket_);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  GlobalServer() = std::move(server).value();
}

void S3ServerEnvironment::TearDown() {
  GlobalServer().reset();
}

S3Server* S3ServerEnvironment::server() {
  return GlobalServer().get();
}

}  // namespace floe::testing
