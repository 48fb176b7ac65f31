#include "server/http/http_request.h"

#include <gtest/gtest.h>

namespace floe::server::http {
namespace {

TEST(HttpRequestTest, ParsesRequestLineAndHeaders) {
  Result<HttpRequest> request = ParseRequestHead(
      "POST /api/v1/sql?format=csv&x=a%20b HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type:  application/json \r\nX-Empty:\r\n",
      {});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/api/v1/sql");
  EXPECT_EQ(request->QueryParameter("format"), "csv");
  EXPECT_EQ(request->QueryParameter("x"), "a b");
  EXPECT_EQ(request->QueryParameter("missing"), std::nullopt);
  ASSERT_NE(request->Header("content-type"), nullptr);
  EXPECT_EQ(*request->Header("content-type"), "application/json");
  EXPECT_EQ(*request->Header("x-empty"), "");
  EXPECT_TRUE(request->keep_alive());
}

TEST(HttpRequestTest, DecidesKeepAlive) {
  EXPECT_FALSE(
      ParseRequestHead("GET / HTTP/1.1\r\nHost: h\r\nConnection: close", {})->keep_alive());
  EXPECT_FALSE(ParseRequestHead("GET / HTTP/1.0", {})->keep_alive());
  EXPECT_TRUE(ParseRequestHead("GET / HTTP/1.0\r\nConnection: Keep-Alive", {})->keep_alive());
}

TEST(HttpRequestTest, RejectsMalformedRequests) {
  for (std::string_view head :
       {"", "GET", "GET /", "GET / HTTP/1.1 extra", "G(T / HTTP/1.1\r\nHost: h",
        "GET / HTTX/1.1\r\nHost: h", "GET relative HTTP/1.1\r\nHost: h",
        "GET / HTTP/1.1\r\nHost : h", "GET / HTTP/1.1\r\nNoColon", "GET / HTTP/1.1",
        "GET /%zz HTTP/1.1\r\nHost: h", "GET / HTTP/1.1\r\nHost: h\r\n folded"}) {
    Result<HttpRequest> request = ParseRequestHead(head, {});
    EXPECT_FALSE(request.ok()) << head;
    if (!request.ok()) {
      EXPECT_EQ(HttpStatusOfParseError(request.status()), 400) << head;
    }
  }
  Result<HttpRequest> version = ParseRequestHead("GET / HTTP/2.0\r\nHost: h", {});
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(HttpStatusOfParseError(version.status()), 505);
}

TEST(HttpRequestTest, LimitsHeaders) {
  HttpLimits limits;
  limits.max_headers = 2;
  Result<HttpRequest> request =
      ParseRequestHead("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2", limits);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(HttpStatusOfParseError(request.status()), 431);
  limits = {};
  limits.max_head_bytes = 10;
  EXPECT_EQ(HttpStatusOfParseError(ParseRequestHead("GET / HTTP/1.1\r\nHost: h", limits).status()),
            431);
}

TEST(HttpRequestTest, DecidesBodyFraming) {
  HttpLimits limits;
  limits.max_body_bytes = 100;
  auto framing = [&](std::string_view head) {
    Result<HttpRequest> request = ParseRequestHead(head, limits);
    EXPECT_TRUE(request.ok()) << head;
    return BodyFramingOf(*request, limits);
  };
  EXPECT_EQ(framing("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12")->content_length, 12u);
  EXPECT_TRUE(framing("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked")->is_chunked);
  EXPECT_EQ(framing("POST / HTTP/1.1\r\nHost: h")->content_length, 0u);
  EXPECT_EQ(
      HttpStatusOfParseError(framing("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 101").status()),
      413);
  EXPECT_EQ(
      HttpStatusOfParseError(framing("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1").status()),
      400);
  EXPECT_EQ(HttpStatusOfParseError(framing("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                                           "Transfer-Encoding: chunked")
                                       .status()),
            400);
  EXPECT_EQ(HttpStatusOfParseError(framing("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                                           "Content-Length: 2")
                                       .status()),
            400);
  EXPECT_EQ(HttpStatusOfParseError(
                framing("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip").status()),
            501);
}

TEST(HttpRequestTest, DecodesChunkedBodies) {
  HttpLimits limits;
  size_t consumed = 0;
  std::string data = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT";
  Result<std::optional<std::string>> body = DecodeChunkedBody(data, limits, &consumed);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  ASSERT_TRUE(body->has_value());
  EXPECT_EQ(**body, "hello world");
  EXPECT_EQ(data.substr(consumed), "NEXT");
  // Incomplete input asks for more.
  for (size_t size = 0; size + 4 < data.size() - 4; ++size) {
    Result<std::optional<std::string>> partial =
        DecodeChunkedBody(std::string_view(data).substr(0, size), limits, &consumed);
    ASSERT_TRUE(partial.ok()) << size;
    EXPECT_FALSE(partial->has_value()) << size;
  }
  EXPECT_FALSE(DecodeChunkedBody("zz\r\n", limits, &consumed).ok());
  EXPECT_FALSE(DecodeChunkedBody("2\r\nabc\r\n", limits, &consumed).ok());
  limits.max_body_bytes = 4;
  EXPECT_EQ(HttpStatusOfParseError(DecodeChunkedBody("5\r\nhello\r\n", limits, &consumed).status()),
            413);
}

}  // namespace
}  // namespace floe::server::http
