// LocalDerivationStore::fetch: downloads for builtins.fetchurl and
// builtins.fetchTarball, made while evaluating.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "cstore/instantiate/derivation_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/util/archive.hh"
#include "cstore/util/file.hh"
#include "cstore/util/hash.hh"
#include "cstore/util/http.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"

namespace cstore {

namespace {

void download(const std::string& url, const std::string& file) {
    if (url.starts_with("file://")) {
        AutoCloseFD in = openFile(url.substr(7), O_RDONLY);
        AutoCloseFD out = openFile(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        FdSink sink(out.get());
        FdSource(in.get()).drainInto(sink);
        return;
    }
    if (!isHttpUrl(url)) throw Error("cannot fetch '%s': only https, http and file URLs are supported", url);
    HttpClient http;
    http.withRetries([&] {
        AutoCloseFD out = openFile(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        FdSink sink(out.get());
        auto r = http.get(url, sink);
        if (r.notFound()) throw HttpError(r.status, false, format("'%s' was not found (HTTP %s)", url, r.status));
        return r;
    });
}

// Downloads without a hash are remembered for tarball-ttl seconds: one small
// file per request, named by the hash of its URL, name and kind, holding the
// store path; its modification time is when it was fetched.
std::optional<std::string> recentFetchFile(const eval::EvalStore::FetchRequest& request) {
    auto dir = userCacheDir();
    if (!dir) return std::nullopt;
    HashSink key(HashAlgo::sha256);
    key(request.url);
    key(std::string_view("\0", 1));
    key(request.name);
    key(request.unpack ? "\1" : "\0");
    return *dir + "/fetch-v1/" + key.finish().first.encode(HashFormat::nix32);
}

}  // namespace

std::string LocalDerivationStore::toRealPath(const std::string& path) {
    if (!isInDir(path, storeDir()) || path == storeDir()) return path;
    const std::string& real = open_().realStoreDir();
    return real == storeDir() ? path : real + path.substr(storeDir().size());
}

std::string LocalDerivationStore::fetch(const FetchRequest& request) {
    checkStorePathName(request.name);
    IngestionMethod method = request.unpack ? IngestionMethod::recursive : IngestionMethod::flat;
    std::optional<Hash> expected;
    if (!request.expectedHash.empty()) {
        expected = Hash::parseAny(request.expectedHash, request.expectedHash.find_first_of(":-") == std::string::npos
                                                            ? std::optional(HashAlgo::sha256)
                                                            : std::nullopt);
        // A known hash names the path: reuse it if it is already there.
        StorePath path = dir().makeFixedOutputPath(request.name, ContentAddress{method, *expected}, {});
        if (readOnly_ || open_().isValidPath(path)) return dir().print(path);
    } else {
        if (auto file = recentFetchFile(request); file && settings.tarballTtl.get() > 0) {
            auto st = maybeLstat(*file);
            if (st && time(nullptr) - st->st_mtime < static_cast<time_t>(settings.tarballTtl.get())) {
                try {
                    std::string remembered = readFile(*file);
                    if (open_().isValidPath(dir().parsePath(remembered))) return remembered;
                } catch (Error&) {
                    // Unreadable, or from another store directory: fetch again.
                }
            }
        }
        if (readOnly_)
            throw Error("cannot fetch '%s' without writing to the store (give its hash, or drop --read-only)",
                        request.url);
    }

    logInfo("fetching '%s'...", request.url);
    AutoDelete tmp(createTempDir(defaultTempDir(), "cstore-fetch"));
    std::string file = tmp.path() + "/download";
    download(request.url, file);
    HashAlgo algo = expected ? expected->algo : HashAlgo::sha256;
    std::string source = file;
    if (request.unpack) {
        std::string unpacked = tmp.path() + "/unpacked";
        createDirs(unpacked, 0755);
        extractArchive(file, unpacked, request.url);
        // As in Nix, the archive must have exactly one top-level entry, which is what is added.
        auto top = readDirectoryNames(unpacked);
        if (top.size() != 1)
            throw Error("'%s' has %d top-level entries; fetchTarball needs exactly one", request.url, top.size());
        source = unpacked + "/" + top[0];
    }
    // Checked before anything is added, so that a wrong hash leaves the store as it was.
    if (expected) {
        HashSink sink(algo);
        if (request.unpack)
            dumpPath(source, sink);
        else
            FdSource(openFile(source, O_RDONLY).get()).drainInto(sink);
        Hash got = sink.finish().first;
        if (got != *expected)
            throw Error("hash mismatch in '%s':\n  specified: %s\n       got: %s", request.url, expected->toSRI(),
                        got.toSRI());
    }
    std::string path = dir().print(open_().addPath(source, request.name, method, algo, /*scanReferences=*/false).path);
    if (!expected) {
        if (auto file = recentFetchFile(request)) {
            try {
                createDirs(dirOf(*file));
                writeFileAtomic(*file, path);
            } catch (Error& e) {
                logWarn("not remembering the download of '%s': %s", request.url, e.message());
            }
        }
    }
    return path;
}

}  // namespace cstore
