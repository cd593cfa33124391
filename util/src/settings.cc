#include "cstore/util/settings.hh"
#include "cstore/util/strings.hh"

#include <cstdlib>

#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

Settings settings;

AbstractSetting::AbstractSetting(Settings* owner, std::string name, std::string help)
    : name_(std::move(name)), help_(std::move(help)) {
    owner->registry_[name_] = this;
}

template <>
void Setting<std::string>::parse(const std::string& text) {
    value_ = text;
}
template <>
std::string Setting<std::string>::toString() const {
    return value_;
}
template <>
std::string Setting<std::string>::defaultString() const {
    return default_;
}

template <>
void Setting<bool>::parse(const std::string& text) {
    if (text == "true" || text == "1" || text == "yes")
        value_ = true;
    else if (text == "false" || text == "0" || text == "no")
        value_ = false;
    else
        throw Error("setting '%s' must be true or false, not '%s'", name(), text);
}
template <>
std::string Setting<bool>::toString() const {
    return value_ ? "true" : "false";
}
template <>
std::string Setting<bool>::defaultString() const {
    return default_ ? "true" : "false";
}

template <>
void Setting<uint64_t>::parse(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    unsigned long long v = strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end || errno || text[0] == '-')
        throw Error("setting '%s' must be a non-negative integer, not '%s'", name(), text);
    value_ = v;
}
template <>
std::string Setting<uint64_t>::toString() const {
    return std::to_string(value_);
}
template <>
std::string Setting<uint64_t>::defaultString() const {
    return std::to_string(default_);
}

template <>
void Setting<Strings>::parse(const std::string& text) {
    value_ = splitWords(text);
}
template <>
std::string Setting<Strings>::toString() const {
    std::string out;
    for (auto& s : value_) out += (out.empty() ? "" : " ") + s;
    return out;
}
template <>
std::string Setting<Strings>::defaultString() const {
    std::string out;
    for (auto& s : default_) out += (out.empty() ? "" : " ") + s;
    return out;
}

Settings::Settings() = default;

void Settings::set(const std::string& name, const std::string& value, const std::string& origin) {
    auto it = registry_.find(name);
    if (it == registry_.end()) throw Error("unknown setting '%s'", name);
    it->second->set(value, origin);
}

void Settings::applyConfigText(const std::string& text, const std::string& origin) {
    size_t lineNo = 0, pos = 0;
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
        ++lineNo;
        if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
        line = trim(line);
        if (line.empty()) continue;
        auto eq = line.find('=');
        if (eq == std::string::npos)
            throw Error(SourcePos{origin, static_cast<uint32_t>(lineNo), 1}, "expected 'name = value'");
        try {
            set(trim(line.substr(0, eq)), trim(line.substr(eq + 1)), origin);
        } catch (Error& e) {
            e.setPos(SourcePos{origin, static_cast<uint32_t>(lineNo), 1});
            throw;
        }
    }
}

void Settings::loadConfiguration() {
    auto loadFile = [&](const std::string& path) {
        if (pathExists(path)) applyConfigText(readFile(path), path);
    };
    loadFile("/etc/cstore/cstore.conf");
    if (const char* xdg = getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        loadFile(std::string(xdg) + "/cstore/cstore.conf");
    else if (const char* home = getenv("HOME"); home && *home)
        loadFile(std::string(home) + "/.config/cstore/cstore.conf");
    if (const char* text = getenv("CSTORE_CONFIG")) applyConfigText(text, "CSTORE_CONFIG");
}

}  // namespace cstore
