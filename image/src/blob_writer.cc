#include "blob_writer.hh"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <atomic>

#include "cstore/util/error.hh"

namespace cstore {

namespace {
std::atomic<unsigned> blobCounter{0};
}

struct BlobWriter::Compressor {
    LayerCompression kind;
    z_stream z{};
    ZSTD_CCtx* zstd = nullptr;
    std::string out = std::string(1 << 18, '\0');

    explicit Compressor(LayerCompression k) : kind(k) {
        if (kind == LayerCompression::gzip) {
            // windowBits 15 + 16: a gzip wrapper with mtime 0 and no file name, so output is reproducible.
            if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                throw Error("cannot initialise gzip compression");
        } else if (kind == LayerCompression::zstd) {
            zstd = ZSTD_createCCtx();
            ZSTD_CCtx_setParameter(zstd, ZSTD_c_compressionLevel, 3);
            ZSTD_CCtx_setParameter(zstd, ZSTD_c_checksumFlag, 1);
        }
    }
    ~Compressor() {
        if (kind == LayerCompression::gzip) deflateEnd(&z);
        if (zstd) ZSTD_freeCCtx(zstd);
    }

    template <typename Emit>
    void run(std::string_view data, bool last, Emit emit) {
        if (kind == LayerCompression::gzip) {
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
            z.avail_in = static_cast<uInt>(data.size());
            int rc;
            do {
                z.next_out = reinterpret_cast<Bytef*>(out.data());
                z.avail_out = static_cast<uInt>(out.size());
                rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
                if (rc == Z_STREAM_ERROR) throw Error("gzip compression failed");
                emit(std::string_view(out.data(), out.size() - z.avail_out));
            } while (z.avail_out == 0 || (last && rc != Z_STREAM_END));
        } else {
            ZSTD_inBuffer in{data.data(), data.size(), 0};
            while (true) {
                ZSTD_outBuffer o{out.data(), out.size(), 0};
                size_t rc = ZSTD_compressStream2(zstd, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
                if (ZSTD_isError(rc)) throw Error("zstd compression failed: %s", ZSTD_getErrorName(rc));
                emit(std::string_view(out.data(), o.pos));
                if (last ? rc == 0 : in.pos == in.size) break;
            }
        }
    }
};

BlobWriter::BlobWriter(const std::string& blobsDir, LayerCompression compression)
    : blobsDir_(blobsDir), compression_(compression) {
    tmpPath_ = blobsDir_ + "/.tmp-" + std::to_string(getpid()) + "-" + std::to_string(blobCounter++);
    fd_ = openFile(tmpPath_, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (compression != LayerCompression::none) compressor_ = std::make_unique<Compressor>(compression);
    rawAsync_ = std::make_unique<ThreadedSink>(raw_);
    if (compressor_) storedAsync_ = std::make_unique<ThreadedSink>(stored_);
}

BlobWriter::~BlobWriter() {
    if (fd_) unlink(tmpPath_.c_str());
}

void BlobWriter::writeCompressed(std::string_view data) {
    if (data.empty()) return;
    if (storedAsync_) (*storedAsync_)(data);  // uncompressed: the stored bytes are the raw ones, hashed once
    size_ += data.size();
    FdSink(fd_.get())(data);
}

void BlobWriter::operator()(std::string_view data) {
    (*rawAsync_)(data);
    if (!compressor_) {
        writeCompressed(data);
        return;
    }
    compressor_->run(data, false, [&](std::string_view c) { writeCompressed(c); });
}

BlobWriter::Result BlobWriter::finish() {
    if (compressor_) compressor_->run({}, true, [&](std::string_view c) { writeCompressed(c); });
    rawAsync_->finish();
    if (storedAsync_) storedAsync_->finish();
    Result r;
    r.diffId = "sha256:" + raw_.finish().first.encode(HashFormat::base16);
    r.digest = compressor_ ? "sha256:" + stored_.finish().first.encode(HashFormat::base16) : r.diffId;
    r.size = size_;
    fd_.close();
    std::string final = blobsDir_ + "/" + r.digest.substr(7);
    if (rename(tmpPath_.c_str(), final.c_str()) != 0) throw SysError("storing blob '%s'", final);
    chmod(final.c_str(), 0444);
    return r;
}

BlobWriter::Result writeBlob(const std::string& blobsDir, std::string_view data) {
    BlobWriter w(blobsDir, LayerCompression::none);
    w(data);
    return w.finish();
}

}  // namespace cstore
