#include "server/http/http_request.h"

#include <algorithm>
#include <cctype>

namespace floe::server::http {
namespace {

// RFC 9110 section 5.6.2: token characters.
bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

Status BadRequest(std::string_view what) {
  return Status::InvalidArgument("bad request: {}", what);
}

}  // namespace

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

std::optional<std::string> HttpRequest::QueryParameter(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    size_t equals = pair.find('=');
    std::optional<std::string> key = PercentDecode(pair.substr(0, equals), true);
    if (key.has_value() && *key == name) {
      return equals == std::string_view::npos ? std::string()
                                              : PercentDecode(pair.substr(equals + 1), true);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool HttpRequest::keep_alive() const {
  const std::string* connection = Header("connection");
  bool has_close = false;
  bool has_keep_alive = false;
  if (connection != nullptr) {
    std::string_view rest = *connection;
    while (true) {
      size_t comma = rest.find(',');
      std::string_view option = Trim(rest.substr(0, comma));
      has_close = has_close || EqualsIgnoreCase(option, "close");
      has_keep_alive = has_keep_alive || EqualsIgnoreCase(option, "keep-alive");
      if (comma == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(comma + 1);
    }
  }
  if (has_close) {
    return false;
  }
  return version_minor >= 1 || has_keep_alive;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t index = 0; index < text.size(); ++index) {
    char c = text[index];
    if (c == '%') {
      if (index + 2 >= text.size()) {
        return std::nullopt;
      }
      int high = HexDigit(text[index + 1]);
      int low = HexDigit(text[index + 2]);
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(high * 16 + low));
      index += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<HttpRequest> ParseRequestHead(std::string_view head, const HttpLimits& limits) {
  if (head.size() > limits.max_head_bytes) {
    return Status::OutOfRange("request header fields too large: more than {} bytes",
                              limits.max_head_bytes);
  }
  // RFC 9112 section 2.2: a server should ignore empty lines before the request line.
  while (head.starts_with("\r\n")) {
    head.remove_prefix(2);
  }
  size_t line_end = head.find("\r\n");
  std::string_view request_line = head.substr(0, line_end);
  HttpRequest request;
  size_t first_space = request_line.find(' ');
  size_t second_space = first_space == std::string_view::npos
                            ? std::string_view::npos
                            : request_line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) {
    return BadRequest("malformed request line");
  }
  std::string_view method = request_line.substr(0, first_space);
  std::string_view target = request_line.substr(first_space + 1, second_space - first_space - 1);
  std::string_view version = request_line.substr(second_space + 1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), IsTokenChar)) {
    return BadRequest("malformed method");
  }
  if (target.empty() || target.find_first_of(" \t\r\n") != std::string_view::npos ||
      target.find('\0') != std::string_view::npos) {
    return BadRequest("malformed request target");
  }
  if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' ||
      !std::isdigit(static_cast<unsigned char>(version[5])) ||
      !std::isdigit(static_cast<unsigned char>(version[7]))) {
    return BadRequest("malformed HTTP version");
  }
  if (version[5] != '1') {
    return Status::NotSupported("HTTP version {} is not supported", version);
  }
  request.method = method;
  request.target = target;
  request.version_minor = version[7] - '0';
  std::string_view path = target;
  size_t question = target.find('?');
  if (question != std::string_view::npos) {
    path = target.substr(0, question);
    request.query = target.substr(question + 1);
  }
  if (path.starts_with("http://") || path.starts_with("https://")) {
    size_t slash = path.find('/', path.find("//") + 2);
    path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
  }
  if (!path.starts_with("/") && path != "*") {
    return BadRequest("request target must be an absolute path");
  }
  std::optional<std::string> decoded = PercentDecode(path, false);
  if (!decoded.has_value()) {
    return BadRequest("bad percent escape in path");
  }
  request.path = std::move(*decoded);
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    size_t end = rest.find("\r\n");
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
    if (line.empty()) {
      continue;
    }
    if (request.headers.size() >= limits.max_headers) {
      return Status::OutOfRange("request has more than {} header fields", limits.max_headers);
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return BadRequest("malformed header field");
    }
    std::string_view name = line.substr(0, colon);
    // RFC 9112 section 5.1: no whitespace between the field name and the colon; obsolete line
    // folding (a line starting with whitespace) is rejected too.
    if (!std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return BadRequest("malformed header field name");
    }
    std::string_view value = Trim(line.substr(colon + 1));
    if (value.find_first_of("\r\n") != std::string_view::npos ||
        value.find('\0') != std::string_view::npos) {
      return BadRequest("malformed header field value");
    }
    request.headers.emplace_back(Lower(name), std::string(value));
  }
  if (request.version_minor >= 1 && request.Header("host") == nullptr) {
    return BadRequest("HTTP/1.1 request without Host header");
  }
  return request;
}

