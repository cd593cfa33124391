// `cstore image inspect` and `cstore image export` (libarchive): part of the
// image extension (see cstore/util/extension.hh).
#include "image_extension.hh"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {

std::string blobPath(const std::string& dir, const std::string& digest) {
    if (!digest.starts_with("sha256:") || digest.size() != 71 || digest.find('/') != std::string::npos)
        throw Error("image '%s' refers to a malformed digest '%s'", dir, digest);
    return dir + "/blobs/sha256/" + digest.substr(7);
}

nlohmann::json readJsonBlob(const std::string& dir, const std::string& digest) {
    try {
        return nlohmann::json::parse(readFile(blobPath(dir, digest)));
    } catch (nlohmann::json::exception& e) {
        throw Error("blob %s of image '%s' is not valid JSON: %s", digest, dir, e.what());
    }
}

nlohmann::json inspectManifest(const std::string& dir, const nlohmann::json& desc) {
    auto manifest = readJsonBlob(dir, desc.at("digest"));
    auto config = readJsonBlob(dir, manifest.at("config").at("digest"));
    nlohmann::json out = {{"manifest", desc.at("digest")},
                          {"config", config.value("config", nlohmann::json::object())}};
    if (desc.contains("platform")) out["platform"] = desc["platform"];
    auto diffIds = config.at("rootfs").at("diff_ids");
    nlohmann::json layers = nlohmann::json::array();
    uint64_t total = 0;
    for (size_t i = 0; i < manifest.at("layers").size(); ++i) {
        auto& l = manifest["layers"][i];
        nlohmann::json layer = {{"digest", l.at("digest")},
                                {"diffId", i < diffIds.size() ? diffIds[i] : nlohmann::json()},
                                {"size", l.at("size")},
                                {"mediaType", l.at("mediaType")}};
        nlohmann::json paths = nlohmann::json::array();
        if (l.contains("annotations") && l["annotations"].contains("dev.cstore.store-paths")) {
            std::string s = l["annotations"]["dev.cstore.store-paths"];
            size_t b = 0;
            while (b < s.size()) {
                size_t e = s.find(' ', b);
                if (e == std::string::npos) e = s.size();
                paths.push_back(s.substr(b, e - b));
                b = e + 1;
            }
        }
        layer["storePaths"] = paths;
        total += l.at("size").get<uint64_t>();
        layers.push_back(layer);
    }
    out["layers"] = layers;
    out["totalSize"] = total;
    return out;
}

nlohmann::json inspectIndex(const std::string& dir, const nlohmann::json& index) {
    nlohmann::json images = nlohmann::json::array();
    for (auto& desc : index.at("manifests")) {
        std::string type = desc.value("mediaType", "");
        nlohmann::json entry;
        if (type == "application/vnd.oci.image.index.v1+json")
            entry = {{"index", desc.at("digest")}, {"images", inspectIndex(dir, readJsonBlob(dir, desc.at("digest")))}};
        else
            entry = inspectManifest(dir, desc);
        if (desc.contains("annotations")) {
            auto& a = desc["annotations"];
            if (a.contains("org.opencontainers.image.ref.name")) entry["tag"] = a["org.opencontainers.image.ref.name"];
            if (a.contains("dev.cstore.image.name")) entry["name"] = a["dev.cstore.image.name"];
        }
        images.push_back(entry);
    }
    return images;
}

struct WriteArchive {
    struct archive* a = archive_write_new();
    ~WriteArchive() { archive_write_free(a); }
    void check(int rc, const std::string& what) {
        if (rc < ARCHIVE_WARN) throw Error("writing %s: %s", what, archive_error_string(a));
    }
    void add(const std::string& name, const std::string& hostFile) {
        struct stat st = lstatOrThrow(hostFile);
        std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> e(archive_entry_new(),
                                                                                 archive_entry_free);
        archive_entry_set_pathname(e.get(), name.c_str());
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_perm(e.get(), 0644);
        archive_entry_set_size(e.get(), st.st_size);
        archive_entry_set_mtime(e.get(), 1, 0);
        check(archive_write_header(a, e.get()), name);
        AutoCloseFD fd = openFile(hostFile, O_RDONLY);
        char buf[1 << 16];
        ssize_t n;
        while ((n = read(fd.get(), buf, sizeof buf)) > 0)
            if (archive_write_data(a, buf, static_cast<size_t>(n)) != n) check(ARCHIVE_FATAL, name);
        if (n < 0) throw SysError("reading '%s'", hostFile);
    }
    void addDir(const std::string& name) {
        std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> e(archive_entry_new(),
                                                                                 archive_entry_free);
        archive_entry_set_pathname(e.get(), name.c_str());
        archive_entry_set_filetype(e.get(), AE_IFDIR);
        archive_entry_set_perm(e.get(), 0755);
        archive_entry_set_mtime(e.get(), 1, 0);
        check(archive_write_header(a, e.get()), name);
    }
};

