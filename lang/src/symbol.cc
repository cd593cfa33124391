#include "cstore/lang/symbol.hh"

#include <cstring>

namespace cstore::lang {

namespace {
// FNV-1a: names are short, and this needs no tables.
uint32_t hashName(std::string_view s) {
    uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}
}  // namespace

SymbolTable::SymbolTable() : names_(1), slots_(1024, 0) {}

Symbol SymbolTable::find(std::string_view name) const {
    size_t mask = slots_.size() - 1;
    for (size_t i = hashName(name) & mask;; i = (i + 1) & mask) {
        uint32_t id = slots_[i];
        if (id == 0) return {};
        if (names_[id] == name) return {id};
    }
}

Symbol SymbolTable::intern(std::string_view name) {
    size_t mask = slots_.size() - 1;
    size_t i = hashName(name) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t id = slots_[i];
        if (id == 0) break;
        if (names_[id] == name) return {id};
    }
    if (left_ < name.size()) {
        size_t chunk = name.size() > 16384 ? name.size() : 65536;
        storage_.emplace_back(new char[chunk]);
        cur_ = storage_.back().get();
        left_ = chunk;
    }
    if (!name.empty()) std::memcpy(cur_, name.data(), name.size());
    std::string_view stored(cur_, name.size());
    cur_ += name.size();
    left_ -= name.size();
    uint32_t id = static_cast<uint32_t>(names_.size());
    names_.push_back(stored);
    slots_[i] = id;
    if (names_.size() * 2 > slots_.size()) grow();
    return {id};
}

void SymbolTable::grow() {
    std::vector<uint32_t> bigger(slots_.size() * 2, 0);
    size_t mask = bigger.size() - 1;
    for (uint32_t id = 1; id < names_.size(); ++id) {
        size_t i = hashName(names_[id]) & mask;
        while (bigger[i]) i = (i + 1) & mask;
        bigger[i] = id;
    }
    slots_.swap(bigger);
}

}  // namespace cstore::lang
