// Derivations (spec section 5): the ATerm `.drv` format, reading and
// writing it, and `hashDerivationModulo`, the hash that keys the output
// paths of input-addressed derivations.
//
//   Derivation drv = readDerivation(store, drvPath);
//   std::string text = drv.unparse(store.storeDir(), false);
//   DrvHashes hashes(store);
//   Hash h = hashes.hashModulo(drv, /*maskOutputs=*/true);
#pragma once

#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cstore/store/store_path.hh"
#include "cstore/util/hash.hh"

namespace cstore {

class LocalStore;

struct DerivationOutput {
    std::optional<StorePath> path;  // absent for deferred (not yet computed) outputs
    std::string hashAlgo;           // "" (input-addressed), "<algo>" (flat) or "r:<algo>" (recursive)
    std::string hash;               // base16 digest of a fixed output, else ""

    bool isFixed() const { return !hash.empty(); }
    // For fixed outputs: the content address the output must have.
    ContentAddress contentAddress() const;
    bool operator==(const DerivationOutput&) const = default;
};

struct Derivation {
    std::string name;  // the name without ".drv"
    std::map<std::string, DerivationOutput> outputs;
    std::map<StorePath, std::set<std::string>> inputDrvs;
    StorePathSet inputSrcs;
    std::string platform;
    std::string builder;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;

    bool isFixedOutput() const { return outputs.size() == 1 && outputs.begin()->second.isFixed(); }

    // The ATerm text. With `maskOutputs`, output paths and the env values of
    // output names are blanked (the form hashed for the outputs' own paths).
    // With `inputHashes`, inputDrvs are replaced by those (hex hash -> outputs).
    std::string unparse(const StoreDir& storeDir, bool maskOutputs,
                        const std::map<std::string, std::set<std::string>>* inputHashes = nullptr) const;
    // Throws FormatError (with the byte offset) on malformed input.
    static Derivation parse(const StoreDir& storeDir, std::string_view text, std::string_view name);

    bool operator==(const Derivation&) const = default;
};

// Memoised hashDerivationModulo over a store.
class DrvHashes {
public:
    using ReadDrv = std::function<Derivation(const StorePath&)>;
    DrvHashes(const StoreDir& storeDir, ReadDrv read) : storeDir_(storeDir), read_(std::move(read)) {}
    explicit DrvHashes(LocalStore& store);

    // Output name -> digest; for input-addressed derivations all outputs share one.
    std::map<std::string, Hash> hashModulo(const Derivation& drv, bool maskOutputs);
    const std::map<std::string, Hash>& hashModuloOf(const StorePath& drvPath);
    // Records the (unmasked) hashes of a derivation known without reading it,
    // e.g. one just instantiated; required when it was never written.
    void remember(const StorePath& drvPath, std::map<std::string, Hash> hashes) {
        cache_.insert_or_assign(drvPath, std::move(hashes));
    }

private:
    StoreDir storeDir_;
    ReadDrv read_;
    // Keyed by the hash part's first 8 bytes (the paths are looked up often).
    struct PathHasher {
        size_t operator()(const StorePath& p) const {
            size_t h;
            std::memcpy(&h, p.hashPart().data(), sizeof h);
            return h;
        }
    };
    std::unordered_map<StorePath, std::map<std::string, Hash>, PathHasher> cache_;
};

// Fills in the output paths (and the env entries naming them) of an
// input-addressed or fixed-output derivation whose outputs are still empty.
void computeOutputPaths(const StoreDir& storeDir, Derivation& drv, DrvHashes& hashes);

// The store path the .drv file gets (a text path referencing its inputs).
StorePath derivationPath(const StoreDir& storeDir, const Derivation& drv);
// Writes the .drv into the store (if missing), registers its outputs, returns its path.
StorePath writeDerivation(LocalStore& store, const Derivation& drv);
Derivation readDerivation(LocalStore& store, const StorePath& drvPath);

// "<drvName>" for out, "<drvName>-<output>" otherwise.
std::string outputPathName(std::string_view drvName, std::string_view outputName);

}  // namespace cstore
