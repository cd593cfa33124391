// Interned names. Every identifier and attribute name is stored once and
// referred to by a 32-bit id, so that comparing two names is comparing two
// integers and attribute sets can be sorted arrays keyed by id.
//
//   SymbolTable symbols;
//   Symbol s = symbols.intern("name");
//   symbols.name(s)                      // "name"
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace cstore::lang {

struct Symbol {
    uint32_t id = 0;  // 0: no symbol
    explicit operator bool() const { return id != 0; }
    bool operator==(const Symbol&) const = default;
    auto operator<=>(const Symbol&) const = default;
};

class SymbolTable {
public:
    SymbolTable();
    Symbol intern(std::string_view name);
    // The symbol for `name` if it was interned already.
    Symbol find(std::string_view name) const;
    std::string_view name(Symbol s) const { return names_[s.id]; }
    // Number of ids handed out, plus one for the empty id 0.
    uint32_t size() const { return static_cast<uint32_t>(names_.size()); }

private:
    void grow();
    std::vector<std::string_view> names_;
    std::vector<uint32_t> slots_;  // open addressing; 0 = empty, else a symbol id
    std::vector<std::unique_ptr<char[]>> storage_;
    char* cur_ = nullptr;
    size_t left_ = 0;
};

}  // namespace cstore::lang
