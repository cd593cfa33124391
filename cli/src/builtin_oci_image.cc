// The builtin builder `builtin:oci-image`: composes the image described by
// the derivation's `imageSpec` attribute (JSON) into its output, or, with
// `imageIndex`, an index over the image layouts listed there. It lives in the
// CLI because it joins two modules (builder and image) that do not know
// each other.
#include <iostream>

#include "cstore/builder/builtins.hh"
#include "cstore/image/oci_image.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {
void buildImage(BuiltinContext& ctx) {
    const std::string& out = ctx.outputs.at("out");
    if (ctx.drv.env.count("imageIndex")) {
        auto j = nlohmann::json::parse(ctx.env("imageIndex"));
        std::vector<std::string> dirs;
        for (auto& image : j.at("images")) {
            StorePath p = ctx.storeDir.toStorePath(image.get<std::string>());
            dirs.push_back(ctx.realPath(p));
        }
        createDirs(out);
        composeImageIndex(dirs, j.value("tag", "latest"), out);
        std::cout << "composed an index of " << dirs.size() << " images\n";
        return;
    }
    ImageSpec spec = ImageSpec::fromJson(nlohmann::json::parse(ctx.env("imageSpec")));
    ImageInputs inputs{ctx.storeDir, ctx.realStoreDir, ctx.inputs};
    createDirs(out);
    ImageResult r = composeImage(inputs, spec, out);
    std::cout << "image " << spec.name << ":" << spec.tag << " " << r.manifestDigest << ", " << r.layers.size()
              << " layers\n";
}

struct Registration {
    Registration() { registerBuiltinBuilder("oci-image", buildImage); }
} registration;
}  // namespace

}  // namespace cstore
