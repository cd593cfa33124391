// Byte-string encodings used by Nix-compatible formats: base16 (lower-case
// hex), nix32 (Nix's base-32, see spec 1.3) and base64 (RFC 4648, padded).
//
//   std::string h = encodeBase16(digest);          // "2cf2..."
//   std::string raw = decodeNix32("094qif9n...");  // throws FormatError on bad input
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace cstore {

std::string encodeBase16(std::string_view bytes);
std::string decodeBase16(std::string_view text);  // accepts upper-case digits too

// Length in characters of the nix32 form of `bytes` bytes.
constexpr size_t nix32Length(size_t bytes) { return (bytes * 8 - 1) / 5 + 1; }
std::string encodeNix32(std::string_view bytes);
// Decodes to exactly `size` bytes; rejects foreign characters and non-canonical input.
std::string decodeNix32(std::string_view text, size_t size);

namespace detail {
// 1 for the 32 characters of the nix32 alphabet "0123456789abcdfghijklmnpqrsvwxyz".
inline constexpr auto nix32Table = [] {
    std::array<bool, 256> t{};
    for (char c : std::string_view("0123456789abcdfghijklmnpqrsvwxyz")) t[static_cast<unsigned char>(c)] = true;
    return t;
}();
}  // namespace detail

// Inline: reference scanning calls it for every byte of every output.
inline bool isNix32Char(char c) { return detail::nix32Table[static_cast<unsigned char>(c)]; }

constexpr size_t base64Length(size_t bytes) { return 4 * ((bytes + 2) / 3); }
std::string encodeBase64(std::string_view bytes);
std::string decodeBase64(std::string_view text);

}  // namespace cstore
