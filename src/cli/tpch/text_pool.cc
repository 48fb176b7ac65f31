#include "cli/tpch/text_pool.h"

#include <algorithm>
#include <cstring>

#include "cli/tpch/distributions.h"

namespace floe::cli::tpch {
namespace {

void AppendWord(std::string& output, std::string_view word) {
  if (!output.empty() && output.back() != ' ') {
    output.push_back(' ');
  }
  output.append(word);
}

// Noun phrase weights from 4.2.2.14: <noun> 10, <adjective> <noun> 20,
// <adjective>, <adjective> <noun> 10, <adverb> <adjective> <noun> 50.
void AppendNounPhrase(SequentialRandom& random, std::string& output) {
  const int64_t choice = random.Uniform(0, 89);
  if (choice < 10) {
    AppendWord(output, Nouns().Pick(random.Next()));
  } else if (choice < 30) {
    AppendWord(output, Adjectives().Pick(random.Next()));
    AppendWord(output, Nouns().Pick(random.Next()));
  } else if (choice < 40) {
    AppendWord(output, Adjectives().Pick(random.Next()));
    output.push_back(',');
    AppendWord(output, Adjectives().Pick(random.Next()));
    AppendWord(output, Nouns().Pick(random.Next()));
  } else {
    AppendWord(output, Adverbs().Pick(random.Next()));
    AppendWord(output, Adjectives().Pick(random.Next()));
    AppendWord(output, Nouns().Pick(random.Next()));
  }
}

// Verb phrase weights from 4.2.2.14: <verb> 30, <auxiliary> <verb> 1, <verb> <adverb> 40,
// <auxiliary> <verb> <adverb> 1.
void AppendVerbPhrase(SequentialRandom& random, std::string& output) {
  const int64_t choice = random.Uniform(0, 71);
  const bool has_auxiliary = (choice >= 30 && choice < 31) || choice >= 71;
  const bool has_adverb = choice >= 31;
  if (has_auxiliary) {
    AppendWord(output, Auxiliaries().Pick(random.Next()));
  }
  AppendWord(output, Verbs().Pick(random.Next()));
  if (has_adverb) {
    AppendWord(output, Adverbs().Pick(random.Next()));
  }
}

void AppendPrepositionalPhrase(SequentialRandom& random, std::string& output) {
  AppendWord(output, Prepositions().Pick(random.Next()));
  AppendWord(output, "the");
  AppendWord(output, Nouns().Pick(random.Next()));
}

Status FillSegment(uint64_t seed, int64_t segment, std::string& text) {
  const auto begin = static_cast<size_t>(segment * TextPool::kSegmentBytes);
  const size_t length = std::min(static_cast<size_t>(TextPool::kSegmentBytes), text.size() - begin);
  SequentialRandom random(MixBits(seed ^ MixBits(static_cast<uint64_t>(segment))));
  std::string sentences;
  sentences.reserve(length + 256);
  while (sentences.size() < length) {
    if (!sentences.empty()) {
      sentences.push_back(' ');
    }
    AppendSentence(random, sentences);
  }
  std::memcpy(text.data() + begin, sentences.data(), length);
  return Status::OK();
}

}  // namespace

// Sentence weights from 4.2.2.14: NP VP T 3, NP VP PP T 3, NP VP NP T 3, NP PP VP NP T 1,
// NP PP VP PP T 1.
void AppendSentence(SequentialRandom& random, std::string& output) {
  const int64_t choice = random.Uniform(0, 10);
  AppendNounPhrase(random, output);
  if (choice >= 9) {
    AppendPrepositionalPhrase(random, output);
  }
  AppendVerbPhrase(random, output);
  if (choice >= 3 && choice < 6) {
    AppendPrepositionalPhrase(random, output);
  } else if (choice >= 6 && choice < 10) {
    AppendNounPhrase(random, output);
  } else if (choice == 10) {
    AppendPrepositionalPhrase(random, output);
  }
  output.append(Terminators().Pick(random.Next()));
}

Result<TextPool> TextPool::Make(int64_t num_bytes, uint64_t seed, TaskScheduler& scheduler) {
  if (num_bytes <= 0) {
    return Status::InvalidArgument("text pool size must be positive: {}", num_bytes);
  }
  const int64_t num_segments = (num_bytes + kSegmentBytes - 1) / kSegmentBytes;
  std::string text(static_cast<size_t>(num_segments * kSegmentBytes), ' ');
  FLOE_RETURN_NOT_OK(scheduler.ParallelFor(
      num_segments, [&](int64_t segment) { return FillSegment(seed, segment, text); }));
  return TextPool(std::move(text));
}

std::string_view TextPool::Text(uint64_t bits, int min_length, int max_length) const {
  const int64_t length = ScaleToRange(bits, min_length, max_length);
  const int64_t offset = ScaleToRange(MixBits(bits), 0, size() - length);
  return std::string_view(text_).substr(static_cast<size_t>(offset), static_cast<size_t>(length));
}

}  // namespace floe::cli::tpch
