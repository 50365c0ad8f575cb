"""Synthetic corpus shaped like the scraped CSTO pages in ``seeds/``, for ingest, search and /who benchmarks.

Why synthetic: five seed pages are too few to measure anything, and real pages cannot be fetched at
will. The generator reproduces the seeds' structure at any size: short teasers (with a date line,
with a date in the lead sentence, or undated) that repeat across neighbouring pages like a site's
sidebar, salutation blocks, a headline (optionally repeated with a date, or followed by a date line),
a speech / interview / meeting-report body mixing template sentences with sentences taken from the
seeds, ~5,000 synthetic people with titles written before or after the name, a few dozen named
operations, navigation debris, and blank-line or single-newline paragraph separators.

Layout: flat, ``dest/NNNNNN_<16 hex>.txt`` (index, then a content hash, like the seeds' names). A
flat directory of 100k files is fine on ext4/xfs and keeps the bot's directory scan simple.

Determinism: every page and every teaser draws from its own ``random.Random`` seeded with a string
built from (seed, index), so the same seed gives byte-identical files, and the first N pages are the
same whatever ``pages`` is (a 1k corpus is a prefix of the 100k one). Pages are built and written one
at a time; memory stays flat (a few small pools plus per-name counters).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import os
import random
import re
import string
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
PERSON_POOL_SIZE = 5000
PROMINENT = 50  # the first names of the pool are mentioned far more often, like real officials
NAVIGATION = ("Go back", "Back to the section", "Back to the all news")
PAGE_NAME_RE = re.compile(r"^\d{6,}_[0-9a-f]{16}\.txt$")
# Planted on pages whose index is a multiple of the period: known, graded document frequencies.
RARE_TERMS: tuple[tuple[str, int], ...] = (
    ("speleological", 9973),
    ("phytosanitary", 997),
    ("hydrometeorological", 97),
)
FREQUENT_CANDIDATES = ("csto", "security", "cooperation", "organization", "member")

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# --- name material (generic syllable stems × culture-specific suffixes) --------------------------------

_SLAVIC_MALE = (
    "Sergey", "Nikolai", "Andrei", "Dmitry", "Alexander", "Vladimir", "Viktor", "Mikhail", "Oleg", "Igor",
    "Pavel", "Yuri", "Valery", "Stanislav", "Konstantin", "Anatoly", "Gennady", "Boris", "Vadim", "Roman",
    "Maxim", "Yevgeny", "Vitaly", "Leonid", "Grigory", "Arkady", "Denis", "Kirill", "Ruslan", "Artem",
)  # fmt: skip
_SLAVIC_FEMALE = (
    "Anna", "Elena", "Olga", "Natalia", "Irina", "Tatiana", "Svetlana", "Marina", "Yulia", "Lyudmila",
)  # fmt: skip
_SLAVIC_STEMS = (
    "Petr", "Sokol", "Volkh", "Kuznets", "Moroz", "Lebed", "Koval", "Shevch", "Bondar", "Tkach", "Kravch",
    "Orl", "Zaits", "Pavl", "Semen", "Grish", "Belous", "Karp", "Zhuk", "Ryab", "Gus", "Taras", "Frol",
    "Nosk", "Gorb", "Medved", "Kozl", "Vasil", "Yermol", "Sidor",
)  # fmt: skip
_SLAVIC_SUFFIXES = (("ov", "ova"), ("in", "ina"), ("enko", "enko"), ("sky", "skaya"), ("ovich", "ovich"),
                    ("chuk", "chuk"))  # fmt: skip
_CA_MALE = (
    "Aidar", "Bakyt", "Daniyar", "Erlan", "Kairat", "Marat", "Nurlan", "Rustam", "Sadyr", "Talant", "Ulan",
    "Yerlan", "Azamat", "Bekzhan", "Dauren", "Zhenis", "Timur", "Farrukh", "Sherzod", "Davron", "Rakhmon",
    "Emomali", "Jamshed", "Firdavs", "Alisher", "Bobur", "Askar", "Serik", "Arman", "Kanat",
)  # fmt: skip
_CA_FEMALE = (
    "Aigul", "Dinara", "Gulnara", "Saule", "Zarina", "Madina", "Aizhan", "Nigora", "Dilnoza", "Kamila",
)  # fmt: skip
_CA_STEMS = (
    "Akhmet", "Bakir", "Dosmukhamed", "Ermek", "Karim", "Nazar", "Rakhim", "Sadyk", "Tokhtar", "Usman",
    "Yusup", "Zhumab", "Abdull", "Sharip", "Turgun", "Alim", "Bolot", "Dzhaksyb", "Kasym", "Murat", "Orozb",
    "Sapar", "Temir", "Ulug", "Mamyt", "Kurban", "Iskak", "Salim", "Khamid", "Nurmagamb",
)  # fmt: skip
_CA_SUFFIXES = (("ov", "ova"), ("ev", "eva"), ("bekov", "bekova"), ("uly", "kyzy"), ("zoda", "zoda"),
                ("baev", "baeva"))  # fmt: skip
_ARM_MALE = (
    "Ararat", "Armen", "Tigran", "Vahagn", "Hovhannes", "Karen", "Levon", "Gevorg", "Samvel", "Arsen",
)  # fmt: skip
_ARM_FEMALE = ["Anahit", "Lilit", "Gayane", "Narine"]
_ARM_STEMS = (
    "Grigor", "Hakob", "Petros", "Vardan", "Martiros", "Sargs", "Avetis", "Harutyun", "Khachatur", "Mkrtch",
    "Ohanes", "Mirzo", "Galust", "Hovsep", "Ghukas",
)  # fmt: skip
_ARM_SUFFIXES = (("yan", "yan"), ("ian", "ian"))
_PATRONYMICS = (
    "Platonovich", "Kuzhugetovich", "Ivanovich", "Petrovich", "Sergeyevich", "Nikolaevich", "Alexandrovich",
    "Vladimirovich", "Viktorovich", "Mikhailovich", "Bakytovich", "Kairatovich", "Nurlanovich",
    "Grigorievich",
)  # fmt: skip

# --- world material -----------------------------------------------------------------------------------

_COUNTRIES = (
    ("Armenia", "Armenian"), ("Belarus", "Belarusian"), ("Kazakhstan", "Kazakh"),
    ("Kyrgyzstan", "Kyrgyz"), ("Tajikistan", "Tajik"), ("Uzbekistan", "Uzbek"),
    ("Azerbaijan", "Azerbaijani"), ("Serbia", "Serbian"),
)  # fmt: skip
_CITIES = (
    "Astana", "Almaty", "Moscow", "Minsk", "Yerevan", "Bishkek", "Dushanbe", "Cholpon-Ata", "Vienna",
    "Tashkent", "Grodno", "Brest", "Khujand", "Osh", "Sochi", "Kazan", "Saint Petersburg", "Nizhny Novgorod",
)  # fmt: skip
_ORGS = (
    "CSTO Interstate Commission on Military-Economic Cooperation", "CIS Anti-Terrorism Center",
    "CSTO Parliamentary Assembly", "CSTO Committee of Secretaries of Security Councils",
    "CSTO Council of Foreign Ministers", "CSTO Council of Defense Ministers",
    "Coordination Council of Heads of Competent Authorities on Countering Illegal Migration",
    "Coordination Council of Heads of Competent Authorities on Countering Drug Trafficking",
    "CSTO Joint Staff", "CSTO Crisis Response Center", "State Committee for National Security",
    "Working Group on Afghanistan under the CSTO Council of Foreign Ministers",
    "CSTO Academic Network Council", "Interdepartmental Commission on Information Security",
    "Consultative Coordination Center for Computer Incidents",
)  # fmt: skip
_ROLES = (
    "the CSTO Deputy Secretary General",
    "the President of the Republic of {country}",
    "the Head of the {org}",
    "Chairman of the {org}",
    "the {adj} Foreign Minister",
    "the Minister of Defense of the Republic of {country}",
    "Head of the Department for Countering Challenges and Threats of the CSTO Secretariat",
    "the Chief of the CSTO Joint Staff",
    "Secretary of the Security Council of the Republic of {country}",
    "the Ambassador of the Republic of {country} to the Russian Federation",
    "Deputy Chairman of the {org}",
    "the Permanent Representative of the Republic of {country} to the CSTO",
)
_FM_ROLE, _PRES_ROLE = 4, 1
_AGENCIES = (
    "TASS", "RIA Novosti", "Sputnik Armenia", "Kazinform", "Kabar", "Khovar", "BelTA", "Cronos.Asia",
    "Interfax", "Izvestia",
)  # fmt: skip
_EVENTS = (
    "OSCE Annual Security Review Conference", "Third CIS Conference on Countering Terrorism and Extremism",
    "Minsk International Conference on Eurasian Security", "Primakov Readings",
    "International Security Forum", "OSCE-wide Counter-Terrorism Conference",
    "Eurasian Analytical Forum", "Moscow Conference on International Security",
    "session of the CSTO Collective Security Council", "meeting of the Council of Foreign Ministers",
)  # fmt: skip
_TOPICS = (
    "countering terrorism and extremism", "the situation in the CSTO area of responsibility",
    "international information security", "the fight against drug trafficking", "biological security",
    "the development of the Collective Forces", "peacekeeping activities", "countering illegal migration",
    "the strengthening of the Tajik-Afghan border", "crisis response", "military-economic cooperation",
    "the training of peacekeeping contingents", "analysis and forecasting", "countering hybrid threats",
    "the use of artificial intelligence for military purposes", "the protection of critical infrastructure",
)  # fmt: skip
_REGIONS = (
    "Central Asia", "the South Caucasus", "the Middle East", "Eastern Europe", "the Asia-Pacific region",
    "Afghanistan", "the Caspian region", "Greater Eurasia",
)  # fmt: skip
_BLOCS = ("CIS", "SCO", "EAEU", "UN", "OSCE", "ASEAN Regional Forum")
_PLACES = (
    "Central Military-Patriotic Park of Culture and Recreation of the Armed Forces",
    "CSTO Crisis Response Center", "Military University of the Ministry of Defense",
    "Museum of the Great Patriotic War", "border outpost on the Tajik-Afghan border",
)  # fmt: skip
_GROUPS = (
    "Secretaries of the Security Councils", "Participants of the Conference", "Ministers",
    "Members of the Parliamentary Assembly", "Heads of Delegations", "Heads of Competent Authorities",
)  # fmt: skip
_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
)  # fmt: skip
_OPERATIONS = (
    "Channel", "Illegal", "Proxy", "Mercenary", "Barrier", "Frontier", "Cobalt", "Shield", "Thunder",
    "Horizon", "Cordon", "Bastion", "Falcon", "Granite", "Meridian", "Rubicon", "Sentinel", "Vector",
    "Aurora", "Citadel", "Compass", "Glacier", "Harbor", "Lantern", "Mosaic", "Nomad", "Outpost",
    "Pinnacle", "Quartz", "Steppe", "Tundra", "Vigilance", "Zenith", "Caravan", "Pamir", "Anchor",
)  # fmt: skip
_PURPOSES = (
    "to combat drug trafficking", "to suppress illegal migration",
    "to combat crimes related to innovative technologies",
    "to block the channels of recruitment of citizens for participation in terrorist activities",
    "to counter the illegal arms trade", "to prevent the smuggling of weapons and ammunition",
    "to combat human trafficking", "to neutralize the resource base of terrorist organizations",
    "to combat crimes in the field of information technology", "to detect and block extremist content",
)  # fmt: skip
_EXERCISES = ("Interaction", "Search", "Echelon", "Cooperation", "Rubezh", "Barrier")
_QUOTES = (("“", "”"), ("“", "”"), ("“", "”"), ('"', '"'), ("«", "»"))

# --- sentence templates ---------------------------------------------------------------------------------
# Fields are filled by _World.fields; {date}/{dated} take the page's own date when one is set.

_TEASERS = (
    "On {date}, in {city}, {SG} met with {PRES}.",
    "On {date}, in {city}, {P} met with {P2}.",
    "During his visit to the Republic of {country}, {SG} was received by {PRES}.",
    "{agency} reports that {FM} said that he had excellent relations with {SG}.",
    "In an exclusive commentary to {agency}, {SG} spoke about the progress of the negotiations.",
    (
        "The {adj} President {PN} received the Ministers of Foreign Affairs of the CSTO member states and the "
        "Secretary General of the Organization in {city} on {md}."
    ),
    (
        "On {date}, a regular meeting of the {org} was held in {city} (the Republic of {country}) under the "
        "chairmanship of the {adj} side, which was attended by {SG}."
    ),
    "The {ordinal} meeting of the {org} was held in {city} under the chairmanship of {PX}.",
    (
        "{PA} took part in a special event on {qo}{topic}{qc} organized on the margins of the {event}, where he "
        "reported on the measures taken by the CSTO."
    ),
    "On {date}, a delegation of the CSTO Secretariat visited the {place}.",
    "On {dated}, in {city}, the {ordinal} meeting of the {org} was held, where {P} delivered a welcoming address.",
    "On {date}, {P} took part in the {event}.",
    "The results of the operation {op} {purpose} were summed up at a meeting of the {org} in {city}.",
)
_TEASER_TITLES = (
    "The CSTO Secretary General spoke at the {event}",
    "{P} took part in the {event}",
    "The CSTO Secretariat summed up the results of the operation {op}",
)
_HEADLINES = {
    "speech": (
        "Speech by {P} at the {event} on {date}",
        "Speech by {PX}, during the working session {qo}{session}{qc}",
        "{P} delivered a welcoming address at the {ordinal} meeting of the {org}",
        "Address by {SG} to the participants of the {event}",
    ),
    "report": (
        "{SG} met with {P}",
        "A meeting of the {org} was held in {city}",
        "{P} took part in the {event}",
        "The results of the operation {op} were summed up in {city}",
        "{P} visited the {place}",
        "The CSTO Secretary General spoke at the {event}",
    ),
    "interview": (
        "Interview of {SG} to the {agency} agency",
        "Interview of {P} to {agency}",
    ),
}
_LEADS = (
    "On {date}, in {city}, {P} met with {P2}.",
    "On {date}, in {city}, the {ordinal} meeting of the {org} was held, where {SG} delivered a welcoming address.",
    "On {dated}, {P} took part in the {event}.",
    (
        "On {date}, a regular meeting of the {org} was held in {city} under the chairmanship of the {adj} side, "
        "which was attended by {P}."
    ),
    (
        "On {dated}, in {city}, a meeting of the {org} was held under the chairmanship of the Republic of "
        "{country}."
    ),
)
_BODY = (
    (
        "In his speech, {PN} emphasized the importance of {topic} and called for strengthening coordinated "
        "measures within the CSTO, the CIS, and the SCO formats."
    ),
    "{P} noted that {topic} remains one of the priorities of the Organization.",
    "The event was attended by more than {n} delegates from {n2} countries, including {P} and {P2}.",
    "{PA} stressed the need for urgent and coordinated measures by the member states.",
    "During the meeting, the parties discussed {topic} and {topic2}.",
    "{agency} reports that {FM} said that the CSTO remains a key element of regional security.",
    "According to {P}, the situation in {region} requires constant attention.",
    "The participants exchanged views on {topic} and on the situation in {region}.",
    "The Secretary General thanked {P} for the hospitality and the high level of organization of the event.",
    "The {adj} delegation was headed by {P}.",
    "Speaking about {topic}, {PN} recalled that the CSTO had adopted the relevant decisions in {year}.",
    "The sides agreed to continue cooperation in the field of {topic}.",
    "{P} and {P2} discussed the prospects of cooperation between the CSTO and the {bloc}.",
    "At the end of the meeting, {P} answered questions from journalists.",
    "In {year}, the chairmanship of the CSTO will pass to the Republic of {country}.",
    "The {adj} side was represented by {P}.",
    "{PA} informed the participants about the work carried out in {year} in the field of {topic}.",
    "The joint exercises {qo}{exercise}-{year}{qc} were held at a training ground in the Republic of {country}.",
    "The meeting was also attended by {P}, {P2} and representatives of the {org}.",
    "Following the talks, {P} and {PN2} signed a memorandum on {topic}.",
    "On {md}, {P} held consultations with the leadership of the {org}.",
)
_OPERATION_SENTENCES = (
    "As practical measures, it is necessary to note the annual operation {op} — {purpose}.",
    "We also conduct an annual Operation {op} {purpose}.",
    "Operation {op} {purpose} was conducted in the Republic of {country} from {md} to {md2}.",
    (
        "During Operation {op}, carried out {purpose}, the competent authorities of the member states seized "
        "{n} kilograms of narcotic drugs."
    ),
    "These measures are implemented in the course of ongoing operations such as {op},{op2} and {op3}.",
    "The results of the operation {op} were summed up at a meeting of the {org}.",
    "{P} noted that the annual operation {op} — {purpose} — has proven its effectiveness.",
)
_QUESTIONS = (
    "What are the main results of the meetings of the {org}?",
    "How do you assess the situation in {region}?",
    "What is the role of Operation {op} in {topic}?",
    "How do you see the future of cooperation between the CSTO and the {bloc}?",
    "What are the priorities of the CSTO Secretariat for {year}?",
    "How does the Organization respond to the challenges related to {topic}?",
)
_SALUTE_LINES = ("Dear colleagues!", "Dear Chairman!", "Dear participants of the Conference!",
                 "Ladies and Gentlemen!", "Dear Colleagues!", "Dear friends!")  # fmt: skip
_CLOSINGS = (
    "Thank you.",
    "Thank you for your attention, and I wish us all fruitful work.",
    "In conclusion, I should like to wish you, dear colleagues, fruitful work together.",
    "I wish the participants fruitful work and every success.",
)
_SESSIONS = (
    "Prospects for collective security in Eurasia: the CSTO area of responsibility as a space for dialogue",
    "International Cooperation in the Fight against Terrorism",
    "Security architecture of Greater Eurasia",
    "New challenges and threats in the digital age",
)


def _compile(templates: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Pre-parse field names once so filling only computes the fields a template uses."""
    fmt = string.Formatter()
    return tuple((t, tuple(dict.fromkeys(f for _, f, _, _ in fmt.parse(t) if f))) for t in templates)


