// Streaming compression of NARs for binary caches: `none`, `zstd` (the
// default; multithreaded with ZSTD_c_nbWorkers), `xz` (liblzma; Nix's
// default, so caches written by `nix copy` use it), and `bzip2` and `br`
// (brotli), which older Nix caches use.
//
//   FdSink file(fd);
//   auto zstd = makeCompressor("zstd", file, {.level = 3, .threads = 2});
//   dumpPath(tree, *zstd);
//   zstd->finish();                       // flushes the end of the stream
//
//   auto unzstd = makeDecompressor("zstd", restoreSink);
//   http.get(url, *unzstd);
//   unzstd->finish();                     // throws if the stream was cut short
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cstore/util/stream.hh"

namespace cstore {

// A Sink that transforms what it receives and pushes the result into the
// next sink. finish() must be called after the last chunk.
struct CompressionSink : Sink {
    virtual void finish() = 0;
};

struct CompressionOptions {
    int level = -1;        // -1: the method's default (zstd 3, xz 6, bzip2 9, br 6)
    unsigned threads = 0;  // 0: single-threaded
};

// Throws Error for an unknown or unsupported method.
std::unique_ptr<CompressionSink> makeCompressor(std::string_view method, Sink& next, CompressionOptions options = {});
std::unique_ptr<CompressionSink> makeDecompressor(std::string_view method, Sink& next);

// Whether `method` can be read and written.
bool compressionSupported(std::string_view method);
// The NAR file suffix for `method`: ".nar.zst", ".nar.xz", ".nar.bz2", ".nar.br", ".nar" (spec 6.4).
std::string narFileExtension(std::string_view method);

}  // namespace cstore
