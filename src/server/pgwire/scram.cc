#include "server/pgwire/scram.h"

#include <array>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "server/base64.h"
#include "server/pgwire/messages.h"

namespace floe::server::pgwire {
namespace {

using Digest = std::array<uint8_t, 32>;

Digest Hmac(const Digest& key, std::string_view message) {
  Digest out{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &size);
  return out;
}

std::string_view AsText(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// Splits "a=1,b=2" into attributes; each must be one letter, '=', a value.
Result<std::vector<std::pair<char, std::string_view>>> SplitAttributes(std::string_view text) {
  std::vector<std::pair<char, std::string_view>> attributes;
  while (true) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    if (part.size() < 2 || part[1] != '=') {
      return ProtocolViolation("malformed SCRAM attribute");
    }
    attributes.emplace_back(part[0], part.substr(2));
    if (comma == std::string_view::npos) {
      return attributes;
    }
    text.remove_prefix(comma + 1);
  }
}

// A 08P01 protocol_violation in PostgreSQL's words, without ProtocolViolation()'s prefix.
Status ScramViolation(std::string_view message) {
  return Status::InvalidArgument("{}", message).WithSqlState("08P01");
}

// PostgreSQL's wording for a SCRAM message that breaks RFC 5802's grammar.
Status MalformedScram(std::string_view detail) {
  return ScramViolation("malformed SCRAM message").WithDetail(detail);
}

// A client's character as an error message may show it.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= 0x20 && c < 0x7f) {
      out += c;
    } else {
      out += fmt::format("0x{:02x}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string RandomNonce() {
  std::array<uint8_t, 18> bytes{};
  RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
  return EncodeBase64({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

// A stable fake salt per user, so that repeated probes of an unknown user see the same salt, as
// they would for a real one. The process-wide secret keeps it unpredictable from outside.
catalog::ScramVerifier MockVerifier(std::string_view user) {
  static const Digest secret = [] {
    Digest bytes{};
    RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
    return bytes;
  }();
  Digest salt = Hmac(secret, user);
  catalog::ScramVerifier verifier;
  verifier.salt.assign(reinterpret_cast<const char*>(salt.data()), 16);
  RAND_bytes(verifier.stored_key.data(), static_cast<int>(verifier.stored_key.size()));
  RAND_bytes(verifier.server_key.data(), static_cast<int>(verifier.server_key.size()));
  return verifier;
}

}  // namespace

Status PasswordFailed(std::string_view user) {
  return Status::Unauthenticated("password authentication failed for user \"{}\"", user)
      .WithSqlState("28P01");
}

ScramExchange::ScramExchange(std::optional<catalog::ScramVerifier> verifier, std::string_view user,
                             std::string server_nonce, ScramChannelBinding channel_binding)
    : verifier_(verifier.has_value() ? std::move(*verifier) : MockVerifier(user)),
      is_real_(verifier.has_value()),
      user_(user),
      server_nonce_(server_nonce.empty() ? RandomNonce() : std::move(server_nonce)),
      channel_binding_(std::move(channel_binding)) {}

Status ScramExchange::CheckChannelBindingFlag(std::string_view flag) const {
  bool is_offered = !channel_binding_.certificate_hash.empty();
  bool is_selected = channel_binding_.is_selected && is_offered;
  if (flag == "n" || flag == "y") {
    if (is_selected) {
      return MalformedScram(
          "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include "
          "channel binding data.");
    }
    // RFC 5802 section 6: "y" with a server that offered binding means the -PLUS mechanism
    // was lost on the way, perhaps removed by an attacker to downgrade the exchange.
    if (flag == "y" && is_offered) {
      return Status::Unauthenticated("SCRAM channel binding negotiation error")
          .WithSqlState("28000")
          .WithDetail(
              "The client supports SCRAM channel binding but thinks the server does not.  "
              "However, this server does support channel binding.");
    }
    return Status::OK();
  }
  if (flag.starts_with("p=")) {
    if (!is_selected) {
      return MalformedScram(
          "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
          "includes channel binding data.");
    }
    if (flag.substr(2) != "tls-server-end-point") {
      return ScramViolation(
          fmt::format("unsupported SCRAM channel-binding type \"{}\"", Printable(flag.substr(2))));
    }
    return Status::OK();
  }
  return MalformedScram(
      fmt::format("Unexpected channel-binding flag \"{}\".", Printable(flag.substr(0, 1))));
}

Result<std::string> ScramExchange::ClientFirst(std::string_view message) {
  // gs2-header = cbind-flag "," [authzid] "," (RFC 5802 section 7).
  size_t flag_end = message.find(',');
  FLOE_RETURN_NOT_OK(CheckChannelBindingFlag(message.substr(0, flag_end)));
  if (flag_end == std::string_view::npos) {
    return ProtocolViolation("malformed SCRAM client-first message");
  }
  size_t second_comma = message.find(',', flag_end + 1);
  if (second_comma == std::string_view::npos) {
    return ProtocolViolation("malformed SCRAM client-first message");
  }
  if (second_comma != flag_end + 1) {
    return Status::NotSupported("client uses authorization identity, but it is not supported")
        .WithSqlState("0A000");
  }
  gs2_header_ = message.substr(0, second_comma + 1);
  client_first_bare_ = message.substr(second_comma + 1);
  FLOE_ASSIGN_OR_RETURN(auto attributes, SplitAttributes(client_first_bare_));
  if (attributes.size() < 2 || attributes[0].first != 'n' || attributes[1].first != 'r' ||
      attributes[1].second.empty()) {
    return ProtocolViolation("malformed SCRAM client-first message");
  }
  if (attributes[0].second.find('\0') != std::string_view::npos) {
    return ProtocolViolation("malformed SCRAM user name");
  }
  for (char c : attributes[1].second) {
    if (c < 0x21 || c > 0x7e || c == ',') {
      return ProtocolViolation("invalid character in SCRAM nonce");
    }
  }
  // PostgreSQL ignores the name here: the startup packet's user is the one authenticated.
  nonce_ = std::string(attributes[1].second) + server_nonce_;
  server_first_ =
      fmt::format("r={},s={},i={}", nonce_, EncodeBase64(verifier_.salt), verifier_.iterations);
  return server_first_;
}

Result<std::string> ScramExchange::ClientFinal(std::string_view message) {
  if (server_first_.empty()) {
    return ProtocolViolation("SCRAM client-final message before client-first");
  }
  size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) {
    return ProtocolViolation("SCRAM client-final message without proof");
  }
  std::string_view without_proof = message.substr(0, proof_at);
  FLOE_ASSIGN_OR_RETURN(auto attributes, SplitAttributes(without_proof));
  if (attributes.size() < 2 || attributes[0].first != 'c' || attributes[1].first != 'r') {
    return ProtocolViolation("malformed SCRAM client-final message");
  }
  // c= repeats the gs2 header, followed for -PLUS by the certificate hash (RFC 5802 section 7,
  // RFC 5929 section 4).
  if (channel_binding_.is_selected) {
    if (attributes[0].second != EncodeBase64(gs2_header_ + channel_binding_.certificate_hash)) {
      return Status::Unauthenticated("SCRAM channel binding check failed").WithSqlState("28000");
    }
  } else if (attributes[0].second != EncodeBase64(gs2_header_)) {
    return ScramViolation("unexpected SCRAM channel-binding attribute in client-final-message");
  }
  if (attributes[1].second != nonce_) {
    return ProtocolViolation("SCRAM nonce does not match");
  }
  std::optional<std::string> proof = DecodeBase64(message.substr(proof_at + 3));
  if (!proof.has_value() || proof->size() != 32) {
    return ProtocolViolation("malformed SCRAM proof");
  }
  std::string auth_message =
      fmt::format("{},{},{}", client_first_bare_, server_first_, without_proof);
  Digest client_signature = Hmac(verifier_.stored_key, auth_message);
  Digest client_key{};
  for (size_t index = 0; index < client_key.size(); ++index) {
    client_key[index] =
        static_cast<uint8_t>(static_cast<uint8_t>((*proof)[index]) ^ client_signature[index]);
  }
  Digest stored{};
  SHA256(client_key.data(), client_key.size(), stored.data());
  if (!is_real_ || CRYPTO_memcmp(stored.data(), verifier_.stored_key.data(), stored.size()) != 0) {
    return PasswordFailed(user_);
  }
  Digest server_signature = Hmac(verifier_.server_key, auth_message);
  return "v=" + EncodeBase64(AsText(server_signature));
}

}  // namespace floe::server::pgwire
