// REGION, NATION, SUPPLIER, CUSTOMER, PART and PARTSUPP, column by column as TPC-H 4.2.3 lists
// them.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "cli/tpch/distributions.h"
#include "cli/tpch/generators_internal.h"

namespace floe::cli::tpch {
namespace {

constexpr int64_t kRowsPerChunk = 16384;

RandomStream StreamOf(TableId table, uint64_t stream) {
  return RandomStream::Of(static_cast<uint64_t>(table), stream);
}

class RegionGenerator final : public RowGenerator {
 public:
  explicit RegionGenerator(const Dataset& dataset)
      : RowGenerator(TableId::kRegion, dataset, 5, kRowsPerChunk),
        comment_(StreamOf(TableId::kRegion, 2)) {}

 protected:
  Status AppendRow(int64_t row, ChunkBuilder& builder) const override {
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, row));
    FLOE_RETURN_NOT_OK(builder.AppendString(1, Regions()[static_cast<size_t>(row)]));
    return builder.AppendString(2, dataset().text_pool().Text(comment_.Bits(row), 31, 115));
  }

 private:
  RandomStream comment_;
};

class NationGenerator final : public RowGenerator {
 public:
  explicit NationGenerator(const Dataset& dataset)
      : RowGenerator(TableId::kNation, dataset, 25, kRowsPerChunk),
        comment_(StreamOf(TableId::kNation, 3)) {}

 protected:
  Status AppendRow(int64_t row, ChunkBuilder& builder) const override {
    const NationEntry& nation = Nations()[static_cast<size_t>(row)];
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, row));
    FLOE_RETURN_NOT_OK(builder.AppendString(1, nation.name));
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(2, nation.region_key));
    return builder.AppendString(3, dataset().text_pool().Text(comment_.Bits(row), 31, 114));
  }

 private:
  RandomStream comment_;
};

// 4.2.3: SF * 5 suppliers hold "Customer%Complaints" in S_COMMENT (Q16 excludes them) and as
// many others "Customer%Recommends". Below SF 0.2 that would round to none, so at least one
// of each is kept.
class SupplierGenerator final : public RowGenerator {
 public:
  explicit SupplierGenerator(const Dataset& dataset)
      : RowGenerator(TableId::kSupplier, dataset, dataset.scale().suppliers, kRowsPerChunk),
        address_length_(StreamOf(TableId::kSupplier, 2)),
        address_symbols_(StreamOf(TableId::kSupplier, 102)),
        nation_(StreamOf(TableId::kSupplier, 3)),
        phone_(StreamOf(TableId::kSupplier, 4)),
        balance_(StreamOf(TableId::kSupplier, 5)),
        comment_(StreamOf(TableId::kSupplier, 6)),
        remark_position_(StreamOf(TableId::kSupplier, 106)) {
    ChooseRemarks(dataset.scale());
  }

 protected:
  Status AppendRow(int64_t row, ChunkBuilder& builder) const override {
    const int64_t key = row + 1;
    const int64_t nation_key = nation_.Uniform(row, 0, 24);
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, key));
    FLOE_RETURN_NOT_OK(builder.AppendNumbered(1, "Supplier#", key));
    FLOE_RETURN_NOT_OK(AppendRandomString(builder.column(2), address_length_.Bits(row),
                                          address_symbols_, row, 10, 40));
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(3, nation_key));
    FLOE_RETURN_NOT_OK(AppendPhone(builder.column(4), nation_key, phone_, row));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(5, balance_.Uniform(row, -99999, 999999)));
    return AppendComment(row, key, builder);
  }

 private:
  void ChooseRemarks(const Scale& scale) {
    const int64_t per_kind = std::min<int64_t>(
        scale.suppliers / 2, std::max<int64_t>(1, std::llround(scale.scale_factor * 5)));
    const RandomStream picks = StreamOf(TableId::kSupplier, 206);
    for (int64_t draw = 0; static_cast<int64_t>(remarks_.size()) < 2 * per_kind; ++draw) {
      const int64_t key = picks.Uniform(draw, 1, scale.suppliers);
      const bool is_complaint = static_cast<int64_t>(remarks_.size()) < per_kind;
      remarks_.emplace(key, is_complaint ? "Complaints" : "Recommends");
    }
  }

  Status AppendComment(int64_t row, int64_t key, ChunkBuilder& builder) const {
    const std::string_view text = dataset().text_pool().Text(comment_.Bits(row), 25, 100);
    const auto remark = remarks_.find(key);
    if (remark == remarks_.end()) {
      return builder.AppendString(6, text);
    }
    // "Customer", a gap of the original text, then the remark, at a random position within
    // the comment's own length.
    std::string comment(text);
    const int64_t fixed = 8 + static_cast<int64_t>(remark->second.size());
    const uint64_t bits = remark_position_.Bits(row);
    const int64_t gap = ScaleToRange(bits, 0, static_cast<int64_t>(comment.size()) - fixed);
    const int64_t start =
        ScaleToRange(MixBits(bits), 0, static_cast<int64_t>(comment.size()) - fixed - gap);
    comment.replace(static_cast<size_t>(start), 8, "Customer");
    comment.replace(static_cast<size_t>(start + 8 + gap), remark->second.size(), remark->second);
    return builder.AppendString(6, comment);
  }

  RandomStream address_length_;
  RandomStream address_symbols_;
  RandomStream nation_;
  RandomStream phone_;
  RandomStream balance_;
  RandomStream comment_;
  RandomStream remark_position_;
  std::map<int64_t, std::string_view> remarks_;  // Supplier key -> "Complaints"/"Recommends".
};

