#include "cstore/store/verify.hh"

#include "cstore/store/nar.hh"
#include "cstore/util/file.hh"
#include "cstore/util/signals.hh"

namespace cstore {

std::vector<VerifyProblem> verifyStore(LocalStore& store, const StorePathSet& paths, const VerifyOptions& options) {
    std::vector<VerifyProblem> problems;
    StorePathSet todo = paths.empty() ? store.queryAllValidPaths() : paths;
    for (auto& p : todo) {
        checkInterrupt();
        auto info = store.queryPathInfo(p);
        if (!info) {
            problems.push_back({p, VerifyProblem::Kind::missing, "not registered as valid"});
            continue;
        }
        std::string real = store.realPath(p);
        if (!pathExists(real)) {
            problems.push_back({p, VerifyProblem::Kind::missing, "registered but missing on disk"});
        } else if (options.checkContents) {
            try {
                HashSink h(HashAlgo::sha256);
                dumpPath(real, h);
                auto [hash, size] = h.finish();
                if (hash != info->narHash)
                    problems.push_back({p, VerifyProblem::Kind::corrupt,
                                        format("NAR hash is %s, expected %s", hash.toSRI(), info->narHash.toSRI())});
                else if (size != info->narSize)
                    problems.push_back(
                        {p, VerifyProblem::Kind::corrupt, format("NAR size is %s, expected %s", size, info->narSize)});
            } catch (Interrupted&) {
                throw;
            } catch (Error& e) {
                problems.push_back({p, VerifyProblem::Kind::unreadable, e.message()});
            }
        }
        if (options.onChecked) options.onChecked(p);
    }
    return problems;
}

}  // namespace cstore
