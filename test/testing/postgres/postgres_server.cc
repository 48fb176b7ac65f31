#include "testing/postgres/postgres_server.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace floe::test {
namespace {

constexpr std::string_view kUser = "floe";
constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);

// Who a child process runs as: the `postgres` system user when the test runs as root.
struct Identity {
  bool is_switching = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<Identity> ServerIdentity() {
  if (geteuid() != 0) {
    return Identity{};
  }
  struct passwd* entry = getpwnam("postgres");
  if (entry == nullptr) {
    return Status::NotFound("running as root needs a postgres system user to run the server");
  }
  return Identity{true, entry->pw_uid, entry->pw_gid};
}

// Runs in the forked child only: sets up output and identity, then replaces the process.
[[noreturn]] void ExecChild(const std::vector<std::string>& arguments, const Identity& identity,
                            const std::string& log_path, bool is_server, pid_t parent) {
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log >= 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    close(log);
  }
  if (identity.is_switching &&
      (setgroups(0, nullptr) != 0 || setgid(identity.gid) != 0 || setuid(identity.uid) != 0)) {
    _exit(126);
  }
  // Set after the change of user, which clears it; stops the server if the test process dies.
  if (is_server && (prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || getppid() != parent)) {
    _exit(126);
  }
  std::vector<char*> argv;
  for (const std::string& argument : arguments) {
    argv.push_back(const_cast<char*>(argument.c_str()));
  }
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

Result<pid_t> Spawn(const std::vector<std::string>& arguments, const Identity& identity,
                    const std::string& log_path, bool is_server) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    return Status::Unavailable("cannot fork to run {}", arguments[0]);
  }
  if (pid == 0) {
    ExecChild(arguments, identity, log_path, is_server, parent);
  }
  return pid;
}

std::string ReadLog(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// Runs a program to completion; Unavailable with its output when it fails.
Status RunProgram(const std::vector<std::string>& arguments, const Identity& identity,
                  const std::string& log_path) {
  FLOE_ASSIGN_OR_RETURN(pid_t pid, Spawn(arguments, identity, log_path, false));
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Unavailable("{} failed: {}", arguments[0], ReadLog(log_path));
  }
  return Status::OK();
}

bool HasInitdb(const std::string& directory) {
  return !directory.empty() && access((directory + "/initdb").c_str(), X_OK) == 0;
}

std::string PgConfigBinDirectory() {
  FILE* pipe = popen("pg_config --bindir 2>/dev/null", "r");
  if (pipe == nullptr) {
    return {};
  }
  char buffer[4096] = {};
  std::string output = fgets(buffer, sizeof(buffer), pipe) ? buffer : "";
  pclose(pipe);
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) {
    output.pop_back();
  }
  return output;
}

// Debian installs each major version side by side; the newest wins.
std::string NewestInstalledBinDirectory() {
  glob_t matches{};
  std::string newest;
  double newest_version = -1;
  if (glob("/usr/lib/postgresql/*/bin", 0, nullptr, &matches) == 0) {
    for (size_t index = 0; index < matches.gl_pathc; ++index) {
      std::filesystem::path path(matches.gl_pathv[index]);
      double version = std::atof(path.parent_path().filename().c_str());
      if (version > newest_version && HasInitdb(path.string())) {
        newest_version = version;
        newest = path.string();
      }
    }
  }
  globfree(&matches);
  return newest;
}

Result<std::string> FindBinDirectory() {
  const char* configured = std::getenv("FLOE_POSTGRES_BIN");
  if (configured != nullptr && HasInitdb(configured)) {
    return std::string(configured);
  }
  if (std::string directory = PgConfigBinDirectory(); HasInitdb(directory)) {
    return directory;
  }
  if (std::string directory = NewestInstalledBinDirectory(); !directory.empty()) {
    return directory;
  }
  return Status::NotFound("no PostgreSQL server installed (initdb not found)");
}

Result<int> FreeLoopbackPort() {
  int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) {
    return Status::Unavailable("cannot open a socket to find a free port");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bool is_bound = bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(socket_fd);
  if (!is_bound) {
    return Status::Unavailable("cannot find a free loopback port");
  }
  return static_cast<int>(ntohs(address.sin_port));
}

