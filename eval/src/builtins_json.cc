// toJSON and fromJSON. The parser is a small recursive-descent one: JSON is
// simple, and building values directly avoids an intermediate DOM.
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "cstore/eval/print.hh"
#include "internal.hh"

namespace cstore::eval {

namespace {

void primToJSON(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string json = valueToJSON(state, *args[0], ctx, pos);
    state.mkString(v, json, ctx);
}

class JsonParser {
public:
    JsonParser(EvalState& state, std::string_view s, PosIdx pos) : state_(state), s_(s), pos_(pos) {}

    void parse(Value& v) {
        value(v, 0);
        skipSpace();
        if (i_ != s_.size()) fail("unexpected trailing characters");
    }

private:
    [[noreturn]] void fail(const char* what) { throw EvalError(pos_, "cannot parse JSON: %s at offset %s", what, i_); }
    void skipSpace() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    void value(Value& v, int depth) {
        if (depth > 10000) fail("nesting too deep");
        skipSpace();
        if (i_ >= s_.size()) fail("unexpected end of input");
        char c = s_[i_];
        if (c == '{') {
            ++i_;
            std::vector<std::pair<Symbol, Value*>> attrs;
            skipSpace();
            if (i_ < s_.size() && s_[i_] == '}') {
                ++i_;
            } else {
                while (true) {
                    skipSpace();
                    if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string key");
                    std::string key = string();
                    skipSpace();
                    if (i_ >= s_.size() || s_[i_] != ':') fail("expected ':'");
                    ++i_;
                    Value* item = state_.allocValue();
                    value(*item, depth + 1);
                    attrs.emplace_back(state_.intern(key), item);
                    skipSpace();
                    if (i_ < s_.size() && s_[i_] == ',') {
                        ++i_;
                        continue;
                    }
                    if (i_ < s_.size() && s_[i_] == '}') {
                        ++i_;
                        break;
                    }
                    fail("expected ',' or '}'");
                }
            }
            // Later duplicates win, as with Nix's parser.
            auto b = state_.buildBindings(attrs.size());
            std::stable_sort(attrs.begin(), attrs.end(), [](auto& a, auto& b) { return a.first.id < b.first.id; });
            for (size_t k = 0; k < attrs.size(); ++k)
                if (k + 1 == attrs.size() || attrs[k + 1].first != attrs[k].first)
                    b.add(attrs[k].first, attrs[k].second);
            v.mkAttrs(b.finishSorted());
        } else if (c == '[') {
            ++i_;
            std::vector<Value*> elems;
            skipSpace();
            if (i_ < s_.size() && s_[i_] == ']') {
                ++i_;
            } else {
                while (true) {
                    Value* item = state_.allocValue();
                    value(*item, depth + 1);
                    elems.push_back(item);
                    skipSpace();
                    if (i_ < s_.size() && s_[i_] == ',') {
                        ++i_;
                        continue;
                    }
                    if (i_ < s_.size() && s_[i_] == ']') {
                        ++i_;
                        break;
                    }
                    fail("expected ',' or ']'");
                }
            }
            ListData* l = state_.allocList(elems.size());
            std::copy(elems.begin(), elems.end(), l->elems);
            v.mkList(l);
        } else if (c == '"') {
            state_.mkString(v, string());
        } else if (literal("true")) {
            v.mkBool(true);
        } else if (literal("false")) {
            v.mkBool(false);
        } else if (literal("null")) {
            v.mkNull();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            number(v);
        } else {
            fail("unexpected character");
        }
    }

    void number(Value& v) {
        size_t start = i_;
        bool isFloat = false;
        if (s_[i_] == '-') ++i_;
        if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) fail("invalid number");
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        if (i_ < s_.size() && s_[i_] == '.') {
            isFloat = true;
            ++i_;
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            isFloat = true;
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        std::string text(s_.substr(start, i_ - start));
        if (!isFloat) {
            errno = 0;
            long long n = std::strtoll(text.c_str(), nullptr, 10);
            if (errno != ERANGE) {
                v.mkInt(n);
                return;
            }
        }
        v.mkFloat(std::strtod(text.c_str(), nullptr));
    }

    static void appendUtf8(std::string& out, uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xc0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xe0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        }
    }

    uint32_t hex4() {
        if (i_ + 4 > s_.size()) fail("truncated \\u escape");
        uint32_t cp = 0;
        for (int k = 0; k < 4; ++k) {
            char h = s_[i_++];
            cp <<= 4;
            if (h >= '0' && h <= '9')
                cp |= h - '0';
            else if (h >= 'a' && h <= 'f')
                cp |= h - 'a' + 10;
            else if (h >= 'A' && h <= 'F')
                cp |= h - 'A' + 10;
            else
                fail("invalid \\u escape");
        }
        return cp;
    }

    std::string string() {
        ++i_;  // opening quote
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            char c = s_[i_++];
            if (c == '"') return out;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) fail("unterminated string");
            char e = s_[i_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    uint32_t cp = hex4();
                    if (cp >= 0xd800 && cp < 0xdc00 && s_.substr(i_, 2) == "\\u") {
                        i_ += 2;
                        uint32_t low = hex4();
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    }
                    appendUtf8(out, cp);
                    break;
                }
                default:
                    fail("invalid escape");
            }
        }
    }

    EvalState& state_;
    std::string_view s_;
    PosIdx pos_;
    size_t i_ = 0;
};

void primFromJSON(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string s(state.forceStringNoCtx(*args[0], pos));
    JsonParser(state, s, pos).parse(v);
}

}  // namespace

const PrimOp jsonBuiltins[] = {
    {"toJSON", 1, primToJSON},
    {"fromJSON", 1, primFromJSON},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
