// `cstore eval`: evaluates a recipe file or expression and prints the value
// the way `nix-instantiate --eval` does, so outputs compare textually.
#include <unistd.h>

#include <iostream>

#include "command.hh"
#include "cstore/eval/eval_state.hh"
#include "cstore/eval/print.hh"
#include "cstore/util/file.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"
#include "eval_store.hh"

namespace cstore {

namespace {

using namespace cstore::eval;

struct EvalCommand {
    std::string file;
    std::string expr;
    bool strict = false, json = false, raw = false, parseOnly = false, readOnly = false;
    std::vector<std::string> attrPaths;
    std::vector<std::string> args, argstrs, includes;
};

// Follows `a.b.0.c` from `v`, calling functions on the way with the --arg values.
Value* selectAttrPath(EvalState& state, Value* v, const std::string& path, Bindings* autoArgs) {
    if (path.empty()) return v;
    size_t start = 0;
    while (start <= path.size()) {
        size_t dot = path.find('.', start);
        std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        Value* called = state.allocValue();
        state.autoCallFunction(autoArgs, *v, *called);
        v = called;
        state.force(*v, PosIdx{});
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
            const Attr* a = v->attrs()->find(state.intern(part));
            if (!a) throw EvalError(PosIdx{}, "attribute '%s' in selection path '%s' not found", part, path);
            v = a->value;
        }
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return v;
}

void runEval(EvalCommand& cmd, CommandContext& ctx) {
    if (cmd.file.empty() == cmd.expr.empty()) throw Error("give either a FILE or -E EXPR");
    EvalOptions options;
    options.searchPath = cmd.includes;
    options.storeDir = settings.storeDir.get();
    // The store is opened only when evaluation first needs it.
    LocalEvalStore store(ctx, cmd.readOnly);
    EvalState state(options, &store);
    bool failed = false;
    std::string output;
    runOnLargeStack(&state, [&] {
        try {
            std::string cwd = currentDirectory();
            Expr* e;
            if (!cmd.expr.empty())
                e = state.parseString(cmd.expr, cwd);
            else if (cmd.file == "-")
                e = state.parseString(FdSource(STDIN_FILENO).drain(), cwd, "«stdin»");
            else
                e = state.parseFile(canonPath(cmd.file, cwd));
            if (cmd.parseOnly) return;

            auto argsBuilder = state.buildBindings(cmd.args.size() / 2 + cmd.argstrs.size() / 2);
            for (size_t i = 0; i + 1 < cmd.args.size(); i += 2) {
                argsBuilder.add(state.intern(cmd.args[i]),
                                state.lazyEval(state.parseString(cmd.args[i + 1], cwd, "«arg»")));
            }
            for (size_t i = 0; i + 1 < cmd.argstrs.size(); i += 2)
                state.mkString(*argsBuilder.alloc(state.intern(cmd.argstrs[i])), cmd.argstrs[i + 1]);
            Bindings* autoArgs = argsBuilder.finish();

            Value* root = state.allocValue();
            state.eval(e, *root);
            std::vector<std::string> paths = cmd.attrPaths.empty() ? std::vector<std::string>{""} : cmd.attrPaths;
            for (auto& path : paths) {
                Value* v = selectAttrPath(state, root, path, autoArgs);
                Value result;
                if (autoArgs->empty()) {
                    state.force(*v, PosIdx{});
                    result = *v;
                } else {
                    state.autoCallFunction(autoArgs, *v, result);
                }
                if (cmd.json) {
                    ContextBuilder context;
                    output += valueToJSON(state, result, context, PosIdx{});
                } else if (cmd.raw) {
                    state.forceDeep(result);
                    ContextBuilder context;
                    output += state.coerceToString(result, context, PosIdx{}, true, false);
                } else {
                    if (cmd.strict) state.forceDeep(result);
                    output += printValue(state, result) + "\n";
                }
            }
        } catch (EvalError& e) {
            std::cerr << "error: " << formatEvalError(state, e, ctx.showTrace) << std::endl;
            failed = true;
        } catch (Error& e) {
            // Store and file system errors met while evaluating.
            std::cerr << "error: " << e.what() << std::endl;
            failed = true;
        }
    });
    std::cout << output << std::flush;
    if (const char* show = getenv("CSTORE_SHOW_STATS"); show && *show) {
        auto& st = state.stats;
        std::cerr << format("values %s, environments %s, sets %s, lists %s, strings %s; arena %s\n",
                            formatBytes(st.values), formatBytes(st.envs), formatBytes(st.bindings),
                            formatBytes(st.lists), formatBytes(st.strings), formatBytes(state.bytesAllocated()));
    }
    if (failed) ctx.exitCode = 1;
}

void setupEval(CLI::App& app, CommandContext& ctx) {
    auto cmd = std::make_shared<EvalCommand>();
    auto* sub = app.add_subcommand("eval", "Evaluate a recipe file or expression and print the result");
    sub->footer(
        "Prints the value as `nix-instantiate --eval` does. A top-level function with formals is called with "
        "the --arg/--argstr values. <name> paths are looked up in -I entries, then $CSTORE_PATH.");
    sub->add_option("file", cmd->file, "Recipe file to evaluate ('-' for standard input)");
    sub->add_option("-E,--expr", cmd->expr, "Evaluate this expression instead of a file");
    sub->add_flag("--strict", cmd->strict, "Evaluate the whole value, not just its outer layer");
    sub->add_flag("--json", cmd->json, "Print the value as JSON (implies --strict)");
    sub->add_flag("--raw", cmd->raw, "Print a string value without quotes");
    sub->add_flag("--parse-only", cmd->parseOnly, "Only parse, reporting syntax errors");
    sub->add_flag("--read-only", cmd->readOnly,
                  "Compute the store paths of interpolated paths and toFile without writing to the store");
    sub->add_option("-A,--attr", cmd->attrPaths, "Select an attribute path (a.b.0.c) of the result")
        ->allow_extra_args(false);
    sub->add_option("--arg", cmd->args, "--arg NAME EXPR: pass EXPR as argument NAME")
        ->expected(2)
        ->allow_extra_args(false)
        ->take_all();
    sub->add_option("--argstr", cmd->argstrs, "--argstr NAME STRING: pass STRING as argument NAME")
        ->expected(2)
        ->allow_extra_args(false)
        ->take_all();
    sub->add_option("-I,--include", cmd->includes, "Add a search path entry NAME=PATH or PATH for <name> lookups")
        ->allow_extra_args(false);
    sub->callback([cmd, &ctx] { runEval(*cmd, ctx); });
}

RegisterCommand reg(setupEval);

}  // namespace

}  // namespace cstore
