#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <sys/types.h>

#include "common/result.h"

namespace floe::testing {

/// Runs s3rver (from the npm packages of the source tree) on a free loopback port, with one
/// bucket, for as long as this object lives.
///
/// s3rver checks that the access key id is known ("S3RVER") but does not verify SigV4
/// signatures, and ignores If-None-Match on PUT. The server process dies with this object, and
/// also with the test process if that crashes (it is started with a parent-death signal).
class S3Server {
 public:
  static constexpr const char* kAccessKeyId = "S3RVER";
  static constexpr const char* kSecretAccessKey = "S3RVER";

  /// Starts the server with `bucket` and waits until it accepts connections; Unavailable when
  /// node or s3rver is missing or the server does not come up within 20 seconds.
  static Result<std::unique_ptr<S3Server>> Start(const std::string& bucket);
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;
  /// Stops the server and removes its data folder.
  ~S3Server();

  /// Returns "http://127.0.0.1:<port>".
  std::string endpoint() const;
  int port() const { return port_; }
  const std::string& bucket() const { return bucket_; }

 private:
  S3Server(pid_t pid, int port, std::string bucket, std::string directory);

  pid_t pid_;
  int port_;
  std::string bucket_;
  std::string directory_;
};

/// Starts one S3Server for a whole test binary: register it with
/// ::testing::AddGlobalTestEnvironment (it is then stopped after the last test, also when tests
/// fail) and reach it with S3ServerEnvironment::server().
class S3ServerEnvironment : public ::testing::Environment {
 public:
  explicit S3ServerEnvironment(std::string bucket) : bucket_(std::move(bucket)) {}

  void SetUp() override;
  void TearDown() override;

  /// Returns the running server; null before SetUp or when it failed to start.
  static S3Server* server();

 private:
  std::string bucket_;
};

}  // namespace floe::testing
