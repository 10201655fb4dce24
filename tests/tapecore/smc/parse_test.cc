// The SMC parsers on byte layouts of SMC-3 and on answers captured from
// tgtd's virtual changer; every length field is also tried too long.
#include "tapecore/smc/parse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tapecore/smc/cdb.h"

namespace tsfs::smc {
namespace {

using B = std::vector<uint8_t>;

void Append(B& b, const std::string& s, size_t width, char pad = ' ') {
  for (size_t i = 0; i < width; ++i) b.push_back(i < s.size() ? s[i] : pad);
}
void Put16(B& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void Put24(B& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 16));
  Put16(b, static_cast<uint16_t>(v));
}

// MODE SENSE(6) with DBD: 4-byte header, page 0x1D.
B ModePage(uint16_t mt, uint16_t nmt, uint16_t st, uint16_t nst, uint16_t ie, uint16_t nie,
           uint16_t dt, uint16_t ndt) {
  B b{0, 0, 0, 0, 0x1D, 0x12};
  for (uint16_t v : {mt, nmt, st, nst, ie, nie, dt, ndt}) Put16(b, v);
  b.push_back(0);
  b.push_back(0);
  b[0] = static_cast<uint8_t>(b.size() - 1);
  return b;
}

TEST(SmcParseTest, ElementAddressPage) {
  auto r = parse::ElementAddressPage(ModePage(0, 1, 0x1000, 8, 0x10, 1, 0x100, 2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->transport.first, 0);
  EXPECT_EQ(r->transport.count, 1);
  EXPECT_EQ(r->storage.first, 0x1000);
  EXPECT_EQ(r->storage.count, 8);
  EXPECT_EQ(r->import_export.first, 0x10);
  EXPECT_EQ(r->data_transfer.first, 0x100);
  EXPECT_EQ(r->data_transfer.count, 2);
  EXPECT_EQ(r->TypeOf(0x1007), ElementType::kStorage);
  EXPECT_EQ(r->TypeOf(0x1008), ElementType::kAll);
  EXPECT_EQ(r->TypeOf(0x101), ElementType::kDataTransfer);
}

TEST(SmcParseTest, ElementAddressPageWithBlockDescriptorSkipsIt) {
  B b = ModePage(3, 1, 4, 6, 0, 0, 1, 2);
  b.insert(b.begin() + 4, 8, 0xEE);
  b[3] = 8;
  b[0] = static_cast<uint8_t>(b.size() - 1);
  auto r = parse::ElementAddressPage(b);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->storage.first, 4);
  EXPECT_EQ(r->storage.count, 6);
}

TEST(SmcParseTest, ElementAddressPageRejectsShortWrongAndLying) {
  B b = ModePage(0, 1, 2, 3, 0, 0, 5, 6);
  for (size_t n = 0; n < b.size() - 2; ++n) {
    EXPECT_FALSE(parse::ElementAddressPage(B(b.begin(), b.begin() + n)).ok()) << n;
  }
  B wrong = b;
  wrong[4] = 0x1F;
  EXPECT_FALSE(parse::ElementAddressPage(wrong).ok());
  B lying = b;
  lying[3] = 200;  // block descriptor length beyond the data
  EXPECT_FALSE(parse::ElementAddressPage(lying).ok());
  B short_page = b;
  short_page[5] = 4;
  EXPECT_FALSE(parse::ElementAddressPage(short_page).ok());
}

struct Desc {
  uint16_t address;
  uint8_t flags;  // byte 2
  std::string tag;
  std::optional<uint16_t> source;
  std::string ident;  // empty: no identifier
};

// One element status page with PVOLTAG and DVCID, descriptors of `length` bytes.
B Page(ElementType type, const std::vector<Desc>& descs, uint16_t length, bool pvoltag = true) {
  B b{static_cast<uint8_t>(type), static_cast<uint8_t>(pvoltag ? 0x80 : 0x00)};
  Put16(b, length);
  b.push_back(0);
  Put24(b, static_cast<uint32_t>(descs.size() * length));
  for (const Desc& d : descs) {
    const size_t start = b.size();
    Put16(b, d.address);
    b.insert(b.end(), {d.flags, 0, 0, 0, 0, 0, 0});
    b.push_back(d.source ? 0x80 : 0x00);
    Put16(b, d.source.value_or(0));
    if (pvoltag) {
      Append(b, d.tag, 32);
      b.insert(b.end(), {0, 0, 0, 1});
    }
    if (!d.ident.empty()) {
      b.insert(b.end(), {0x02, 0x01, 0x00, static_cast<uint8_t>(d.ident.size())});
      Append(b, d.ident, d.ident.size());
    }
    while (b.size() - start < length) b.push_back(0);
  }
  return b;
}

B Report(const std::vector<B>& pages, uint16_t first, uint16_t count) {
  B b;
  Put16(b, first);
  Put16(b, count);
  b.push_back(0);
  size_t bytes = 0;
  for (const B& p : pages) bytes += p.size();
  Put24(b, static_cast<uint32_t>(bytes));
  for (const B& p : pages) b.insert(b.end(), p.begin(), p.end());
  return b;
}

TEST(SmcParseTest, ElementStatusWithTagsAndIdentifiers) {
  const B storage = Page(ElementType::kStorage,
                         {{0x1000, 0x01, "TS0001L6", std::nullopt, ""},
                          {0x1001, 0x00, "", std::nullopt, ""},
                          {0x1002, 0x01, "", std::nullopt, ""}},
                         52);
  const B drives = Page(ElementType::kDataTransfer,
                        {{0x100, 0x09, "TS0002L6", 0x1003, "TSFS    VTAPE           DRV0"},
                         {0x101, 0x08, "", std::nullopt, "TSFS    VTAPE           DRV1"}},
                        84);
  auto r = parse::ElementStatusData(Report({storage, drives}, 0x100, 5), true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->truncated);
  ASSERT_EQ(r->elements.size(), 5u);
  const ElementStatus& s0 = r->elements[0];
  EXPECT_EQ(s0.type, ElementType::kStorage);
  EXPECT_EQ(s0.address, 0x1000);
  EXPECT_TRUE(s0.full);
  EXPECT_EQ(s0.volume_tag, "TS0001L6");
  EXPECT_EQ(s0.volume_sequence, 1);
  EXPECT_FALSE(r->elements[1].full);
  EXPECT_FALSE(r->elements[1].volume_tag.has_value());
  EXPECT_TRUE(r->elements[2].full);  // a cartridge without a barcode
  EXPECT_FALSE(r->elements[2].volume_tag.has_value());
  const ElementStatus& d0 = r->elements[3];
  EXPECT_EQ(d0.type, ElementType::kDataTransfer);
  EXPECT_TRUE(d0.full);
  EXPECT_TRUE(d0.access);
  EXPECT_EQ(d0.source, 0x1003);
  ASSERT_TRUE(d0.device.has_value());
  EXPECT_EQ(d0.device->code_set, 2);
  EXPECT_EQ(d0.device->identifier_type, 1);
  EXPECT_EQ(d0.device->identifier, "TSFS    VTAPE           DRV0");
  EXPECT_FALSE(r->elements[4].full);
  EXPECT_FALSE(r->elements[4].source.has_value());
}

TEST(SmcParseTest, ElementStatusWithoutDvcidIgnoresTrailingBytes) {
  const B drives = Page(ElementType::kDataTransfer, {{0x100, 0x01, "A", std::nullopt, "XYZ"}}, 60);
  auto r = parse::ElementStatusData(Report({drives}, 0x100, 1), false);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->elements.size(), 1u);
  EXPECT_FALSE(r->elements[0].device.has_value());
}

