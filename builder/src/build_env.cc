#include "cstore/builder/build_env.hh"

#include <nlohmann/json.hpp>

#include "cstore/util/encoding.hh"
#include "cstore/util/error.hh"
#include "cstore/util/strings.hh"

namespace cstore {

std::vector<std::string> envWords(const Derivation& drv, const std::string& name) {
    auto it = drv.env.find(name);
    return it == drv.env.end() ? std::vector<std::string>{} : splitWords(it->second);
}

namespace {

bool isShellName(const std::string& s) {
    if (s.empty() || !(isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    for (char c : s)
        if (!(isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// A scalar as bash source, or nothing for values .attrs.sh cannot express.
std::optional<std::string> shellScalar(const nlohmann::json& v) {
    if (v.is_string()) return shellQuote(v.get<std::string>());
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number_float()) return shellQuote(v.dump());
    if (v.is_boolean()) return v.get<bool>() ? std::string("1") : std::string("");
    if (v.is_null()) return std::string("''");
    return std::nullopt;
}

std::string attrsShell(const nlohmann::json& attrs) {
    std::string out;
    for (auto& [key, value] : attrs.items()) {
        if (!isShellName(key)) continue;
        if (auto s = shellScalar(value)) {
            out += "declare " + key + "=" + *s + "\n";
        } else if (value.is_array()) {
            std::string items;
            bool ok = true;
            for (auto& item : value) {
                auto s = shellScalar(item);
                if (!s) {
                    ok = false;
                    break;
                }
                items += *s + " ";
            }
            if (ok) out += "declare -a " + key + "=(" + items + ")\n";
        } else if (value.is_object()) {
            std::string items;
            bool ok = true;
            for (auto& [k, item] : value.items()) {
                auto s = shellScalar(item);
                if (!s) {
                    ok = false;
                    break;
                }
                items += "[" + shellQuote(k) + "]=" + *s + " ";
            }
            if (ok) out += "declare -A " + key + "=(" + items + ")\n";
        }
    }
    return out;
}

}  // namespace

BuildEnv makeBuildEnv(const Derivation& drv, const BuildEnvInputs& in) {
    BuildEnv result;
    auto& env = result.env;
    env["PATH"] = "/path-not-set";
    env["HOME"] = "/homeless-shelter";
    env["NIX_STORE"] = in.storeDir;
    env["NIX_BUILD_CORES"] = std::to_string(in.cores);

    auto jsonIt = drv.env.find("__json");
    if (jsonIt != drv.env.end()) {
        // Structured attributes: nothing from env is exported; the builder reads files.
        nlohmann::json attrs;
        try {
            attrs = nlohmann::json::parse(jsonIt->second);
        } catch (nlohmann::json::exception& e) {
            throw Error("derivation '%s' has malformed structured attributes: %s", drv.name, e.what());
        }
        nlohmann::json outputs = nlohmann::json::object();
        for (auto& [name, out] : drv.outputs)
            outputs[name] = out.path ? in.storeDir + "/" + out.path->baseName() : std::string();
        attrs["outputs"] = outputs;
        result.files[".attrs.json"] = attrs.dump();
        result.files[".attrs.sh"] = attrsShell(attrs);
        env["NIX_ATTRS_JSON_FILE"] = in.sandboxBuildDir + "/.attrs.json";
        env["NIX_ATTRS_SH_FILE"] = in.sandboxBuildDir + "/.attrs.sh";
    } else {
        auto passAsFile = envWords(drv, "passAsFile");
        std::set<std::string> asFile(passAsFile.begin(), passAsFile.end());
        for (auto& [k, v] : drv.env) {
            if (!asFile.count(k)) {
                env[k] = v;
                continue;
            }
            std::string file = ".attr-" + encodeNix32(hashString(HashAlgo::sha256, k).raw());
            result.files[file] = v;
            env[k + "Path"] = in.sandboxBuildDir + "/" + file;
        }
    }

    for (auto* var : {"NIX_BUILD_TOP", "TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD"}) env[var] = in.sandboxBuildDir;

    if (drv.isFixedOutput()) {
        env["NIX_OUTPUT_CHECKED"] = "1";
        for (auto& name : envWords(drv, "impureEnvVars")) {
            auto it = in.callerEnv.find(name);
            env[name] = it == in.callerEnv.end() ? "" : it->second;
        }
    }
    env["NIX_LOG_FD"] = "2";
    env["TERM"] = "xterm-256color";
    return result;
}

}  // namespace cstore
