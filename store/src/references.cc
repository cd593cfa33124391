#include "cstore/store/references.hh"

#include <algorithm>

#include "cstore/store/store_path.hh"
#include "cstore/util/encoding.hh"

namespace cstore {

namespace {
constexpr size_t hashLen = StorePath::hashLength;

int nix32Value(char c) {
    static constexpr std::string_view chars = "0123456789abcdfghijklmnpqrsvwxyz";
    return static_cast<int>(chars.find(c));
}

size_t prefixKey(std::string_view s) {
    return static_cast<size_t>(nix32Value(s[0]) << 10 | nix32Value(s[1]) << 5 | nix32Value(s[2]));
}
}  // namespace

HashPartSet::HashPartSet() : prefixes_(std::make_unique<std::bitset<32768>>()) {}

HashPartSet::HashPartSet(const std::vector<std::string>& hashParts) : HashPartSet() {
    for (auto& h : hashParts) insert(h);
}

void HashPartSet::insert(std::string_view h) {
    if (h.size() != hashLen || !std::all_of(h.begin(), h.end(), isNix32Char)) return;
    parts_.emplace(h);
    prefixes_->set(prefixKey(h));
}

const std::string* HashPartSet::find(std::string_view window) const {
    if (!prefixes_->test(prefixKey(window))) return nullptr;
    auto it = parts_.find(std::string(window));
    return it == parts_.end() ? nullptr : &*it;
}

void RefScanSink::check(std::string_view window) {
    if (auto* p = candidates_.find(window)) found_.insert(p);
}

void RefScanSink::operator()(std::string_view data) {
    if (candidates_.empty() || data.empty()) return;
    // Windows that straddle the previous chunk and this one: they start in
    // the tail and end in the first hashLen-1 bytes of data.
    if (!tail_.empty()) {
        std::string joined = tail_;
        joined.append(data.substr(0, std::min(data.size(), hashLen - 1)));
        size_t run = 0;
        for (size_t i = 0; i < joined.size(); ++i) {
            run = isNix32Char(joined[i]) ? run + 1 : 0;
            if (run >= hashLen && i >= tail_.size()) check(std::string_view(joined).substr(i + 1 - hashLen, hashLen));
        }
    }
    // Windows are checked from their last byte backwards, so a byte outside
    // the alphabet skips every window that contains it (on binary data most
    // windows cost one lookup); bytes already known to be in the alphabet
    // are not looked at again.
    size_t i = 0, validEnd = 0;  // data[max(i, validEnd) ...) is unchecked
    while (i + hashLen <= data.size()) {
        size_t k = i + hashLen, stop = std::max(i, validEnd);
        while (k > stop && isNix32Char(data[k - 1])) --k;
        if (k > stop) {  // data[k - 1] is not in the alphabet
            validEnd = i + hashLen;
            i = k;
            continue;
        }
        validEnd = i + hashLen;
        check(data.substr(i, hashLen));
        ++i;
    }
    if (data.size() >= hashLen - 1) {
        tail_.assign(data.substr(data.size() - (hashLen - 1)));
    } else {
        tail_.append(data);
        if (tail_.size() > hashLen - 1) tail_.erase(0, tail_.size() - (hashLen - 1));
    }
}

std::vector<std::string> RefScanSink::found() const {
    std::vector<std::string> out;
    for (auto* p : found_) out.push_back(*p);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace cstore
