#include "cstore/builder/build_log.hh"

#include <fcntl.h>
#include <zstd.h>

#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

std::string buildLogPath(const LocalStore& store, const StorePath& drvPath) {
    const std::string& base = drvPath.baseName();
    return store.stateDir() + "/log/" + base.substr(0, 2) + "/" + base.substr(2) + ".zst";
}

struct BuildLogWriter::Compressor {
    ZSTD_CStream* stream = ZSTD_createCStream();
    AutoCloseFD fd;
    std::string out = std::string(ZSTD_CStreamOutSize(), '\0');

    ~Compressor() { ZSTD_freeCStream(stream); }

    void drain(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
        while (true) {
            ZSTD_outBuffer o{out.data(), out.size(), 0};
            size_t rc = ZSTD_compressStream2(stream, &o, &in, mode);
            if (ZSTD_isError(rc)) throw Error("compressing a build log: %s", ZSTD_getErrorName(rc));
            FdSink(fd.get())(std::string_view(out.data(), o.pos));
            if (mode == ZSTD_e_continue ? in.pos == in.size : rc == 0) return;
        }
    }
};

BuildLogWriter::BuildLogWriter(LocalStore& store, const StorePath& drvPath, size_t tailLines)
    : zstd_(std::make_unique<Compressor>()), path_(buildLogPath(store, drvPath)), tailLines_(tailLines) {
    createDirs(dirOf(path_));
    ZSTD_CCtx_setParameter(zstd_->stream, ZSTD_c_compressionLevel, 3);
    zstd_->fd = openFile(path_ + ".tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

BuildLogWriter::~BuildLogWriter() {
    if (zstd_ && zstd_->fd) unlink((path_ + ".tmp").c_str());
}

void BuildLogWriter::line(std::string l) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (onLine) onLine(l);
    lastLine_ = l;
    tail_.push_back(std::move(l));
    if (tail_.size() > tailLines_) tail_.pop_front();
}

void BuildLogWriter::write(std::string_view data) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    zstd_->drain(in, ZSTD_e_continue);
    partial_.append(data);
    size_t start = 0, nl;
    while ((nl = partial_.find('\n', start)) != std::string::npos) {
        line(partial_.substr(start, nl - start));
        start = nl + 1;
    }
    partial_.erase(0, start);
    if (partial_.size() > 64 * 1024) {  // a runaway line: cut it
        line(std::move(partial_));
        partial_.clear();
    }
}

void BuildLogWriter::finish() {
    if (!partial_.empty()) {
        line(std::move(partial_));
        partial_.clear();
    }
    ZSTD_inBuffer in{nullptr, 0, 0};
    zstd_->drain(in, ZSTD_e_end);
    zstd_->fd.close();
    if (rename((path_ + ".tmp").c_str(), path_.c_str()) != 0) throw SysError("storing build log '%s'", path_);
}

std::optional<std::string> readBuildLog(const LocalStore& store, const StorePath& drvPath) {
    std::string path = buildLogPath(store, drvPath);
    if (!pathExists(path)) return std::nullopt;
    std::string compressed = readFile(path);
    ZSTD_DStream* d = ZSTD_createDStream();
    std::string out, buf(ZSTD_DStreamOutSize(), '\0');
    ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
    while (in.pos < in.size) {
        ZSTD_outBuffer o{buf.data(), buf.size(), 0};
        size_t rc = ZSTD_decompressStream(d, &o, &in);
        if (ZSTD_isError(rc)) {
            ZSTD_freeDStream(d);
            throw Error("build log '%s' is corrupt: %s", path, ZSTD_getErrorName(rc));
        }
        out.append(buf.data(), o.pos);
        if (rc == 0 && in.pos == in.size) break;
    }
    ZSTD_freeDStream(d);
    return out;
}

}  // namespace cstore
