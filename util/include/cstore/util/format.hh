// A tiny type-safe replacement for printf: `%s` (or any `%x` conversion)
// is replaced by the next argument, formatted with operator<<; `%%` is '%'.
// GCC 12 has no std::format, and error messages need nothing more.
//
//   format("path '%s' has %s references", path, n)
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace cstore {

namespace detail {
inline void formatRest(std::ostringstream& out, std::string_view fmt) {
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] == '%' && i + 1 < fmt.size()) {
            ++i;
            out << (fmt[i] == '%' ? "%" : "%?");
            if (fmt[i] != '%') out << fmt[i];
        } else {
            out << fmt[i];
        }
    }
}

template <typename T, typename... Rest>
void formatRest(std::ostringstream& out, std::string_view fmt, const T& first, const Rest&... rest) {
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] == '%' && i + 1 < fmt.size()) {
            if (fmt[i + 1] == '%') {
                out << '%';
                ++i;
                continue;
            }
            out << first;
            formatRest(out, fmt.substr(i + 2), rest...);
            return;
        }
        out << fmt[i];
    }
}
}  // namespace detail

template <typename... Args>
std::string format(std::string_view fmt, const Args&... args) {
    if constexpr (sizeof...(Args) == 0) {
        return std::string(fmt);
    } else {
        std::ostringstream out;
        detail::formatRest(out, fmt, args...);
        return out.str();
    }
}

}  // namespace cstore
