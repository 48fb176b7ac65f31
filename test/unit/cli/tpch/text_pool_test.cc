#include "cli/tpch/text_pool.h"

#include <string>

#include <gtest/gtest.h>

namespace floe::cli::tpch {
namespace {

TEST(TextPoolTest, SentencesEndWithATerminator) {
  SequentialRandom random(42);
  for (int count = 0; count < 1000; ++count) {
    std::string sentence;
    AppendSentence(random, sentence);
    ASSERT_FALSE(sentence.empty());
    EXPECT_NE(sentence.front(), ' ');
    const char last = sentence.back();
    EXPECT_TRUE(last == '.' || last == ';' || last == ':' || last == '?' || last == '!' ||
                last == '-')
        << sentence;
  }
}

TEST(TextPoolTest, TextStringsHaveTheAskedLength) {
  TaskScheduler scheduler(1);
  Result<TextPool> pool = TextPool::Make(TextPool::kSegmentBytes, 7, scheduler);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  EXPECT_EQ(pool->size(), TextPool::kSegmentBytes);
  for (uint64_t bits = 0; bits < 100000; bits += 17) {
    const std::string_view text = pool->Text(MixBits(bits), 10, 43);
    ASSERT_GE(text.size(), 10u);
    ASSERT_LE(text.size(), 43u);
  }
}

TEST(TextPoolTest, ContainsTheWordsQueriesSearchFor) {
  TaskScheduler scheduler(1);
  const TextPool pool = TextPool::Make(TextPool::kSegmentBytes, 7, scheduler).value();
  for (std::string_view word : {"special", "requests", "pending", "packages", "unusual"}) {
    EXPECT_NE(pool.text().find(word), std::string_view::npos) << word;
  }
}

TEST(TextPoolTest, SameSeedSameTextWhateverTheThreads) {
  TaskScheduler one_thread(1);
  TaskScheduler three_threads(3);
  const TextPool first = TextPool::Make(3 * TextPool::kSegmentBytes, 9, one_thread).value();
  const TextPool second = TextPool::Make(3 * TextPool::kSegmentBytes, 9, three_threads).value();
  EXPECT_TRUE(first.text() == second.text());
}

TEST(TextPoolTest, RefusesAnEmptyPool) {
  TaskScheduler scheduler(1);
  EXPECT_EQ(TextPool::Make(0, 1, scheduler).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::cli::tpch
