// A content-addressed blob being written: bytes go through an optional
// compressor into a temporary file, hashed before (diff_id) and after
// (digest) compression; `finish` renames it to blobs/sha256/<digest>.
#pragma once

#include <memory>
#include <string>

#include "cstore/image/image_spec.hh"
#include "cstore/util/file.hh"
#include "cstore/util/hash.hh"
#include "cstore/util/stream.hh"
#include "cstore/util/threaded_sink.hh"

namespace cstore {

class BlobWriter : public Sink {
public:
    BlobWriter(const std::string& blobsDir, LayerCompression compression);
    ~BlobWriter() override;
    void operator()(std::string_view data) override;

    struct Result {
        std::string digest, diffId;  // "sha256:<hex>"
        uint64_t size = 0;
    };
    Result finish();

private:
    struct Compressor;
    void writeCompressed(std::string_view data);

    std::string blobsDir_, tmpPath_;
    AutoCloseFD fd_;
    LayerCompression compression_;
    HashSink raw_{HashAlgo::sha256}, stored_{HashAlgo::sha256};
    // Hashing runs on other cores while this one reads, archives and writes.
    std::unique_ptr<ThreadedSink> rawAsync_, storedAsync_;
    std::unique_ptr<Compressor> compressor_;
    uint64_t size_ = 0;
};

// Writes `data` as a blob (no compression), returning "sha256:<hex>" and the size.
BlobWriter::Result writeBlob(const std::string& blobsDir, std::string_view data);

}  // namespace cstore
