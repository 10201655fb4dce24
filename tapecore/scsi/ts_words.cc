#include "tapecore/scsi/ts_words.h"

namespace tsfs {

const char* TsErrorWords(SenseKey key) {
  switch (key) {
    case SenseKey::kAbortedCommand:
      return "Aborted command";
    case SenseKey::kHardwareError:
      return "Hardware error";
    case SenseKey::kIllegalRequest:
      return "Illegal request";
    case SenseKey::kMediumError:
      return "Media error";
    case SenseKey::kDataProtect:
      return "Media is protected";
    case SenseKey::kNotReady:
      return "Tape not ready";
    case SenseKey::kVendorSpecific:
      return "Vendor unique error";
    case SenseKey::kVolumeOverflow:
      return "Volume overflow";
    default:
      return "Unknown error";
  }
}

const char* TsCommandWords(std::span<const uint8_t> cdb) {
  if (cdb.empty()) return "command";
  switch (cdb[0]) {
    case 0x00:
      return "test unit ready";
    case 0x01:
      return "rewind";
    case 0x03:
      return "request sense";
    case 0x05:
      return "read block limits";
    case 0x07:  // SMC; SSC has no 0x07
      return "initialize element status";
    case 0x08:
      return "read";
    case 0x0A:
      return "write";
    case 0x10:
      return "write file marks";
    case 0x11:
      return "space";
    case 0x12:
      return "inquiry";
    case 0x15:
      return "mode select";
    case 0x19:
      return "erase";
    case 0x1A:
      return "mode sense";
    case 0x1B:  // LOAD UNLOAD: byte 4 bit 1 RETEN, bit 0 LOAD
      if (cdb.size() > 4 && (cdb[4] & 0x02)) return "retension";
      if (cdb.size() > 4 && (cdb[4] & 0x01)) return "load";
      return "unload";
    case 0x1E:
      return "prevent allow medium removal";
    case 0x2B:
      return "locate";
    case 0x34:
      return "read position";
    case 0x4D:
      return "log sense";
    case 0x55:
      return "mode select";
    case 0x5A:
      return "mode sense";
    case 0xA0:
      return "report luns";
    case 0xA5:
      return "move medium";
    case 0xB8:
      return "read element status";
    default:
      return "command";
  }
}

std::string TsMessage(const SenseData& sense, std::span<const uint8_t> cdb) {
  return std::string(TsErrorWords(sense.key)) + " on " + TsCommandWords(cdb);
}

bool IsUnusualSense(const SenseData& sense) {
  switch (sense.key) {
    case SenseKey::kNoSense:
      // FILEMARK, EOM (early warning), ILI and end of data are tape motion;
      // a bare NO SENSE with some other ASC is worth a look.
      return !(sense.filemark || sense.eom || sense.ili || sense.EndOfData() ||
               (sense.asc == 0 && sense.ascq == 0) || (sense.asc == 0 && sense.ascq == 0x04));
    case SenseKey::kBlankCheck:
      return !sense.EndOfData() && !sense.eom;
    default:
      return true;
  }
}

}  // namespace tsfs
