// Reference scanning (spec section 8): finds which of a set of candidate
// store paths a byte stream mentions, by looking for their 32-character hash
// parts anywhere in the stream (file contents, names, symlink targets when
// the stream is a NAR).
//
//   HashPartSet candidates;  candidates.insert(path.hashPart());
//   RefScanSink scan(candidates);
//   dumpPath(output, scan);
//   auto found = scan.found();   // hash parts seen, sorted
#pragma once

#include <bitset>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "cstore/util/stream.hh"

namespace cstore {

// A set of store path hash parts with a cheap pre-filter on their first
// three characters, so that most windows of the scanned bytes are rejected
// without hashing them.
class HashPartSet {
public:
    HashPartSet();
    explicit HashPartSet(const std::vector<std::string>& hashParts);
    void insert(std::string_view hashPart);
    // Returns the stored copy of `window` if it is in the set.
    const std::string* find(std::string_view window) const;
    bool empty() const { return parts_.empty(); }
    size_t size() const { return parts_.size(); }

private:
    std::unordered_set<std::string> parts_;
    std::unique_ptr<std::bitset<32768>> prefixes_;
};

class RefScanSink : public Sink {
public:
    // `candidates` must outlive the sink.
    explicit RefScanSink(const HashPartSet& candidates) : candidates_(candidates) {}
    void operator()(std::string_view data) override;
    // The candidate hash parts seen so far, sorted.
    std::vector<std::string> found() const;

private:
    void check(std::string_view window);

    const HashPartSet& candidates_;
    std::unordered_set<const std::string*> found_;
    std::string tail_;  // the last bytes of the previous chunk, for matches across chunks
};

}  // namespace cstore
