// Store hot paths in memory, each next to its anchor (the raw operation it
// cannot beat) so that bench/micro/ratios.py can print the ratio:
//   NarSerialiseHash  vs  RawSha256   (framing overhead of NAR hashing)
//   RefScan           vs  ClassifyBytes (reference scanning vs one table lookup per byte)
//   Nix32Encode                        (store path rendering)
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>

#include "cstore/store/nar.hh"
#include "cstore/store/references.hh"
#include "cstore/util/encoding.hh"
#include "cstore/util/hash.hh"

using namespace cstore;

namespace {

const std::string& payload() {
    static const std::string data = [] {
        std::string d(64 << 20, '\0');
        std::mt19937_64 rng(42);
        for (size_t i = 0; i < d.size(); i += 8) {
            uint64_t v = rng();
            std::memcpy(&d[i], &v, 8);
        }
        return d;
    }();
    return data;
}

void RawSha256(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(hashString(HashAlgo::sha256, payload()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload().size()));
}
BENCHMARK(RawSha256)->Unit(benchmark::kMillisecond);

void NarSerialiseHash(benchmark::State& state) {
    for (auto _ : state) {
        HashSink h(HashAlgo::sha256);
        dumpContents(payload(), false, h);
        benchmark::DoNotOptimize(h.finish());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload().size()));
}
BENCHMARK(NarSerialiseHash)->Unit(benchmark::kMillisecond);

// The least a scan must do: classify every byte as in or out of the alphabet.
void ClassifyBytes(benchmark::State& state) {
    for (auto _ : state) {
        size_t n = 0;
        for (char c : payload()) n += isNix32Char(c);
        benchmark::DoNotOptimize(n);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload().size()));
}
BENCHMARK(ClassifyBytes)->Unit(benchmark::kMillisecond);

void RefScan(benchmark::State& state) {
    std::vector<std::string> parts;
    std::mt19937_64 rng(7);
    for (int i = 0; i < 1000; ++i)
        parts.push_back(encodeNix32(hashString(HashAlgo::sha1, std::to_string(rng())).raw()));
    HashPartSet set(parts);
    for (auto _ : state) {
        RefScanSink scan(set);
        for (size_t off = 0; off < payload().size(); off += 1 << 20)
            scan(std::string_view(payload()).substr(off, 1 << 20));
        benchmark::DoNotOptimize(scan.found());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload().size()));
}
BENCHMARK(RefScan)->Unit(benchmark::kMillisecond);

void Nix32Encode(benchmark::State& state) {
    Hash h = hashString(HashAlgo::sha256, "x");
    for (auto _ : state) benchmark::DoNotOptimize(encodeNix32(h.raw()));
}
BENCHMARK(Nix32Encode);

}  // namespace
