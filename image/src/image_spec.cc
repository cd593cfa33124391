#include "cstore/image/image_spec.hh"

#include <ctime>
#include <set>

#include "cstore/util/error.hh"

namespace cstore {

int64_t parseRfc3339(const std::string& text) {
    struct tm tm {};
    const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end || (*end != 'Z' && *end != '\0') || (*end == 'Z' && end[1] != '\0'))
        throw Error("'%s' is not a UTC time like 1970-01-01T00:00:01Z", text);
    return static_cast<int64_t>(timegm(&tm));
}

namespace {

void checkTarget(const std::string& target) {
    if (target.empty() || target[0] != '/') throw Error("image file target '%s' must be an absolute path", target);
    size_t start = 1;
    while (start <= target.size()) {
        size_t end = target.find('/', start);
        if (end == std::string::npos) end = target.size();
        std::string part = target.substr(start, end - start);
        if (part == "..") throw Error("image file target '%s' must not contain '..'", target);
        if (part.size() > 255) throw Error("image file target '%s' has a name longer than 255 bytes", target);
        if (part.empty() && end != target.size()) throw Error("image file target '%s' has an empty component", target);
        start = end + 1;
    }
    if (target == "/") throw Error("image file target must not be '/'");
    if (target.size() > 4000) throw Error("image file target '%s…' is too long for a tar entry", target.substr(0, 60));
}

}  // namespace

ImageSpec ImageSpec::fromJson(const nlohmann::json& j) {
    ImageSpec s;
    try {
        static const std::set<std::string> known = {"name",  "tag",    "architecture", "os",      "contents",
                                                    "files", "config", "maxLayers",    "created", "compression"};
        for (auto& [key, value] : j.items())
            if (!known.count(key)) throw Error("unknown image attribute '%s'", key);
        s.name = j.at("name").get<std::string>();
        if (s.name.empty()) throw Error("image name is empty");
        s.tag = j.value("tag", s.tag);
        s.architecture = j.value("architecture", s.architecture);
        s.os = j.value("os", s.os);
        s.contents = j.value("contents", std::vector<std::string>{});
        if (j.contains("files"))
            for (auto& f : j["files"]) {
                ImageFile file{f.at("source").get<std::string>(), f.at("target").get<std::string>(),
                               f.value("mode", std::string())};
                checkTarget(file.target);
                if (!file.mode.empty()) {
                    size_t pos = 0;
                    unsigned long mode = std::stoul(file.mode, &pos, 8);
                    if (pos != file.mode.size() || mode > 07777)
                        throw Error("image file mode '%s' of '%s' is not an octal mode", file.mode, file.target);
                }
                s.files.push_back(std::move(file));
            }
        if (j.contains("config")) {
            s.config = j["config"];
            if (!s.config.is_object()) throw Error("image config must be an attribute set");
        }
        s.maxLayers = j.value("maxLayers", s.maxLayers);
        if (s.maxLayers < 2) throw Error("maxLayers must be at least 2 (one for the store paths, one for files)");
        s.created = j.value("created", s.created);
        parseRfc3339(s.created);
        std::string c = j.value("compression", std::string("gzip"));
        if (c == "gzip")
            s.compression = LayerCompression::gzip;
        else if (c == "zstd")
            s.compression = LayerCompression::zstd;
        else if (c == "none")
            s.compression = LayerCompression::none;
        else
            throw Error("unknown layer compression '%s' (gzip, zstd or none)", c);
    } catch (nlohmann::json::exception& e) {
        throw Error("invalid image description: %s", e.what());
    } catch (std::invalid_argument&) {
        throw Error("invalid image description: a file mode is not an octal number");
    }
    return s;
}

}  // namespace cstore
