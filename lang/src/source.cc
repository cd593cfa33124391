#include <algorithm>

#include "cstore/lang/source.hh"

#include "cstore/util/file.hh"

namespace cstore::lang {

uint32_t PosTable::addOrigin(std::string name, std::string text) {
    if (text.size() > 0x7fffffffu - next_) throw Error("source '%s' is too large", name);
    uint32_t base = next_;
    next_ += static_cast<uint32_t>(text.size()) + 1;  // +1: the end-of-input position
    uint32_t size = static_cast<uint32_t>(text.size());
    origins_.push_back(Origin{std::move(name), std::move(text), base, size, false, {}});
    return base;
}

namespace {
// One allocation of the exact size: every imported file gets these.
void computeLineStarts(const PosTable::Origin& o) {
    std::string_view text = o.text;
    o.lineStarts.reserve(std::count(text.begin(), text.end(), '\n') + 1);
    o.lineStarts.push_back(0);
    for (size_t nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n', nl + 1))
        o.lineStarts.push_back(static_cast<uint32_t>(nl + 1));
}
}  // namespace

void PosTable::forgetText(uint32_t base) {
    // Called right after parsing, so the origin is usually the last one.
    Origin* o = nullptr;
    if (!origins_.empty() && origins_.back().base == base) {
        o = &origins_.back();
    } else {
        auto it = std::upper_bound(origins_.begin(), origins_.end(), base,
                                   [](uint32_t v, const Origin& x) { return v < x.base; });
        if (it == origins_.begin() || (--it)->base != base) return;
        o = &*it;
    }
    if (o->textForgotten) return;
    if (o->lineStarts.empty()) computeLineStarts(*o);
    std::string().swap(o->text);
    o->textForgotten = true;
}

const PosTable::Origin* PosTable::find(PosIdx pos) const {
    if (!pos) return nullptr;
    auto it = std::upper_bound(origins_.begin(), origins_.end(), pos.value,
                               [](uint32_t v, const Origin& o) { return v < o.base; });
    if (it == origins_.begin()) return nullptr;
    --it;
    if (pos.value > it->base + it->size) return nullptr;
    return &*it;
}

const PosTable::Origin& PosTable::origin(uint32_t base) const { return *find(PosIdx{base}); }

SourcePos PosTable::resolve(PosIdx pos) const {
    const Origin* o = find(pos);
    if (!o) return SourcePos{"«none»", 0, 0};
    if (o->lineStarts.empty()) computeLineStarts(*o);
    uint32_t offset = pos.value - o->base;
    auto it = std::upper_bound(o->lineStarts.begin(), o->lineStarts.end(), offset);
    uint32_t line = static_cast<uint32_t>(it - o->lineStarts.begin());
    uint32_t column = offset - *(it - 1) + 1;
    return SourcePos{o->name, line, column};
}

std::string renderSnippet(const PosTable& positions, PosIdx pos, size_t indent) {
    const auto* o = positions.find(pos);
    if (!o) return {};
    SourcePos sp = positions.resolve(pos);
    std::string reread;
    if (o->textForgotten) {
        try {
            reread = readFile(o->name);
        } catch (Error&) {
            return {};
        }
    }
    const std::string& text = o->textForgotten ? reread : o->text;
    uint32_t start = o->lineStarts[sp.line - 1];
    if (start > text.size()) return {};  // the file changed since
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    std::string number = std::to_string(sp.line);
    std::string pad(indent, ' ');
    std::string out = pad + number + "| " + line + "\n";
    std::string caretPad;
    // Tabs stay tabs so that the caret lines up in a terminal.
    for (size_t i = 0; i + 1 < sp.column && i < line.size(); ++i) caretPad += line[i] == '\t' ? '\t' : ' ';
    out += pad + std::string(number.size(), ' ') + "| " + caretPad + "^\n";
    return out;
}

}  // namespace cstore::lang
