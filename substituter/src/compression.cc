#include "cstore/substituter/compression.hh"

#include <zstd.h>

#include <utility>

#include "compression_extension.hh"
#include "cstore/util/error.hh"
#include "cstore/util/extension.hh"

namespace cstore {

namespace {

constexpr size_t outChunk = 1 << 20;

struct Identity : CompressionSink {
    Sink& next;
    explicit Identity(Sink& n) : next(n) {}
    void operator()(std::string_view data) override { next(data); }
    void finish() override {}
};

// Creating a compression context with worker threads costs thread starts
// and megabytes of fresh memory, so each thread keeps its last one.
struct CachedCCtx {
    ZSTD_CCtx* ctx = nullptr;
    unsigned threads = 0;
    ~CachedCCtx() { ZSTD_freeCCtx(ctx); }
};
thread_local CachedCCtx cachedCCtx;

struct ZstdCompressor : CompressionSink {
    Sink& next;
    ZSTD_CCtx* ctx;
    unsigned threads;
    std::string out;

    ZstdCompressor(Sink& n, CompressionOptions o)
        : next(n), threads(o.threads > 1 ? o.threads : 0), out(outChunk, '\0') {
        if (cachedCCtx.ctx && cachedCCtx.threads == threads) {
            ctx = std::exchange(cachedCCtx.ctx, nullptr);
            ZSTD_CCtx_reset(ctx, ZSTD_reset_session_only);
        } else {
            ctx = ZSTD_createCCtx();
            if (!ctx) throw Error("cannot create a zstd compressor");
            // A libzstd built without threads refuses this and compresses on this thread.
            if (threads) (void)ZSTD_CCtx_setParameter(ctx, ZSTD_c_nbWorkers, static_cast<int>(threads));
        }
        ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, o.level < 0 ? 3 : o.level);
        // A frame checksum (XXH64, nearly free) lets readers tell a damaged stream from a bad NAR.
        ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1);
    }
    ~ZstdCompressor() override {
        ZSTD_freeCCtx(cachedCCtx.ctx);
        cachedCCtx.ctx = ctx;
        cachedCCtx.threads = threads;
    }

    void run(std::string_view data, ZSTD_EndDirective mode) {
        ZSTD_inBuffer in{data.data(), data.size(), 0};
        while (true) {
            ZSTD_outBuffer o{out.data(), out.size(), 0};
            size_t left = ZSTD_compressStream2(ctx, &o, &in, mode);
            if (ZSTD_isError(left)) throw Error("zstd compression failed: %s", ZSTD_getErrorName(left));
            if (o.pos) next(std::string_view(out.data(), o.pos));
            bool done = mode == ZSTD_e_end ? left == 0 : in.pos == in.size;
            if (done) return;
        }
    }
    void operator()(std::string_view data) override {
        if (!data.empty()) run(data, ZSTD_e_continue);
    }
    void finish() override { run({}, ZSTD_e_end); }
};

struct ZstdDecompressor : CompressionSink {
    Sink& next;
    ZSTD_DCtx* ctx;
    std::string out;
    size_t lastResult = 0;
    bool sawInput = false;

    explicit ZstdDecompressor(Sink& n) : next(n), ctx(ZSTD_createDCtx()), out(outChunk, '\0') {
        if (!ctx) throw Error("cannot create a zstd decompressor");
    }
    ~ZstdDecompressor() override { ZSTD_freeDCtx(ctx); }

    void operator()(std::string_view data) override {
        if (data.empty()) return;
        sawInput = true;
        ZSTD_inBuffer in{data.data(), data.size(), 0};
        while (true) {
            ZSTD_outBuffer o{out.data(), out.size(), 0};
            lastResult = ZSTD_decompressStream(ctx, &o, &in);
            if (ZSTD_isError(lastResult)) throw FormatError("corrupt zstd stream: %s", ZSTD_getErrorName(lastResult));
            if (o.pos) next(std::string_view(out.data(), o.pos));
            // Done when the input is used up and the decoder holds nothing more
            // (a full output buffer may mean there is more to flush, unless the
            // frame just ended).
            if (in.pos == in.size && (o.pos < o.size || lastResult == 0)) break;
        }
    }
    void finish() override {
        if (!sawInput) throw FormatError("empty zstd stream");
        if (lastResult != 0) throw FormatError("truncated zstd stream");
    }
};

}  // namespace

bool compressionSupported(std::string_view method) {
    return method == "none" || method == "zstd" || method == "xz" || method == "bzip2" || method == "br";
}

std::string narFileExtension(std::string_view method) {
    if (method == "zstd") return ".nar.zst";
    if (method == "xz") return ".nar.xz";
    if (method == "bzip2") return ".nar.bz2";
    if (method == "br") return ".nar.br";
    return ".nar";
}

std::unique_ptr<CompressionSink> makeCompressor(std::string_view method, Sink& next, CompressionOptions options) {
    if (method == "none") return std::make_unique<Identity>(next);
    if (method == "zstd") return std::make_unique<ZstdCompressor>(next, options);
    if (method == "xz" || method == "bzip2" || method == "br") {
        static auto* make =
            extensionFunction<decltype(cstore_make_compressor)>("compression", "cstore_make_compressor");
        return make(method, next, options);
    }
    throw Error("unsupported compression method '%s' (use zstd, xz, bzip2, br or none)", method);
}

std::unique_ptr<CompressionSink> makeDecompressor(std::string_view method, Sink& next) {
    if (method == "none") return std::make_unique<Identity>(next);
    if (method == "zstd") return std::make_unique<ZstdDecompressor>(next);
    if (method == "xz" || method == "bzip2" || method == "br") {
        static auto* make =
            extensionFunction<decltype(cstore_make_decompressor)>("compression", "cstore_make_decompressor");
        return make(method, next);
    }
    throw Error("unsupported compression method '%s' (cstore reads zstd, xz, bzip2, br and none)", method);
}

}  // namespace cstore
