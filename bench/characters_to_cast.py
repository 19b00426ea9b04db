#!/usr/bin/env python3
"""Turn an attribution-dev `characters.json` (the gold speaker list) into a cast TOML for `audiobook script --cast`.

    python3 bench/characters_to_cast.py DATA/TEXT/characters.json > cast.toml

Each speaker becomes `[characters."Name"]` with its aliases and gender (M/F -> male/female, else unknown).
Standard library only.
"""
import json
import sys

GENDER = {"M": "male", "F": "female"}


def toml_string(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as fh:
        characters = json.load(fh)
    seen = set()
    out = ["# Gold roster converted from " + sys.argv[1], ""]
    for c in characters:
        name = c["name"]
        if name in seen:
            continue
        seen.add(name)
        aliases = [a for a in dict.fromkeys(c.get("aliases", [])) if a != name]
        out.append("[characters.%s]" % toml_string(name))
        out.append("aliases = [%s]" % ", ".join(toml_string(a) for a in aliases))
        out.append("gender = %s" % toml_string(GENDER.get(c.get("gender"), "unknown")))
        out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