Result<std::string> MakeRoot() {
  std::string pattern = (std::filesystem::temp_directory_path() / "floe-postgres-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::Unavailable("cannot create a temporary folder for PostgreSQL");
  }
  // The server's user must reach the data folder inside.
  chmod(pattern.c_str(), 0755);
  return pattern;
}

}  // namespace

PostgresServer::PostgresServer(std::string bin_directory, std::string root)
    : bin_directory_(std::move(bin_directory)), root_(std::move(root)) {}

Result<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  FLOE_ASSIGN_OR_RETURN(std::string bin_directory, FindBinDirectory());
  FLOE_ASSIGN_OR_RETURN(std::string root, MakeRoot());
  std::unique_ptr<PostgresServer> server(new PostgresServer(bin_directory, root));
  FLOE_RETURN_NOT_OK(server->Initialize());
  FLOE_ASSIGN_OR_RETURN(server->port_, FreeLoopbackPort());
  FLOE_RETURN_NOT_OK(server->Launch());
  return server;
}

PostgresServer::~PostgresServer() {
  (void)Stop();
  std::error_code error;
  std::filesystem::remove_all(root_, error);
}

std::string PostgresServer::PathOf(std::string_view name) const {
  return root_ + "/" + std::string(name);
}

Status PostgresServer::Initialize() {
  FLOE_ASSIGN_OR_RETURN(Identity identity, ServerIdentity());
  std::string data = PathOf("data");
  if (mkdir(data.c_str(), 0700) != 0) {
    return Status::Unavailable("cannot create {}", data);
  }
  if (identity.is_switching && chown(data.c_str(), identity.uid, identity.gid) != 0) {
    return Status::Unavailable("cannot hand {} to the postgres user", data);
  }
  return RunProgram({bin_directory_ + "/initdb", "-D", data, "-U", std::string(kUser),
                     "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"},
                    identity, PathOf("initdb.log"));
}

Status PostgresServer::Launch() {
  FLOE_ASSIGN_OR_RETURN(Identity identity, ServerIdentity());
  std::string data = PathOf("data");
  // Test data need not survive a power loss; without fsync, CREATE DATABASE stays fast on a
  // machine busy with other disk work.
  FLOE_ASSIGN_OR_RETURN(
      server_pid_, Spawn({bin_directory_ + "/postgres", "-D", data, "-p", std::to_string(port_),
                          "-c", "listen_addresses=127.0.0.1", "-k", data, "-c", "fsync=off", "-c",
                          "full_page_writes=off"},
                         identity, PathOf("server.log"), true));
  Status ready = WaitUntilReady();
  if (!ready.ok()) {
    (void)Stop();
  }
  return ready;
}

Status PostgresServer::WaitUntilReady() {
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(server_pid_, &status, WNOHANG) == server_pid_) {
      server_pid_ = -1;
      return Status::Unavailable("PostgreSQL exited while starting: {}",
                                 ReadLog(PathOf("server.log")));
    }
    Status probe = RunProgram({bin_directory_ + "/pg_isready", "-q", "-h", "127.0.0.1", "-p",
                               std::to_string(port_), "-U", std::string(kUser), "-d", "postgres"},
                              Identity{}, PathOf("pg_isready.log"));
    if (probe.ok()) {
      return Status::OK();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Unavailable("PostgreSQL did not become ready: {}", ReadLog(PathOf("server.log")));
}

Status PostgresServer::Stop() {
  if (server_pid_ < 0) {
    return Status::OK();
  }
  // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, data stays consistent.
  kill(server_pid_, SIGINT);
  auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  int status = 0;
  while (waitpid(server_pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(server_pid_, SIGKILL);
      waitpid(server_pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server_pid_ = -1;
  return Status::OK();
}

Status PostgresServer::Restart() {
  FLOE_RETURN_NOT_OK(Stop());
  return Launch();
}

Result<std::string> PostgresServer::CreateDatabase(std::string_view name) {
  FLOE_RETURN_NOT_OK(
      RunProgram({bin_directory_ + "/createdb", "-h", "127.0.0.1", "-p", std::to_string(port_),
                  "-U", std::string(kUser), std::string(name)},
                 Identity{}, PathOf("createdb.log")));
  return UriOf(name);
}

std::string PostgresServer::UriOf(std::string_view database) const {
  return "postgresql://" + std::string(kUser) + "@127.0.0.1:" + std::to_string(port_) + "/" +
         std::string(database);
}

}  // namespace floe::test
