#include "cstore/store/derivation.hh"

#include <array>

#include "cstore/store/local_store.hh"
#include "cstore/util/encoding.hh"
#include "cstore/util/file.hh"

namespace cstore {

ContentAddress DerivationOutput::contentAddress() const {
    std::string_view algo = hashAlgo;
    IngestionMethod method = IngestionMethod::flat;
    if (algo.starts_with("r:")) {
        method = IngestionMethod::recursive;
        algo.remove_prefix(2);
    }
    auto a = parseHashAlgo(algo);
    if (!a) throw FormatError("unknown hash algorithm '%s' in derivation output", hashAlgo);
    return {method, Hash::parseBare(hash, *a)};
}

std::string outputPathName(std::string_view drvName, std::string_view outputName) {
    std::string name(drvName);
    if (outputName != "out") name += "-" + std::string(outputName);
    return name;
}

namespace {

void printEscaped(std::string& out, std::string_view s) {
    out += '"';
    // Runs without special characters are copied at once.
    static constexpr auto special = [] {
        std::array<bool, 256> t{};
        for (unsigned char c : {'"', '\\', '\n', '\r', '\t'}) t[c] = true;
        return t;
    }();
    while (true) {
        size_t i = 0;
        while (i < s.size() && !special[static_cast<unsigned char>(s[i])]) ++i;
        out.append(s.data(), i);
        if (i == s.size()) break;
        char c = s[i];
        s.remove_prefix(i + 1);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
        }
    }
    out += '"';
}

void printPlain(std::string& out, std::string_view s) {
    out += '"';
    out += s;
    out += '"';
}

template <typename Container, typename Fn>
void printList(std::string& out, const Container& items, Fn each) {
    out += '[';
    bool first = true;
    for (auto& item : items) {
        if (!first) out += ',';
        first = false;
        each(item);
    }
    out += ']';
}

}  // namespace

std::string Derivation::unparse(const StoreDir& storeDir, bool maskOutputs,
                                const std::map<std::string, std::set<std::string>>* inputHashes) const {
    std::string s;
    s.reserve(1024);
    s += "Derive(";
    printList(s, outputs, [&](auto& o) {
        s += '(';
        printPlain(s, o.first);
        s += ',';
        printPlain(s, maskOutputs || !o.second.path ? std::string() : storeDir.print(*o.second.path));
        s += ',';
        printPlain(s, o.second.hashAlgo);
        s += ',';
        printPlain(s, o.second.hash);
        s += ')';
    });
    s += ',';
    auto printInput = [&](const std::string& key, const std::set<std::string>& outs) {
        s += '(';
        printPlain(s, key);
        s += ',';
        printList(s, outs, [&](auto& o) { printPlain(s, o); });
        s += ')';
    };
    if (inputHashes) {
        printList(s, *inputHashes, [&](auto& i) { printInput(i.first, i.second); });
    } else {
        printList(s, inputDrvs, [&](auto& i) { printInput(storeDir.print(i.first), i.second); });
    }
    s += ',';
    printList(s, inputSrcs, [&](auto& p) { printPlain(s, storeDir.print(p)); });
    s += ',';
    printPlain(s, platform);
    s += ',';
    printEscaped(s, builder);
    s += ',';
    printList(s, args, [&](auto& a) { printEscaped(s, a); });
    s += ',';
    printList(s, env, [&](auto& e) {
        s += '(';
        printEscaped(s, e.first);
        s += ',';
        printEscaped(s, maskOutputs && outputs.count(e.first) ? std::string() : e.second);
        s += ')';
    });
    s += ')';
    return s;
}

namespace {

class AtermParser {
public:
    AtermParser(const StoreDir& storeDir, std::string_view text) : storeDir_(storeDir), text_(text) {}

    Derivation parse(std::string_view name) {
        Derivation drv;
        drv.name = std::string(name);
        expect("Derive(");
        list([&] {
            expect("(");
            std::string outName = plainString();
            expect(",");
            std::string path = plainString();
            expect(",");
            DerivationOutput out;
            out.hashAlgo = plainString();
            expect(",");
            out.hash = plainString();
            expect(")");
            if (!path.empty()) out.path = storePath(path);
            if (!drv.outputs.emplace(outName, std::move(out)).second) fail("duplicate output '" + outName + "'");
        });
        expect(",");
        list([&] {
            expect("(");
            StorePath p = storePath(plainString());
            expect(",");
            std::set<std::string> outs;
            list([&] { outs.insert(plainString()); });
            expect(")");
            if (!drv.inputDrvs.emplace(p, std::move(outs)).second) fail("duplicate input derivation");
        });
        expect(",");
        list([&] { drv.inputSrcs.insert(storePath(plainString())); });
        expect(",");
        drv.platform = plainString();
        expect(",");
        drv.builder = string();
        expect(",");
        list([&] { drv.args.push_back(string()); });
        expect(",");
        list([&] {
            expect("(");
            std::string key = string();
            expect(",");
            std::string value = string();
            expect(")");
            if (!drv.env.emplace(std::move(key), std::move(value)).second) fail("duplicate environment variable");
        });
        expect(")");
        if (pos_ != text_.size()) fail("unexpected data after the derivation");
        if (drv.outputs.empty()) fail("derivation has no outputs");
        return drv;
    }

private:
    [[noreturn]] void fail(const std::string& msg) {
        throw FormatError("malformed derivation at byte %s: %s", pos_, msg);
    }

    void expect(std::string_view token) {
        if (text_.substr(pos_, token.size()) != token) fail("expected '" + std::string(token) + "'");
        pos_ += token.size();
    }

    bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