_C_TEASERS = _compile(_TEASERS)
_C_TEASER_TITLES = _compile(_TEASER_TITLES)
_C_HEADLINES = {k: _compile(v) for k, v in _HEADLINES.items()}
_C_LEADS = _compile(_LEADS)
_C_BODY = _compile(_BODY)
_C_OPS = _compile(_OPERATION_SENTENCES)
_C_QUESTIONS = _compile(_QUESTIONS)
_C_SESSIONS = _compile(_SESSIONS)

_DATE_BASE = dt.date(2015, 1, 1).toordinal()
_DATE_SPAN = dt.date(2025, 12, 31).toordinal() - _DATE_BASE


# --- public helpers ---------------------------------------------------------------------------------------


def person_pool(seed: int = 0, size: int = PERSON_POOL_SIZE) -> tuple[str, ...]:
    """Distinct synthetic full names, deterministic per seed: the /who candidate space the corpus draws from.

    First names × (stem + suffix) surnames within Slavic, Central-Asian and Armenian groups, with
    feminine surname forms for female first names, so near-duplicates (Petrov / Petrova) exist.
    """
    names: dict[str, None] = {}
    groups = (
        (_SLAVIC_MALE, _SLAVIC_FEMALE, _SLAVIC_STEMS, _SLAVIC_SUFFIXES),
        (_CA_MALE, _CA_FEMALE, _CA_STEMS, _CA_SUFFIXES),
        (_ARM_MALE, _ARM_FEMALE, _ARM_STEMS, _ARM_SUFFIXES),
    )
    for male, female, stems, suffixes in groups:
        for stem in stems:
            for masc, fem in suffixes:
                for first in male:
                    names[f"{first} {stem}{masc}"] = None
                for first in female:
                    names[f"{first} {stem}{fem}"] = None
    ordered = list(names)
    if size > len(ordered):
        raise ValueError(f"person pool holds at most {len(ordered)} names, asked for {size}")
    random.Random(f"{seed}/people").shuffle(ordered)
    return tuple(ordered[:size])


