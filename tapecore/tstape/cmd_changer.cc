// tstape changer SOURCE [status|load SLOT [DRIVE]|unload DRIVE [SLOT]|
//                        transfer FROM TO|inventory]: the media changer of a
// tape library, with `status` in the layout mtx prints (scripts parse it).
#include <boost/program_options.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "tapecore/library/library_tsbconf.h"
#include "tapecore/smc/smc.h"
#include "tapecore/source/open_source.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/tstape/json_writer.h"
#include "tapecore/vtlib/vtape_library.h"

namespace tsfs::tstape {

namespace {

namespace po = boost::program_options;

Result<std::unique_ptr<Transport>> OpenChanger(const std::string& source,
                                               const std::string& config_path) {
  if (library::LibraryNumber(source)) {
    TSFS_ASSIGN_OR_RETURN(library::LibraryConfig listed,
                          library::ResolveLibrary(source, config_path));
    return OpenChanger(listed.changer, config_path);
  }
  if (vtlib::IsVtlibSource(source)) {
    TSFS_ASSIGN_OR_RETURN(auto lib, vtlib::VtapeLibrary::Open(source));
    return lib->OpenChanger();
  }
  return OpenSource(source);
}

// The 1-based slot number of a storage or import/export element (import/export
// elements are numbered after the storage elements, as mtx does), or 0.
int SlotNumber(const smc::Inventory& inv, uint16_t address) {
  for (size_t i = 0; i < inv.storage.size(); ++i) {
    if (inv.storage[i].address == address) return static_cast<int>(i) + 1;
  }
  for (size_t i = 0; i < inv.import_export.size(); ++i) {
    if (inv.import_export[i].address == address) {
      return static_cast<int>(inv.storage.size() + i) + 1;
    }
  }
  return 0;
}

void PrintStatus(const std::string& source, const smc::Inventory& inv) {
  std::printf("  Storage Changer %s:%zu Drives, %zu Slots ( %zu Import/Export )\n", source.c_str(),
              inv.drives.size(), inv.storage.size() + inv.import_export.size(),
              inv.import_export.size());
  for (size_t i = 0; i < inv.drives.size(); ++i) {
    const smc::ElementStatus& d = inv.drives[i];
    if (!d.full) {
      std::printf("Data Transfer Element %zu:Empty\n", i);
      continue;
    }
    const int from = d.source ? SlotNumber(inv, *d.source) : 0;
    if (from > 0) {
      std::printf("Data Transfer Element %zu:Full (Storage Element %d Loaded)", i, from);
    } else {
      std::printf("Data Transfer Element %zu:Full (Unknown Storage Element Loaded)", i);
    }
    if (d.volume_tag) std::printf(":VolumeTag = %s", d.volume_tag->c_str());
    std::printf("\n");
  }
  const auto slot = [&](const smc::ElementStatus& e, bool ie) {
    std::printf("      Storage Element %d%s:%s", SlotNumber(inv, e.address),
                ie ? " IMPORT/EXPORT" : "", e.full ? "Full " : "Empty");
    if (e.full && e.volume_tag) std::printf(":VolumeTag=%s", e.volume_tag->c_str());
    std::printf("\n");
  };
  for (const smc::ElementStatus& e : inv.storage) slot(e, false);
  for (const smc::ElementStatus& e : inv.import_export) slot(e, true);
}

// --json: the same elements as an object (schema in tstape(1)).
void PrintStatusJson(const std::string& source, const smc::Inventory& inv) {
  JsonWriter json;
  json.BeginObject().String("changer", source).BeginArray("drives");
  for (size_t i = 0; i < inv.drives.size(); ++i) {
    const smc::ElementStatus& d = inv.drives[i];
    json.BeginObject().Number("drive", i).Number("element", d.address).Bool("full", d.full);
    if (d.full && d.volume_tag) {
      json.String("volume_tag", *d.volume_tag);
    } else {
      json.Null("volume_tag");
    }
    const int from = d.full && d.source ? SlotNumber(inv, *d.source) : 0;
    if (from > 0) {
      json.Number("from_slot", static_cast<uint64_t>(from));
    } else {
      json.Null("from_slot");
    }
    json.EndObject();
  }
  json.EndArray().BeginArray("slots");
  const auto slot = [&](const smc::ElementStatus& e, bool ie) {
    json.BeginObject()
        .Number("slot", static_cast<uint64_t>(SlotNumber(inv, e.address)))
        .Number("element", e.address)
        .Bool("import_export", ie)
        .Bool("full", e.full);
    if (e.full && e.volume_tag) {
      json.String("volume_tag", *e.volume_tag);
    } else {
      json.Null("volume_tag");
    }
    json.EndObject();
  };
  for (const smc::ElementStatus& e : inv.storage) slot(e, false);
  for (const smc::ElementStatus& e : inv.import_export) slot(e, true);
  json.EndArray().EndObject();
  std::fputs(json.Text().c_str(), stdout);
}

Result<int> Number(const std::vector<std::string>& ops, size_t i, const char* what) {
  if (i >= ops.size())
    return Status::Error(ErrorCode::kInvalidArgument, std::string("missing ") + what);
  try {
    size_t end = 0;
    const int n = std::stoi(ops[i], &end);
    if (end == ops[i].size() && n >= 0) return n;
  } catch (const std::exception&) {
  }
  return Status::Error(ErrorCode::kInvalidArgument,
                       std::string("bad ") + what + " '" + ops[i] + "'");
}

// The element address of slot N (1-based, import/export after storage) or drive N (0-based).
Result<uint16_t> SlotAddress(const smc::Inventory& inv, int n) {
  if (n >= 1 && n <= static_cast<int>(inv.storage.size())) return inv.storage[n - 1].address;
  const int ie = n - static_cast<int>(inv.storage.size()) - 1;
  if (n >= 1 && ie < static_cast<int>(inv.import_export.size())) {
    return inv.import_export[ie].address;
  }
  return Status::Error(ErrorCode::kInvalidArgument, "no slot " + std::to_string(n));
}
Result<uint16_t> DriveAddress(const smc::Inventory& inv, int n) {
  if (n < static_cast<int>(inv.drives.size())) return inv.drives[n].address;
  return Status::Error(ErrorCode::kInvalidArgument, "no drive " + std::to_string(n));
}

Status Run(smc::Smc& smc, const std::string& source, const std::vector<std::string>& ops,
           bool json) {
  const std::string op = ops.empty() ? "status" : ops[0];
  if (op == "inventory") return smc.InitializeElementStatus();
  TSFS_ASSIGN_OR_RETURN(smc::Inventory inv, smc.ReadAllElements());
  const uint16_t picker = inv.transports.empty() ? 0 : inv.transports[0].address;
  if (op == "status") {
    if (ops.size() > 1)
      return Status::Error(ErrorCode::kInvalidArgument, "status takes no operand");
    if (json) {
      PrintStatusJson(source, inv);
    } else {
      PrintStatus(source, inv);
    }
    return Status::Ok();
  }
  if (op == "load") {
    TSFS_ASSIGN_OR_RETURN(int slot, Number(ops, 1, "slot"));
    int d = 0;
    if (ops.size() > 2) {
      TSFS_ASSIGN_OR_RETURN(d, Number(ops, 2, "drive"));
    }
    TSFS_ASSIGN_OR_RETURN(uint16_t from, SlotAddress(inv, slot));
    TSFS_ASSIGN_OR_RETURN(uint16_t to, DriveAddress(inv, d));
    return smc.MoveMedium(picker, from, to);
  }
  if (op == "unload") {
    TSFS_ASSIGN_OR_RETURN(int d, Number(ops, 1, "drive"));
    TSFS_ASSIGN_OR_RETURN(uint16_t from, DriveAddress(inv, d));
    const smc::ElementStatus* e = inv.Find(from);
    uint16_t to = 0;
    if (ops.size() > 2) {
      TSFS_ASSIGN_OR_RETURN(int slot, Number(ops, 2, "slot"));
      TSFS_ASSIGN_OR_RETURN(to, SlotAddress(inv, slot));
    } else if (e != nullptr && e->source) {
      to = *e->source;
    } else {
      return Status::Error(ErrorCode::kInvalidArgument,
                           "the changer does not know where the cartridge came from: give SLOT");
    }
    return smc.MoveMedium(picker, from, to);
  }
  if (op == "transfer") {
    TSFS_ASSIGN_OR_RETURN(int a, Number(ops, 1, "slot"));
    TSFS_ASSIGN_OR_RETURN(int b, Number(ops, 2, "slot"));
    TSFS_ASSIGN_OR_RETURN(uint16_t from, SlotAddress(inv, a));
    TSFS_ASSIGN_OR_RETURN(uint16_t to, SlotAddress(inv, b));
    return smc.MoveMedium(picker, from, to);
  }
  return Status::Error(ErrorCode::kInvalidArgument, "unknown changer operation '" + op + "'");
}

}  // namespace

int RunChanger(const Args& args) {
  po::options_description visible(
      "Operates the media changer of a tape library (an iSCSI LUN or /dev/sgN of\n"
      "peripheral type 8, vtlib:DIR?options, or libN of the configuration file).\n"
      "OPERATION is one of\n"
      "  status                 every element, in the layout of mtx status (default)\n"
      "  load SLOT [DRIVE]      slot (1-based) to drive (0-based, default 0)\n"
      "  unload DRIVE [SLOT]    drive to SLOT, or to the slot it came from\n"
      "  transfer FROM TO       slot to slot\n"
      "  inventory              INITIALIZE ELEMENT STATUS (the changer checks every slot)\n"
      "Import/export elements are numbered after the storage slots, as in mtx.\n\noptions");
  std::string config_path;
  visible.add_options()("help,h", "this help");
  visible.add_options()("json", "status as JSON (schema in tstape(1))");
  visible.add_options()("config", po::value<std::string>(&config_path),
                        "configuration file for libN (default /etc/tsfs/tsbconf.conf)");
  visible.add_options()("source", po::value<std::string>()->required(), "changer source")(
      "operation", po::value<std::vector<std::string>>(), "operation and operands");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "changer SOURCE [OPERATION [ARGS...]] [options]", visible,
                                {"source", "operation", "operation", "operation"}, vm);
      rc >= 0) {
    return rc;
  }
  const std::string source = vm["source"].as<std::string>();
  const std::vector<std::string> ops = vm.count("operation")
                                           ? vm["operation"].as<std::vector<std::string>>()
                                           : std::vector<std::string>{};
  auto transport = OpenChanger(source, config_path);
  if (!transport.ok()) return Fail("changer", transport.status());
  smc::Smc smc(**transport);
  auto inquiry = smc.Inquiry();
  if (!inquiry.ok()) return Fail("changer", inquiry.status());
  if (Status st = smc::CheckChangerDevice(*inquiry); !st.ok()) return Fail("changer", st);
  for (int i = 0; i < 3 && !smc.TestUnitReady().ok(); ++i) {
  }
  const Status st = Run(smc, source, ops, vm.count("json") > 0);
  if (st.code() == ErrorCode::kInvalidArgument) {
    std::fprintf(stderr, "tstape changer: %s\n", st.message().c_str());
    return 2;
  }
  return st.ok() ? 0 : Fail("changer", st);
}

}  // namespace tsfs::tstape
