"""people_ru standalone on the labelled real Russian pages: precision/recall of people, title accuracy."""
import sys
from pathlib import Path

from bench.quality import load_labels, same_person, title_key
from bot.corpus.people_ru import find_people_ru_page
from bot.corpus.sentences import split_sentences

ROOT = Path("/work/shared/real-pages")
labels = load_labels([Path("bench/quality_labels/ru.yaml")])
labelled = found_true = found_false = titles_checked = titles_right = 0
verbose = "-v" in sys.argv
for file, page in sorted(labels.items()):
    text = (ROOT / file).read_text(encoding="utf-8", errors="replace")
    sentences = [s for line in text.splitlines() for s in split_sentences(line)]
    titles: dict[str, set[str]] = {}
    for finds in find_people_ru_page(sentences):
        for f in finds:
            titles.setdefault(f.name, set()).update([f.title] if f.title else [])
    matched = set()
    for name, got in titles.items():
        idx = next((i for i, p in enumerate(page.people) if same_person(name, p)), None)
        if idx is None:
            found_false += 1
            print(f"{file}: FALSE {name!r} {sorted(got)}")
            continue
        if idx in matched:
            continue
        matched.add(idx)
        label = page.people[idx]
        titles_checked += 1
        want = {title_key(t) for t in label.titles}
        g = {title_key(t) for t in got}
        if (g and g <= want) or (not g and not want):
            titles_right += 1
        elif verbose:
            print(f"{file}: TITLE {label.name}: {sorted(got)} != {list(label.titles)}")
    labelled += len(page.people)
    found_true += len(matched)
    for i, p in enumerate(page.people):
        if i not in matched:
            print(f"{file}: MISSED {p.name!r} {list(p.titles)}")
print(f"labelled {labelled}, found right {found_true}, found wrong {found_false}")
print(f"precision {found_true / max(1, found_true + found_false):.1%}  recall {found_true / max(1, labelled):.1%}"
      f"  titles right {titles_right}/{titles_checked} = {titles_right / max(1, titles_checked):.1%}")
