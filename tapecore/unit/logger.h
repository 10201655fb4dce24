// Logger: the one place diagnostics go (syslog, and stderr in the
// foreground). Lines carry the unit name: "ts: rts0: Media error on write".
// Tests use CapturingLogger to assert on the exact ts(4) wording.
//
// Implementations are thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tsfs {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

class Logger {
 public:
  Logger() = default;
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  virtual ~Logger() = default;
  // `unit` is "rts0"-style or a source description; `line` has no newline.
  virtual void Log(LogLevel level, std::string_view unit, std::string_view line) = 0;
};

// syslog (facility LOG_DAEMON, ident given) and/or stderr.
class SystemLogger final : public Logger {
 public:
  SystemLogger(std::string ident, bool to_syslog, bool to_stderr);
  ~SystemLogger() override;
  void Log(LogLevel level, std::string_view unit, std::string_view line) override;

 private:
  std::string ident_;
  bool to_syslog_;
  bool to_stderr_;
  std::mutex mu_;  // serialises stderr lines
};

// Keeps every line in memory ("unit: line"), for tests.
class CapturingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view unit, std::string_view line) override;
  std::vector<std::string> Lines() const;
  bool Contains(std::string_view fragment) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

}  // namespace tsfs
