// What the derivation builtins need from a store: everything the evaluator
// needs (eval::EvalStore) plus writing and reading `.drv` files, the closure
// of a path (for strings that name a `.drv` itself), and the memoised
// hashDerivationModulo of the derivations met so far.
//
//   LocalDerivationStore store([&]() -> LocalStore& { return ctx.store(); }, /*readOnly=*/false);
//   eval::EvalOptions options;
//   addDerivationBuiltins(options);
//   eval::EvalState state(options, &store);   // `derivation { ... }` now writes .drv files
#pragma once

#include <functional>
#include <string>

#include "cstore/eval/eval_store.hh"
#include "cstore/store/derivation.hh"
#include "cstore/store/local_store.hh"

namespace cstore {

class DerivationStore : public eval::EvalStore {
public:
    explicit DerivationStore(std::string storeDir);

    const std::string& storeDir() const override { return dir_.dir(); }
    const StoreDir& dir() const { return dir_; }

    // Writes the .drv (a text path referring to its inputs) unless it exists,
    // registers its output paths, and returns its path. Read-only stores only
    // compute the path.
    virtual StorePath addDerivation(const Derivation& drv) = 0;
    virtual Derivation readDerivation(const StorePath& drvPath) = 0;
    // The path and everything it refers to, transitively.
    virtual StorePathSet closure(const StorePath& path) = 0;

    // hashDerivationModulo, memoised for the whole evaluation.
    DrvHashes& hashes() { return hashes_; }

private:
    StoreDir dir_;
    DrvHashes hashes_;
};

// A DerivationStore on the local store, opened only when first needed. With
// `readOnly`, nothing is written: paths are computed as they would be (like
// `nix-instantiate --readonly-mode`).
//
// New .drv files are collected and added in batches (LocalStore::addTexts:
// one transaction, no lock files), a thousand at a time and at `flush`;
// until then they count as valid and are read from memory. Call `flush`
// before anything else uses the store (the destructor flushes too).
class LocalDerivationStore : public DerivationStore {
public:
    using OpenStore = std::function<LocalStore&()>;
    LocalDerivationStore(OpenStore open, bool readOnly, std::string storeDir);
    ~LocalDerivationStore() override;

    std::string addPath(const std::string& name, const std::string& path, PathFilter* filter) override;
    std::string addText(const std::string& name, const std::string& text,
                        const std::vector<std::string>& references) override;
    bool isValidPath(const std::string& path) override;
    std::string fetch(const FetchRequest& request) override;
    std::string toRealPath(const std::string& path) override;
    StorePath addDerivation(const Derivation& drv) override;
    Derivation readDerivation(const StorePath& drvPath) override;
    StorePathSet closure(const StorePath& path) override;

    // Writes and registers the derivations collected so far.
    void flush();
    // The .drv files this store wrote (not those that existed already).
    size_t derivationsWritten() const { return written_; }

private:
    struct Pending {
        std::string text;
        std::map<std::string, StorePath> outputs;
    };
    OpenStore open_;
    bool readOnly_;
    size_t written_ = 0;
    std::vector<LocalStore::TextObject> batch_;
    std::map<StorePath, Pending> pending_;
};

}  // namespace cstore
