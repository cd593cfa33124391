// Arithmetic, bit operations and comparison as functions.
#include <cmath>

#include "internal.hh"

namespace cstore::eval {

namespace {

void primAdd(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    state.force(*args[1], pos);
    if (args[0]->type() == ValueType::Float || args[1]->type() == ValueType::Float)
        v.mkFloat(state.forceFloat(*args[0], pos) + state.forceFloat(*args[1], pos));
    else
        v.mkInt(static_cast<int64_t>(static_cast<uint64_t>(state.forceInt(*args[0], pos)) +
                                     static_cast<uint64_t>(state.forceInt(*args[1], pos))));
}

template <lang::ExprKind Op>
void primArith(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    state.force(*args[1], pos);
    if (args[0]->type() != ValueType::Float && args[0]->type() != ValueType::Int)
        state.throwTypeError(pos, "an integer", *args[0]);
    if (args[1]->type() != ValueType::Float && args[1]->type() != ValueType::Int)
        state.throwTypeError(pos, "an integer", *args[1]);
    arith(state, Op, *args[0], *args[1], v, pos);
}

void primLessThan(EvalState& state, PosIdx pos, Value** args, Value& v) {
    v.mkBool(state.lessThan(*args[0], *args[1], pos));
}

void primBitAnd(EvalState& state, PosIdx pos, Value** args, Value& v) {
    v.mkInt(state.forceInt(*args[0], pos) & state.forceInt(*args[1], pos));
}
void primBitOr(EvalState& state, PosIdx pos, Value** args, Value& v) {
    v.mkInt(state.forceInt(*args[0], pos) | state.forceInt(*args[1], pos));
}
void primBitXor(EvalState& state, PosIdx pos, Value** args, Value& v) {
    v.mkInt(state.forceInt(*args[0], pos) ^ state.forceInt(*args[1], pos));
}

void primCeil(EvalState& state, PosIdx pos, Value** args, Value& v) {
    v.mkInt(static_cast<int64_t>(std::ceil(state.forceFloat(*args[0], pos))));
}
void primFloor(EvalState& state, PosIdx pos, Value** args, Value& v) {
    v.mkInt(static_cast<int64_t>(std::floor(state.forceFloat(*args[0], pos))));
}

}  // namespace

const PrimOp arithBuiltins[] = {
    {"add", 2, primAdd, false, true},
    {"sub", 2, primArith<lang::ExprKind::Sub>, false, true},
    {"mul", 2, primArith<lang::ExprKind::Mul>, false, true},
    {"div", 2, primArith<lang::ExprKind::Div>, false, true},
    {"lessThan", 2, primLessThan, false, true},
    {"bitAnd", 2, primBitAnd, false, true},
    {"bitOr", 2, primBitOr, false, true},
    {"bitXor", 2, primBitXor, false, true},
    {"ceil", 1, primCeil, false, true},
    {"floor", 1, primFloor, false, true},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
