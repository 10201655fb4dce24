#include "tapecore/smc/element.h"

namespace tsfs::smc {

const char* ElementTypeName(ElementType type) {
  switch (type) {
    case ElementType::kAll:
      return "all";
    case ElementType::kMediumTransport:
      return "medium transport";
    case ElementType::kStorage:
      return "storage";
    case ElementType::kImportExport:
      return "import/export";
    case ElementType::kDataTransfer:
      return "data transfer";
  }
  return "unknown";
}

const ElementRange& ElementAddressAssignment::Range(ElementType type) const {
  static const ElementRange kNone;  // immutable
  switch (type) {
    case ElementType::kMediumTransport:
      return transport;
    case ElementType::kStorage:
      return storage;
    case ElementType::kImportExport:
      return import_export;
    case ElementType::kDataTransfer:
      return data_transfer;
    case ElementType::kAll:
      break;
  }
  return kNone;
}

ElementType ElementAddressAssignment::TypeOf(uint16_t address) const {
  for (ElementType t : {ElementType::kMediumTransport, ElementType::kStorage,
                        ElementType::kImportExport, ElementType::kDataTransfer}) {
    if (Range(t).Contains(address)) return t;
  }
  return ElementType::kAll;
}

}  // namespace tsfs::smc
