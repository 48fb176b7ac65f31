#include "server/pgwire/scram.h"

#include <gtest/gtest.h>

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
