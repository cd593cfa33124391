// Settings: every one is declared once, below, with its name, default and
// help text. Values are read, later ones winning, from
// /etc/cstore/cstore.conf, $XDG_CONFIG_HOME/cstore/cstore.conf (or
// ~/.config/...), the text of $CSTORE_CONFIG, and `--option NAME VALUE`.
// `cstore config show` lists them with their origins. This is the only
// global mutable state in cstore.
//
//   settings.storeDir.get()             // "/store"
//   settings.set("cores", "4", "--option");
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cstore {

class Settings;

class AbstractSetting {
public:
    AbstractSetting(Settings* owner, std::string name, std::string help);
    virtual ~AbstractSetting() = default;
    AbstractSetting(const AbstractSetting&) = delete;
    AbstractSetting& operator=(const AbstractSetting&) = delete;

    const std::string& name() const { return name_; }
    const std::string& help() const { return help_; }
    // Where the current value came from: "default", a file name, "CSTORE_CONFIG", "--option".
    const std::string& origin() const { return origin_; }

    virtual void parse(const std::string& text) = 0;
    virtual std::string toString() const = 0;
    virtual std::string defaultString() const = 0;

    void set(const std::string& text, const std::string& origin) {
        parse(text);
        origin_ = origin;
    }

private:
    std::string name_, help_, origin_ = "default";
};

template <typename T>
class Setting : public AbstractSetting {
public:
    Setting(Settings* owner, T def, std::string name, std::string help)
        : AbstractSetting(owner, std::move(name), std::move(help)), value_(def), default_(std::move(def)) {}

    const T& get() const { return value_; }
    operator const T&() const { return value_; }
    void assign(T v) { value_ = std::move(v); }

    void parse(const std::string& text) override;
    std::string toString() const override;
    std::string defaultString() const override;

private:
    T value_;
    T default_;
};

using Strings = std::vector<std::string>;

class Settings {
    // Declared first: the settings below register themselves here as they are constructed.
    friend class AbstractSetting;
    std::map<std::string, AbstractSetting*> registry_;

public:
    Settings();

    // Reads the configuration files and $CSTORE_CONFIG (called once at start-up).
    void loadConfiguration();
    // Applies the `name = value` lines of `text`; `origin` names their source.
    void applyConfigText(const std::string& text, const std::string& origin);
    // Throws Error for an unknown name or an unparsable value.
    void set(const std::string& name, const std::string& value, const std::string& origin);
    const std::map<std::string, AbstractSetting*>& all() const { return registry_; }

    // Store
    Setting<std::string> storeDir{this, "/store", "store-dir",
                                  "The logical directory of the store. It is part of every store path's hash, "
                                  "so it must never change for an existing store."};
    Setting<std::string> storeRoot{
        this, "", "store-root",
        "The physical root holding <root>/store and <root>/var/cstore (default: '/' as root; "
        "$CSTORE_STORE or --store override it)."};
    Setting<bool> fsyncStore{this, false, "fsync-store",
                             "Whether to fsync files added to the store before registering them."};
    Setting<bool> keepDerivations{
        this, true, "keep-derivations",
        "Whether garbage collection keeps the .drv files of live outputs' derivations alive."};
    Setting<bool> keepOutputs{this, false, "keep-outputs",
                              "Whether garbage collection keeps the outputs of live derivations alive."};

    // Building
    Setting<uint64_t> cores{this, 0, "cores",
                            "Cores each build may use (passed as NIX_BUILD_CORES); 0 means all of them."};
    Setting<uint64_t> maxJobs{this, 0, "max-jobs", "Builds run at once; 0 means the number of cores."};
    Setting<bool> sandbox{this, true, "sandbox",
                          "Whether builds run in the sandbox (namespaces, pivot_root, no network). Turning it off is "
                          "for debugging only and needs a store whose root is '/'."};
    Setting<Strings> sandboxPaths{
        this,
        {},
        "sandbox-paths",
        "Host paths a derivation may ask for through its impureHostDeps attribute (an allow-list of "
        "prefixes, e.g. '/usr /lib /lib64 /bin'). Outputs built with host paths are marked impure."};
    Setting<std::string> buildDir{this, "", "build-dir",
                                  "Where build directories are created on the host (default: $TMPDIR or /tmp)."};
    Setting<uint64_t> buildTimeout{this, 0, "timeout",
                                   "Seconds a build may run before it is killed; 0 means no limit."};
    Setting<uint64_t> maxSilentTime{this, 0, "max-silent-time",
                                    "Seconds a build may go without output before it is killed; 0 means no limit."};
    Setting<uint64_t> logLines{this, 25, "log-lines", "Lines of a failed build's log to show."};

    // Signatures and binary caches
    Setting<Strings> secretKeyFiles{
        this,
        {},
        "secret-key-files",
        "Secret key files (as written by 'cstore key generate' or 'nix-store --generate-binary-cache-key') "
        "whose keys sign every output built locally."};
    Setting<Strings> trustedPublicKeys{
        this,
        {},
        "trusted-public-keys",
        "Public keys ('name:base64', as printed by 'cstore key public') whose signatures make a substituted "
        "path trustworthy."};
    Setting<bool> requireSigs{
        this, true, "require-sigs",
        "Whether an input-addressed path fetched from a binary cache needs a signature by one of "
        "trusted-public-keys. Content-addressed paths never need one: their content proves their name."};
    Setting<Strings> substituters{
        this,
        {},
        "substituters",
        "Binary caches (file:///dir, http://host/prefix, https://host/prefix) asked for a missing path "
        "before it is built, in the order of the Priority each one announces in nix-cache-info (lower "
        "first; a '?priority=N' parameter on the URL overrides it)."};
    Setting<uint64_t> connectTimeout{this, 10, "connect-timeout",
                                     "Seconds to wait for a connection to a binary cache; 0 means curl's "
                                     "default (300)."};
    Setting<uint64_t> stalledDownloadTimeout{
        this, 300, "stalled-download-timeout",
        "Seconds an HTTP transfer may go without receiving or sending a byte before it is abandoned (and "
        "retried)."};
    Setting<uint64_t> downloadAttempts{
        this, 5, "download-attempts",
        "How often an HTTP request is tried when it fails transiently (a 5xx answer, 429, a dropped "
        "connection, a timeout), with exponential backoff in between."};
    Setting<uint64_t> httpConnections{this, 25, "http-connections",
                                      "Transfers to or from binary caches that run at once; 0 means 1."};
    Setting<std::string> sslCertFile{this, "", "ssl-cert-file",
                                     "CA bundle (PEM) that HTTPS servers are checked against instead of the system's; "
                                     "$CSTORE_SSL_CERT_FILE overrides it."};
    Setting<uint64_t> tarballTtl{
        this, 3600, "tarball-ttl",
        "Seconds the store path of a builtins.fetchurl or builtins.fetchTarball download without a hash is "
        "reused (remembered in ~/.cache/cstore/fetch-v1/) before the URL is fetched again; 0 fetches every "
        "time."};
    Setting<std::string> netrcFile{
        this, "/etc/cstore/netrc", "netrc-file",
        "A netrc file (machine HOST login USER password SECRET) whose credentials are sent to the HTTP(S) "
        "binary caches and downloads of the hosts it names, as in Nix; ignored when it does not exist."};
    Setting<uint64_t> narinfoCachePositiveTtl{
        this, 30 * 24 * 3600, "narinfo-cache-positive-ttl",
        "Seconds a narinfo found in a binary cache is remembered (in ~/.cache/cstore/binary-cache.sqlite) "
        "instead of being asked for again."};
    Setting<uint64_t> narinfoCacheNegativeTtl{
        this, 3600, "narinfo-cache-negative-ttl",
        "Seconds the absence of a path from a binary cache is remembered; 0 asks again every time."};
};

extern Settings settings;

}  // namespace cstore
