#!/usr/bin/env bash
# `cstore hash path|file [--type T] [--base16|--base32|--base64|--sri]`, golden values from spec 1.6 and 3.3.
source "$CSTORE_SRC/tests/lib/testlib.sh"

printf hello >"$T/f.txt"
printf 'hi\n' >"$T/hi"
f=$T/f.txt
expect_eq "$(cs hash file "$f")" sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ= "default: sha256 SRI"
expect_eq "$(cs hash file --sri "$f")" sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ= "--sri"
expect_eq "$(cs hash file --base16 "$f")" 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 "--base16"
expect_eq "$(cs hash file --base32 "$f")" 094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic "--base32"
expect_eq "$(cs hash file --base64 "$f")" LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ= "--base64"
expect_eq "$(cs hash file --type md5 --base16 "$f")" 5d41402abc4b2a76b9719d911017c592 "md5 base16"
expect_eq "$(cs hash file --type md5 --base32 "$f")" 4jqlbi14cxf6wpcajbphm40hax "md5 base32"
expect_eq "$(cs hash file --type sha1 --base16 "$f")" aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d "sha1 base16"
expect_eq "$(cs hash file --type sha1 --base32 "$f")" 9m1skbnr5i43n3yypvda5s65vhfwdx5a "sha1 base32"
expect_eq "$(cs hash file --type sha512 --base16 "$f")" "$(sha512sum "$f" | cut -d' ' -f1)" "sha512 base16"
expect_eq "$(cs hash file --type sha512 --base32 "$f" | wc -c)" 104 "sha512 base32 length (103 + newline)"
expect_eq "$(cs hash file --type sha512 "$f" | cut -c1-7)" sha512- "sha512 SRI prefix"

# NAR hashes (spec 2.4 and 3.3).
expect_eq "$(cs hash path --base16 "$f")" 0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969 "NAR hash of f.txt"
expect_eq "$(cs hash path --base32 "$T/hi")" 1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h "NAR hash of hi"
mkdir -p "$T/d"
cp "$T/hi" "$T/d/hi"
expect_eq "$(cs hash path --type md5 --base16 "$T/d")" \
    "$(cs store add "$T/d" >/dev/null; cs store dump "$(cs store add "$T/d")" | md5sum | cut -d' ' -f1)" "md5 of a NAR"
chmod +x "$T/hi"
[[ $(cs hash path --base32 "$T/hi") != 1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h ]] ||
    fail "the executable bit must change the NAR hash"
ln -s /nonexistent "$T/dangling"
cs hash path "$T/dangling" >/dev/null || fail "hash path of a dangling symlink"
mapfile -t many < <(cs hash file --base16 "$f" "$T/d/hi")
expect_eq "${#many[@]}" 2 "one line per file"
expect_eq "${many[1]}" "$(sha256sum "$T/d/hi" | cut -d' ' -f1)" "second file"

# Errors.
mkfifo "$T/fifo"
expect_error "unknown hash algorithm 'sha3'" cs hash file --type sha3 "$f"
expect_error "unknown hash algorithm" cs hash path --type SHA256 "$f"
expect_error "choose only one" cs hash file --base16 --base32 "$f"
expect_error "No such file" cs hash file "$T/missing"
expect_error "No such file" cs hash path "$T/missing"
expect_error "unsupported type" cs hash path "$T/fifo"
expect_error "Is a directory" cs hash file "$T/d"
if cs hash file >/dev/null 2>&1; then fail "'hash file' without arguments succeeded"; fi
CSTORE_STORE=$T/no-store cs hash path "$f" >/dev/null
[[ ! -e $T/no-store ]] || fail "hashing must not create a store"
echo "store_hash: ok"
