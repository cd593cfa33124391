#include "cstore/util/encoding.hh"

#include <array>

#include "cstore/util/error.hh"

namespace cstore {

namespace {
constexpr std::string_view hexDigits = "0123456789abcdef";
constexpr std::string_view nix32Chars = "0123456789abcdfghijklmnpqrsvwxyz";
constexpr std::string_view base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> makeReverse(std::string_view alphabet) {
    std::array<int8_t, 256> table{};
    for (auto& v : table) v = -1;
    for (size_t i = 0; i < alphabet.size(); ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
    return table;
}
constexpr auto nix32Reverse = makeReverse(nix32Chars);
constexpr auto base64Reverse = makeReverse(base64Chars);

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string encodeBase16(std::string_view bytes) {
    std::string out(bytes.size() * 2, '\0');
    for (size_t i = 0; i < bytes.size(); ++i) {
        auto b = static_cast<uint8_t>(bytes[i]);
        out[2 * i] = hexDigits[b >> 4];
        out[2 * i + 1] = hexDigits[b & 0xf];
    }
    return out;
}

std::string decodeBase16(std::string_view text) {
    if (text.size() % 2) throw FormatError("base-16 string '%s' has an odd length", text);
    std::string out(text.size() / 2, '\0');
    for (size_t i = 0; i < out.size(); ++i) {
        int hi = hexValue(text[2 * i]), lo = hexValue(text[2 * i + 1]);
        if (hi < 0 || lo < 0) throw FormatError("invalid character in base-16 string '%s'", text);
        out[i] = static_cast<char>(hi << 4 | lo);
    }
    return out;
}

std::string encodeNix32(std::string_view bytes) {
    size_t len = nix32Length(bytes.size());
    std::string out(len, '0');
    for (size_t k = 0; k < len; ++k) {
        size_t bit = 5 * (len - 1 - k);
        size_t i = bit / 8, j = bit % 8;
        unsigned v = static_cast<uint8_t>(bytes[i]) >> j;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned>(static_cast<uint8_t>(bytes[i + 1])) << (8 - j);
        out[k] = nix32Chars[v & 0x1f];
    }
    return out;
}

std::string decodeNix32(std::string_view text, size_t size) {
    if (text.size() != nix32Length(size)) throw FormatError("nix32 string '%s' does not encode %s bytes", text, size);
    std::string out(size, '\0');
    for (size_t n = 0; n < text.size(); ++n) {
        char c = text[text.size() - 1 - n];
        int digit = nix32Reverse[static_cast<uint8_t>(c)];
        if (digit < 0) throw FormatError("invalid character '%s' in nix32 string '%s'", c, text);
        size_t bit = n * 5, i = bit / 8, j = bit % 8;
        out[i] = static_cast<char>(static_cast<uint8_t>(out[i]) | (digit << j));
        unsigned carry = static_cast<unsigned>(digit) >> (8 - j);
        if (i + 1 < size) {
            out[i + 1] = static_cast<char>(static_cast<uint8_t>(out[i + 1]) | carry);
        } else if (carry) {
            throw FormatError("nix32 string '%s' is not canonical", text);
        }
    }
    return out;
}

std::string encodeBase64(std::string_view bytes) {
    std::string out;
    out.reserve(base64Length(bytes.size()));
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1]) << 8 |
                     static_cast<uint8_t>(bytes[i + 2]);
        out += base64Chars[v >> 18];
        out += base64Chars[(v >> 12) & 63];
        out += base64Chars[(v >> 6) & 63];
        out += base64Chars[v & 63];
    }
    size_t rest = bytes.size() - i;
    if (rest) {
        uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
        out += base64Chars[v >> 18];
        out += base64Chars[(v >> 12) & 63];
        out += rest == 2 ? base64Chars[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string decodeBase64(std::string_view text) {
    if (text.size() % 4) throw FormatError("base-64 string '%s' has a length that is not a multiple of 4", text);
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (size_t k = 0; k < 4; ++k) {
            char c = text[i + k];
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                ++pad;
                v <<= 6;
                continue;
            }
            int d = base64Reverse[static_cast<uint8_t>(c)];
            if (d < 0 || pad) throw FormatError("invalid character in base-64 string '%s'", text);
            v = v << 6 | static_cast<uint32_t>(d);
        }
        out += static_cast<char>(v >> 16);
        if (pad < 2) out += static_cast<char>((v >> 8) & 0xff);
        if (pad < 1) out += static_cast<char>(v & 0xff);
    }
    return out;
}

}  // namespace cstore
