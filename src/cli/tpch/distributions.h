#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace floe::cli::tpch {

/// The fixed value lists of the TPC-H specification, clause 4.2.2.13 (word lists, types,
/// containers, segments, priorities, instructions, modes), 4.2.3 (nations, regions, the words
/// of P_NAME). Lists without weights are drawn from uniformly.

/// One word of a weighted list.
struct WeightedWord {
  std::string_view word;
  int32_t weight;
};

/// Picks words with a probability proportional to their weights. Immutable; thread-safe.
class WeightedList {
 public:
  explicit WeightedList(std::span<const WeightedWord> words);

  /// Returns the word that 64 random bits select.
  std::string_view Pick(uint64_t bits) const;

 private:
  std::vector<std::string_view> words_;
  std::vector<int64_t> cumulative_weights_;
};

/// The weighted word lists of the text grammar (4.2.2.13).
const WeightedList& Nouns();
const WeightedList& Verbs();
const WeightedList& Adjectives();
const WeightedList& Adverbs();
const WeightedList& Prepositions();
const WeightedList& Auxiliaries();
const WeightedList& Terminators();

/// The 92 words that P_NAME is built from (4.2.3).
std::span<const std::string_view> PartNameWords();
/// The three syllables of P_TYPE (4.2.2.13 Types).
std::span<const std::string_view> TypeSizes();
std::span<const std::string_view> TypeFinishes();
std::span<const std::string_view> TypeMaterials();
/// The two syllables of P_CONTAINER (4.2.2.13 Containers).
std::span<const std::string_view> ContainerSizes();
std::span<const std::string_view> ContainerKinds();
/// C_MKTSEGMENT, O_ORDERPRIORITY, L_SHIPINSTRUCT and L_SHIPMODE values (4.2.2.13).
std::span<const std::string_view> Segments();
std::span<const std::string_view> Priorities();
std::span<const std::string_view> Instructions();
std::span<const std::string_view> ShipModes();

/// Returns the word of an unweighted list that 64 random bits select.
std::string_view PickUniform(std::span<const std::string_view> words, uint64_t bits);

/// One row of the NATION table's fixed contents (4.2.3).
struct NationEntry {
  std::string_view name;
  int64_t region_key;
};
/// The 25 nations, indexed by N_NATIONKEY.
std::span<const NationEntry> Nations();
/// The 5 regions, indexed by R_REGIONKEY.
std::span<const std::string_view> Regions();

}  // namespace floe::cli::tpch
