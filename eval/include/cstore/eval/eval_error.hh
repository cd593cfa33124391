// Evaluation errors. Each carries the position it is about and the chain of
// calls it happened in ("while calling 'f'"), captured when it is thrown
// from the evaluator's call-frame list; formatEvalError renders message,
// snippet and frames.
//
//   throw EvalError(pos, "value is %s while a set was expected", showType(v));
//   catch (EvalError& e) { std::cerr << formatEvalError(state, e, showTrace); }
#pragma once

#include <string>
#include <vector>

#include "cstore/lang/source.hh"
#include "cstore/util/error.hh"

namespace cstore::eval {

enum class FrameKind : uint8_t { Lambda, Builtin, Attribute, Import, Message };

// One active call or evaluation step. They live on the C++ stack, linked
// from the innermost outwards (see CallFrameGuard in eval_state.hh).
struct CallFrame {
    const CallFrame* prev;
    lang::PosIdx pos;
    FrameKind kind;
    const void* subject;  // ExprLambda*, PrimOp*, Symbol id (as integer), or const std::string*
};

// The innermost active frame of the evaluation running on this thread.
extern thread_local const CallFrame* currentCallFrame;

struct TraceFrame {
    lang::PosIdx pos;
    FrameKind kind;
    const void* subject;
    std::string message;  // for Import and Message frames
};

class EvalError : public Error {
public:
    template <typename... Args>
    EvalError(lang::PosIdx p, std::string_view fmt, const Args&... args) : Error(format(fmt, args...)), pos(p) {
        captureFrames();
    }

    lang::PosIdx pos;
    std::vector<TraceFrame> frames;  // innermost first
    bool truncated = false;          // more frames were active than were recorded
    void addMessage(lang::PosIdx p, std::string message) {
        frames.push_back({p, FrameKind::Message, nullptr, std::move(message)});
    }

private:
    void captureFrames();
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
