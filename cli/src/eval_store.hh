// The evaluator's view of the store (eval::EvalStore) backed by the real
// LocalStore, or, read-only, computing the paths things would get without
// writing anything (like nix-instantiate --readonly-mode).
#pragma once

#include "command.hh"
#include "cstore/eval/eval_store.hh"

namespace cstore {

class LocalEvalStore : public eval::EvalStore {
public:
    LocalEvalStore(CommandContext& ctx, bool readOnly);
    const std::string& storeDir() const override { return storeDir_; }
    std::string addPath(const std::string& name, const std::string& path, PathFilter* filter) override;
    std::string addText(const std::string& name, const std::string& text,
                        const std::vector<std::string>& references) override;
    bool isValidPath(const std::string& path) override;

private:
    CommandContext& ctx_;
    bool readOnly_;
    std::string storeDir_;
};

}  // namespace cstore
