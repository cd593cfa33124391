#include "recipe.hh"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cstore/eval/print.hh"
#include "cstore/instantiate/derivation_builtins.hh"
#include "cstore/util/file.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"

#ifndef CSTORE_STD_DIR
#error "CSTORE_STD_DIR (the source tree's lang/std) must be defined by the build"
#endif

namespace cstore {

using namespace eval;

void addRecipeOptions(CLI::App* cmd, RecipeArgs& a, bool withFile) {
    if (withFile) cmd->add_option("file", a.file, "Recipe file to evaluate ('-' for standard input)");
    cmd->add_option("-E,--expr", a.expr, "Evaluate this expression instead of a file");
    cmd->add_option("-A,--attr", a.attrPaths, "Select an attribute path (a.b.0.c) of the result")
        ->allow_extra_args(false);
    cmd->add_option("--arg", a.args, "--arg NAME EXPR: pass EXPR as argument NAME")
        ->expected(2)
        ->allow_extra_args(false)
        ->take_all();
    cmd->add_option("--argstr", a.argstrs, "--argstr NAME STRING: pass STRING as argument NAME")
        ->expected(2)
        ->allow_extra_args(false)
        ->take_all();
    cmd->add_option("-I,--include", a.includes, "Add a search path entry NAME=PATH or PATH for <name> lookups")
        ->allow_extra_args(false);
}

std::string standardLibraryDir() {
    try {
        std::string exe = readLink("/proc/self/exe");
        std::string installed = dirOf(dirOf(exe)) + "/share/cstore/std";
        if (pathExists(installed + "/default.cbl")) return installed;
    } catch (Error&) {
    }
    return CSTORE_STD_DIR;
}

RecipeSession::RecipeSession(EvalState& state, DerivationStore& store, const RecipeArgs& args)
    : state_(state), store_(store), args_(args) {}

Expr* RecipeSession::parseOnly() {
    if (parsed_) return parsed_;
    std::string cwd = currentDirectory();
    if (!args_.expr.empty())
        parsed_ = state_.parseString(args_.expr, cwd);
    else if (args_.file == "-")
        parsed_ = state_.parseString(FdSource(STDIN_FILENO).drain(), cwd, "«stdin»");
    else
        parsed_ = state_.parseFile(canonPath(args_.file, cwd));
    return parsed_;
}

std::vector<Value*> RecipeSession::selected() {
    std::string cwd = currentDirectory();
    if (!root_) {
        Expr* e = parseOnly();
        auto b = state_.buildBindings(args_.args.size() / 2 + args_.argstrs.size() / 2);
        for (size_t i = 0; i + 1 < args_.args.size(); i += 2)
            b.add(state_.intern(args_.args[i]), state_.lazyEval(state_.parseString(args_.args[i + 1], cwd, "«arg»")));
        for (size_t i = 0; i + 1 < args_.argstrs.size(); i += 2)
            state_.mkString(*b.alloc(state_.intern(args_.argstrs[i])), args_.argstrs[i + 1]);
        autoArgs_ = b.finish();
        root_ = state_.allocValue();
        state_.eval(e, *root_);
    }
    std::vector<Value*> out;
    if (args_.attrPaths.empty()) out.push_back(root_);
    for (auto& path : args_.attrPaths) out.push_back(select(root_, path));
    return out;
}

Value* RecipeSession::select(Value* v, const std::string& path) {
    if (path.empty()) return v;
    size_t start = 0;
    while (start <= path.size()) {
        size_t dot = path.find('.', start);
        std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        Value* called = state_.allocValue();
        state_.autoCallFunction(autoArgs_, *v, *called);
        v = called;
        state_.force(*v, PosIdx{});
        bool numeric = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
        if (numeric && v->type() == ValueType::List) {
            size_t i = std::stoul(part);
            if (i >= v->listSize())
                throw EvalError(PosIdx{}, "list index %s in selection path '%s' is out of range", i, path);
            v = v->listElems()[i];
        } else {
            if (v->type() != ValueType::Attrs)
                throw EvalError(PosIdx{},
                                "the expression selected by the selection path '%s' should be a set but is %s", path,
                                showType(*v));
            const Attr* a = v->attrs()->find(state_.intern(part));
            if (!a) {
                std::string hint;
                std::vector<std::string> names;
                Bindings* flat = state_.flat(v->attrs());
                for (const Attr& x : *flat) names.emplace_back(state_.name(x.name));
                std::sort(names.begin(), names.end());
                if (!names.empty() && names.size() <= 20) {
                    hint = "; it has ";
                    for (size_t i = 0; i < names.size(); ++i) hint += (i ? ", '" : "'") + names[i] + "'";
                }
                throw EvalError(PosIdx{}, "attribute '%s' in selection path '%s' not found%s", part, path, hint);
            }
            v = a->value;
        }
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return v;
}

Value RecipeSession::finalValue(Value& v) {
    Value result;
    if (autoArgs_->empty()) {
        state_.force(v, PosIdx{});
        result = v;
    } else {
        state_.autoCallFunction(autoArgs_, v, result);
    }
    return result;
}

std::vector<FoundDerivation> RecipeSession::findDerivations(Value& v, const std::string& attrPath) {
    std::vector<FoundDerivation> out;
    find(v, attrPath, out);
    return out;
}

namespace {
bool isAttrName(std::string_view s) {
    if (s.empty() || !(isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    for (char c : s)
        if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+')) return false;
    return true;
}
std::string joinPath(const std::string& prefix, std::string_view part) {
    return prefix.empty() ? std::string(part) : prefix + "." + std::string(part);
}
}  // namespace

// Adds `v` if it is a derivation; returns whether it was one.
bool RecipeSession::addIfDerivation(Value& v, const std::string& attrPath, std::vector<FoundDerivation>& out) {
    state_.force(v, PosIdx{});
    if (!state_.isDerivation(v)) return false;
    Bindings* attrs = state_.flat(v.attrs());
    if (!done_.insert(attrs).second) return true;
    FoundDerivation d;
    d.attrPath = attrPath;
    std::string where = attrPath.empty() ? "the recipe's value" : "'" + attrPath + "'";
    const Attr* drvPath = attrs->find(state_.sym.drvPath);
    if (!drvPath) throw EvalError(PosIdx{}, "the derivation at %s has no 'drvPath' attribute", where);
    ContextBuilder ctx;
    d.drvPath = state_.coerceToString(*drvPath->value, ctx, drvPath->pos, false, false);
    if (!attrs->find(state_.sym.name)) throw EvalError(PosIdx{}, "the derivation at %s has no 'name' attribute", where);
    const Attr* outputName = attrs->find(state_.sym.outputName);
    if (!outputName) throw EvalError(PosIdx{}, "the derivation at %s has no 'outputName' attribute", where);
    d.outputName = state_.forceStringNoCtx(*outputName->value, outputName->pos);
    out.push_back(std::move(d));
    return true;
}

void RecipeSession::find(Value& vIn, const std::string& attrPath, std::vector<FoundDerivation>& out) {
    Value v;
    state_.autoCallFunction(autoArgs_, vIn, v);
    if (addIfDerivation(v, attrPath, out)) return;
    if (v.type() == ValueType::Attrs) {
        Bindings* attrs = state_.flat(v.attrs());
        std::vector<const Attr*> sorted;
        for (const Attr& a : *attrs) sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(),
                  [&](const Attr* x, const Attr* y) { return state_.name(x->name) < state_.name(y->name); });
        Symbol recurse = state_.intern("recurseForDerivations");
        for (const Attr* a : sorted) {
            std::string_view name = state_.name(a->name);
            if (!isAttrName(name)) continue;
            std::string path = joinPath(attrPath, name);
            if (addIfDerivation(*a->value, path, out)) continue;
            if (a->value->type() != ValueType::Attrs) continue;
            const Attr* r = a->value->attrs()->find(recurse);
            if (r && state_.forceBool(*r->value, r->pos)) find(*a->value, path, out);
        }
        return;
    }
    if (v.type() == ValueType::List) {
        for (size_t i = 0; i < v.listSize(); ++i) {
            std::string path = joinPath(attrPath, std::to_string(i));
            if (!addIfDerivation(*v.listElems()[i], path, out)) find(*v.listElems()[i], path, out);
        }
        return;
    }
    throw TypeError(PosIdx{}, "the %s is %s, not a derivation (or a set or list of those)",
                    attrPath.empty() ? std::string("recipe's value") : "value at '" + attrPath + "'", showType(v));
}

bool withRecipe(CommandContext& ctx, const RecipeArgs& args, const std::function<void(RecipeSession&)>& fn) {
    if (args.file.empty() == args.expr.empty()) throw Error("give either a FILE or -E EXPR");
    EvalOptions options;
    options.searchPath = args.includes;
    options.fallbackSearchPath = {"cstore=" + standardLibraryDir()};
    options.storeDir = settings.storeDir.get();
    options.eagerIntegerArguments = args.eagerIntegerArguments;
    addDerivationBuiltins(options);
    // The store is opened only when evaluation first needs it.
    LocalDerivationStore store([&ctx]() -> LocalStore& { return ctx.store(); }, args.readOnly, settings.storeDir.get());
    EvalState state(options, &store);
    bool ok = true;
    runOnLargeStack(&state, [&] {
        try {
            RecipeSession session(state, store, args);
            fn(session);
            store.flush();
        } catch (EvalError& e) {
            std::cerr << "error: " << formatEvalError(state, e, ctx.showTrace) << std::endl;
            ok = false;
        } catch (Interrupted&) {
            throw;
        } catch (Error& e) {
            // Store and file system errors met while evaluating.
            std::cerr << "error: " << e.what() << std::endl;
            ok = false;
        }
    });
    if (const char* show = getenv("CSTORE_SHOW_STATS"); show && *show) {
        auto& st = state.stats;
        std::cerr << format("values %s, environments %s, sets %s, lists %s, strings %s; arena %s; %s .drv written\n",
                            formatBytes(st.values), formatBytes(st.envs), formatBytes(st.bindings),
                            formatBytes(st.lists), formatBytes(st.strings), formatBytes(state.bytesAllocated()),
                            store.derivationsWritten());
    }
    return ok;
}

}  // namespace cstore
