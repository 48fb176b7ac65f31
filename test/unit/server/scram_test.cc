#include "server/pgwire/scram.h"

#include <array>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "server/base64.h"

namespace floe::server::pgwire {
namespace {

// RFC 7677 section 3: user "user", password "pencil".
constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

catalog::ScramVerifier PencilVerifier() {
  return catalog::ScramVerifier::Compute("pencil", *DecodeBase64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

TEST(ScramExchangeTest, FollowsRfc7677TestVector) {
  ScramExchange exchange(PencilVerifier(), "user", std::string(kServerNonce));
  Result<std::string> server_first = exchange.ClientFirst(kClientFirst);
  ASSERT_TRUE(server_first.ok()) << server_first.status().ToString();
  EXPECT_EQ(*server_first, kServerFirst);
  Result<std::string> server_final = exchange.ClientFinal(kClientFinal);
  ASSERT_TRUE(server_final.ok()) << server_final.status().ToString();
  EXPECT_EQ(*server_final, kServerFinal);
}

TEST(ScramExchangeTest, RejectsAWrongProof) {
  ScramExchange exchange(catalog::ScramVerifier::Compute(
                             "not pencil", *DecodeBase64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096),
                         "user", std::string(kServerNonce));
  ASSERT_TRUE(exchange.ClientFirst(kClientFirst).ok());
  Result<std::string> server_final = exchange.ClientFinal(kClientFinal);
  ASSERT_FALSE(server_final.ok());
  EXPECT_EQ(server_final.status().sql_state(), "28P01");
}

TEST(ScramExchangeTest, FailsForAnUnknownUserOnlyAtTheEnd) {
  ScramExchange exchange(std::nullopt, "nobody", std::string(kServerNonce));
  Result<std::string> server_first = exchange.ClientFirst(kClientFirst);
  ASSERT_TRUE(server_first.ok());
  EXPECT_TRUE(server_first->starts_with("r=rOprNGfwEbeRWgbNEkqO%hvYD"));
  Result<std::string> server_final = exchange.ClientFinal(kClientFinal);
  ASSERT_FALSE(server_final.ok());
  EXPECT_EQ(server_final.status().sql_state(), "28P01");
}

TEST(ScramExchangeTest, RejectsMalformedMessages) {
  for (std::string_view bad :
       {"", "n", "n,,", "x,,n=,r=abc", "p=tls-server-end-point,,n=,r=a", "n,,r=abc", "n,,n=user"}) {
    ScramExchange exchange(PencilVerifier(), "user", std::string(kServerNonce));
    EXPECT_FALSE(exchange.ClientFirst(bad).ok()) << bad;
  }
  ScramExchange exchange(PencilVerifier(), "user", std::string(kServerNonce));
  ASSERT_TRUE(exchange.ClientFirst(kClientFirst).ok());
  // A nonce that is not the combined one.
  EXPECT_FALSE(
      exchange.ClientFinal("c=biws,r=other,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=").ok());
}

TEST(ScramExchangeTest, RejectsClientFinalBeforeClientFirst) {
  ScramExchange exchange(PencilVerifier(), "user", std::string(kServerNonce));
  EXPECT_FALSE(exchange.ClientFinal(kClientFinal).ok());
}

// A client's proof for `client_final_without_proof` after kClientFirst's bare part and
// `server_first`, with the password "pencil".
std::string PencilProof(std::string_view client_first_bare, std::string_view server_first,
                        std::string_view client_final_without_proof) {
  std::string salt = *DecodeBase64("W22ZaJ0SNY7soEsUEjb6gQ==");
  std::array<unsigned char, 32> salted{};
  PKCS5_PBKDF2_HMAC("pencil", 6, reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), 4096, EVP_sha256(), 32, salted.data());
  std::array<unsigned char, 32> client_key{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), salted.data(), 32, reinterpret_cast<const unsigned char*>("Client Key"), 10,
       client_key.data(), &size);
  std::array<unsigned char, 32> stored_key{};
  SHA256(client_key.data(), client_key.size(), stored_key.data());
  std::string auth_message = std::string(client_first_bare) + "," + std::string(server_first) +
                             "," + std::string(client_final_without_proof);
  std::array<unsigned char, 32> signature{};
  HMAC(EVP_sha256(), stored_key.data(), 32,
       reinterpret_cast<const unsigned char*>(auth_message.data()), auth_message.size(),
       signature.data(), &size);
  std::string proof(32, '\0');
  for (size_t index = 0; index < proof.size(); ++index) {
    proof[index] = static_cast<char>(client_key[index] ^ signature[index]);
  }
  return proof;
}

// A stand-in for a certificate's SHA-256 hash.
const std::string kCertificateHash(32, '\x5a');

ScramExchange PlusExchange(bool is_selected) {
  return ScramExchange(PencilVerifier(), "user", std::string(kServerNonce),
                       ScramChannelBinding{kCertificateHash, is_selected});
}

std::string PlusClientFinal(std::string_view gs2_header, std::string_view binding_data) {
  std::string without_proof =
      "c=" + EncodeBase64(std::string(gs2_header) + std::string(binding_data)) +
      ",r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  return without_proof + ",p=" +
         EncodeBase64(PencilProof("n=user,r=rOprNGfwEbeRWgbNEkqO", kServerFirst, without_proof));
}

TEST(ScramExchangeTest, BindsToTheCertificateHashWithPlus) {
  ScramExchange exchange = PlusExchange(true);
  Result<std::string> server_first =
      exchange.ClientFirst("p=tls-server-end-point,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  ASSERT_TRUE(server_first.ok()) << server_first.status().ToString();
  EXPECT_EQ(*server_first, kServerFirst);
  Result<std::string> server_final =
      exchange.ClientFinal(PlusClientFinal("p=tls-server-end-point,,", kCertificateHash));
  ASSERT_TRUE(server_final.ok()) << server_final.status().ToString();
  EXPECT_TRUE(server_final->starts_with("v="));
}

TEST(ScramExchangeTest, RejectsAWrongChannelBinding) {
  ScramExchange exchange = PlusExchange(true);
  ASSERT_TRUE(exchange.ClientFirst("p=tls-server-end-point,,n=user,r=rOprNGfwEbeRWgbNEkqO").ok());
  // The hash of another certificate: what a client sees behind a man in the middle.
  Result<std::string> server_final =
      exchange.ClientFinal(PlusClientFinal("p=tls-server-end-point,,", std::string(32, '\x01')));
  ASSERT_FALSE(server_final.ok());
  EXPECT_EQ(server_final.status().sql_state(), "28000");
  EXPECT_EQ(server_final.status().message(), "SCRAM channel binding check failed");

  ScramExchange without_data = PlusExchange(true);
  ASSERT_TRUE(
      without_data.ClientFirst("p=tls-server-end-point,,n=user,r=rOprNGfwEbeRWgbNEkqO").ok());
  server_final = without_data.ClientFinal(PlusClientFinal("p=tls-server-end-point,,", ""));
  ASSERT_FALSE(server_final.ok());
  EXPECT_EQ(server_final.status().sql_state(), "28000");
}

TEST(ScramExchangeTest, RefusesADowngradeWhenBindingWasOffered) {
  // "y": the client can bind but believes the server cannot, though -PLUS was offered.
  ScramExchange exchange = PlusExchange(false);
  Result<std::string> server_first = exchange.ClientFirst("y,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  ASSERT_FALSE(server_first.ok());
  EXPECT_EQ(server_first.status().sql_state(), "28000");
  EXPECT_EQ(server_first.status().message(), "SCRAM channel binding negotiation error");
  EXPECT_EQ(server_first.status().detail(),
            "The client supports SCRAM channel binding but thinks the server does not.  "
            "However, this server does support channel binding.");
}

TEST(ScramExchangeTest, AcceptsYWhenBindingWasNotOffered) {
  ScramExchange exchange(PencilVerifier(), "user", std::string(kServerNonce));
  ASSERT_TRUE(exchange.ClientFirst("y,,n=user,r=rOprNGfwEbeRWgbNEkqO").ok());
  std::string without_proof = "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  Result<std::string> server_final = exchange.ClientFinal(
      without_proof + ",p=" +
      EncodeBase64(PencilProof("n=user,r=rOprNGfwEbeRWgbNEkqO", kServerFirst, without_proof)));
  EXPECT_TRUE(server_final.ok()) << server_final.status().ToString();
}

TEST(ScramExchangeTest, NeedsTheFlagToMatchTheMechanism) {
  // -PLUS selected, but no binding in the message.
  for (std::string_view flag : {"n", "y"}) {
    ScramExchange exchange = PlusExchange(true);
    Result<std::string> server_first =
        exchange.ClientFirst(std::string(flag) + ",,n=user,r=rOprNGfwEbeRWgbNEkqO");
    ASSERT_FALSE(server_first.ok()) << flag;
    EXPECT_EQ(server_first.status().sql_state(), "08P01");
    EXPECT_EQ(server_first.status().message(), "malformed SCRAM message");
  }
  // Binding data under plain SCRAM-SHA-256, with TLS or without.
  for (bool is_offered : {true, false}) {
    ScramExchange exchange(PencilVerifier(), "user", std::string(kServerNonce),
                           ScramChannelBinding{is_offered ? kCertificateHash : "", false});
    Result<std::string> server_first =
        exchange.ClientFirst("p=tls-server-end-point,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    ASSERT_FALSE(server_first.ok());
    EXPECT_EQ(server_first.status().sql_state(), "08P01");
  }
  ScramExchange unique = PlusExchange(true);
  Result<std::string> server_first = unique.ClientFirst("p=tls-unique,,n=user,r=abc");
  ASSERT_FALSE(server_first.ok());
  EXPECT_EQ(server_first.status().message(),
            "unsupported SCRAM channel-binding type \"tls-unique\"");
  // c= must repeat the gs2 header of the client-first message.
  ScramExchange repeated(PencilVerifier(), "user", std::string(kServerNonce));
  ASSERT_TRUE(repeated.ClientFirst(kClientFirst).ok());
  Result<std::string> server_final = repeated.ClientFinal(
      "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  ASSERT_FALSE(server_final.ok());
  EXPECT_EQ(server_final.status().sql_state(), "08P01");
}

TEST(ScramVerifierTest, EncodesAndParsesPostgresForm) {
  catalog::ScramVerifier verifier = PencilVerifier();
  std::string text = verifier.Encode();
  EXPECT_TRUE(text.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$")) << text;
  Result<catalog::ScramVerifier> parsed = catalog::ScramVerifier::Parse(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->stored_key, verifier.stored_key);
  EXPECT_EQ(parsed->server_key, verifier.server_key);
  EXPECT_EQ(parsed->salt, verifier.salt);
  EXPECT_FALSE(catalog::ScramVerifier::Parse("SCRAM-SHA-256$x:abc$def:ghi").ok());
  EXPECT_FALSE(catalog::ScramVerifier::Parse("md5abc").ok());
}

}  // namespace
}  // namespace floe::server::pgwire
