// The compression extension's entry points (compression_codecs.cc; see
// cstore/util/extension.hh): makeCompressor and makeDecompressor for xz,
// bzip2 and br.
#pragma once

#include <memory>
#include <string_view>

#include "cstore/substituter/compression.hh"

extern "C" std::unique_ptr<cstore::CompressionSink> cstore_make_compressor(std::string_view method, cstore::Sink& next,
                                                                           cstore::CompressionOptions options);
extern "C" std::unique_ptr<cstore::CompressionSink> cstore_make_decompressor(std::string_view method,
                                                                             cstore::Sink& next);
