// Small string helpers shared by the configuration reader, narinfo parsing,
// derivation environments and the SBOM.
//
//   splitWords(" a\tb\n")   // {"a", "b"}
//   trim("  x \r")          // "x"
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cstore {

// The words of `s`, separated by spaces, tabs, newlines and carriage returns.
std::vector<std::string> splitWords(std::string_view s);

// `s` without leading and trailing spaces, tabs and carriage returns.
std::string trim(std::string_view s);

}  // namespace cstore
