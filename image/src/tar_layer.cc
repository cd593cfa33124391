#include "tar_layer.hh"

#include <sys/stat.h>

#include "cstore/util/error.hh"
#include "cstore/util/extension.hh"
#include "cstore/util/file.hh"
#include "cstore/util/signals.hh"
#include "image_extension.hh"

namespace cstore {

void collectTree(const std::string& hostPath, const std::string& imagePath, std::optional<unsigned> mode,
                 std::vector<LayerEntry>& out) {
    checkInterrupt();
    struct stat st;
    if (lstat(hostPath.c_str(), &st) != 0) throw SysError("reading '%s' for an image layer", hostPath);
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
        throw Error("'%s' cannot go into an image layer: only files, directories and symlinks can", hostPath);
    out.push_back({imagePath, hostPath, std::nullopt, mode, false});
    if (S_ISDIR(st.st_mode))
        for (auto& name : readDirectoryNames(hostPath))
            collectTree(hostPath + "/" + name, imagePath + "/" + name, std::nullopt, out);
}

void collectParents(const std::string& imagePath, std::vector<LayerEntry>& out) {
    for (size_t i = imagePath.find('/'); i != std::string::npos; i = imagePath.find('/', i + 1))
        out.push_back({imagePath.substr(0, i), "", std::nullopt, 0755, true});
}

void writeLayerTar(std::vector<LayerEntry> entries, int64_t mtime, BlobWriter& blob) {
    static auto* write = extensionFunction<decltype(cstore_write_layer_tar)>("image", "cstore_write_layer_tar");
    write(std::move(entries), mtime, blob);
}

}  // namespace cstore
