// Indentation stripping for ''...'' strings, shared by the parser and its tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cstore/lang/ast.hh"

namespace cstore::lang {

struct IndStringPart {
    PosIdx pos;
    std::string text;      // literal text (when expr is null)
    bool escaped = false;  // from ''$, ''' or ''\x
    Expr* expr = nullptr;  // an interpolation
};

// Removes the smallest indentation of all non-blank lines from every line,
// and the last line when it holds only spaces. Interpolations count as
// text. Escapes, like Nix 2.8, end the indentation when measuring it but
// are processed as text when stripping (so a space after an escaped
// newline is dropped as indentation).
template <typename MakeString, typename MakeConcat>
Expr* stripIndentation(PosIdx pos, const std::vector<IndStringPart>& parts, MakeString makeString,
                       MakeConcat makeConcat) {
    size_t minIndent = SIZE_MAX, curIndent = 0;
    bool atStartOfLine = true;
    for (auto& p : parts) {
        if (p.expr || p.escaped) {
            if (atStartOfLine) {
                atStartOfLine = false;
                if (curIndent < minIndent) minIndent = curIndent;
            }
            continue;
        }
        for (char c : p.text) {
            if (atStartOfLine) {
                if (c == ' ') {
                    ++curIndent;
                } else if (c == '\n') {
                    curIndent = 0;  // blank lines don't count
                } else {
                    atStartOfLine = false;
                    if (curIndent < minIndent) minIndent = curIndent;
                }
            } else if (c == '\n') {
                atStartOfLine = true;
                curIndent = 0;
            }
        }
    }
    if (minIndent == SIZE_MAX) minIndent = curIndent;

    std::vector<Expr*> out;
    std::string pending;  // adjacent literal pieces are merged
    PosIdx pendingPos = pos;
    bool havePending = false;
    atStartOfLine = true;
    size_t dropped = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
        const auto& p = parts[i];
        if (p.expr) {
            if (havePending) out.push_back(makeString(pendingPos, std::move(pending)));
            pending.clear();
            havePending = false;
            atStartOfLine = false;
            dropped = 0;
            out.push_back(p.expr);
            continue;
        }
        std::string s;
        for (char c : p.text) {
            if (atStartOfLine) {
                if (c == ' ') {
                    if (dropped++ >= minIndent) s += c;
                } else if (c == '\n') {
                    dropped = 0;
                    s += c;
                } else {
                    atStartOfLine = false;
                    dropped = 0;
                    s += c;
                }
            } else {
                s += c;
                if (c == '\n') atStartOfLine = true;
            }
        }
        if (!havePending) pendingPos = p.pos;
        havePending = true;
        size_t pieceStart = pending.size();
        pending += s;
        if (i + 1 == parts.size()) {
            // Drop a last line made of spaces only (looking at the last piece only, as Nix does).
            size_t nl = pending.find_last_of('\n');
            if (nl != std::string::npos && nl >= pieceStart &&
                pending.find_first_not_of(' ', nl + 1) == std::string::npos)
                pending.resize(nl + 1);
        }
    }
    if (havePending) out.push_back(makeString(pendingPos, std::move(pending)));
    if (out.empty()) return makeString(pos, "");
    if (out.size() == 1 && out[0]->kind == ExprKind::String) return out[0];
    return makeConcat(pos, std::move(out));
}

}  // namespace cstore::lang
