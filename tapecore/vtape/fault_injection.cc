#include "tapecore/vtape/fault_injection.h"

#include <charconv>

namespace tsfs::vtape {
namespace {

struct Named {
  const char* name;
  int value;
};

constexpr Named kCommands[] = {
    {"read", static_cast<int>(FaultCommand::kRead)},
    {"write", static_cast<int>(FaultCommand::kWrite)},
    {"space", static_cast<int>(FaultCommand::kSpace)},
    {"wfm", static_cast<int>(FaultCommand::kWfm)},
    {"rewind", static_cast<int>(FaultCommand::kRewind)},
    {"erase", static_cast<int>(FaultCommand::kErase)},
    {"locate", static_cast<int>(FaultCommand::kLocate)},
    {"load", static_cast<int>(FaultCommand::kLoad)},
    {"tur", static_cast<int>(FaultCommand::kTur)},
    {"readpos", static_cast<int>(FaultCommand::kReadPosition)},
    {"modesense", static_cast<int>(FaultCommand::kModeSense)},
    {"modeselect", static_cast<int>(FaultCommand::kModeSelect)},
    {"inquiry", static_cast<int>(FaultCommand::kInquiry)},
    {"limits", static_cast<int>(FaultCommand::kBlockLimits)},
};

constexpr Named kKeys[] = {
    {"medium", static_cast<int>(FaultKey::kMedium)},
    {"hardware", static_cast<int>(FaultKey::kHardware)},
    {"notready", static_cast<int>(FaultKey::kNotReady)},
    {"aborted", static_cast<int>(FaultKey::kAborted)},
    {"overflow", static_cast<int>(FaultKey::kOverflow)},
    {"protect", static_cast<int>(FaultKey::kProtect)},
    {"illegal", static_cast<int>(FaultKey::kIllegal)},
    {"vendor", static_cast<int>(FaultKey::kVendor)},
    {"unitattention", static_cast<int>(FaultKey::kUnitAttention)},
    {"reset", static_cast<int>(FaultKey::kReset)},
};

template <size_t N>
std::optional<int> Lookup(const Named (&table)[N], std::string_view name) {
  for (const auto& n : table) {
    if (name == n.name) return n.value;
  }
  return std::nullopt;
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

Result<FaultRule> ParseRule(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::Error(ErrorCode::kInvalidArgument, "vtape option fail: '" + std::string(text) +
                                                          "': " + why +
                                                          " (expected CMD@BLOCK:KEY[*N][+M])");
  };
  const size_t at = text.find('@');
  const size_t colon = text.find(':', at == std::string_view::npos ? 0 : at);
  if (at == std::string_view::npos || colon == std::string_view::npos) return bad("malformed");
  FaultRule rule;
  const auto cmd = Lookup(kCommands, text.substr(0, at));
  if (!cmd) return bad("unknown command '" + std::string(text.substr(0, at)) + "'");
  rule.command = static_cast<FaultCommand>(*cmd);
  if (!ParseNumber(text.substr(at + 1, colon - at - 1), &rule.block)) return bad("bad block");
  std::string_view key = text.substr(colon + 1);
  const size_t plus = key.find('+');
  if (plus != std::string_view::npos) {
    if (!ParseNumber(key.substr(plus + 1), &rule.skip)) return bad("bad skip count");
    key = key.substr(0, plus);
  }
  const size_t star = key.find('*');
  if (star != std::string_view::npos) {
    if (!ParseNumber(key.substr(star + 1), &rule.times)) return bad("bad repeat count");
    key = key.substr(0, star);
  }
  const auto k = Lookup(kKeys, key);
  if (!k) return bad("unknown key '" + std::string(key) + "'");
  rule.key = static_cast<FaultKey>(*k);
  return rule;
}

}  // namespace

const char* FaultCommandName(FaultCommand command) {
  for (const auto& n : kCommands) {
    if (n.value == static_cast<int>(command)) return n.name;
  }
  return "?";
}

const char* FaultKeyName(FaultKey key) {
  for (const auto& n : kKeys) {
    if (n.value == static_cast<int>(key)) return n.name;
  }
  return "?";
}

FaultSense SenseForFault(FaultKey key, FaultCommand command) {
  switch (key) {
    case FaultKey::kMedium: {
      const bool writing = command == FaultCommand::kWrite || command == FaultCommand::kWfm ||
                           command == FaultCommand::kErase;
      return writing ? FaultSense{SenseKey::kMediumError, 0x0C, 0x00}
                     : FaultSense{SenseKey::kMediumError, 0x11, 0x00};
    }
    case FaultKey::kHardware:
      return {SenseKey::kHardwareError, 0x44, 0x00};
    case FaultKey::kNotReady:
      return {SenseKey::kNotReady, 0x04, 0x00};
    case FaultKey::kAborted:
      return {SenseKey::kAbortedCommand, 0x4B, 0x00};
    case FaultKey::kOverflow:
      return {SenseKey::kVolumeOverflow, 0x00, 0x02, true};
    case FaultKey::kProtect:
      return {SenseKey::kDataProtect, 0x27, 0x00};
    case FaultKey::kIllegal:
      return {SenseKey::kIllegalRequest, 0x24, 0x00};
    case FaultKey::kVendor:
      return {SenseKey::kVendorSpecific, 0x80, 0x00};
    case FaultKey::kUnitAttention:
      return {SenseKey::kUnitAttention, 0x28, 0x00};
    case FaultKey::kReset:
      return {SenseKey::kUnitAttention, 0x29, 0x00, false, true};
  }
  return {SenseKey::kHardwareError, 0x44, 0x00};
}

Result<std::vector<FaultRule>> ParseFaultRules(std::string_view text) {
  std::vector<FaultRule> rules;
  while (true) {
    const size_t comma = text.find(',');
    TSFS_ASSIGN_OR_RETURN(FaultRule rule, ParseRule(text.substr(0, comma)));
    rules.push_back(rule);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return rules;
}

FaultInjector::FaultInjector(const std::vector<FaultRule>& rules) {
  for (const auto& r : rules) rules_.push_back({r, 0});
}

std::optional<FaultSense> FaultInjector::Check(FaultCommand command, uint64_t first, uint64_t count,
                                               uint64_t* offset) {
  for (auto& a : rules_) {
    if (a.rule.command != command) continue;
    if (a.rule.times != 0 && a.fired >= a.rule.times) continue;
    if (first + count <= a.rule.block) continue;  // does not reach the block
    if (a.passed < a.rule.skip) {
      ++a.passed;
      continue;
    }
    ++a.fired;
    if (offset) *offset = a.rule.block > first ? a.rule.block - first : 0;
    return SenseForFault(a.rule.key, command);
  }
  return std::nullopt;
}

}  // namespace tsfs::vtape
