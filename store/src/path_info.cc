#include "cstore/store/path_info.hh"

namespace cstore {

std::string PathInfo::fingerprint(const StoreDir& storeDir) const {
    if (narSize == 0) throw Error("cannot compute the fingerprint of '%s': its NAR size is not known", path.baseName());
    std::string refs;
    for (auto& r : references) {
        if (!refs.empty()) refs += ',';
        refs += storeDir.print(r);
    }
    return "1;" + storeDir.print(path) + ";" + narHash.toString(HashFormat::nix32) + ";" + std::to_string(narSize) +
           ";" + refs;
}

}  // namespace cstore
