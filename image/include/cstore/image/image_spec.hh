// What an OCI image is made of, as a recipe describes it (the `image`
// function of the standard library passes it as JSON to the builtin builder
// `builtin:oci-image`):
//
//   {"name": "web", "tag": "latest", "architecture": "amd64", "os": "linux",
//    "contents": ["/store/...-nginx"],           // their closure goes in
//    "files": [{"source": "/store/...-nginx.conf", "target": "/etc/nginx/nginx.conf", "mode": "0644"}],
//    "config": {"Entrypoint": [...], "Env": [...], "ExposedPorts": {...}, ...},
//    "maxLayers": 100, "created": "1970-01-01T00:00:01Z", "compression": "gzip"}
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cstore {

struct ImageFile {
    std::string source;  // a path in the store (file or directory)
    std::string target;  // absolute path inside the image
    std::string mode;    // octal, e.g. "0644"; empty = keep the store's mode
};

enum class LayerCompression { gzip, zstd, none };

struct ImageSpec {
    std::string name;
    std::string tag = "latest";
    std::string architecture = "amd64";
    std::string os = "linux";
    std::vector<std::string> contents;
    std::vector<ImageFile> files;
    nlohmann::json config = nlohmann::json::object();
    unsigned maxLayers = 100;
    std::string created = "1970-01-01T00:00:01Z";
    LayerCompression compression = LayerCompression::gzip;

    // Throws Error naming the problem (unknown keys, hostile targets, bad modes).
    static ImageSpec fromJson(const nlohmann::json& j);
};

// Seconds since the epoch of an RFC 3339 UTC time ("1970-01-01T00:00:01Z").
int64_t parseRfc3339(const std::string& text);

}  // namespace cstore
