// `cstore image inspect|export`: look into and export OCI images built by
// the `image` recipe function (store paths holding an OCI layout).
#include <iomanip>
#include <iostream>

#include "command.hh"
#include "cstore/image/image_tools.hh"
#include "cstore/store/local_store.hh"

namespace cstore {

namespace {

// An image given as a store path (or a link to one) or as a plain directory.
std::string layoutDir(CommandContext& ctx, const std::string& arg) {
    try {
        StorePath p = ctx.store().parseUserPath(arg);
        if (!ctx.store().isValidPath(p)) throw Error("path '%s' is not valid", ctx.store().printPath(p));
        return ctx.store().realPath(p);
    } catch (BadStorePath&) {
        return arg;
    }
}

void printText(const nlohmann::json& images, const std::string& indent) {
    for (auto& img : images) {
        if (img.contains("index")) {
            std::cout << indent << "index " << img["index"].get<std::string>()
                      << (img.contains("tag") ? " (tag " + img["tag"].get<std::string>() + ")" : "") << "\n";
            printText(img["images"], indent + "  ");
            continue;
        }
        std::cout << indent << "image";
        if (img.contains("name")) std::cout << " " << img["name"].get<std::string>();
        if (img.contains("tag")) std::cout << ":" << img["tag"].get<std::string>();
        if (img.contains("platform"))
            std::cout << " (" << img["platform"].value("os", "") << "/" << img["platform"].value("architecture", "")
                      << ")";
        std::cout << "\n"
                  << indent << "  manifest " << img["manifest"].get<std::string>() << ", "
                  << img["totalSize"].get<uint64_t>() << " bytes in " << img["layers"].size() << " layers\n";
        for (auto& l : img["layers"]) {
            std::cout << indent << "  " << l["digest"].get<std::string>().substr(0, 19) << "  " << std::setw(12)
                      << l["size"].get<uint64_t>() << "  ";
            if (l["storePaths"].empty()) std::cout << "(files and links)";
            bool first = true;
            for (auto& p : l["storePaths"]) {
                std::cout << (first ? "" : "\n" + indent + std::string(37, ' ')) << p.get<std::string>();
                first = false;
            }
            std::cout << "\n";
        }
    }
}

void setup(CLI::App& app, CommandContext& ctx) {
    auto* image = app.add_subcommand("image", "Inspect and export OCI images built from closures");
    image->require_subcommand(1);

    struct InspectArgs {
        std::string path;
        bool json = false;
    };
    auto in = std::make_shared<InspectArgs>();
    auto* inspect =
        image->add_subcommand("inspect", "Show an image's layers, their sizes and the store paths each holds");
    inspect->add_option("path", in->path, "The image (a store path or an OCI layout directory)")->required();
    inspect->add_flag("--json", in->json, "Print JSON");
    inspect->callback([in, &ctx] {
        auto j = inspectImage(layoutDir(ctx, in->path));
        if (in->json)
            std::cout << j.dump() << "\n";
        else
            printText(j["images"], "");
    });

    struct ExportArgs {
        std::string path, format = "oci-archive", output;
    };
    auto ex = std::make_shared<ExportArgs>();
    auto* exportCmd = image->add_subcommand("export", "Write an image as an archive for `podman load` / `docker load`");
    exportCmd->add_option("path", ex->path, "The image (a store path or an OCI layout directory)")->required();
    exportCmd->add_option("--format", ex->format, "oci-archive (default) or docker-archive");
    exportCmd->add_option("-o,--output", ex->output, "The archive to write")->required();
    exportCmd->callback([ex, &ctx] {
        ArchiveFormat f;
        if (ex->format == "oci-archive")
            f = ArchiveFormat::ociArchive;
        else if (ex->format == "docker-archive")
            f = ArchiveFormat::dockerArchive;
        else
            throw Error("unknown archive format '%s' (oci-archive or docker-archive)", ex->format);
        exportImage(layoutDir(ctx, ex->path), f, ex->output);
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
