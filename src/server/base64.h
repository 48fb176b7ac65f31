#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace floe::server {

/// Encodes bytes in standard base64 with padding (RFC 4648 section 4).
std::string EncodeBase64(std::string_view bytes);
/// Decodes standard base64 with padding; nullopt when `text` is not valid base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace floe::server
