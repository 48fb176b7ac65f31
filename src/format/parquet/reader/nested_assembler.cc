#include "format/parquet/reader/nested_assembler.h"

#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "vector/bitmap.h"
#include "vector/buffer.h"

namespace floe::format::parquet {
namespace {

using vector::Buffer;
using vector::Vector;

bool FindSlotLevel(const SchemaNode& node, int32_t leaf_index, int16_t level, int16_t& found) {
  if (node.kind == NodeKind::kLeaf) {
    if (node.leaf_index == leaf_index) {
      found = level;
      return true;
    }
    return false;
  }
  int16_t child_level = node.kind == NodeKind::kStruct ? level : node.element_definition_level;
  for (const SchemaNode& child : node.children) {
    if (FindSlotLevel(child, leaf_index, child_level, found)) {
      return true;
    }
  }
  return false;
}

class Assembler {
 public:
  Assembler(std::span<const LeafColumn> leaves, std::string_view context, MemoryTracker* tracker)
      : leaves_(leaves), context_(context), tracker_(tracker) {}

  // Returns one row per slot: per level entry of the node's first leaf that repeats at most at
  // `slot_repetition` and is defined at least to `slot_definition`.
  Result<Vector> Assemble(const SchemaNode& node, int16_t slot_definition, int16_t slot_repetition);

 private:
  Result<Vector> AssembleStruct(const SchemaNode& node, int16_t slot_definition,
                                int16_t slot_repetition);
  Result<Vector> AssembleRepeated(const SchemaNode& node, int16_t slot_definition,
                                  int16_t slot_repetition);
  Result<Vector> AssembleMapEntries(const SchemaNode& node);
  Status Corrupt(const SchemaNode& node, std::string_view what) const {
    return Status::Corruption("{}: field {}: {}", context_, node.name, what);
  }

