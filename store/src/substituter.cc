#include "cstore/store/substituter.hh"

#include "cstore/store/local_store.hh"

namespace cstore {

namespace {
void fetchWithReferences(LocalStore& store, Substituter& subs, const StorePath& path,
                         const std::function<void(const StorePath&)>& onPath, StorePathSet& visiting) {
    if (store.isValidPath(path) || !visiting.insert(path).second) return;
    auto found = subs.querySubstitutable({path});
    auto it = found.find(path);
    if (it == found.end()) throw Error("no binary cache has '%s'", store.printPath(path));
    for (auto& ref : it->second.referencesWithoutSelf()) fetchWithReferences(store, subs, ref, onPath, visiting);
    if (onPath) onPath(path);
    store.addTempRoot(path);
    subs.substitute(store, it->second);
}
}  // namespace

void Substituter::substituteClosure(LocalStore& store, const StorePathSet& paths,
                                    const std::function<void(const StorePath&)>& onPath) {
    StorePathSet visiting;
    for (auto& p : paths) fetchWithReferences(store, *this, p, onPath, visiting);
}

}  // namespace cstore
