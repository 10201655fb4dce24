// The elements of a SCSI media changer (SMC-3 chapter 4): what READ ELEMENT
// STATUS and MODE SENSE page 0x1D report, as plain values.
//
// Thread-safe (plain values).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tsfs::smc {

// Element type codes (SMC-3 table 21).
enum class ElementType : uint8_t {
  kAll = 0,
  kMediumTransport = 1,  // the robot's picker
  kStorage = 2,          // a slot
  kImportExport = 3,     // a mail slot (import/export element)
  kDataTransfer = 4,     // a drive
};

// "storage", "data transfer", ...
const char* ElementTypeName(ElementType type);

// One range of element addresses: `count` elements from `first` on.
struct ElementRange {
  uint16_t first = 0;
  uint16_t count = 0;
  bool Contains(uint16_t address) const {
    return count > 0 && address >= first && address - first < count;
  }
};

// MODE SENSE page 0x1D, element address assignment (SMC-3 7.3.3).
struct ElementAddressAssignment {
  ElementRange transport;
  ElementRange storage;
  ElementRange import_export;
  ElementRange data_transfer;

  const ElementRange& Range(ElementType type) const;
  // The type whose range holds `address`; kAll when none does.
  ElementType TypeOf(uint16_t address) const;
};

// The identification descriptor of an element (DVCID=1): for a drive, the
// identifier of the device in it, as in VPD page 0x83.
struct DeviceIdentifier {
  uint8_t code_set = 0;         // 1 binary, 2 ASCII, 3 UTF-8
  uint8_t association = 0;      // 0 logical unit
  uint8_t identifier_type = 0;  // 0 vendor specific, 1 T10 vendor ID, 2 EUI-64, 3 NAA, ...
  std::string identifier;       // raw bytes (ASCII ones with trailing spaces and NULs removed)
};

// One element descriptor of READ ELEMENT STATUS (SMC-3 6.10.3..6.10.7).
struct ElementStatus {
  ElementType type = ElementType::kStorage;
  uint16_t address = 0;
  bool full = false;     // holds a medium
  bool except = false;   // abnormal state; asc/ascq say which
  bool access = false;   // the robot can reach it (data transfer, import/export)
  bool imp_exp = false;  // import/export: placed by an operator (not by the robot)
  uint8_t asc = 0;
  uint8_t ascq = 0;
  // Data transfer elements: the SCSI address of the drive, when valid.
  bool lun_valid = false;
  uint8_t lun = 0;
  bool id_valid = false;
  uint8_t scsi_id = 0;
  bool not_bus = false;
  // Where the medium came from (SVALID), e.g. the home slot of a cartridge in a drive.
  std::optional<uint16_t> source;
  bool invert = false;
  // PVOLTAG / AVOLTAG: the volume identifier (barcode) without padding;
  // nullopt when not reported or blank.
  std::optional<std::string> volume_tag;
  uint16_t volume_sequence = 0;
  std::optional<std::string> alternate_tag;
  std::optional<DeviceIdentifier> device;
};

// READ ELEMENT STATUS, all pages together.
struct ElementStatusReport {
  uint16_t first_address = 0;  // first element address reported
  uint16_t elements_available = 0;
  uint32_t bytes_available = 0;  // byte count of the whole report (without its 8-byte header)
  bool truncated = false;        // the allocation length cut the report short
  std::vector<ElementStatus> elements;
};

}  // namespace tsfs::smc