class CustomerGenerator final : public RowGenerator {
 public:
  explicit CustomerGenerator(const Dataset& dataset)
      : RowGenerator(TableId::kCustomer, dataset, dataset.scale().customers, kRowsPerChunk),
        address_length_(StreamOf(TableId::kCustomer, 2)),
        address_symbols_(StreamOf(TableId::kCustomer, 102)),
        nation_(StreamOf(TableId::kCustomer, 3)),
        phone_(StreamOf(TableId::kCustomer, 4)),
        balance_(StreamOf(TableId::kCustomer, 5)),
        segment_(StreamOf(TableId::kCustomer, 6)),
        comment_(StreamOf(TableId::kCustomer, 7)) {}

 protected:
  Status AppendRow(int64_t row, ChunkBuilder& builder) const override {
    const int64_t key = row + 1;
    const int64_t nation_key = nation_.Uniform(row, 0, 24);
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, key));
    FLOE_RETURN_NOT_OK(builder.AppendNumbered(1, "Customer#", key));
    FLOE_RETURN_NOT_OK(AppendRandomString(builder.column(2), address_length_.Bits(row),
                                          address_symbols_, row, 10, 40));
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(3, nation_key));
    FLOE_RETURN_NOT_OK(AppendPhone(builder.column(4), nation_key, phone_, row));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(5, balance_.Uniform(row, -99999, 999999)));
    FLOE_RETURN_NOT_OK(builder.AppendString(6, PickUniform(Segments(), segment_.Bits(row))));
    return builder.AppendString(7, dataset().text_pool().Text(comment_.Bits(row), 29, 116));
  }

 private:
  RandomStream address_length_;
  RandomStream address_symbols_;
  RandomStream nation_;
  RandomStream phone_;
  RandomStream balance_;
  RandomStream segment_;
  RandomStream comment_;
};

class PartGenerator final : public RowGenerator {
 public:
  explicit PartGenerator(const Dataset& dataset)
      : RowGenerator(TableId::kPart, dataset, dataset.scale().parts, kRowsPerChunk),
        name_(StreamOf(TableId::kPart, 1)),
        manufacturer_(StreamOf(TableId::kPart, 2)),
        brand_(StreamOf(TableId::kPart, 3)),
        type_(StreamOf(TableId::kPart, 4)),
        size_(StreamOf(TableId::kPart, 5)),
        container_(StreamOf(TableId::kPart, 6)),
        comment_(StreamOf(TableId::kPart, 8)) {}

