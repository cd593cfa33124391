#include "cstore/builder/output_check.hh"

#include <sys/stat.h>

#include <functional>

#include "cstore/builder/build_env.hh"
#include "cstore/store/nar.hh"
#include "cstore/store/references.hh"
#include "cstore/util/file.hh"
#include "cstore/util/threaded_sink.hh"

namespace cstore {

namespace {

struct ScannedOutput {
    std::string name;
    PathInfo info;
    std::string hostPath;
};

// References of `out` named by the words of `attr` (output names or store paths).
StorePathSet resolveSpec(const OutputCheckInput& in, const std::vector<std::string>& words) {
    StorePathSet out;
    for (auto& w : words) {
        if (auto it = in.drv.outputs.find(w); it != in.drv.outputs.end() && it->second.path) {
            out.insert(*it->second.path);
            continue;
        }
        auto p = in.store.storeDir().maybeParsePath(w);
        if (!p)
            throw Error("derivation '%s': '%s' in a reference check is neither an output name nor a store path",
                        in.store.printPath(in.drvPath), w);
        out.insert(*p);
    }
    return out;
}

void checkReferenceSpecs(const OutputCheckInput& in, const std::vector<ScannedOutput>& outputs) {
    std::map<StorePath, StorePathSet> refsOf;
    for (auto& o : outputs) refsOf[o.info.path] = o.info.references;
    auto requisites = [&](const StorePath& start) {
        StorePathSet seen;
        std::vector<StorePath> todo{start};
        while (!todo.empty()) {
            StorePath p = todo.back();
            todo.pop_back();
            if (!seen.insert(p).second) continue;
            auto it = refsOf.find(p);
            const StorePathSet refs = it != refsOf.end() ? it->second : in.store.pathInfoOrThrow(p).references;
            for (auto& r : refs) todo.push_back(r);
        }
        seen.erase(start);
        return seen;
    };
    for (auto& o : outputs) {
        StorePathSet refs = o.info.referencesWithoutSelf();
        auto check = [&](const char* attr, bool allowList, bool closure) {
            if (!in.drv.env.count(attr)) return;
            StorePathSet spec = resolveSpec(in, envWords(in.drv, attr));
            StorePathSet used = closure ? requisites(o.info.path) : refs;
            for (auto& u : used) {
                bool listed = spec.count(u) > 0;
                if (allowList != listed)
                    throw Error("output '%s' of '%s' is not allowed to %s '%s' (%s)", o.name,
                                in.store.printPath(in.drvPath), closure ? "depend on" : "refer to",
                                in.store.printPath(u), attr);
            }
        };
        check("allowedReferences", true, false);
        check("disallowedReferences", false, false);
        check("allowedRequisites", true, true);
        check("disallowedRequisites", false, true);
    }
}

void checkCycles(const OutputCheckInput& in, const std::vector<ScannedOutput>& outputs) {
    std::map<StorePath, const ScannedOutput*> byPath;
    for (auto& o : outputs) byPath[o.info.path] = &o;
    std::map<StorePath, int> state;  // 1 visiting, 2 done
    std::function<void(const ScannedOutput&)> visit = [&](const ScannedOutput& o) {
        state[o.info.path] = 1;
        for (auto& r : o.info.referencesWithoutSelf()) {
            auto it = byPath.find(r);
            if (it == byPath.end()) continue;
            if (state[r] == 1)
                throw Error("cycle detected in the references of '%s': output '%s' and output '%s' refer to each other",
                            in.store.printPath(in.drvPath), o.name, it->second->name);
            if (state[r] == 0) visit(*it->second);
        }
        state[o.info.path] = 2;
    };
    for (auto& o : outputs)
        if (state[o.info.path] == 0) visit(o);
}

void checkFixedOutput(const OutputCheckInput& in, const DerivationOutput& out, ScannedOutput& scanned) {
    ContentAddress expected = out.contentAddress();
    Hash actual;
    if (expected.method == IngestionMethod::flat) {
        auto st = lstatOrThrow(scanned.hostPath);
        if (!S_ISREG(st.st_mode))
            throw Error("output of the fixed-output derivation '%s' must be a regular file (flat hashing)",
                        in.store.printPath(in.drvPath));
        actual = hashFile(expected.hash.algo, scanned.hostPath);
    } else if (expected.hash.algo == HashAlgo::sha256) {
        actual = scanned.info.narHash;
    } else {
        HashSink h(expected.hash.algo);
        dumpPath(scanned.hostPath, h);
        actual = h.finish().first;
    }
    if (actual != expected.hash)
        throw Error("hash mismatch in fixed-output derivation '%s':\n  specified: %s\n       got: %s",
                    in.store.printPath(in.drvPath), expected.hash.toSRI(), actual.toSRI());
    if (!scanned.info.references.empty())
        throw Error("the output of the fixed-output derivation '%s' must not refer to store paths",
                    in.store.printPath(in.drvPath));
    scanned.info.ca = ContentAddress{expected.method, actual};
}

}  // namespace

std::vector<std::string> differingFiles(const std::string& a, const std::string& b, size_t limit) {
    std::vector<std::string> out;
    std::function<void(const std::string&)> walk = [&](const std::string& rel) {
        if (out.size() >= limit) return;
        std::string pa = rel.empty() ? a : a + "/" + rel, pb = rel.empty() ? b : b + "/" + rel;
        auto sa = maybeLstat(pa), sb = maybeLstat(pb);
        std::string shown = rel.empty() ? "." : rel;
        if (!sa || !sb || (sa->st_mode & S_IFMT) != (sb->st_mode & S_IFMT) ||
            (S_ISREG(sa->st_mode) && (sa->st_mode & S_IXUSR) != (sb->st_mode & S_IXUSR))) {
            out.push_back(shown);
            return;
        }
        if (S_ISREG(sa->st_mode)) {
            if (sa->st_size != sb->st_size || readFile(pa) != readFile(pb)) out.push_back(shown);
        } else if (S_ISLNK(sa->st_mode)) {
            if (readLink(pa) != readLink(pb)) out.push_back(shown);
        } else if (S_ISDIR(sa->st_mode)) {
            auto na = readDirectoryNames(pa), nb = readDirectoryNames(pb);
            std::set<std::string> names(na.begin(), na.end());
            names.insert(nb.begin(), nb.end());
            for (auto& n : names) walk(rel.empty() ? n : rel + "/" + n);
        }
    };
    walk("");
    return out;
}

void checkAndRegisterOutputs(const OutputCheckInput& in) {
    LocalStore& store = in.store;
    std::string who = store.printPath(in.drvPath);

    // Candidates for references: the input closure and every output.
    HashPartSet candidates;
    std::map<std::string, StorePath> byHash;
    auto addCandidate = [&](const StorePath& p) {
        candidates.insert(p.hashPart());
        byHash.emplace(std::string(p.hashPart()), p);
    };
    for (auto& p : in.inputClosure) addCandidate(p);
    for (auto& [name, out] : in.drv.outputs) addCandidate(*out.path);

    std::vector<ScannedOutput> outputs;
    for (auto& [name, out] : in.drv.outputs) {
        ScannedOutput s{name, PathInfo(*out.path), in.hostStoreDir + "/" + out.path->baseName()};
        if (!maybeLstat(s.hostPath))
            throw Error("builder for '%s' did not produce its output '%s' (%s)", who, name, store.printPath(*out.path));
        canonicaliseTree(s.hostPath);
        HashSink hash(HashAlgo::sha256);
        RefScanSink scan(candidates);
        TeeSink both(hash, scan);
        {
            ThreadedSink async(both);
            dumpPath(s.hostPath, async);
            async.finish();
        }
        auto [narHash, narSize] = hash.finish();
        s.info.narHash = narHash;
        s.info.narSize = narSize;
        for (auto& part : scan.found()) s.info.references.insert(byHash.at(part));
        s.info.deriver = in.drvPath;
        s.info.ultimate = true;
        s.info.impure = in.impure;
        if (out.isFixed()) checkFixedOutput(in, out, s);
        outputs.push_back(std::move(s));
    }
    checkCycles(in, outputs);
    checkReferenceSpecs(in, outputs);

    if (in.mode == BuildMode::check) {
        for (auto& o : outputs) {
            auto existing = store.queryPathInfo(o.info.path);
            if (!existing) throw Error("cannot check '%s': its output '%s' is not valid", who, o.name);
            if (existing->narHash != o.info.narHash) {
                std::string files;
                for (auto& f : differingFiles(store.realPath(o.info.path), o.hostPath)) files += "\n  " + f;
                throw Error(
                    "derivation '%s' may not be deterministic: output '%s' differs from the registered one "
                    "(%s, was %s); differing files:%s",
                    who, store.printPath(o.info.path), o.info.narHash.toSRI(), existing->narHash.toSRI(), files);
            }
        }
        return;
    }

    std::vector<PathInfo> infos;
    for (auto& o : outputs) {
        if (o.hostPath != store.realPath(o.info.path)) store.moveIntoPlace(o.hostPath, o.info.path);
        infos.push_back(o.info);
    }
    store.registerValidPaths(infos);
}

}  // namespace cstore