TEST(SmcParseTest, ElementStatusTruncatedKeepsWholeDescriptors) {
  const B storage = Page(
      ElementType::kStorage,
      {{1, 1, "A", std::nullopt, ""}, {2, 1, "B", std::nullopt, ""}, {3, 1, "C", std::nullopt, ""}},
      52);
  const B full = Report({storage}, 1, 3);
  for (size_t cut = 8; cut < full.size(); ++cut) {
    auto r = parse::ElementStatusData(B(full.begin(), full.begin() + cut), true);
    ASSERT_TRUE(r.ok()) << cut;
    EXPECT_TRUE(r->truncated) << cut;
    // Whole descriptors, and a cut last one once its fixed part and its
    // volume identifier (44 bytes) are there.
    const size_t body = cut < 16 ? 0 : cut - 16;
    const size_t parsed = body / 52 + (body % 52 >= 44 ? 1 : 0);
    EXPECT_EQ(r->elements.size(), parsed) << cut;
  }
  EXPECT_FALSE(parse::ElementStatusData(B(full.begin(), full.begin() + 7), true).ok());
}

// tgtd's answer to READ ELEMENT STATUS of its two data transfer elements
// with VOLTAG and DVCID: the header reports 8 + 2 x 86 bytes, but 8 bytes
// fewer arrive, so the second descriptor ends inside its identifier.
TEST(SmcParseTest, TgtdCutLastDescriptorKeepsTheElement) {
  B b = Report({Page(ElementType::kDataTransfer,
                     {{1, 0x00, "", std::nullopt, "IET     VIRTUAL-TAPE    beaf11    "},
                      {2, 0x01, "LIB003", 4, "IET     VIRTUAL-TAPE    beaf12    "}},
                     86)},
               1, 2);
  b.resize(b.size() - 8);
  auto r = parse::ElementStatusData(b, true);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncated);
  ASSERT_EQ(r->elements.size(), 2u);
  ASSERT_TRUE(r->elements[0].device.has_value());
  EXPECT_EQ(r->elements[0].device->identifier, "IET     VIRTUAL-TAPE    beaf11");
  EXPECT_TRUE(r->elements[1].full);
  EXPECT_EQ(r->elements[1].volume_tag, "LIB003");
  EXPECT_EQ(r->elements[1].source, 4);
  EXPECT_FALSE(r->elements[1].device.has_value());  // cut: no identifier
}

