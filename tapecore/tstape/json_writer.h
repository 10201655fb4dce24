// JsonWriter: the --json output of tstape list, status and inquiry. One
// object or array at a time, keys in the order written, numbers as numbers,
// strings escaped (control characters as \uXXXX, bytes >= 0x80 as they are:
// the drive's identity strings are ASCII).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tsfs::tstape {

class JsonWriter final {
 public:
  JsonWriter& BeginObject(std::string_view key = {});
  JsonWriter& EndObject();
  JsonWriter& BeginArray(std::string_view key = {});
  JsonWriter& EndArray();
  JsonWriter& String(std::string_view key, std::string_view value);
  JsonWriter& Number(std::string_view key, uint64_t value);
  JsonWriter& SignedNumber(std::string_view key, int64_t value);
  JsonWriter& Bool(std::string_view key, bool value);
  JsonWriter& Null(std::string_view key);
  JsonWriter& StringElement(std::string_view value);  // in an array

  // The text, with a final newline once every object and array is closed.
  std::string Text() const;

 private:
  void Separator(std::string_view key);
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
};

// "a\"b" with the JSON escapes.
std::string JsonQuote(std::string_view text);

}  // namespace tsfs::tstape
