#include "io/s3/s3_file_system.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/file_system_registry.h"
#include "testing/s3_server.h"
#include "unit/io/file_system_test_suite.h"

namespace floe::io {
namespace {

using floe::testing::S3Server;
using floe::testing::S3ServerEnvironment;

constexpr const char* kBucket = "floe-test";

// One s3rver for the whole binary, stopped after the last test whatever the outcome.
::testing::Environment* const kServerEnvironment =
    ::testing::AddGlobalTestEnvironment(new S3ServerEnvironment(kBucket));

S3Options OptionsFor(const S3Server& server) {
  S3Options options;
  options.endpoint = server.endpoint();
  options.access_key_id = S3Server::kAccessKeyId;
  options.secret_access_key = S3Server::kSecretAccessKey;
  options.retry_base_delay = std::chrono::milliseconds(10);
  return options;
}

// Returns a key prefix no other test uses, so that every test starts from an empty listing.
std::string UniquePrefix() {
  static std::atomic<int> counter{0};
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = test == nullptr ? "test" : test->name();
  return name + "-" + std::to_string(counter++);
}

class S3Backend {
 public:
  // s3rver ignores If-None-Match on PUT; see S3FileSystem for what that means for commits.
  static constexpr bool kHonoursConditionalCreate = false;

  S3Backend() {
    S3Server* server = S3ServerEnvironment::server();
    if (server == nullptr) {
      return;
    }
    auto file_system = S3FileSystem::Make(OptionsFor(*server));
    if (file_system.ok()) {
      file_system_ = std::move(file_system).value();
      root_ = std::string("s3://") + kBucket + "/" + UniquePrefix();
    }
  }
  FileSystem& file_system() { return *file_system_; }
  const std::string& root() const { return root_; }

 private:
  std::unique_ptr<S3FileSystem> file_system_;
  std::string root_;
};

INSTANTIATE_TYPED_TEST_SUITE_P(S3, FileSystemTest, ::testing::Types<S3Backend>);

class S3FileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(S3ServerEnvironment::server(), nullptr);
    root_ = std::string("s3://") + kBucket + "/" + UniquePrefix() + "/";
  }

  std::unique_ptr<S3FileSystem> Make(S3Options options) {
    auto file_system = S3FileSystem::Make(std::move(options));
    EXPECT_TRUE(file_system.ok()) << file_system.status().ToString();
    return file_system.ok() ? std::move(file_system).value() : nullptr;
  }
  std::unique_ptr<S3FileSystem> Make() { return Make(OptionsFor(*S3ServerEnvironment::server())); }

  std::string root_;
};

std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t index = 0; index < size; ++index) {
    bytes[index] = static_cast<char>((index * 31 + index / 4099) & 0xff);
  }
  return bytes;
}

TEST_F(S3FileSystemTest, MultipartUploadOfAnObjectLargerThanThePartSize) {
  S3Options options = OptionsFor(*S3ServerEnvironment::server());
  options.part_size = int64_t{5} << 20;
  auto file_system = Make(options);
  std::string content = Pattern((size_t{12} << 20) + 12345);
  std::string path = root_ + "big.parquet";
  auto stream = file_system->OpenOutputStream(path);
  ASSERT_TRUE(stream.ok());
  for (size_t offset = 0; offset < content.size(); offset += 1 << 20) {
    std::string_view chunk = std::string_view(content).substr(offset, 1 << 20);
    ASSERT_TRUE((*stream)->Write(AsBytes(chunk)).ok());
    // Until Close, the parts uploaded so far stay invisible.
    EXPECT_FALSE(file_system->Exists(path).ValueOr(true));
  }
  EXPECT_EQ((*stream)->Tell(), static_cast<int64_t>(content.size()));
  ASSERT_TRUE((*stream)->Close().ok());
  EXPECT_EQ(file_system->Stat(path)->size, static_cast<int64_t>(content.size()));
  auto file = file_system->OpenInputFile(path);
  ASSERT_TRUE(file.ok());
  size_t boundary = size_t{5} << 20;
  EXPECT_EQ((*file)->ReadAt(boundary - 3, 6).ValueOr("?"), content.substr(boundary - 3, 6));
  EXPECT_EQ((*file)->ReadAt(content.size() - 1, 1).ValueOr("?"),
            content.substr(content.size() - 1));
  EXPECT_TRUE(file_system->ReadAll(path).ValueOr("") == content);
}