  std::span<const LeafColumn> leaves_;
  std::string_view context_;
  MemoryTracker* tracker_;
};

Result<Vector> Assembler::Assemble(const SchemaNode& node, int16_t slot_definition,
                                   int16_t slot_repetition) {
  switch (node.kind) {
    case NodeKind::kLeaf:
      return leaves_[static_cast<size_t>(node.leaf_index)].values;
    case NodeKind::kStruct:
      return AssembleStruct(node, slot_definition, slot_repetition);
    case NodeKind::kList:
    case NodeKind::kMap:
      return AssembleRepeated(node, slot_definition, slot_repetition);
  }
  return Corrupt(node, "unknown node kind");
}

Result<Vector> Assembler::AssembleStruct(const SchemaNode& node, int16_t slot_definition,
                                         int16_t slot_repetition) {
  const LeafColumn& leaf = leaves_[static_cast<size_t>(node.FirstLeaf())];
  std::vector<bool> is_valid;
  for (size_t i = 0; i < leaf.definition_levels.size(); ++i) {
    if (leaf.repetition_levels[i] <= slot_repetition &&
        leaf.definition_levels[i] >= slot_definition) {
      is_valid.push_back(leaf.definition_levels[i] >= node.definition_level);
    }
  }
  auto slots = static_cast<int64_t>(is_valid.size());
  std::vector<Vector> children;
  for (const SchemaNode& child : node.children) {
    FLOE_ASSIGN_OR_RETURN(Vector vector, Assemble(child, slot_definition, slot_repetition));
    if (vector.length() != slots) {
      return Corrupt(node, fmt::format("field {} has {} values where the struct has {}", child.name,
                                       vector.length(), slots));
    }
    children.push_back(std::move(vector));
  }
  std::shared_ptr<Buffer> validity;
  if (node.is_nullable) {
    FLOE_ASSIGN_OR_RETURN(validity, Buffer::Allocate(vector::BitmapBytes(slots) + 1, tracker_));
    for (int64_t i = 0; i < slots; ++i) {
      vector::SetBitTo(validity->mutable_data(), i, is_valid[static_cast<size_t>(i)]);
    }
  }
  return Vector::MakeFlat(node.type, slots, 0, validity, nullptr, nullptr, std::move(children));
}

Result<Vector> Assembler::AssembleRepeated(const SchemaNode& node, int16_t slot_definition,
                                           int16_t slot_repetition) {
  const LeafColumn& leaf = leaves_[static_cast<size_t>(node.FirstLeaf())];
  const std::vector<int16_t>& definitions = leaf.definition_levels;
  const std::vector<int16_t>& repetitions = leaf.repetition_levels;
  std::vector<int32_t> offsets{0};
  std::vector<bool> is_valid;
  int64_t elements = 0;
  for (size_t i = 0; i < definitions.size(); ++i) {
    int16_t definition = definitions[i];
    if (repetitions[i] <= slot_repetition) {
      if (definition < slot_definition) {
        continue;
      }
      is_valid.push_back(definition >= node.definition_level);
      elements += definition >= node.element_definition_level ? 1 : 0;
      offsets.push_back(static_cast<int32_t>(elements));
    } else if (repetitions[i] == node.repetition_level) {
      if (is_valid.empty() || definition < node.element_definition_level) {
        return Corrupt(node, "repeated entry without an enclosing list");
      }
      offsets.back() = static_cast<int32_t>(++elements);
    }
  }
  auto slots = static_cast<int64_t>(is_valid.size());
  Vector child;
  if (node.kind == NodeKind::kMap) {
    FLOE_ASSIGN_OR_RETURN(child, AssembleMapEntries(node));
  } else {
    FLOE_ASSIGN_OR_RETURN(
        child, Assemble(node.children[0], node.element_definition_level, node.repetition_level));
  }
  if (child.length() != elements) {
    return Corrupt(node,
                   fmt::format("levels give {} elements, values {}", elements, child.length()));
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> offset_buffer,
                        Buffer::Allocate((slots + 1) * 4, tracker_));
  std::memcpy(offset_buffer->mutable_data(), offsets.data(), offsets.size() * 4);
  std::shared_ptr<Buffer> validity;
  if (node.is_nullable) {
    FLOE_ASSIGN_OR_RETURN(validity, Buffer::Allocate(vector::BitmapBytes(slots) + 1, tracker_));
    for (int64_t i = 0; i < slots; ++i) {
      vector::SetBitTo(validity->mutable_data(), i, is_valid[static_cast<size_t>(i)]);
    }
  }
  return Vector::MakeFlat(node.type, slots, 0, validity, offset_buffer, nullptr, {child});
}

Result<Vector> Assembler::AssembleMapEntries(const SchemaNode& node) {
  std::vector<Vector> children;
  for (const SchemaNode& part : node.children) {
    FLOE_ASSIGN_OR_RETURN(Vector vector,
                          Assemble(part, node.element_definition_level, node.repetition_level));
    children.push_back(std::move(vector));
  }
  if (children[0].length() != children[1].length()) {
    return Corrupt(
        node, fmt::format("{} keys but {} values", children[0].length(), children[1].length()));
  }
  if (children[0].null_count() > 0) {
    return Corrupt(node, "map key is NULL");
  }
  types::LogicalType entries = types::LogicalType::Struct(
      {{"key", std::make_shared<const types::LogicalType>(node.type.key_type())},
       {"value", std::make_shared<const types::LogicalType>(node.type.value_type())}});
  int64_t length = children[0].length();
  return Vector::MakeFlat(entries, length, 0, nullptr, nullptr, nullptr, std::move(children), 0);
}

}  // namespace

int16_t SlotDefinitionLevel(const SchemaNode& field, int32_t leaf_index) {
  int16_t level = 0;
  FindSlotLevel(field, leaf_index, 0, level);
  return level;
}

Result<Vector> AssembleField(const SchemaNode& field, std::span<const LeafColumn> leaves,
                             std::string_view context, MemoryTracker* tracker) {
  Assembler assembler(leaves, context, tracker);
  return assembler.Assemble(field, 0, 0);
}

}  // namespace floe::format::parquet