TEST(SmcParseTest, ElementStatusRejectsMalformedPages) {
  B bad_type = Report({Page(ElementType::kStorage, {{1, 1, "A", std::nullopt, ""}}, 52)}, 1, 1);
  bad_type[8] = 0x07;
  EXPECT_FALSE(parse::ElementStatusData(bad_type, true).ok());
  B tiny = Report({Page(ElementType::kStorage, {{1, 1, "A", std::nullopt, ""}}, 52)}, 1, 1);
  tiny[10] = 0;
  tiny[11] = 4;  // descriptor length 4 < 12
  EXPECT_FALSE(parse::ElementStatusData(tiny, true).ok());
}

TEST(SmcParseTest, ElementStatusIdentifierLongerThanDescriptorIsDropped) {
  B b = Report({Page(ElementType::kDataTransfer, {{1, 1, "", std::nullopt, "SERIAL"}}, 52)}, 1, 1);
  // Claim a 200-byte identifier inside a 52-byte descriptor.
  b[8 + 8 + 48 + 3] = 200;
  auto r = parse::ElementStatusData(b, true);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->elements.size(), 1u);
  EXPECT_FALSE(r->elements[0].device.has_value());
}

TEST(SmcParseTest, DeviceIdentificationPage) {
  B b{0x01, 0x83, 0x00, 0x00};
  b.insert(b.end(), {0x02, 0x01, 0x00, 12});
  Append(b, "TSFS    DRV0", 12);
  b.insert(b.end(), {0x01, 0x03, 0x00, 8, 0x50, 1, 2, 3, 4, 5, 6, 7});
  b[3] = static_cast<uint8_t>(b.size() - 4);
  auto r = parse::DeviceIdentificationPage(b);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].identifier, "TSFS    DRV0");
  EXPECT_EQ((*r)[1].identifier_type, 3);
  EXPECT_EQ((*r)[1].identifier.size(), 8u);
  B cut(b.begin(), b.end() - 3);  // the second descriptor is not whole
  auto c = parse::DeviceIdentificationPage(cut);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->size(), 1u);
  B other = b;
  other[1] = 0x80;
  EXPECT_FALSE(parse::DeviceIdentificationPage(other).ok());
}

TEST(SmcParseTest, ReportLuns) {
  B b{0, 0, 0, 24, 0, 0, 0, 0};
  for (uint8_t lun : {0, 1, 3}) b.insert(b.end(), {0, lun, 0, 0, 0, 0, 0, 0});
  auto r = parse::ReportLunsData(b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<uint16_t>{0, 1, 3}));
  B flat{0, 0, 0, 8, 0, 0, 0, 0, 0x41, 0x02, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(*parse::ReportLunsData(flat), (std::vector<uint16_t>{0x102}));
  B odd{0, 0, 0, 7, 0, 0, 0, 0};
  EXPECT_FALSE(parse::ReportLunsData(odd).ok());
  B lying{0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0};  // says 256 bytes, has 8
  EXPECT_EQ(*parse::ReportLunsData(lying), (std::vector<uint16_t>{5}));
}

TEST(SmcCdbTest, Layouts) {
  EXPECT_EQ(cdb::MoveMedium(0x0001, 0x1002, 0x0100),
            (cdb::Cdb12{0xA5, 0, 0x00, 0x01, 0x10, 0x02, 0x01, 0x00, 0, 0, 0, 0}));
  EXPECT_EQ(cdb::ReadElementStatus({ElementType::kDataTransfer, 0x100, 2, true, true, 4096}),
            (cdb::Cdb12{0xB8, 0x14, 0x01, 0x00, 0x00, 0x02, 0x01, 0x00, 0x10, 0x00, 0, 0}));
  EXPECT_EQ(cdb::ReadElementStatus({ElementType::kStorage, 0, 9, false, false, 0x123456}),
            (cdb::Cdb12{0xB8, 0x02, 0, 0, 0, 9, 0, 0x12, 0x34, 0x56, 0, 0}));
  EXPECT_EQ(cdb::InitializeElementStatus(), (cdb::Cdb6{0x07, 0, 0, 0, 0, 0}));
  EXPECT_EQ(cdb::ReportLuns(520), (cdb::Cdb12{0xA0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x08, 0, 0}));
}

}  // namespace
}  // namespace tsfs::smc
