// Evaluation errors. Each carries the position it is about and, as it
// travels up through function calls, a chain of trace frames ("while
// calling 'f'"). formatEvalError renders message, snippet and frames.
//
//   throw EvalError(pos, "value is %s while a set was expected", showType(v));
//   catch (EvalError& e) { std::cerr << formatEvalError(state, e, showTrace); }
#pragma once

#include <string>
#include <vector>

#include "cstore/lang/source.hh"
#include "cstore/util/error.hh"

namespace cstore::eval {

struct TraceFrame {
    lang::PosIdx pos;
    std::string what;
};

class EvalError : public Error {
public:
    template <typename... Args>
    EvalError(lang::PosIdx p, std::string_view fmt, const Args&... args) : Error(format(fmt, args...)), pos(p) {}

    lang::PosIdx pos;
    std::vector<TraceFrame> frames;  // innermost first
    void addFrame(lang::PosIdx p, std::string what) { frames.push_back({p, std::move(what)}); }
};

// Errors `builtins.tryEval` catches: `throw` and failed assertions.
class CatchableError : public EvalError {
public:
    using EvalError::EvalError;
};
class ThrownError : public CatchableError {
public:
    using CatchableError::CatchableError;
};
class AssertionError : public CatchableError {
public:
    using CatchableError::CatchableError;
};
// `abort`: never caught.
class AbortError : public EvalError {
public:
    using EvalError::EvalError;
};
class TypeError : public EvalError {
public:
    using EvalError::EvalError;
};
class InfiniteRecursionError : public EvalError {
public:
    using EvalError::EvalError;
};
class StackOverflowError : public EvalError {
public:
    using EvalError::EvalError;
};

}  // namespace cstore::eval
