#include "cstore/util/strings.hh"

namespace cstore {

std::vector<std::string> splitWords(std::string_view s) {
    constexpr std::string_view space = " \t\n\r";
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        size_t b = s.find_first_not_of(space, i);
        if (b == std::string_view::npos) break;
        size_t e = s.find_first_of(space, b);
        out.emplace_back(s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
        i = e == std::string_view::npos ? s.size() : e;
    }
    return out;
}

std::string trim(std::string_view s) {
    size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

}  // namespace cstore
