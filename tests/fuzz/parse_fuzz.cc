// Feeds arbitrary bytes to the parser: it must return an AST or throw
// ParseError, never crash, hang or overflow the stack.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cstore/lang/parser.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace cstore::lang;
    AstContext ctx;
    StaticScope base;
    base.isWith = true;  // every free variable is acceptable
    try {
        Expr* e = parseExpr(ctx, {"«fuzz»", std::string(reinterpret_cast<const char*>(data), size), "/fuzz"}, base);
        (void)showExpr(ctx.symbols, e);
    } catch (const ParseError& err) {
        (void)describeParseError(ctx.positions, err);
        (void)renderSnippet(ctx.positions, err.at);
    }
    return 0;
}
