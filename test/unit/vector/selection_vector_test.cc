#include "vector/selection_vector.h"

#include <array>

#include <gtest/gtest.h>

namespace floe::vector {
namespace {

TEST(SelectionVectorTest, IdentityCountsUp) {
  SelectionVector selection = SelectionVector::Identity(4);
  ASSERT_EQ(selection.size(), 4);
  EXPECT_TRUE(selection.is_owned());
  for (int64_t position = 0; position < 4; ++position) {
    EXPECT_EQ(selection[position], position);
  }
}

TEST(SelectionVectorTest, AppendsIncrementally) {
  SelectionVector selection;
  EXPECT_TRUE(selection.empty());
  selection.Reserve(3);
  selection.Append(7);
  selection.Append(2);
  selection.Append(SelectionVector::kNullRow);
  ASSERT_EQ(selection.size(), 3);
  EXPECT_EQ(selection[0], 7u);
  EXPECT_EQ(selection[1], 2u);
  EXPECT_EQ(selection[2], SelectionVector::kNullRow);
}

TEST(SelectionVectorTest, KernelsWriteThroughMutableData) {
  SelectionVector selection;
  selection.Resize(2);
  selection.mutable_data()[0] = 5;
  selection.mutable_data()[1] = 9;
  EXPECT_EQ(selection[0], 5u);
  EXPECT_EQ(selection[1], 9u);
}

TEST(SelectionVectorTest, BorrowedSelectionViewsTheCallersIndices) {
  std::array<uint32_t, 3> indices = {4, 1, 3};
  SelectionVector selection = SelectionVector::Borrow(indices);
  EXPECT_FALSE(selection.is_owned());
  EXPECT_EQ(selection.data(), indices.data());
  ASSERT_EQ(selection.size(), 3);
  indices[1] = 8;
  EXPECT_EQ(selection[1], 8u);
  SelectionVector copy = selection;
  EXPECT_EQ(copy.data(), indices.data());
}

TEST(SelectionVectorTest, CopyOfAnOwnedSelectionOwnsItsIndices) {
  SelectionVector selection(std::vector<uint32_t>{1, 2});
  SelectionVector copy = selection;
  EXPECT_NE(copy.data(), selection.data());
  selection.mutable_data()[0] = 9;
  EXPECT_EQ(copy[0], 1u);
}

}  // namespace
}  // namespace floe::vector
