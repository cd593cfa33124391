// `cstore sbom PATH`: the bill of materials of a closure (or of an image,
// whose references are the store paths in its layers), as SPDX 2.3 or
// CycloneDX 1.5 JSON. Versions come from store path names; sources (the
// URLs and hashes of fixed-output inputs) and patches from derivers.
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hh"
#include "cstore/store/derivation.hh"
#include "cstore/store/local_store.hh"
#include "cstore/util/strings.hh"

namespace cstore {

namespace {

// "hello-2.12.1" -> ("hello", "2.12.1"): the version starts at the first
// dash followed by a digit, as in Nix's parseDrvName.
std::pair<std::string, std::string> splitName(std::string_view name) {
    for (size_t i = 0; i + 1 < name.size(); ++i)
        if (name[i] == '-' && isdigit(static_cast<unsigned char>(name[i + 1])))
            return {std::string(name.substr(0, i)), std::string(name.substr(i + 1))};
    return {std::string(name), ""};
}

struct Component {
    StorePath path;
    std::string name, version, narHashHex;
    std::vector<std::pair<std::string, std::string>> sources;  // url, SRI hash
    std::vector<std::string> patches;
    StorePathSet references;
};

Component describe(LocalStore& store, const StorePath& p) {
    auto info = store.pathInfoOrThrow(p);
    Component c{p, "", "", info.narHash.encode(HashFormat::base16), {}, {}, info.referencesWithoutSelf()};
    std::tie(c.name, c.version) = splitName(p.name());
    if (!info.deriver || !store.isValidPath(*info.deriver)) return c;
    Derivation drv = readDerivation(store, *info.deriver);
    auto addSource = [&](const Derivation& d) {
        if (!d.isFixedOutput()) return;
        auto ca = d.outputs.begin()->second.contentAddress();
        std::vector<std::string> urls;
        if (d.env.count("url")) urls.push_back(d.env.at("url"));
        if (d.env.count("urls"))
            for (auto& u : splitWords(d.env.at("urls"))) urls.push_back(u);
        for (auto& u : urls) c.sources.emplace_back(u, ca.hash.toSRI());
        if (urls.empty()) c.sources.emplace_back("", ca.hash.toSRI());
    };
    addSource(drv);
    for (auto& [input, outs] : drv.inputDrvs)
        if (store.isValidPath(input)) addSource(readDerivation(store, input));
    if (drv.env.count("patches"))
        for (auto& patch : splitWords(drv.env.at("patches"))) c.patches.push_back(patch);
    return c;
}

std::string spdxId(const StorePath& p) { return "SPDXRef-" + std::string(p.hashPart()); }

nlohmann::ordered_json spdx(LocalStore& store, const StorePath& root, const std::vector<Component>& comps) {
    nlohmann::ordered_json doc;
    doc["spdxVersion"] = "SPDX-2.3";
    doc["dataLicense"] = "CC0-1.0";
    doc["SPDXID"] = "SPDXRef-DOCUMENT";
    doc["name"] = std::string(root.name());
    doc["documentNamespace"] = "https://cstore.invalid/spdx/" + root.baseName();
    doc["creationInfo"] = {{"created", "1970-01-01T00:00:01Z"}, {"creators", {"Tool: cstore-0.1.0"}}};
    auto packages = nlohmann::ordered_json::array();
    auto relationships = nlohmann::ordered_json::array();
    relationships.push_back({{"spdxElementId", "SPDXRef-DOCUMENT"},
                             {"relationshipType", "DESCRIBES"},
                             {"relatedSpdxElement", spdxId(root)}});
    for (auto& c : comps) {
        nlohmann::ordered_json pkg;
        pkg["SPDXID"] = spdxId(c.path);
        pkg["name"] = c.name;
        if (!c.version.empty()) pkg["versionInfo"] = c.version;
        pkg["downloadLocation"] = c.sources.empty() || c.sources[0].first.empty() ? "NOASSERTION" : c.sources[0].first;
        pkg["filesAnalyzed"] = false;
        pkg["checksums"] = {{{"algorithm", "SHA256"}, {"checksumValue", c.narHashHex}}};
        pkg["comment"] = "store path " + store.printPath(c.path) + " (checksum: SHA-256 of its NAR serialisation)";
        auto refs = nlohmann::ordered_json::array();
        for (auto& [url, hash] : c.sources)
            refs.push_back({{"referenceCategory", "PACKAGE-MANAGER"},
                            {"referenceType", "source"},
                            {"referenceLocator", url.empty() ? hash : url + " " + hash}});
        for (auto& patch : c.patches)
            refs.push_back({{"referenceCategory", "OTHER"}, {"referenceType", "patch"}, {"referenceLocator", patch}});
        if (!refs.empty()) pkg["externalRefs"] = refs;
        packages.push_back(pkg);
        for (auto& r : c.references)
            relationships.push_back({{"spdxElementId", spdxId(c.path)},
                                     {"relationshipType", "DEPENDS_ON"},
                                     {"relatedSpdxElement", spdxId(r)}});
    }
    doc["packages"] = packages;
    doc["relationships"] = relationships;
    return doc;
}

nlohmann::ordered_json cyclonedx(LocalStore& store, const StorePath& root, const std::vector<Component>& comps) {
    nlohmann::ordered_json doc;
    doc["bomFormat"] = "CycloneDX";
    doc["specVersion"] = "1.5";
    doc["version"] = 1;
    doc["metadata"] = {
        {"tools", {{{"name", "cstore"}, {"version", "0.1.0"}}}},
        {"component",
         {{"type", "application"}, {"bom-ref", store.printPath(root)}, {"name", splitName(root.name()).first}}}};
    auto components = nlohmann::ordered_json::array();
    auto deps = nlohmann::ordered_json::array();
    for (auto& c : comps) {
        nlohmann::ordered_json comp;
        comp["type"] = "library";
        comp["bom-ref"] = store.printPath(c.path);
        comp["name"] = c.name;
        if (!c.version.empty()) comp["version"] = c.version;
        comp["hashes"] = {{{"alg", "SHA-256"}, {"content", c.narHashHex}}};
        auto ext = nlohmann::ordered_json::array();
        for (auto& [url, hash] : c.sources)
            ext.push_back(
                {{"type", "distribution"}, {"url", url.empty() ? "urn:hash:" + hash : url}, {"comment", hash}});
        if (!ext.empty()) comp["externalReferences"] = ext;
        if (!c.patches.empty()) {
            auto patches = nlohmann::ordered_json::array();
            for (auto& p : c.patches) patches.push_back({{"type", "unofficial"}, {"diff", {{"url", p}}}});
            comp["pedigree"] = {{"patches", patches}};
        }
        components.push_back(comp);
        auto dependsOn = nlohmann::ordered_json::array();
        for (auto& r : c.references) dependsOn.push_back(store.printPath(r));
        deps.push_back({{"ref", store.printPath(c.path)}, {"dependsOn", dependsOn}});
    }
    doc["components"] = components;
    doc["dependencies"] = deps;
    return doc;
}

void setup(CLI::App& app, CommandContext& ctx) {
    struct Args {
        std::string path, format = "spdx";
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("sbom", "Print the software bill of materials of a closure or an image");
    cmd->add_option("path", args->path, "A store path (a package or an image)")->required();
    cmd->add_option("--format", args->format, "spdx (SPDX 2.3 JSON, default) or cyclonedx (CycloneDX 1.5 JSON)");
    cmd->callback([args, &ctx] {
        auto& store = ctx.store();
        if (args->format != "spdx" && args->format != "cyclonedx")
            throw Error("unknown SBOM format '%s' (spdx or cyclonedx)", args->format);
        StorePath root = store.parseUserPath(args->path);
        if (!store.isValidPath(root)) throw Error("path '%s' is not valid", store.printPath(root));
        std::vector<Component> comps;
        for (auto& p : store.closure({root})) comps.push_back(describe(store, p));
        auto doc = args->format == "spdx" ? spdx(store, root, comps) : cyclonedx(store, root, comps);
        std::cout << doc.dump(2) << "\n";
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
