#include "cstore/image/image_tools.hh"

#include "cstore/util/extension.hh"
#include "image_extension.hh"

namespace cstore {

nlohmann::json inspectImage(const std::string& layoutDir) {
    static auto* inspect = extensionFunction<decltype(cstore_inspect_image)>("image", "cstore_inspect_image");
    return inspect(layoutDir);
}

void exportImage(const std::string& layoutDir, ArchiveFormat format, const std::string& outFile) {
    static auto* exportTo = extensionFunction<decltype(cstore_export_image)>("image", "cstore_export_image");
    exportTo(layoutDir, format, outFile);
}

}  // namespace cstore
