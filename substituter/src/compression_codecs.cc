// xz, bzip2 and brotli NAR compression: the compression extension (see
// cstore/util/extension.hh); zstd and none stay in compression.cc.
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <bzlib.h>
#include <lzma.h>

#include <string>

#include "compression_extension.hh"
#include "cstore/util/error.hh"

namespace cstore {

namespace {

constexpr size_t outChunk = 1 << 20;

struct Xz : CompressionSink {
    Sink& next;
    lzma_stream strm = LZMA_STREAM_INIT;
    std::string out;
    bool decompress;

    Xz(Sink& n, bool decompress, CompressionOptions o) : next(n), out(outChunk, '\0'), decompress(decompress) {
        lzma_ret r;
        if (decompress) {
            r = lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED);
        } else if (o.threads > 1) {
            lzma_mt mt{};
            mt.threads = o.threads;
            mt.preset = static_cast<uint32_t>(o.level < 0 ? 6 : o.level);
            mt.check = LZMA_CHECK_CRC64;
            r = lzma_stream_encoder_mt(&strm, &mt);
        } else {
            r = lzma_easy_encoder(&strm, static_cast<uint32_t>(o.level < 0 ? 6 : o.level), LZMA_CHECK_CRC64);
        }
        if (r != LZMA_OK) throw Error("cannot initialise xz (error %s)", static_cast<int>(r));
    }
    ~Xz() override { lzma_end(&strm); }

    void run(std::string_view data, lzma_action action) {
        strm.next_in = reinterpret_cast<const uint8_t*>(data.data());
        strm.avail_in = data.size();
        while (true) {
            strm.next_out = reinterpret_cast<uint8_t*>(out.data());
            strm.avail_out = out.size();
            lzma_ret r = lzma_code(&strm, action);
            size_t n = out.size() - strm.avail_out;
            if (n) next(std::string_view(out.data(), n));
            if (r == LZMA_STREAM_END) {
                if (decompress && strm.avail_in) throw FormatError("trailing data after the xz stream");
                return;
            }
            if (r != LZMA_OK && r != LZMA_BUF_ERROR)
                throw FormatError("%s xz stream (liblzma error %s)", decompress ? "corrupt" : "cannot write",
                                  static_cast<int>(r));
            if (r == LZMA_BUF_ERROR && action == LZMA_FINISH) throw FormatError("truncated xz stream");
            if (action == LZMA_RUN && strm.avail_in == 0 && strm.avail_out != 0) return;
        }
    }
    void operator()(std::string_view data) override {
        if (!data.empty()) run(data, LZMA_RUN);
    }
    void finish() override { run({}, LZMA_FINISH); }
};

// bzip2 (libbz2) and brotli (libbrotli): older and rarer Nix cache
// compressions (`nix copy --to ...?compression=bzip2|br`), read and written
// so that any cache Nix writes can be read.
struct Bzip2 : CompressionSink {
    Sink& next;
    bool decompress;
    bz_stream strm{};
    bool ended = false;
    std::string out;

    Bzip2(Sink& n, bool d, CompressionOptions o) : next(n), decompress(d), out(outChunk, '\0') {
        int r = decompress ? BZ2_bzDecompressInit(&strm, 0, 0)
                           : BZ2_bzCompressInit(&strm, o.level < 1 || o.level > 9 ? 9 : o.level, 0, 30);
        if (r != BZ_OK) throw Error("cannot initialise bzip2 (error %s)", r);
    }
    ~Bzip2() override { decompress ? BZ2_bzDecompressEnd(&strm) : BZ2_bzCompressEnd(&strm); }

    void run(std::string_view data, int action) {
        strm.next_in = const_cast<char*>(data.data());
        strm.avail_in = static_cast<unsigned>(data.size());
        while (true) {
            if (ended && strm.avail_in) throw FormatError("trailing data after the bzip2 stream");
            // Compressing with nothing to give is an error in libbz2 (BZ_PARAM_ERROR).
            if (!decompress && action == BZ_RUN && strm.avail_in == 0) return;
            strm.next_out = out.data();
            strm.avail_out = static_cast<unsigned>(out.size());
            int r = decompress ? BZ2_bzDecompress(&strm) : BZ2_bzCompress(&strm, action);
            size_t n = out.size() - strm.avail_out;
            if (n) next(std::string_view(out.data(), n));
            if (r == BZ_STREAM_END) {
                ended = true;
                if (decompress && strm.avail_in) throw FormatError("trailing data after the bzip2 stream");
                return;
            }
            if (r != BZ_OK && r != BZ_RUN_OK && r != BZ_FINISH_OK)
                throw FormatError("%s bzip2 stream (libbz2 error %s)", decompress ? "corrupt" : "cannot write", r);
            if (strm.avail_in == 0 && strm.avail_out != 0 && (decompress || action == BZ_RUN)) return;
        }
    }
    void operator()(std::string_view data) override {
        // libbz2 counts in unsigned int: feed at most 1 GiB at a time.
        for (size_t i = 0; i < data.size(); i += 1 << 30) run(data.substr(i, 1 << 30), BZ_RUN);
    }
    void finish() override {
        if (decompress) {
            if (!ended) throw FormatError("truncated bzip2 stream");
        } else if (!ended) {
            run({}, BZ_FINISH);
        }
    }
};

struct BrotliCompressor : CompressionSink {
    Sink& next;
    BrotliEncoderState* state;
    std::string out;

