// Writes the seed corpus for nar_reader_fuzz: the NARs of small trees
// covering every node kind, made with the real writer.
//
//   nar-seed-corpus OUTDIR
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "cstore/store/nar.hh"
#include "cstore/util/file.hh"

using namespace cstore;

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    std::string out = argv[1];
    createDirs(out);
    AutoDelete tmp(createTempDir(defaultTempDir(), "nar-seeds"));
    std::string t = tmp.path();
    auto emit = [&](const std::string& name, const std::string& path) {
        StringSink sink;
        dumpPath(path, sink);
        writeFile(out + "/" + name + ".nar", sink.data);
    };
    auto emitContents = [&](const std::string& name, std::string_view contents, bool executable) {
        StringSink sink;
        dumpContents(contents, executable, sink);
        writeFile(out + "/" + name + ".nar", sink.data);
    };

    emitContents("empty-file", "", false);
    emitContents("hi", "hi\n", false);
    emitContents("executable", "#!/bin/sh\n", true);
    emitContents("padded", std::string(13, 'p'), false);

    createDirs(t + "/empty-dir");
    emit("empty-dir", t + "/empty-dir");

    symlink("../some/target", (t + "/link").c_str());
    emit("symlink", t + "/link");

    std::string tree = t + "/tree";
    createDirs(tree + "/sub/deeper");
    writeFile(tree + "/B", "upper");
    writeFile(tree + "/a", "lower");
    writeFile(tree + "/sub/x", std::string(100, 'x'));
    writeFile(tree + "/sub/run", "#!/bin/sh\n");
    chmod((tree + "/sub/run").c_str(), 0755);
    symlink("../a", (tree + "/sub/link").c_str());
    createDirs(tree + "/sub/deeper/empty");
    emit("tree", tree);
    return 0;
}
