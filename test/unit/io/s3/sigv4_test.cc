#include "io/s3/sigv4.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace floe::io {
namespace {

// The worked examples of "Examples: Signature Calculations in AWS Signature Version 4" in the
// Amazon S3 API reference (sig-v4-header-based-auth), with the documented credentials.
constexpr const char* kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kTimestamp = "20130524T000000Z";

SigV4Signer ExampleSigner() {
  return SigV4Signer(
      AwsCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
      "us-east-1");
}

SigningRequest GetObjectExample() {
  return SigningRequest{"GET",
                        "/test.txt",
                        {},
                        {{"Host", "examplebucket.s3.amazonaws.com"},
                         {"Range", "bytes=0-9"},
                         {"x-amz-content-sha256", kEmptyHash},
                         {"x-amz-date", kTimestamp}},
                        kEmptyHash};
}

TEST(SigV4SignerTest, GetObjectExampleCanonicalRequest) {
  EXPECT_EQ(SigV4Signer::CanonicalRequest(GetObjectExample()),
            "GET\n"
            "/test.txt\n"
            "\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "range:bytes=0-9\n"
            "x-amz-content-sha256:"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n"
            "\n"
            "host;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4SignerTest, GetObjectExampleStringToSign) {
  SigV4Signer signer = ExampleSigner();
  EXPECT_EQ(signer.StringToSign(kTimestamp, SigV4Signer::CanonicalRequest(GetObjectExample())),
            "AWS4-HMAC-SHA256\n"
            "20130524T000000Z\n"
            "20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
}

TEST(SigV4SignerTest, GetObjectExampleAuthorization) {
  EXPECT_EQ(ExampleSigner().Authorization(GetObjectExample(), kTimestamp),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4SignerTest, PutObjectExample) {
  std::string body = "Welcome to Amazon S3.";
  std::string body_hash = Sha256Hex(body);
  EXPECT_EQ(body_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  SigningRequest request{"PUT",
                         "/" + UriEncode("test$file.text", true),
                         {},
                         {{"Host", "examplebucket.s3.amazonaws.com"},
                          {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                          {"x-amz-date", kTimestamp},
                          {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                          {"x-amz-content-sha256", body_hash}},
                         body_hash};
  EXPECT_EQ(request.canonical_uri, "/test%24file.text");
  EXPECT_EQ(ExampleSigner().Authorization(request, kTimestamp),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4SignerTest, ListObjectsExampleSortsAndEncodesTheQuery) {
  SigningRequest request{"GET",
                         "/",
                         {{"prefix", "J"}, {"max-keys", "2"}},
                         {{"Host", "examplebucket.s3.amazonaws.com"},
                          {"x-amz-date", kTimestamp},
                          {"x-amz-content-sha256", kEmptyHash}},
                         kEmptyHash};
  EXPECT_EQ(SigV4Signer::CanonicalRequest(request).substr(0, 26), "GET\n/\nmax-keys=2&prefix=J\n");
  EXPECT_EQ(ExampleSigner().Authorization(request, kTimestamp),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4SignerTest, SignAddsDateHashTokenAndAuthorization) {
  SigV4Signer signer(AwsCredentials{"AKID", "secret", "token"}, "eu-west-1");
  SigningRequest request{"GET", "/bucket/key", {}, {{"Host", "localhost:9000"}}, kEmptyHash};
  auto time = std::chrono::system_clock::from_time_t(1369353600);  // 2013-05-24T00:00:00Z.
  signer.Sign(request, time);
  ASSERT_EQ(request.headers.size(), 5u);
  EXPECT_EQ(request.headers[1], (std::pair<std::string, std::string>{"x-amz-date", kTimestamp}));
  EXPECT_EQ(request.headers[2].second, kEmptyHash);
  EXPECT_EQ(request.headers[3],
            (std::pair<std::string, std::string>{"x-amz-security-token", "token"}));
  EXPECT_EQ(request.headers[4].first, "Authorization");
  EXPECT_TRUE(request.headers[4].second.starts_with(
      "AWS4-HMAC-SHA256 Credential=AKID/20130524/eu-west-1/s3/aws4_request,SignedHeaders=host;"
      "x-amz-content-sha256;x-amz-date;x-amz-security-token,Signature="));
}

TEST(SigV4SignerTest, HeaderValuesAreTrimmedAndCollapsed) {
  SigningRequest request{"GET", "/", {}, {{"X-Custom", "  a   b  c "}, {"Host", "h"}}, kEmptyHash};
  EXPECT_EQ(SigV4Signer::CanonicalRequest(request),
            std::string("GET\n/\n\nhost:h\nx-custom:a b c\n\nhost;x-custom\n") + kEmptyHash);
}

TEST(SigV4Test, UriEncodeKeepsUnreservedAndOptionallySlash) {
  EXPECT_EQ(UriEncode("a-b_c.d~e/f g+h=é", true), "a-b_c.d~e/f%20g%2Bh%3D%C3%A9");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
}

TEST(SigV4Test, DigestsMatchKnownValues) {
  EXPECT_EQ(Sha256Hex(""), kEmptyHash);
  // RFC 1321 test suite: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72.
  EXPECT_EQ(Md5Base64("abc"), "kAFQmDzST7DWlj99KOF/cg==");
  EXPECT_EQ(Md5Base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

TEST(SigV4Test, AmzTimestampIsUtc) {
  EXPECT_EQ(AmzTimestamp(std::chrono::system_clock::from_time_t(1369353600)), kTimestamp);
}

}  // namespace
}  // namespace floe::io
