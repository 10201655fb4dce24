#include "tapecore/library/library_probe.h"

#include "tapecore/smc/smc.h"
#include "tapecore/source/open_source.h"
#include "tapecore/vtlib/vtape_library.h"

namespace tsfs::library {

Result<bool> NamesChanger(const std::string& source) {
  if (vtlib::IsVtlibSource(source)) return true;
  const bool may_be_changer = source.rfind("iscsi://", 0) == 0 || source.rfind("/dev/sg", 0) == 0;
  if (!may_be_changer) return false;
  TSFS_ASSIGN_OR_RETURN(std::unique_ptr<Transport> transport, OpenSource(source));
  smc::Smc smc(*transport);
  TSFS_ASSIGN_OR_RETURN(InquiryData inquiry, smc.Inquiry());
  return smc::CheckChangerDevice(inquiry).ok();
}

}  // namespace tsfs::library
