#include "json_output.hh"

#include "cstore/util/error.hh"

namespace cstore {

nlohmann::ordered_json pathInfoToJson(const LocalStore& store, const PathInfo& info) {
    nlohmann::ordered_json j;
    j["path"] = store.printPath(info.path);
    j["narHash"] = info.narHash.toSRI();
    j["narSize"] = info.narSize;
    auto refs = nlohmann::ordered_json::array();
    for (auto& r : info.references) refs.push_back(store.printPath(r));
    j["references"] = refs;
    if (info.ca) j["ca"] = info.ca->render();
    if (info.deriver) j["deriver"] = store.printPath(*info.deriver);
    if (!info.sigs.empty()) j["signatures"] = info.sigs;
    if (info.ultimate) j["ultimate"] = true;
    if (info.impure) j["impure"] = true;
    j["registrationTime"] = info.registrationTime;
    return j;
}

uint64_t parseSize(const std::string& text) {
    size_t pos = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(text, &pos);
    } catch (...) {
        throw Error("invalid size '%s'", text);
    }
    std::string suffix = text.substr(pos);
    uint64_t mult = 1;
    if (suffix == "K" || suffix == "KiB")
        mult = 1ull << 10;
    else if (suffix == "M" || suffix == "MiB")
        mult = 1ull << 20;
    else if (suffix == "G" || suffix == "GiB")
        mult = 1ull << 30;
    else if (suffix == "T" || suffix == "TiB")
        mult = 1ull << 40;
    else if (!suffix.empty())
        throw Error("invalid size '%s' (use a number with an optional K, M, G or T suffix)", text);
    return n * mult;
}

StorePathSet parseInstallables(LocalStore& store, const std::vector<std::string>& args) {
    StorePathSet out;
    for (auto& a : args) out.insert(store.parseUserPath(a));
    return out;
}

}  // namespace cstore
