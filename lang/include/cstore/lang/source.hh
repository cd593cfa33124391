// Source texts and compact positions. Every parsed text (a file, an -E
// expression, stdin) becomes an origin in the PosTable; a position is one
// 32-bit index into the concatenation of all origins, so AST nodes and
// thunks carry 4 bytes instead of a file name and two numbers. Lines and
// columns are computed only when an error is printed.
//
//   PosTable positions;
//   uint32_t base = positions.addOrigin("/a/b.cbl", text);
//   PosIdx p{base + offset};
//   positions.resolve(p)          // SourcePos{"/a/b.cbl", 3, 7}
//   renderSnippet(positions, p)   // the line and a caret under column 7
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "cstore/util/error.hh"

namespace cstore::lang {

struct PosIdx {
    uint32_t value = 0;  // 0: no position
    explicit operator bool() const { return value != 0; }
    bool operator==(const PosIdx&) const = default;
};

class PosTable {
public:
    struct Origin {
        std::string name;   // a path, or «string» / «stdin»
        std::string text;   // empty after forgetText
        uint32_t base = 0;  // PosIdx of the first byte
        uint32_t size = 0;  // of the text
        bool textForgotten = false;
        mutable std::vector<uint32_t> lineStarts;
    };

    // Stores `text` and returns the PosIdx value of its first byte.
    uint32_t addOrigin(std::string name, std::string text);
    // Frees the text of the origin at `base`, a file that can be read again,
    // keeping its line starts: positions still resolve to lines and columns,
    // and an error snippet reads the file again (as Nix does). The texts of
    // thousands of imported files are most of what parsing keeps otherwise.
    void forgetText(uint32_t base);
    const Origin& origin(uint32_t base) const;
    // The origin added last.
    const Origin& last() const { return origins_.back(); }
    // The origin holding `pos`, or nullptr.
    const Origin* find(PosIdx pos) const;
    SourcePos resolve(PosIdx pos) const;

private:
    std::deque<Origin> origins_;
    uint32_t next_ = 1;
};

// "<line>| text" and a caret line under the column of `pos`, each line indented
// by `indent` spaces; empty when the position has no text behind it.
std::string renderSnippet(const PosTable& positions, PosIdx pos, size_t indent = 7);

}  // namespace cstore::lang