TEST_F(S3FileSystemTest, AbortedMultipartUploadLeavesNoObject) {
  S3Options options = OptionsFor(*S3ServerEnvironment::server());
  options.part_size = int64_t{5} << 20;
  auto file_system = Make(options);
  std::string path = root_ + "aborted";
  auto stream = file_system->OpenOutputStream(path);
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Write(AsBytes(Pattern(size_t{6} << 20))).ok());
  // s3rver does not implement AbortMultipartUpload (405); the object must not appear either way.
  (void)(*stream)->Abort();
  EXPECT_EQ((*stream)->Close().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(file_system->Exists(path).ValueOr(true));
}

TEST_F(S3FileSystemTest, ListFollowsContinuationTokensAcrossPages) {
  S3Options options = OptionsFor(*S3ServerEnvironment::server());
  options.max_keys_per_list_page = 2;
  auto file_system = Make(options);
  std::vector<std::string> expected;
  for (int index = 0; index < 7; ++index) {
    expected.push_back(root_ + "part-" + std::to_string(index));
    ASSERT_TRUE(file_system->CreateExclusive(expected.back(), std::string(index, 'x')).ok());
  }
  auto infos = file_system->List(root_);
  ASSERT_TRUE(infos.ok()) << infos.status().ToString();
  ASSERT_EQ(infos->size(), expected.size());
  for (size_t index = 0; index < expected.size(); ++index) {
    EXPECT_EQ((*infos)[index].path, expected[index]);
    EXPECT_EQ((*infos)[index].size, static_cast<int64_t>(index));
  }
}

TEST_F(S3FileSystemTest, DeleteFilesBatchesFifteenHundredKeys) {
  auto file_system = Make();
  constexpr int kKeys = 1500;
  std::vector<std::string> paths;
  for (int index = 0; index < kKeys; ++index) {
    paths.push_back(root_ + "f" + std::to_string(index));
  }
  std::atomic<int> num_failures{0};
  std::vector<std::thread> writers;
  for (int thread = 0; thread < 8; ++thread) {
    writers.emplace_back([&, thread] {
      for (int index = thread; index < kKeys; index += 8) {
        if (!file_system->CreateExclusive(paths[index], "x").ok()) {
          ++num_failures;
        }
      }
    });
  }
  for (std::thread& writer : writers) {
    writer.join();
  }
  ASSERT_EQ(num_failures.load(), 0);
  ASSERT_EQ(file_system->List(root_)->size(), static_cast<size_t>(kKeys));
  paths.push_back(root_ + "never-written");
  ASSERT_TRUE(file_system->DeleteFiles(paths).ok());
  EXPECT_TRUE(file_system->List(root_)->empty());
}

