// `cstore key generate|public`: ed25519 signing keys for binary caches, in the
// files `nix-store --generate-binary-cache-key` writes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

#include "command.hh"
#include "cstore/store/signatures.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {

struct GenerateArgs {
    std::string name, secretFile, publicFile;
};

// Writes `text` without a trailing newline, as Nix does, readable only by the owner if `secret`.
void writeKeyFile(const std::string& path, const std::string& text, bool secret) {
    if (pathExists(path)) throw Error("'%s' already exists; refusing to overwrite a key file", path);
    AutoCloseFD fd = openFile(path, O_WRONLY | O_CREAT | O_EXCL, secret ? 0600 : 0644);
    FdSink(fd.get())(text);
}

void setup(CLI::App& app, CommandContext&) {
    auto* key = app.add_subcommand("key", "Create and inspect signing keys for binary caches");
    key->require_subcommand(1);

    auto gen = std::make_shared<GenerateArgs>();
    auto* generate = key->add_subcommand(
        "generate",
        "Generate an ed25519 key pair named NAME. Without options, print the secret key; with "
        "--secret-key-file/--public-key-file, write the key files (as nix-store --generate-binary-cache-key)");
    generate
        ->add_option("name", gen->name,
                     "Key name, conventionally the cache's host name and a number, e.g. "
                     "cache.example.org-1")
        ->required();
    generate->add_option("--secret-key-file", gen->secretFile, "Write the secret key to this new file (mode 0600)");
    generate->add_option("--public-key-file", gen->publicFile, "Write the public key to this new file");
    generate->callback([gen] {
        SecretKey sk = SecretKey::generate(gen->name);
        if (gen->secretFile.empty() && !gen->publicFile.empty())
            throw Error("--public-key-file needs --secret-key-file (the secret key would be lost)");
        if (gen->secretFile.empty()) {
            std::cout << sk.toString() << "\n";
            return;
        }
        writeKeyFile(gen->secretFile, sk.toString(), true);
        if (!gen->publicFile.empty()) writeKeyFile(gen->publicFile, sk.toPublicKey().toString(), false);
    });

    auto file = std::make_shared<std::string>();
    auto* pub = key->add_subcommand("public", "Print the public key of a secret key file (or of standard input)");
    pub->add_option("secret-key-file", *file, "Secret key file (default: read the key from standard input)");
    pub->callback([file] {
        SecretKey sk = file->empty() ? SecretKey::parse([] {
            std::string s = FdSource(STDIN_FILENO).drain();
            while (!s.empty() && isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
            return s;
        }())
                                     : readSecretKeyFile(*file);
        std::cout << sk.toPublicKey().toString() << "\n";
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