    BrotliCompressor(Sink& n, CompressionOptions o)
        : next(n), state(BrotliEncoderCreateInstance(nullptr, nullptr, nullptr)), out(outChunk, '\0') {
        if (!state) throw Error("cannot create a brotli compressor");
        // Brotli's own default (11) runs at a few MB/s; 6 is near gzip -9 in size at a useful speed.
        BrotliEncoderSetParameter(state, BROTLI_PARAM_QUALITY, o.level < 0 || o.level > 11 ? 6 : o.level);
    }
    ~BrotliCompressor() override { BrotliEncoderDestroyInstance(state); }

    void run(std::string_view data, BrotliEncoderOperation op) {
        size_t availIn = data.size();
        auto nextIn = reinterpret_cast<const uint8_t*>(data.data());
        while (true) {
            size_t availOut = out.size();
            auto nextOut = reinterpret_cast<uint8_t*>(out.data());
            if (!BrotliEncoderCompressStream(state, op, &availIn, &nextIn, &availOut, &nextOut, nullptr))
                throw Error("brotli compression failed");
            if (size_t n = out.size() - availOut) next(std::string_view(out.data(), n));
            bool done = op == BROTLI_OPERATION_FINISH ? BrotliEncoderIsFinished(state)
                                                      : availIn == 0 && !BrotliEncoderHasMoreOutput(state);
            if (done) return;
        }
    }
    void operator()(std::string_view data) override {
        if (!data.empty()) run(data, BROTLI_OPERATION_PROCESS);
    }
    void finish() override { run({}, BROTLI_OPERATION_FINISH); }
};

struct BrotliDecompressor : CompressionSink {
    Sink& next;
    BrotliDecoderState* state;
    BrotliDecoderResult last = BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT;
    std::string out;

    explicit BrotliDecompressor(Sink& n)
        : next(n), state(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)), out(outChunk, '\0') {
        if (!state) throw Error("cannot create a brotli decompressor");
    }
    ~BrotliDecompressor() override { BrotliDecoderDestroyInstance(state); }

    void operator()(std::string_view data) override {
        size_t availIn = data.size();
        auto nextIn = reinterpret_cast<const uint8_t*>(data.data());
        while (availIn || last == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
            if (last == BROTLI_DECODER_RESULT_SUCCESS) throw FormatError("trailing data after the brotli stream");
            size_t availOut = out.size();
            auto nextOut = reinterpret_cast<uint8_t*>(out.data());
            last = BrotliDecoderDecompressStream(state, &availIn, &nextIn, &availOut, &nextOut, nullptr);
            if (last == BROTLI_DECODER_RESULT_ERROR)
                throw FormatError("corrupt brotli stream: %s",
                                  BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state)));
            if (size_t n = out.size() - availOut) next(std::string_view(out.data(), n));
            if (last == BROTLI_DECODER_RESULT_SUCCESS && availIn)
                throw FormatError("trailing data after the brotli stream");
        }
    }
    void finish() override {
        if (last != BROTLI_DECODER_RESULT_SUCCESS) throw FormatError("truncated brotli stream");
    }
};

}  // namespace

}  // namespace cstore

std::unique_ptr<cstore::CompressionSink> cstore_make_compressor(std::string_view method, cstore::Sink& next,
                                                                cstore::CompressionOptions options) {
    using namespace cstore;
    if (method == "xz") return std::make_unique<Xz>(next, false, options);
    if (method == "bzip2") return std::make_unique<Bzip2>(next, false, options);
    if (method == "br") return std::make_unique<BrotliCompressor>(next, options);
    throw Error("unsupported compression method '%s'", method);
}

std::unique_ptr<cstore::CompressionSink> cstore_make_decompressor(std::string_view method, cstore::Sink& next) {
    using namespace cstore;
    if (method == "xz") return std::make_unique<Xz>(next, true, CompressionOptions{});
    if (method == "bzip2") return std::make_unique<Bzip2>(next, true, CompressionOptions{});
    if (method == "br") return std::make_unique<BrotliDecompressor>(next);
    throw Error("unsupported compression method '%s'", method);
}