    template <typename Fn>
    void list(Fn each) {
        expect("[");
        if (peek(']')) {
            ++pos_;
            return;
        }
        while (true) {
            each();
            if (peek(',')) {
                ++pos_;
                continue;
            }
            expect("]");
            return;
        }
    }

    std::string string() {
        expect("\"");
        std::string out;
        while (true) {
            if (pos_ >= text_.size()) fail("unterminated string");
            char c = text_[pos_++];
            if (c == '"') return out;
            if (c == '\\') {
                if (pos_ >= text_.size()) fail("unterminated string");
                char e = text_[pos_++];
                out += e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
            } else {
                out += c;
            }
        }
    }

    // A field Nix writes without escaping (names, paths, hashes, the platform):
    // an escape could not be written back.
    std::string plainString() {
        size_t start = pos_;
        std::string s = string();
        if (text_.substr(start, pos_ - start).find('\\') != std::string_view::npos) {
            pos_ = start;
            fail("escape sequence in a field that is written without escapes");
        }
        return s;
    }

    StorePath storePath(const std::string& s) {
        try {
            return storeDir_.parsePath(s);
        } catch (BadStorePath& e) {
            fail(e.message());
        }
    }

    const StoreDir& storeDir_;
    std::string_view text_;
    size_t pos_ = 0;
};

}  // namespace

Derivation Derivation::parse(const StoreDir& storeDir, std::string_view text, std::string_view name) {
    return AtermParser(storeDir, text).parse(name);
}

DrvHashes::DrvHashes(LocalStore& store)
    : storeDir_(store.storeDir()), read_([&store](const StorePath& p) { return readDerivation(store, p); }) {}

const std::map<std::string, Hash>& DrvHashes::hashModuloOf(const StorePath& drvPath) {
    if (auto it = cache_.find(drvPath); it != cache_.end()) return it->second;
    auto h = hashModulo(read_(drvPath), false);
    return cache_.emplace(drvPath, std::move(h)).first->second;
}

std::map<std::string, Hash> DrvHashes::hashModulo(const Derivation& drv, bool maskOutputs) {
    std::map<std::string, Hash> result;
    if (drv.isFixedOutput()) {
        // Only the content matters: two fixed-output derivations with the same
        // output path and hash are interchangeable inputs.
        auto& [name, out] = *drv.outputs.begin();
        if (!out.path) throw Error("fixed-output derivation '%s' has no output path", drv.name);
        std::string s = "fixed:out:" + out.hashAlgo + ":" + out.hash + ":" + storeDir_.print(*out.path);
        result.emplace(name, hashString(HashAlgo::sha256, s));
        return result;
    }
    std::map<std::string, std::set<std::string>> inputs;
    for (auto& [path, outs] : drv.inputDrvs) {
        const auto& hashes = hashModuloOf(path);
        for (auto& o : outs) {
            auto it = hashes.find(o);
            if (it == hashes.end()) throw Error("derivation '%s' has no output '%s'", path.baseName(), o);
            inputs[it->second.encode(HashFormat::base16)].insert(o);
        }
    }
    Hash h = hashString(HashAlgo::sha256, drv.unparse(storeDir_, maskOutputs, &inputs));
    for (auto& [name, out] : drv.outputs) result.emplace(name, h);
    return result;
}

void computeOutputPaths(const StoreDir& storeDir, Derivation& drv, DrvHashes& hashes) {
    if (drv.isFixedOutput()) {
        auto& [name, out] = *drv.outputs.begin();
        out.path = storeDir.makeFixedOutputPath(drv.name, out.contentAddress(), {});
        drv.env[name] = storeDir.print(*out.path);
        return;
    }
    for (auto& [name, out] : drv.outputs) {
        if (out.isFixed() || !out.hashAlgo.empty())
            throw Error("derivation '%s' mixes fixed and input-addressed outputs", drv.name);
        out.path.reset();
        drv.env[name] = "";
    }
    auto h = hashes.hashModulo(drv, true);
    for (auto& [name, out] : drv.outputs) {
        out.path = storeDir.makeOutputPath(name, h.at(name), drv.name);
        drv.env[name] = storeDir.print(*out.path);
    }
}

namespace {
StorePathSet drvReferences(const Derivation& drv) {
    StorePathSet refs = drv.inputSrcs;
    for (auto& [p, outs] : drv.inputDrvs) refs.insert(p);
    return refs;
}
}  // namespace

StorePath derivationPath(const StoreDir& storeDir, const Derivation& drv) {
    std::string text = drv.unparse(storeDir, false);
    return storeDir.makeTextPath(drv.name + ".drv", hashString(HashAlgo::sha256, text), drvReferences(drv));
}

StorePath writeDerivation(LocalStore& store, const Derivation& drv) {
    StorePath path = store.addText(drv.name + ".drv", drv.unparse(store.storeDir(), false), drvReferences(drv));
    std::map<std::string, StorePath> outputs;
    for (auto& [name, out] : drv.outputs)
        if (out.path) outputs.emplace(name, *out.path);
    if (store.queryDerivationOutputs(path).size() != outputs.size()) store.registerDerivationOutputs(path, outputs);
    return path;
}

Derivation readDerivation(LocalStore& store, const StorePath& drvPath) {
    if (!drvPath.isDerivation()) throw Error("'%s' is not a derivation", store.printPath(drvPath));
    std::string name(drvPath.name());
    name.resize(name.size() - 4);
    std::string file = store.realPath(drvPath);
    try {
        return Derivation::parse(store.storeDir(), readFile(file), name);
    } catch (FormatError& e) {
        throw FormatError("%s: %s", store.printPath(drvPath), e.message());
    }
}

}  // namespace cstore
