#include <sys/mtio.h>

#include "tapecore/unit/tape_unit.h"

namespace tsfs {

const char* MtOpName(MtOp op) {
  switch (op) {
    case MtOp::kFsf:
      return "fsf";
    case MtOp::kWeof:
      return "weof";
    case MtOp::kEod:
      return "eod";
    case MtOp::kRewind:
      return "rewind";
    case MtOp::kErase:
      return "erase";
    case MtOp::kRetension:
      return "retension";
    case MtOp::kFsr:
      return "fsr";
    case MtOp::kBsr:
      return "bsr";
    case MtOp::kBsf:
      return "bsf";
    case MtOp::kOffline:
      return "offline";
    case MtOp::kOther:
      return "other";
  }
  return "other";
}

MtOp MtOpFromLinux(int16_t mt_op) {
  switch (mt_op) {
    case MTFSF:
      return MtOp::kFsf;
    case MTWEOF:
      return MtOp::kWeof;
    case MTEOM:
      return MtOp::kEod;
    case MTREW:
      return MtOp::kRewind;
    case MTERASE:
      return MtOp::kErase;
    case MTRETEN:
      return MtOp::kRetension;
    case MTFSR:
      return MtOp::kFsr;
    case MTBSR:
      return MtOp::kBsr;
    case MTBSF:
      return MtOp::kBsf;
    case MTOFFL:
      return MtOp::kOffline;
    default:
      return MtOp::kOther;
  }
}

}  // namespace tsfs