// Decompresses a layer blob (gzip, zstd or plain tar) into `outFile`.
void decompressBlob(const std::string& blob, const std::string& outFile) {
    struct archive* r = archive_read_new();
    std::unique_ptr<struct archive, int (*)(struct archive*)> guard(r, archive_read_free);
    archive_read_support_filter_all(r);
    archive_read_support_format_raw(r);
    if (archive_read_open_filename(r, blob.c_str(), 1 << 16) != ARCHIVE_OK)
        throw Error("reading layer '%s': %s", blob, archive_error_string(r));
    struct archive_entry* e;
    if (archive_read_next_header(r, &e) != ARCHIVE_OK)
        throw Error("reading layer '%s': %s", blob, archive_error_string(r));
    AutoCloseFD out = openFile(outFile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    FdSink sink(out.get());
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(r, buf, sizeof buf)) > 0) sink(std::string_view(buf, static_cast<size_t>(n)));
    if (n < 0) throw Error("decompressing layer '%s': %s", blob, archive_error_string(r));
}

// The first single-platform manifest descriptor of a layout (descending into nested indexes).
nlohmann::json firstManifest(const std::string& dir, const nlohmann::json& index, std::string& tag, std::string& name) {
    for (auto& desc : index.at("manifests")) {
        if (desc.contains("annotations")) {
            tag = desc["annotations"].value("org.opencontainers.image.ref.name", tag);
            name = desc["annotations"].value("dev.cstore.image.name", name);
        }
        if (desc.value("mediaType", "") == "application/vnd.oci.image.index.v1+json")
            return firstManifest(dir, readJsonBlob(dir, desc.at("digest")), tag, name);
        return desc;
    }
    throw Error("image '%s' has no manifest", dir);
}

}  // namespace

nlohmann::json inspectLayout(const std::string& dir) {
    if (!pathExists(dir + "/oci-layout") || !pathExists(dir + "/index.json"))
        throw Error("'%s' is not an OCI image layout (no oci-layout or index.json)", dir);
    nlohmann::json index;
    try {
        index = nlohmann::json::parse(readFile(dir + "/index.json"));
    } catch (nlohmann::json::exception& e) {
        throw Error("'%s/index.json' is not valid JSON: %s", dir, e.what());
    }
    return {{"images", inspectIndex(dir, index)}};
}

void exportLayout(const std::string& dir, ArchiveFormat format, const std::string& outFile) {
    inspectImage(dir);  // validates the layout
    std::string tmp = outFile + ".tmp-" + std::to_string(getpid());
    WriteArchive w;
    archive_write_set_format_pax_restricted(w.a);
    if (archive_write_open_filename(w.a, tmp.c_str()) != ARCHIVE_OK)
        throw Error("creating '%s': %s", outFile, archive_error_string(w.a));
    try {
        if (format == ArchiveFormat::ociArchive) {
            w.add("oci-layout", dir + "/oci-layout");
            w.add("index.json", dir + "/index.json");
            w.addDir("blobs");
            w.addDir("blobs/sha256");
            for (auto& name : readDirectoryNames(dir + "/blobs/sha256"))
                w.add("blobs/sha256/" + name, dir + "/blobs/sha256/" + name);
        } else {
            std::string tag = "latest", name = "image";
            auto desc = firstManifest(dir, nlohmann::json::parse(readFile(dir + "/index.json")), tag, name);
            auto manifest = readJsonBlob(dir, desc.at("digest"));
            std::string configDigest = manifest.at("config").at("digest");
            auto config = readJsonBlob(dir, configDigest);
            std::string configName = configDigest.substr(7) + ".json";
            w.add(configName, blobPath(dir, configDigest));
            nlohmann::json layerNames = nlohmann::json::array();
            auto diffIds = config.at("rootfs").at("diff_ids");
            AutoDelete scratch(createTempDir(defaultTempDir(), "cstore-export"));
            for (size_t i = 0; i < manifest.at("layers").size(); ++i) {
                std::string diffId = diffIds.at(i);
                std::string layerName = diffId.substr(7) + "/layer.tar";
                std::string plain = scratch.path() + "/layer.tar";
                decompressBlob(blobPath(dir, manifest["layers"][i].at("digest")), plain);
                w.addDir(diffId.substr(7));
                w.add(layerName, plain);
                layerNames.push_back(layerName);
            }
            nlohmann::json dockerManifest = nlohmann::json::array(
                {{{"Config", configName}, {"RepoTags", {name + ":" + tag}}, {"Layers", layerNames}}});
            std::string manifestFile = scratch.path() + "/manifest.json";
            writeFile(manifestFile, dockerManifest.dump());
            w.add("manifest.json", manifestFile);
        }
        if (archive_write_close(w.a) != ARCHIVE_OK) throw Error("writing '%s': %s", outFile, archive_error_string(w.a));
        if (rename(tmp.c_str(), outFile.c_str()) != 0) throw SysError("creating '%s'", outFile);
    } catch (...) {
        unlink(tmp.c_str());
        throw;
    }
}

}  // namespace cstore

nlohmann::json cstore_inspect_image(const std::string& layoutDir) { return cstore::inspectLayout(layoutDir); }

void cstore_export_image(const std::string& layoutDir, cstore::ArchiveFormat format, const std::string& outFile) {
    cstore::exportLayout(layoutDir, format, outFile);
}