 protected:
  Status AppendRow(int64_t row, ChunkBuilder& builder) const override {
    const int64_t key = row + 1;
    const int64_t manufacturer = manufacturer_.Uniform(row, 1, 5);
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, key));
    FLOE_RETURN_NOT_OK(AppendName(row, builder));
    FLOE_RETURN_NOT_OK(AppendManufacturer(manufacturer, builder));
    FLOE_RETURN_NOT_OK(AppendBrand(row, manufacturer, builder));
    FLOE_RETURN_NOT_OK(AppendType(row, builder));
    FLOE_RETURN_NOT_OK(builder.AppendInteger(5, static_cast<int32_t>(size_.Uniform(row, 1, 50))));
    FLOE_RETURN_NOT_OK(AppendContainer(row, builder));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(7, RetailPriceCents(key)));
    return builder.AppendString(8, dataset().text_pool().Text(comment_.Bits(row), 5, 22));
  }

 private:
  // 4.2.3: P_NAME is five distinct words of the list, separated by spaces.
  Status AppendName(int64_t row, ChunkBuilder& builder) const {
    const std::span<const std::string_view> words = PartNameWords();
    int64_t chosen[5];
    std::string name;
    for (int count = 0, draw = 0; count < 5; ++draw) {
      const int64_t word =
          name_.Uniform(row * 64 + draw, 0, static_cast<int64_t>(words.size()) - 1);
      if (std::find(chosen, chosen + count, word) != chosen + count) {
        continue;
      }
      chosen[count++] = word;
      if (!name.empty()) {
        name.push_back(' ');
      }
      name.append(words[static_cast<size_t>(word)]);
    }
    return builder.AppendString(1, name);
  }

  static Status AppendManufacturer(int64_t manufacturer, ChunkBuilder& builder) {
    char name[] = "Manufacturer#M";
    name[13] = static_cast<char>('0' + manufacturer);
    return builder.AppendString(2, std::string_view(name, 14));
  }

  Status AppendBrand(int64_t row, int64_t manufacturer, ChunkBuilder& builder) const {
    char brand[] = "Brand#MN";
    brand[6] = static_cast<char>('0' + manufacturer);
    brand[7] = static_cast<char>('0' + brand_.Uniform(row, 1, 5));
    return builder.AppendString(3, std::string_view(brand, 8));
  }

  Status AppendType(int64_t row, ChunkBuilder& builder) const {
    const uint64_t bits = type_.Bits(row);
    std::string type(PickUniform(TypeSizes(), bits));
    type.push_back(' ');
    type.append(PickUniform(TypeFinishes(), MixBits(bits ^ 1)));
    type.push_back(' ');
    type.append(PickUniform(TypeMaterials(), MixBits(bits ^ 2)));
    return builder.AppendString(4, type);
  }

  Status AppendContainer(int64_t row, ChunkBuilder& builder) const {
    const uint64_t bits = container_.Bits(row);
    std::string container(PickUniform(ContainerSizes(), bits));
    container.push_back(' ');
    container.append(PickUniform(ContainerKinds(), MixBits(bits ^ 1)));
    return builder.AppendString(6, container);
  }

  RandomStream name_;
  RandomStream manufacturer_;
  RandomStream brand_;
  RandomStream type_;
  RandomStream size_;
  RandomStream container_;
  RandomStream comment_;
};

// Four rows per part, one for each supplier that PS_SUPPKEY's formula gives (4.2.3).
class PartsuppGenerator final : public RowGenerator {
 public:
  explicit PartsuppGenerator(const Dataset& dataset)
      : RowGenerator(TableId::kPartsupp, dataset, dataset.scale().partsupps(), kRowsPerChunk),
        available_(StreamOf(TableId::kPartsupp, 2)),
        cost_(StreamOf(TableId::kPartsupp, 3)),
        comment_(StreamOf(TableId::kPartsupp, 4)) {}

 protected:
  Status AppendRow(int64_t row, ChunkBuilder& builder) const override {
    const int64_t part_key = row / 4 + 1;
    const int64_t supplier_key = SupplierOfPart(part_key, row % 4, dataset().scale().suppliers);
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, part_key));
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(1, supplier_key));
    FLOE_RETURN_NOT_OK(
        builder.AppendInteger(2, static_cast<int32_t>(available_.Uniform(row, 1, 9999))));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(3, cost_.Uniform(row, 100, 100000)));
    return builder.AppendString(4, dataset().text_pool().Text(comment_.Bits(row), 49, 198));
  }

 private:
  RandomStream available_;
  RandomStream cost_;
  RandomStream comment_;
};

}  // namespace

std::unique_ptr<TableGenerator> MakeRegionGenerator(const Dataset& dataset) {
  return std::make_unique<RegionGenerator>(dataset);
}
std::unique_ptr<TableGenerator> MakeNationGenerator(const Dataset& dataset) {
  return std::make_unique<NationGenerator>(dataset);
}
std::unique_ptr<TableGenerator> MakeSupplierGenerator(const Dataset& dataset) {
  return std::make_unique<SupplierGenerator>(dataset);
}
std::unique_ptr<TableGenerator> MakeCustomerGenerator(const Dataset& dataset) {
  return std::make_unique<CustomerGenerator>(dataset);
}
std::unique_ptr<TableGenerator> MakePartGenerator(const Dataset& dataset) {
  return std::make_unique<PartGenerator>(dataset);
}
std::unique_ptr<TableGenerator> MakePartsuppGenerator(const Dataset& dataset) {
  return std::make_unique<PartsuppGenerator>(dataset);
}

}  // namespace floe::cli::tpch
