#include "cstore/image/oci_image.hh"

#include <sys/stat.h>

#include <algorithm>
#include <map>

#include "blob_writer.hh"
#include "cstore/util/file.hh"
#include "tar_layer.hh"

namespace cstore {

namespace {

constexpr const char* manifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* indexType = "application/vnd.oci.image.index.v1+json";
constexpr const char* configType = "application/vnd.oci.image.config.v1+json";

std::string layerMediaType(LayerCompression c) {
    switch (c) {
        case LayerCompression::gzip:
            return "application/vnd.oci.image.layer.v1.tar+gzip";
        case LayerCompression::zstd:
            return "application/vnd.oci.image.layer.v1.tar+zstd";
        case LayerCompression::none:
            return "application/vnd.oci.image.layer.v1.tar";
    }
    return {};
}

}  // namespace

StorePathSet ImageInputs::closure(const StorePathSet& roots) const {
    StorePathSet done;
    std::vector<StorePath> todo(roots.begin(), roots.end());
    while (!todo.empty()) {
        StorePath p = todo.back();
        todo.pop_back();
        if (!done.insert(p).second) continue;
        auto it = references.find(p);
        if (it == references.end()) throw Error("'%s' is not an input of the image", storeDir.print(p));
        for (auto& r : it->second) todo.push_back(r);
    }
    return done;
}

ImageInputs ImageInputs::fromStore(LocalStore& store, const StorePathSet& roots) {
    ImageInputs in{store.storeDir(), store.realStoreDir(), {}};
    for (auto& p : store.closure(roots)) in.references[p] = store.pathInfoOrThrow(p).referencesWithoutSelf();
    return in;
}

std::vector<std::vector<StorePath>> planLayers(const ImageInputs& inputs, const StorePathSet& closure,
                                               unsigned maxLayers) {
    // Popularity: how many paths of the closure depend on a path, directly or not.
    std::map<StorePath, StorePathSet> refs;
    for (auto& p : closure) refs[p] = inputs.references.at(p);
    std::map<StorePath, size_t> popularity;
    for (auto& p : closure) {
        StorePathSet seen;
        std::vector<StorePath> todo(refs[p].begin(), refs[p].end());
        while (!todo.empty()) {
            StorePath q = todo.back();
            todo.pop_back();
            if (!seen.insert(q).second) continue;
            for (auto& r : refs[q]) todo.push_back(r);
        }
        for (auto& q : seen) ++popularity[q];
    }
    std::vector<StorePath> order(closure.begin(), closure.end());
    std::stable_sort(order.begin(), order.end(),
                     [&](auto& a, auto& b) { return popularity[a] > popularity[b]; });  // ties: by path

    std::vector<std::vector<StorePath>> layers;
    size_t budget = maxLayers - 1;  // the last layer holds files and links
    if (order.size() <= budget) {
        for (auto& p : order) layers.push_back({p});
        return layers;
    }
    for (size_t i = 0; i + 1 < budget; ++i) layers.push_back({order[i]});
    layers.emplace_back(order.begin() + static_cast<long>(budget - 1), order.end());
    std::sort(layers.back().begin(), layers.back().end());
    return layers;
}

namespace {
StorePath parseInImage(const ImageInputs& in, const std::string& path) {
    std::string abs = canonPath(path);
    if (!isInDir(abs, in.storeDir.dir())) throw Error("image contents '%s' must be a store path", path);
    return in.storeDir.toStorePath(abs);
}
}  // namespace

ImageResult composeImage(const ImageInputs& store, const ImageSpec& spec, const std::string& outDir) {
    int64_t mtime = parseRfc3339(spec.created);
    std::string blobs = outDir + "/blobs/sha256";
    createDirs(blobs);

    StorePathSet roots;
    for (auto& c : spec.contents) roots.insert(parseInImage(store, c));
    StorePathSet closure = store.closure(roots);
    std::string storeRel = store.storeDir.dir().substr(1);

    ImageResult result;
    auto addLayer = [&](std::vector<LayerEntry> entries, std::vector<std::string> paths) {
        BlobWriter blob(blobs, spec.compression);
        writeLayerTar(std::move(entries), mtime, blob);
        auto r = blob.finish();
        result.layers.push_back({r.digest, r.diffId, r.size, std::move(paths), layerMediaType(spec.compression)});
    };

    for (auto& group : planLayers(store, closure, spec.maxLayers)) {
        std::vector<LayerEntry> entries;
        std::vector<std::string> names;
        collectParents(storeRel + "/x", entries);
        for (auto& p : group) {
            collectTree(store.realPath(p), storeRel + "/" + p.baseName(), std::nullopt, entries);
            names.push_back(store.storeDir.print(p));
        }
        addLayer(std::move(entries), std::move(names));
    }

    // The last layer: files, and /bin links to the programs of `contents`.
    std::vector<LayerEntry> custom;
    std::set<std::string> linked;
    for (auto& c : spec.contents) {
        StorePath p = parseInImage(store, c);
        std::string bin = store.realPath(p) + "/bin";
        auto st = maybeLstat(bin);
        if (!st) continue;
        if (S_ISLNK(st->st_mode)) {
            struct stat target;
            if (stat(bin.c_str(), &target) != 0)
                throw SysError("'%s/bin' of the image contents cannot be followed", store.storeDir.print(p));
            if (!S_ISDIR(target.st_mode)) continue;
        } else if (!S_ISDIR(st->st_mode)) {
            continue;
        }
        for (auto& name : readDirectoryNames(bin)) {
            if (!linked.insert(name).second) continue;  // the first package providing a name wins
            custom.push_back({"bin/" + name, "", store.storeDir.print(p) + "/bin/" + name, std::nullopt, false});
        }
    }
    if (!linked.empty()) custom.push_back({"bin", "", std::nullopt, 0755, true});
    for (auto& f : spec.files) {
        std::string source = f.source;
        StorePath sp = parseInImage(store, source);
        if (!store.references.count(sp)) throw Error("image file source '%s' is not an input of the image", source);
        std::string host = store.realPath(sp) + canonPath(source).substr(store.storeDir.print(sp).size());
        std::optional<unsigned> mode;
        if (!f.mode.empty()) mode = static_cast<unsigned>(std::stoul(f.mode, nullptr, 8));
        std::string target = f.target.substr(1);
        while (!target.empty() && target.back() == '/') target.pop_back();
        collectParents(target, custom);
        collectTree(host, target, mode, custom);
    }
    if (!custom.empty()) addLayer(std::move(custom), {});

    // Config, manifest, index.
    nlohmann::json config = spec.config;
    if (!config.contains("Env")) config["Env"] = {"PATH=/bin"};
    nlohmann::json diffIds = nlohmann::json::array(), history = nlohmann::json::array();
    for (auto& l : result.layers) {
        diffIds.push_back(l.diffId);
        std::string what;
        for (auto& p : l.storePaths) what += (what.empty() ? "" : " ") + p;
        history.push_back({{"created", spec.created},
                           {"created_by", "cstore"},
                           {"comment", what.empty() ? std::string("files and links") : what}});
    }
    nlohmann::json imageConfig = {{"architecture", spec.architecture},
                                  {"os", spec.os},
                                  {"created", spec.created},
                                  {"config", config},
                                  {"rootfs", {{"type", "layers"}, {"diff_ids", diffIds}}},
                                  {"history", history}};
    auto cfg = writeBlob(blobs, imageConfig.dump());
    result.configDigest = cfg.digest;

    nlohmann::json layers = nlohmann::json::array();
    for (auto& l : result.layers) {
        nlohmann::json layer = {{"mediaType", l.mediaType}, {"digest", l.digest}, {"size", l.size}};
        std::string paths;
        for (auto& p : l.storePaths) paths += (paths.empty() ? "" : " ") + p;
        if (!paths.empty()) layer["annotations"] = {{"dev.cstore.store-paths", paths}};
        layers.push_back(layer);
    }
    nlohmann::json manifest = {{"schemaVersion", 2},
                               {"mediaType", manifestType},
                               {"config", {{"mediaType", configType}, {"digest", cfg.digest}, {"size", cfg.size}}},
                               {"layers", layers}};
    auto man = writeBlob(blobs, manifest.dump());
    result.manifestDigest = man.digest;
    result.manifestSize = man.size;
    nlohmann::json index = {
        {"schemaVersion", 2},
        {"mediaType", indexType},
        {"manifests",
         {{{"mediaType", manifestType},
           {"digest", man.digest},
           {"size", man.size},
           {"platform", {{"architecture", spec.architecture}, {"os", spec.os}}},
           {"annotations", {{"org.opencontainers.image.ref.name", spec.tag}, {"dev.cstore.image.name", spec.name}}}}}}};
    writeFile(outDir + "/index.json", index.dump());
    writeFile(outDir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    return result;
}

void composeImageIndex(const std::vector<std::string>& imageDirs, const std::string& tag, const std::string& outDir) {
    std::string blobs = outDir + "/blobs/sha256";
    createDirs(blobs);
    nlohmann::json manifests = nlohmann::json::array();
    for (auto& dir : imageDirs) {
        for (auto& name : readDirectoryNames(dir + "/blobs/sha256")) {
            std::string dst = blobs + "/" + name;
            if (!pathExists(dst)) writeFile(dst, readFile(dir + "/blobs/sha256/" + name));
        }
        auto index = nlohmann::json::parse(readFile(dir + "/index.json"));
        for (auto m : index.at("manifests")) {
            m.erase("annotations");
            manifests.push_back(m);
        }
    }
    nlohmann::json inner = {{"schemaVersion", 2}, {"mediaType", indexType}, {"manifests", manifests}};
    auto innerBlob = writeBlob(blobs, inner.dump());
    nlohmann::json top = {{"schemaVersion", 2},
                          {"mediaType", indexType},
                          {"manifests",
                           {{{"mediaType", indexType},
                             {"digest", innerBlob.digest},
                             {"size", innerBlob.size},
                             {"annotations", {{"org.opencontainers.image.ref.name", tag}}}}}}};
    writeFile(outDir + "/index.json", top.dump());
    writeFile(outDir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
}

}  // namespace cstore
