// LocalDerivationStore::fetch: downloads for builtins.fetchurl and
// builtins.fetchTarball, made while evaluating.
#include <fcntl.h>
#include <unistd.h>

#include "cstore/instantiate/derivation_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/util/archive.hh"
#include "cstore/util/file.hh"
#include "cstore/util/hash.hh"
#include "cstore/util/http.hh"
#include "cstore/util/logging.hh"

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
    } else if (readOnly_) {
        throw Error("cannot fetch '%s' without writing to the store (give its hash, or drop --read-only)", request.url);
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
    return dir().print(open_().addPath(source, request.name, method, algo, /*scanReferences=*/false).path);
}

}  // namespace cstore
