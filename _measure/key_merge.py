"""How many labelled individuals get exactly one name_keys key over all their spellings (en + ru labels)."""
import yaml
from collections import defaultdict
from bot.corpus.name_keys import person_key, has_initials
spell = defaultdict(set)
for f in ["bench/quality_labels/en.yaml", "bench/quality_labels/ru.yaml"]:
    d = yaml.safe_load(open(f))
    pages = [v for k, v in d.items() if k != "_blocks"] + list((d.get("_blocks") or {}).values())
    for p in pages:
        for person in (p or {}).get("people") or []:
            spell[person["key"]].add(person["key"])
            if person.get("name"):
                spell[person["key"]].add(person["name"])
ok = 0
owner = defaultdict(set)
for k, names in spell.items():
    full = [n for n in names if not has_initials(n)] or list(names)
    keys = {person_key(n) for n in full}
    for kk in keys:
        owner[kk].add(k)
    if len(keys) == 1:
        ok += 1
    else:
        print("split:", k, sorted(names), keys)
print(len(spell), "individuals;", ok, "with one key")
print("keys shared by two individuals:", [(k, v) for k, v in owner.items() if len(v) > 1])