Result<BodyFraming> BodyFramingOf(const HttpRequest& request, const HttpLimits& limits) {
  BodyFraming framing;
  const std::string* transfer_encoding = request.Header("transfer-encoding");
  const std::string* content_length = nullptr;
  int num_lengths = 0;
  for (const auto& [name, value] : request.headers) {
    if (name == "content-length") {
      if (content_length != nullptr && *content_length != value) {
        return BadRequest("conflicting Content-Length headers");
      }
      content_length = &value;
      ++num_lengths;
    }
  }
  if (transfer_encoding != nullptr) {
    // RFC 9112 section 6.1: with both, Transfer-Encoding wins, but the message may be an
    // attempt at request smuggling; refusing it is allowed and safer.
    if (content_length != nullptr) {
      return BadRequest("both Transfer-Encoding and Content-Length");
    }
    if (!EqualsIgnoreCase(Trim(*transfer_encoding), "chunked")) {
      return Status::NotSupported("transfer coding {} is not supported", *transfer_encoding);
    }
    framing.is_chunked = true;
    return framing;
  }
  if (content_length != nullptr) {
    if (content_length->empty() || content_length->size() > 19 ||
        !std::all_of(content_length->begin(), content_length->end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return BadRequest("malformed Content-Length");
    }
    uint64_t length = std::stoull(*content_length);
    if (length > limits.max_body_bytes) {
      return Status::ResourceExhausted("request body of {} bytes exceeds the limit of {} bytes",
                                       length, limits.max_body_bytes);
    }
    framing.content_length = static_cast<size_t>(length);
  }
  return framing;
}

Result<std::optional<std::string>> DecodeChunkedBody(std::string_view data,
                                                     const HttpLimits& limits, size_t* consumed) {
  std::string body;
  size_t offset = 0;
  while (true) {
    size_t line_end = data.find("\r\n", offset);
    if (line_end == std::string_view::npos) {
      if (data.size() - offset > 1024) {
        return BadRequest("chunk size line too long");
      }
      return std::optional<std::string>();
    }
    std::string_view line = data.substr(offset, line_end - offset);
    size_t extension = line.find(';');
    std::string_view digits = Trim(line.substr(0, extension));
    if (digits.empty() || digits.size() > 15) {
      return BadRequest("malformed chunk size");
    }
    size_t size = 0;
    for (char c : digits) {
      int digit = HexDigit(c);
      if (digit < 0) {
        return BadRequest("malformed chunk size");
      }
      size = size * 16 + static_cast<size_t>(digit);
    }
    offset = line_end + 2;
    if (size == 0) {
      // Trailer fields, then an empty line.
      while (true) {
        size_t trailer_end = data.find("\r\n", offset);
        if (trailer_end == std::string_view::npos) {
          if (data.size() - offset > limits.max_head_bytes) {
            return Status::OutOfRange("chunked trailer fields too large");
          }
          return std::optional<std::string>();
        }
        bool is_last = trailer_end == offset;
        offset = trailer_end + 2;
        if (is_last) {
          *consumed = offset;
          return std::optional<std::string>(std::move(body));
        }
      }
    }
    if (body.size() + size > limits.max_body_bytes) {
      return Status::ResourceExhausted("request body exceeds the limit of {} bytes",
                                       limits.max_body_bytes);
    }
    if (data.size() - offset < size + 2) {
      return std::optional<std::string>();
    }
    if (data.substr(offset + size, 2) != "\r\n") {
      return BadRequest("chunk not followed by CRLF");
    }
    body.append(data.substr(offset, size));
    offset += size + 2;
  }
}

int HttpStatusOfParseError(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOutOfRange:
      return 431;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kNotSupported:
      return status.message().find("version") != std::string_view::npos ? 505 : 501;
    default:
      return 400;
  }
}

}  // namespace floe::server::http