TEST_F(S3FileSystemTest, AlternativeSchemesNameTheSameObjects) {
  auto file_system = Make();
  ASSERT_TRUE(file_system->CreateExclusive(root_ + "x", "abc").ok());
  std::string s3a_root = "s3a" + root_.substr(2);
  EXPECT_EQ(file_system->ReadAll(s3a_root + "x").ValueOr("?"), "abc");
  auto infos = file_system->List(s3a_root);
  ASSERT_TRUE(infos.ok());
  ASSERT_EQ(infos->size(), 1u);
  EXPECT_EQ((*infos)[0].path, s3a_root + "x");
  EXPECT_EQ(file_system->OpenInputFile("gs://bucket/x").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(S3FileSystemTest, ListOfABucketWithoutSlashAnswersWithFullPaths) {
  auto file_system = Make();
  ASSERT_TRUE(file_system->CreateExclusive(root_ + "y", "1").ok());
  auto infos = file_system->List(std::string("s3://") + kBucket);
  ASSERT_TRUE(infos.ok());
  bool is_found = false;
  for (const FileInfo& info : *infos) {
    is_found = is_found || info.path == root_ + "y";
  }
  EXPECT_TRUE(is_found);
}

TEST_F(S3FileSystemTest, UnknownAccessKeyIsPermissionDenied) {
  S3Options options = OptionsFor(*S3ServerEnvironment::server());
  options.access_key_id = "NOT-A-KEY";
  auto file_system = Make(options);
  Status read = file_system->ReadAll(root_ + "x").status();
  EXPECT_EQ(read.code(), StatusCode::kPermissionDenied) << read.ToString();
  EXPECT_NE(read.message().find("InvalidAccessKeyId"), std::string_view::npos);
  EXPECT_EQ(file_system->List(root_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(file_system->CreateExclusive(root_ + "x", "1").code(), StatusCode::kPermissionDenied);
}

TEST_F(S3FileSystemTest, MissingBucketIsNotFound) {
  auto file_system = Make();
  EXPECT_EQ(file_system->ReadAll("s3://no-such-bucket/x").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(file_system->Stat("s3://no-such-bucket/x").status().code(), StatusCode::kNotFound);
}

TEST_F(S3FileSystemTest, KeysWithSpecialCharactersRoundTrip) {
  auto file_system = Make();
  std::string path = root_ + "dt=2024-01-01 00:00/a+b&c=d%e.parquet";
  ASSERT_TRUE(file_system->CreateExclusive(path, "special").ok());
  EXPECT_EQ(file_system->ReadAll(path).ValueOr("?"), "special");
  auto infos = file_system->List(root_ + "dt=");
  ASSERT_TRUE(infos.ok());
  ASSERT_EQ(infos->size(), 1u);
  EXPECT_EQ((*infos)[0].path, path);
}

TEST_F(S3FileSystemTest, RegistryServesEverySchemeSpelling) {
  FileSystemRegistry registry;
  ASSERT_TRUE(RegisterS3FileSystem(registry, OptionsFor(*S3ServerEnvironment::server())).ok());
  auto s3 = registry.Resolve("s3://b/k");
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(registry.Resolve("s3a://b/k").ValueOr(nullptr), *s3);
  EXPECT_EQ(registry.Resolve("s3n://b/k").ValueOr(nullptr), *s3);
  S3Options bad;
  bad.part_size = 1;
  EXPECT_EQ(RegisterS3FileSystem(registry, bad).code(), StatusCode::kInvalidArgument);
}

// Answers each connection with the next scripted response, then closes it.
class ScriptedHttpServer {
 public:
  explicit ScriptedHttpServer(std::vector<std::string> responses)
      : responses_(std::move(responses)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length);
    ::listen(listener_, 16);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;
  ~ScriptedHttpServer() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int num_requests() const { return num_requests_.load(); }

 private:
  void Serve() {
    while (true) {
      int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) {
        return;
      }
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t received = ::recv(connection, buffer, sizeof(buffer), 0);
        if (received <= 0) {
          break;
        }
        request.append(buffer, static_cast<size_t>(received));
      }
      size_t index = static_cast<size_t>(num_requests_++);
      const std::string& response = responses_[std::min(index, responses_.size() - 1)];
      ::send(connection, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(connection);
    }
  }

  std::vector<std::string> responses_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> num_requests_{0};
  std::thread thread_;
};

std::string SlowDownResponse() {
  std::string body =
      "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
      "<RequestId>R1</RequestId></Error>";
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

std::string HelloResponse() {
  return "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
}

S3Options FaultOptions(const std::string& endpoint, int max_retries) {
  S3Options options;
  options.endpoint = endpoint;
  options.access_key_id = "AKID";
  options.secret_access_key = "secret";
  options.max_retries = max_retries;
  options.retry_base_delay = std::chrono::milliseconds(1);
  options.retry_max_delay = std::chrono::milliseconds(5);
  return options;
}

TEST(S3RetryTest, RetriesA503AndSucceeds) {
  ScriptedHttpServer server({SlowDownResponse(), SlowDownResponse(), HelloResponse()});
  auto file_system = S3FileSystem::Make(FaultOptions(server.endpoint(), 3));
  ASSERT_TRUE(file_system.ok());
  EXPECT_EQ((*file_system)->ReadAll("s3://bucket/key").ValueOr("?"), "hello");
  EXPECT_EQ(server.num_requests(), 3);
}

TEST(S3RetryTest, GivesUpAfterMaxRetriesWithTheS3Error) {
  ScriptedHttpServer server({SlowDownResponse()});
  auto file_system = S3FileSystem::Make(FaultOptions(server.endpoint(), 2));
  ASSERT_TRUE(file_system.ok());
  Status status = (*file_system)->ReadAll("s3://bucket/key").status();
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("HTTP 503 SlowDown: Please reduce your request rate. (request "
                                  "id R1)"),
            std::string_view::npos)
      << status.ToString();
  EXPECT_EQ(server.num_requests(), 3);
}

TEST(S3RetryTest, DoesNotRetryClientErrors) {
  std::string body = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
  ScriptedHttpServer server({"HTTP/1.1 403 Forbidden\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body});
  auto file_system = S3FileSystem::Make(FaultOptions(server.endpoint(), 3));
  ASSERT_TRUE(file_system.ok());
  EXPECT_EQ((*file_system)->ReadAll("s3://bucket/key").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(server.num_requests(), 1);
}

TEST(S3RetryTest, RefusedConnectionIsUnavailableAfterRetries) {
  int port = 0;
  {
    ScriptedHttpServer closed({HelloResponse()});
    port = std::stoi(closed.endpoint().substr(closed.endpoint().rfind(':') + 1));
  }
  auto file_system =
      S3FileSystem::Make(FaultOptions("http://127.0.0.1:" + std::to_string(port), 2));
  ASSERT_TRUE(file_system.ok());
  EXPECT_EQ((*file_system)->Stat("s3://bucket/key").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace floe::io
