#!/usr/bin/env python3
"""Builds the schema fixtures: v1.sqlite … vN.sqlite, one database as each earlier version of
invoice wrote it. Version v = migrations 1…v of Sources/Store/Schema.swift (append-only, so the
first v migrations are exactly what version v had), each followed by data-k.sql, the rows that
version's program wrote (realistic data, values as the program stores them).

    python3 Tests/StoreTests/Fixtures/schema/build.py        # writes every vN.sqlite that is missing
    python3 Tests/StoreTests/Fixtures/schema/build.py 6      # (re)writes v6.sqlite only

Committed fixtures are never rewritten by default: a fixture is a record of what a released
version wrote. When you append migration N+1, run this to add vN.sqlite (and data-N+1.sql with
rows for your new tables or columns, optional)."""
import os, re, sqlite3, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", "..", ".."))

def migrations():
    source = open(os.path.join(root, "Sources", "Store", "Schema.swift"), encoding="utf-8").read()
    body = source[source.index("static let migrations: [String] = ["):]
    body = body[:body.index("\n    ]\n")]
    blocks = re.findall(r'"""\n(.*?)\n\s*"""', body, re.S)
    if not blocks:
        sys.exit("build.py: no migrations found in Schema.swift")
    return blocks

def build(version, steps):
    path = os.path.join(here, f"v{version}.sqlite")
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    for k in range(1, version + 1):
        db.executescript(steps[k - 1])
        data = os.path.join(here, f"data-{k}.sql")
        if os.path.exists(data):
            db.executescript(open(data, encoding="utf-8").read())
    db.execute(f"PRAGMA user_version = {version}")
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        sys.exit(f"build.py: v{version}: foreign key problems {problems}")
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"wrote {os.path.relpath(path, root)}")

steps = migrations()
if len(sys.argv) > 1:
    build(int(sys.argv[1]), steps)
else:
    for version in range(1, len(steps) + 1):
        if not os.path.exists(os.path.join(here, f"v{version}.sqlite")):
            build(version, steps)
