// The database schema, as a list of migrations: migration i takes the schema
// from version i to i+1. The version lives in `pragma user_version`.
#pragma once

#include <array>
#include <string_view>

namespace cstore::schema {

inline constexpr std::array<std::string_view, 2> migrations = {
    // 0 -> 1: the layout of Nix's schema 10 (spec section 9).
    R"sql(
create table ValidPaths (
    id               integer primary key autoincrement not null,
    path             text unique not null,
    hash             text not null,       -- "sha256:" + base16 NAR hash
    registrationTime integer not null,
    deriver          text,
    narSize          integer,
    ultimate         integer,
    sigs             text,                -- space-separated "name:base64"
    ca               text
);
create table Refs (
    referrer  integer not null,
    reference integer not null,
    primary key (referrer, reference),
    foreign key (referrer) references ValidPaths(id) on delete cascade,
    foreign key (reference) references ValidPaths(id) on delete restrict
);
create index IndexReferrer on Refs(referrer);
create index IndexReference on Refs(reference);
create trigger DeleteSelfRefs before delete on ValidPaths
  begin delete from Refs where referrer = old.id and reference = old.id; end;
create table DerivationOutputs (
    drv  integer not null,
    id   text not null,                   -- output name
    path text not null,
    primary key (drv, id),
    foreign key (drv) references ValidPaths(id) on delete cascade
);
create index IndexDerivationOutputs on DerivationOutputs(path);
)sql",
    // 1 -> 2: outputs built with host paths are marked impure.
    R"sql(
alter table ValidPaths add column impure integer not null default 0;
)sql",
};

inline constexpr int currentVersion = static_cast<int>(migrations.size());

}  // namespace cstore::schema
