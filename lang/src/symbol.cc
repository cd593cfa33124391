#include "cstore/lang/symbol.hh"

#include <cstring>

namespace cstore::lang {

namespace {
// Eight bytes at a time, mixed by multiplication: interning runs for every
// dynamic attribute name, so this is on hot paths.
uint32_t hashName(std::string_view s) {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    for (size_t k = 0; i < s.size(); ++i, ++k) tail |= uint64_t(static_cast<unsigned char>(s[i])) << (8 * k);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return static_cast<uint32_t>(h);
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
