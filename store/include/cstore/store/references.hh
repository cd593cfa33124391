// Reference scanning (spec section 8): finds which of a set of candidate
// store paths a byte stream mentions, by looking for their 32-character hash
// parts anywhere in the stream (file contents, names, symlink targets when
// the stream is a NAR).
//
//   RefScanSink scan(candidateHashParts);
//   dumpPath(output, scan);
//   auto found = scan.found();   // hash parts seen
#pragma once

#include <bitset>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "cstore/util/stream.hh"

namespace cstore {

class RefScanSink : public Sink {
public:
    explicit RefScanSink(const std::vector<std::string>& hashParts);
    void operator()(std::string_view data) override;
    // The candidate hash parts seen so far.
    std::vector<std::string> found() const;

private:
    void scan(std::string_view data);
    void check(std::string_view window);

    std::vector<std::string> storage_;
    std::unordered_set<std::string_view> candidates_, found_;
    std::unique_ptr<std::bitset<32768>> prefixes_;  // first three nix32 digits of each candidate
    std::string tail_;                              // the last bytes of the previous chunk, for matches across chunks
};

}  // namespace cstore
