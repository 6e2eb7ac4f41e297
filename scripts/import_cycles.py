#!/usr/bin/env python3
"""Counts import cycles between the files of a Rust crate.

An edge A -> B means file A names an item through a path that resolves to
file B (`use crate::x::y`, `super::z`, an inline `crate::x::y::f()`).
`mod` declarations are not edges: a parent owning a child is not an import.
Prints every strongly connected component of more than one file, every
import of `src/tools/` from a file that serves requests, every import of an
area's handlers (`admin`, `member`, `public`) from anywhere but the route
table, every area file below the handlers that uses actix or `http`, and
every import of another area that is not its surface (what its mod.rs
re-exports, and its model);
exits 1 if there is any, so CI can hold the line (see ARCHITECTURE.md).

    python3 scripts/import_cycles.py src [--graph]
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "src"
CRATE_ROOTS = {"lib.rs", "main.rs"}


def module_path(file):
    rel = os.path.relpath(file, ROOT)[:-3].split(os.sep)
    if rel[-1] == "mod" or (len(rel) == 1 and rel[0] + ".rs" in CRATE_ROOTS):
        rel = rel[:-1]
    return rel


def file_for(mod):
    for candidate in (os.path.join(ROOT, *mod) + ".rs", os.path.join(ROOT, *mod, "mod.rs")):
        if mod and os.path.isfile(candidate):
            return candidate
    return None


def resolve(path):
    """Longest prefix of `path` that is a file; the rest are items in it."""
    for end in range(len(path), 0, -1):
        found = file_for(path[:end])
        if found:
            return found
    return None


def expand(tree):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e]."""
    tree = tree.strip()
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix = tree[:start]
                inner = tree[start + 1 : i]
                parts, d, last = [], 0, 0
                for j, c in enumerate(inner):
                    if c == "{":
                        d += 1
                    elif c == "}":
                        d -= 1
                    elif c == "," and d == 0:
                        parts.append(inner[last:j])
                        last = j + 1
                parts.append(inner[last:])
                out = []
                for p in parts:
                    if p.strip():
                        out += [prefix + e for e in expand(p)]
                return out
    return [re.sub(r"\s+as\s+\w+$", "", tree)]


def edges_of(file):
    text = open(file, encoding="utf-8").read()
    text = re.sub(r"//[^\n]*", "", text)
    here = module_path(file)
    # Inline modules (`mod tests { use super::*; }`): there `super` is this file.
    inline_depth, stack, depth_at = 0, [], []
    opening = {m.end() - 1 for m in re.finditer(r"\bmod\s+\w+\s*\{", text)}
    for i, ch in enumerate(text):
        if ch == "{":
            stack.append(i in opening)
            inline_depth += i in opening
        elif ch == "}" and stack:
            inline_depth -= stack.pop()
        depth_at.append(inline_depth)
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        paths += [(depth_at[m.start()], p) for p in expand(m.group(1))]
    # (A grouped import's prefix, `crate::auth::{`, names no item of its own.)
    paths += [
        (depth_at[m.start()], m.group(1))
        for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)\b(?!\s*::)", text)
    ]
    # Paths through a child module declared here (`mod repo;` ... `repo::find`).
    children = set(re.findall(r"\bmod\s+(\w+)\s*;", text))
    paths += [
        (depth_at[m.start()], m.group(1))
        for m in re.finditer(r"(?<![\w:])(\w+(?:::\w+)+)", text)
        if m.group(1).split("::")[0] in children
    ]
    out = set()
    for inline, p in paths:
        segs = [s for s in re.split(r"\s*::\s*", p.strip()) if s]
        if not segs:
            continue
        while inline and segs and segs[0] == "super":
            segs, inline = segs[1:], inline - 1
        if not segs or (inline and segs[0] == "self"):
            continue
        if segs[0] not in ("crate", "super", "self") and segs[0] not in children:
            segs = ["self"] + segs if inline else segs
        base = here
        if segs[0] == "crate":
            full = segs[1:]
        elif segs[0] == "super":
            while segs and segs[0] == "super":
                base = base[:-1]
                segs = segs[1:]
            full = base + segs
        elif segs[0] == "self":
            full = base + segs[1:]
        elif segs[0] in children:
            full = base + segs
        else:
            continue
        target = resolve(full)
        if target and target != file:
            out.add(target)
    return out


files = []
for d, _, names in os.walk(ROOT):
    files += [os.path.join(d, n) for n in names if n.endswith(".rs")]
graph = {f: edges_of(f) for f in files}

index, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in graph[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


for f in sorted(graph):
    if f not in index:
        visit(f)

if "--graph" in sys.argv:
    for f in sorted(graph):
        print(f, "->", " ".join(sorted(graph[f])))
for comp in sorted(sccs, key=len, reverse=True):
    print(f"cycle of {len(comp)} files:")
    for f in comp:
        print("   ", f, "->", " ".join(sorted(g for g in graph[f] if g in comp)))
print(f"{len(sccs)} import cycle(s) across {len(files)} files")

# The operator's tools sit on top of the server: nothing that serves requests
# may import them.
tools = os.path.join(ROOT, "tools") + os.sep
into_tools = [
    (f, g)
    for f in sorted(graph)
    if not f.startswith(tools) and os.path.basename(f) != "main.rs"
    for g in sorted(graph[f])
    if g.startswith(tools)
]
for f, g in into_tools:
    print(f"server file {f} imports tool {g}")

# Handlers are leaves: only the route table names them.
AUDIENCES = ("admin", "member", "public")


def is_handler(path):
    parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    return len(parts) >= 2 and parts[1] in AUDIENCES


into_handlers = [
    (f, g)
    for f in sorted(graph)
    if not f.startswith(tools) and not f.endswith("routes.rs") and not is_handler(f)
    for g in sorted(graph[f])
    if is_handler(g)
]
for f, g in into_handlers:
    print(f"{f} imports handlers {g}: only src/routes.rs may")

# Below the handlers, an area knows nothing of HTTP.
LAYERS = ("model", "dto", "repo", "rules", "service")
with_http = []
for f in sorted(graph):
    parts = os.path.relpath(f, ROOT)[:-3].split(os.sep)
    if len(parts) >= 2 and parts[1] in LAYERS:
        text = open(f, encoding="utf-8").read()
        if "actix_web" in text or "crate::http::" in text:
            with_http.append(f)
for f in with_http:
    print(f"{f} uses actix or crate::http below the handlers")
# Areas meet only at each other's surface: what an area's mod.rs re-exports,
# and its model (rows and states are the read model).
AREAS = ("identity", "households", "groups", "imports", "points", "rewards", "attendance", "payments", "audit", "outbox", "tenants")


def area_of(path):
    parts = os.path.relpath(path, ROOT).split(os.sep)
    return parts[0] if len(parts) >= 2 and parts[0] in AREAS else None


def is_surface(path):
    parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    return parts[1:] == ["mod"] or (len(parts) >= 2 and parts[1] == "model")


past_surface = [
    (f, g)
    for f in sorted(graph)
    if area_of(f)
    for g in sorted(graph[f])
    if area_of(g) and area_of(g) != area_of(f) and not is_surface(g)
]
for f, g in past_surface:
    print(f"{f} reaches past {area_of(g)}'s surface into {g}")
sys.exit(1 if sccs or into_tools or into_handlers or with_http or past_surface else 0)