def seed_sentences(seeds_dir: Path = SEEDS_DIR) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Body sentences and interview questions from the real seed pages: realistic vocabulary to mix in.

    Returns (sentences, questions); both empty when the seeds are missing (templates alone still work).
    """
    sentences: dict[str, None] = {}
    questions: dict[str, None] = {}
    if not seeds_dir.is_dir():
        return (), ()
    for path in sorted(seeds_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            dash = re.match(r"—\s+", line)  # the seeds put a no-break space after the dash
            if dash and line.endswith("?"):
                questions[line[dash.end() :]] = None
                continue
            if dash:
                line = line[dash.end() :]
            if len(line) < 80 or line.startswith("Dear") or line[-1] not in '.”"':
                continue
            for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line):
                if 40 <= len(sent) <= 420 and sent[-1] in '.”"':
                    sentences[sent] = None
    return tuple(sentences), tuple(questions)


@dataclass(frozen=True, slots=True)
class GeneratedCorpus:
    """What was written, plus realistic things to query it with."""

    dest: Path
    pages: int
    bytes_written: int
    seed: int
    person_names: tuple[str, ...]  # distinct synthetic people written at least once (sorted)
    operation_names: tuple[str, ...]  # distinct operation names written (canonical case, sorted)
    rare_term: str  # the planted term with the fewest (but > 0) pages
    rare_terms: dict[str, int] = field(default_factory=dict)  # planted term -> pages carrying it
    frequent_term: str = "csto"  # the candidate word present in the most pages
    frequent_term_pages: int = 0
    sample_people: tuple[str, ...] = ()  # most mentioned, a median one, a rarely mentioned one
    people_queries: tuple[str, ...] = ()  # the sample people as a user might type them (typos, surname only)

    @property
    def search_terms(self) -> tuple[str, ...]:
        """Rare, frequent and person-name queries for /search benchmarks."""
        return (self.rare_term, self.frequent_term, *self.sample_people)


def iter_page_files(dest: Path) -> Iterator[Path]:
    """Generated page files in index order (only our name pattern; other files are ignored)."""
    names = sorted(e.name for e in os.scandir(dest) if e.is_file() and PAGE_NAME_RE.match(e.name))
    for name in names:
        yield dest / name


# --- the generator ------------------------------------------------------------------------------------------


class _World:
    """Pools and template filling shared by all pages; tracks which names end up in the text."""

    def __init__(self, seed: int, seeds_dir: Path) -> None:
        self.seed = seed
        self.names = person_pool(seed)
        self.titles = tuple(self._title(k) for k in range(len(self.names)))
        self.fm_people = tuple(k for k in range(1, len(self.names)) if k % len(_ROLES) == _FM_ROLE)
        self.presidents = tuple(k for k in range(1, len(self.names)) if k % len(_ROLES) == _PRES_ROLE)
        self.person_counts = [0] * len(self.names)
        self.op_counts: dict[str, int] = {}
        self.seed_sents, self.seed_questions = seed_sentences(seeds_dir)
        self.quote = _QUOTES[0]
        self.teaser = functools.lru_cache(maxsize=256)(self._make_teaser)
        self.fields: dict[str, Callable[[random.Random], str]] = {
            "SG": lambda r: self._before(0),
            "SGN": lambda r: self._name(0),
            "P": lambda r: self._before(self._pick(r)),
            "P2": lambda r: self._before(self._pick(r)),
            "PA": lambda r: self._after(self._pick(r)) + ",",
            "PX": lambda r: self._after(self._pick(r)),
            "PN": lambda r: self._name(self._pick(r)),
            "PN2": lambda r: self._name(self._pick(r)),
            "FM": lambda r: self._before(r.choice(self.fm_people)),
            "PRES": lambda r: self._before(r.choice(self.presidents)),
            "country": lambda r: r.choice(_COUNTRIES)[0],
            "adj": lambda r: r.choice(_COUNTRIES)[1],
            "city": lambda r: r.choice(_CITIES),
            "org": lambda r: r.choice(_ORGS),
            "event": lambda r: r.choice(_EVENTS),
            "topic": lambda r: r.choice(_TOPICS),
            "topic2": lambda r: r.choice(_TOPICS),
            "region": lambda r: r.choice(_REGIONS),
            "agency": lambda r: r.choice(_AGENCIES),
            "bloc": lambda r: r.choice(_BLOCS),
            "place": lambda r: r.choice(_PLACES),
            "ordinal": lambda r: r.choice(_ORDINALS),
            "session": lambda r: r.choice(_SESSIONS),
            "exercise": lambda r: r.choice(_EXERCISES),
            "op": lambda r: self._op(r),
            "op2": lambda r: " " + self._op(r),
            "op3": lambda r: self._op(r),
            "purpose": lambda r: r.choice(_PURPOSES),
            "n": lambda r: str(r.randint(12, 900)),
            "n2": lambda r: str(r.randint(3, 40)),
            "year": lambda r: str(r.randint(2015, 2026)),
            "date": lambda r: _fmt_mdy(_rand_date(r)),
            "dated": lambda r: _fmt_dmy(_rand_date(r)),
            "md": lambda r: _fmt_md(_rand_date(r)),
            "md2": lambda r: _fmt_md(_rand_date(r)),
            "qo": lambda r: self.quote[0],
            "qc": lambda r: self.quote[1],
        }

    def _title(self, k: int) -> str:
        if k == 0:
            return "the CSTO Secretary General"
        country, adj = _COUNTRIES[(k // len(_ROLES)) % len(_COUNTRIES)]
        org = _ORGS[(k // len(_ROLES)) % len(_ORGS)]
        return _ROLES[k % len(_ROLES)].format(country=country, adj=adj, org=org)

    def _pick(self, rng: random.Random) -> int:
        """Prominent officials recur; the long tail makes the distinct pool grow toward its size."""
        return rng.randrange(PROMINENT) if rng.random() < 0.3 else rng.randrange(len(self.names))

    def _name(self, k: int) -> str:
        self.person_counts[k] += 1
        return self.names[k]

    def _before(self, k: int) -> str:
        """Title before the name: 'the CSTO Deputy Secretary General X', 'the Armenian Foreign Minister X'."""
        title = self.titles[k]
        return f"{title if title.startswith('the ') else 'the ' + title} {self._name(k)}"

    def _after(self, k: int) -> str:
        """Title after the name: 'X, Chairman of the Y' (caller adds the closing comma in mid-sentence)."""
        return f"{self._name(k)}, {self.titles[k]}"

    def _op(self, rng: random.Random) -> str:
        name = rng.choice(_OPERATIONS)
        self.op_counts[name] = self.op_counts.get(name, 0) + 1
        shown = name.upper() if rng.random() < 0.05 else name
        return f"{self.quote[0]}{shown}{self.quote[1]}"

    def fill(self, rng: random.Random, compiled: tuple[str, tuple[str, ...]], **extra: str) -> str:
        template, names = compiled
        values = {f: extra[f] if f in extra else self.fields[f](rng) for f in names}
        text = template.format_map(values)
        return text[0].upper() + text[1:]

    def sentence(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.3 and self.seed_sents:
            return rng.choice(self.seed_sents)
        if roll < 0.42:
            return self.fill(rng, rng.choice(_C_OPS))
        return self.fill(rng, rng.choice(_C_BODY))

    def paragraph(self, rng: random.Random) -> str:
        return " ".join(self.sentence(rng) for _ in range(rng.choice((1, 2, 2, 2, 3, 3))))

    def salutation(self, rng: random.Random) -> list[str]:
        first = rng.choice(_SLAVIC_MALE + _CA_MALE)
        group = rng.choice(_GROUPS)
        return [
            f"Dear {first} {rng.choice(_PATRONYMICS)}!",
            f"Dear {group}!",
            (
                "On behalf of the Secretariat of the Collective Security Treaty Organization, I welcome the "
                f"organizers and participants of the {rng.choice(_ORDINALS)} meeting of the {group.lower()} of "
                f"the member states of the {rng.choice(('Commonwealth of Independent States', 'CSTO', 'SCO'))}."
            ),
        ]

    def _make_teaser(self, key: str) -> tuple[dt.date, tuple[str, ...]]:
        """One sidebar item, identical on every page that shows it: (its date, its lines)."""
        rng = random.Random(f"{self.seed}/t/{key}")
        saved, self.quote = self.quote, _QUOTES[0]
        try:
            date = _rand_date(rng)
            roll = rng.random()
            if roll < 0.12:
                return date, tuple(self.salutation(rng))
            if roll < 0.2:
                return date, (self.fill(rng, rng.choice(_C_TEASER_TITLES)),)
            text = self.fill(rng, rng.choice(_C_TEASERS), date=_fmt_mdy(date), dated=_fmt_dmy(date))
            return date, (text,)
        finally:
            self.quote = saved

    def page(self, i: int) -> str:
        """Page i: sidebar teasers, maybe a salutation, the article, then navigation debris."""
        rng = random.Random(f"{self.seed}/p/{i}")
        self.quote = rng.choice(_QUOTES)
        blocks: list[str] = []

        # Sidebar: a window of the news timeline that advances every few pages, so neighbours share it.
        if rng.random() < 0.92:
            start = max(0, i // 4 - rng.randrange(3))
            keys = [str(k) for k in range(start, start + rng.choice((2, 3, 3, 4, 4, 5)))]
            if rng.random() < 0.12:
                keys.insert(rng.randrange(len(keys) + 1), f"e{rng.randrange(40)}")  # evergreen items
            dated_sidebar = rng.random() < 0.4
            for key in keys:
                date, lines = self.teaser(key)
                if dated_sidebar and len(lines) == 1:
                    blocks.append(f"{date.day:02d}.{date.month:02d}.{date.year}")
                blocks.extend(lines)
        if rng.random() < 0.2:
            blocks.extend(self.salutation(rng))

        kind = rng.choices(("speech", "report", "interview"), weights=(35, 45, 20))[0]
        date = _rand_date(rng)
        mdy, dmy = _fmt_mdy(date), _fmt_dmy(date)
        headline = self.fill(rng, rng.choice(_C_HEADLINES[kind]), date=mdy, dated=dmy)
        blocks.append(headline)
        presentation = rng.random()
        if presentation < 0.15:
            blocks.append(f"{headline} {date.day:02d}.{date.month:02d}.{date.year}")
        elif presentation < 0.45:
            blocks.append(f"{date.day:02d}.{date.month:02d}.{date.year}")

        body: list[str] = []
        if kind == "speech":
            if rng.random() < 0.3:
                body.append(f"{self.quote[0]}{self.fill(rng, rng.choice(_C_SESSIONS))}{self.quote[1]}")
                days = f"{date.day}-{date.day + 1}" if date.day < 28 else str(date.day)
                body.append(f"({rng.choice(_CITIES)}, {MONTHS[date.month - 1]} {days}, {date.year})")
                if rng.random() < 0.3:
                    body.append("(video format)")
            if rng.random() < 0.7:
                body.extend(rng.sample(_SALUTE_LINES, rng.randint(1, 3)))
            body.extend(self.paragraph(rng) for _ in range(rng.randint(5, 12)))
            if rng.random() < 0.2:
                body.insert(len(body) - 2, "Dear Colleagues!")
            body.append(rng.choice(_CLOSINGS))
        elif kind == "report":
            if rng.random() < 0.75:
                lead = self.fill(rng, rng.choice(_C_LEADS), date=rng.choice((mdy, dmy)), dated=dmy)
                body.append(lead)
            body.extend(self.paragraph(rng) for _ in range(rng.randint(4, 10)))
        else:
            if rng.random() < 0.6:
                body.append(f"{self.fields['PN'](rng)} — on {rng.choice(_TOPICS)}")
            dash = rng.choice(("—\u00a0", "— "))  # no-break space after the dash, as in seed 002
            for _ in range(rng.randint(3, 7)):
                if self.seed_questions and rng.random() < 0.3:
                    body.append(dash + rng.choice(self.seed_questions))
                else:
                    body.append(dash + self.fill(rng, rng.choice(_C_QUESTIONS)))
                answer = [self.paragraph(rng) for _ in range(rng.randint(1, 3))]
                answer[0] = dash + answer[0]
                body.extend(answer)
        for term, period in RARE_TERMS:
            if i % period == 0:
                at = rng.randrange(len(body) + 1)
                body.insert(at, f"Experts also touched upon the {term} aspects of {rng.choice(_TOPICS)}.")
        if rng.random() < 0.03 and body[-1].endswith("."):  # stray fragment, as in seed 004
            body[-1] = body[-1] + "та."
        if rng.random() < 0.05:
            at = rng.randrange(len(body))
            body[at] = body[at].replace(" ", "  ", 1)
        blocks.extend(body)

        if rng.random() < 0.85:
            blocks.extend(NAVIGATION)
        return _join(rng, blocks) + ("\n" if rng.random() < 0.5 else "")


def _join(rng: random.Random, blocks: list[str]) -> str:
    """Paragraph separators per page: blank lines, single newlines, or an irregular mix (seed 001/002)."""
    style = rng.random()
    if style < 0.45:
        return "\n\n".join(blocks)
    if style < 0.8:
        return "\n".join(blocks)
    out = [blocks[0]]
    for block in blocks[1:]:
        out.append(rng.choice(("\n", "\n\n", "\n\n", "\n\n\n")))
        out.append(block)
    return "".join(out)


def _rand_date(rng: random.Random) -> dt.date:
    return dt.date.fromordinal(_DATE_BASE + rng.randrange(_DATE_SPAN))


def _fmt_mdy(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def _fmt_dmy(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _fmt_md(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}"


def _typo(name: str) -> str:
    """Drop one letter from the middle of the surname: the kind of slip /who must forgive."""
    first, surname = name.split(" ", 1)
    cut = len(surname) // 2
    return f"{first} {surname[:cut]}{surname[cut + 1 :]}"


def generate_corpus(dest: Path, pages: int, seed: int = 0, seeds_dir: Path = SEEDS_DIR) -> GeneratedCorpus:
    """Write `pages` synthetic pages into `dest` (flat), streaming, deterministic for a given seed.

    Previously generated page files in `dest` (our name pattern only) are removed first, so a rerun
    with a smaller `pages` leaves exactly `pages` files; anything else in `dest` is left alone.
    """
    if pages < 0:
        raise ValueError("pages must be >= 0")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(dest):
        if entry.is_file() and PAGE_NAME_RE.match(entry.name):
            os.unlink(entry.path)

    world = _World(seed, seeds_dir)
    width = max(6, len(str(max(pages - 1, 0))))
    frequent_res = {w: re.compile(rf"\b{w}\b") for w in FREQUENT_CANDIDATES}
    frequent_pages = dict.fromkeys(FREQUENT_CANDIDATES, 0)
    total = 0
    for i in range(pages):
        text = world.page(i)
        data = text.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=8).hexdigest()
        with open(dest / f"{i:0{width}d}_{digest}.txt", "wb") as fh:
            fh.write(data)
        total += len(data)
        lower = text.lower()
        for word, rx in frequent_res.items():
            if rx.search(lower):
                frequent_pages[word] += 1

    rare_terms = {term: len(range(0, pages, period)) for term, period in RARE_TERMS}
    present = [t for t, c in rare_terms.items() if c > 0]
    rare_term = min(present, key=lambda t: rare_terms[t]) if present else RARE_TERMS[-1][0]
    frequent_term = max(FREQUENT_CANDIDATES, key=lambda w: frequent_pages[w])

    used = sorted((c, k) for k, c in enumerate(world.person_counts) if c > 0)
    samples: list[str] = []
    if used:
        for _c, k in (used[-1], used[len(used) // 2], used[0]):
            if world.names[k] not in samples:
                samples.append(world.names[k])
    queries = [q for name in samples for q in (_typo(name), name.split(" ", 1)[1], name.lower())]
    return GeneratedCorpus(
        dest=dest,
        pages=pages,
        bytes_written=total,
        seed=seed,
        person_names=tuple(sorted(world.names[k] for _, k in used)),
        operation_names=tuple(sorted(world.op_counts)),
        rare_term=rare_term,
        rare_terms=rare_terms,
        frequent_term=frequent_term,
        frequent_term_pages=frequent_pages[frequent_term],
        sample_people=tuple(samples),
        people_queries=tuple(queries),
    )


def extra_pages(start: int, count: int, seed: int = 0, seeds_dir: Path = SEEDS_DIR) -> Iterator[str]:
    """Texts of pages start .. start+count-1 of the same deterministic stream, without writing them.

    Page i is the page a corpus of more than i pages holds at index i, so pages from `start` = the
    corpus size on are new to that corpus: the alert benchmarks drop them in as "new files".
    """
    world = _World(seed, seeds_dir)
    for i in range(start, start + count):
        yield world.page(i)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: python -m bench.generate --pages 1000 --out /tmp/corpus [--seed 0]."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpus = generate_corpus(args.out, args.pages, args.seed)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {corpus.pages} pages, {corpus.bytes_written / 1e6:.1f} MB to {corpus.dest} in {elapsed:.1f} s"
    )
    print(f"distinct people: {len(corpus.person_names)}, operations: {len(corpus.operation_names)}")
    print(f"rare term: {corpus.rare_term} {corpus.rare_terms}")
    print(f"frequent term: {corpus.frequent_term} ({corpus.frequent_term_pages} pages)")
    print(f"sample people: {', '.join(corpus.sample_people)}")
    print(f"people queries: {', '.join(corpus.people_queries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
