"""Operations as unseen pages write them: a purpose written before the name (after the kind word and the
words that qualify it, or before a bracketed "(Operation X)"), a purpose cut where it runs on past a
finite verb, a goal said back in a later sentence ("Its aim was ...", «Ее целью являлось ...», «был
призван ...»), a fronted purpose a translation cut off with a full stop, a known name quoted with a word in
lower case or in single quotes, and a news outlet in quotes that is no exercise.

The sentences are made up in the sites' shape; the lexicon is the shipped one."""

from __future__ import annotations

import pytest
from corpus_fixtures import lexicon

from bot.corpus.model import OperationMention
from bot.corpus.operations import find_operations
from bot.corpus.sentences import split_sentences
from bot.corpus.vocab import vocab_for


def mentions(text: str) -> tuple[OperationMention, ...]:
    return find_operations(split_sentences(text), vocab_for(lexicon()).families)


def purposes(text: str) -> dict[str, str | None]:
    return {o.name: o.purpose for o in mentions(text)}


def named(text: str) -> list[tuple[str, str, str | None, str]]:
    """(as written, family, instance, kind) of every mention."""
    return [(o.name, o.family_name, o.instance, o.kind) for o in mentions(text)]


# --------------------------------------------------------------------------- a purpose before the name


@pytest.mark.parametrize(
    ("text", "name", "purpose"),
    [
        (
            "В ОДКБ подвели итоги региональной операции по противодействию незаконной миграции "
            "\u00abНелегал-2030\u00bb.",
            "Нелегал-2030",
            "по противодействию незаконной миграции",
        ),
        (
            "A meeting on a permanent operation aimed at countering cybercrime (Operation PROXY) was held "
            "in Minsk on Tuesday.",
            "PROXY",
            "aimed at countering cybercrime",
        ),
        (
            "Прошло заседание национальных штабов операции постоянного действия ОДКБ по противодействию "
            'преступлениям в сфере информационных технологий (операция "ПРОКСИ").',
            "ПРОКСИ",
            "по противодействию преступлениям в сфере информационных технологий",
        ),
        (
            'The headquarters of the operation of the CSTO to combat illegal migration met in Moscow on the "Nelegal-2030".',
            "Nelegal-2030",
            "to combat illegal migration",
        ),
    ],
)
def test_a_purpose_written_between_the_kind_word_and_the_name(text: str, name: str, purpose: str) -> None:
    assert purposes(text) == {name: purpose}


@pytest.mark.parametrize(
    ("text", "name", "purpose"),
    [
        (  # the sentence goes on past "agreed": the purpose is the operation's, not the plan's
            "The headquarters of the regional operation on countering illegal migration agreed on a plan "
            'for the activities of "Illegal 2030"',
            "Illegal 2030",
            "on countering illegal migration",
        ),
        (
            "The headquarters of the regional operation of the CSTO to combat illegal migration has approved "
            'the plan of the "Nelegal 2030"',
            "Nelegal 2030",
            "to combat illegal migration",
        ),
        (  # a goal of the next sentence, said of "the operations", ends at its verb
            "Штаб подвел итоги операции \u00abНелегал-2030\u00bb. Мероприятия по противодействию незаконной "
            "миграции были проведены в рамках операций в два этапа.",
            "Нелегал-2030",
            "по противодействию незаконной миграции",
        ),
        (  # a relative clause is part of the purpose
            "Police launched the operation to counter drugs that are smuggled from abroad code-named "
            '"Channel-Dune".',
            "Channel-Dune",
            "to counter drugs that are smuggled from abroad",
        ),
    ],
)
def test_a_purpose_ends_at_the_finite_verb_it_runs_on_into(text: str, name: str, purpose: str) -> None:
    assert purposes(text) == {name: purpose}


def test_a_russian_purpose_after_the_name_in_more_words() -> None:
    text = (
        'Согласован план мероприятий под условным наименованием "Наемник" по перекрытию каналов вербовки, '
        "въезда граждан для участия в деятельности террористов."
    )
    assert purposes(text) == {"Наемник": "по перекрытию каналов вербовки"}


@pytest.mark.parametrize(
    "text",
    [
        'The operation of the CSTO in Osh ended on Friday with the arrest of the "Dune" group.',
        "Председатель Координационного совета по борьбе с наркотиками Иван Петров подвел итоги операции "
        "\u00abКанал-2030\u00bb.",
    ],
)
def test_words_between_the_kind_word_and_the_name_that_state_no_purpose(text: str) -> None:
    assert all(o.purpose is None for o in mentions(text))


# ------------------------------------------------------------------------------ a goal said back later


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        (
            "Наркотики изъяты в ходе операции \u00abКанал-2030\u00bb. Всего изъято 50 кг героина. "
            "Операция проводилась по решению глав государств. Ее целью являлось перекрытие каналов "
            "контрабанды наркотиков.",
            "перекрытие каналов контрабанды наркотиков",
        ),
        (
            'Police seized heroin during operation "Channel-2030". More than 50 kg were seized in a week. '
            "The operation was held by decision of the heads of state. Its aim was to block drug routes.",
            "to block drug routes",
        ),
        (
            "Изъято 5 т наркотиков в ходе операции \u00abКанал - Восток\u00bb. Участвовали 20 тыс. "
            "сотрудников. Основной этап спецоперации прошел на этой неделе и был призван выявить каналы "
            "поставки наркотиков, нейтрализовать группировки.",
            "выявить каналы поставки наркотиков",
        ),
    ],
)
def test_a_goal_a_later_sentence_says_back_of_the_operation(text: str, purpose: str) -> None:
    assert [o.purpose for o in mentions(text)] == [purpose]


def test_the_widget_lines_between_a_name_and_its_goal_are_no_sentences_of_the_story() -> None:
    sentences = [
        'Regional operation "Channel-2030"',
        "Rate this item",
        "(0 votes)",
        'Operation "Channel-2030" was carried out from 1 to 5 June in the member states.',
        "A coordination office was stationed in the capital.",
        "The operation was aimed at interdicting drug routes, officials said.",
    ]
    found = find_operations(sentences, vocab_for(lexicon()).families)
    assert [o.purpose for o in found] == ["aimed at interdicting drug routes"]


def test_a_pronoun_goal_after_a_sentence_about_someone_else_is_not_the_operations() -> None:
    text = (
        "Изъято 10 кг героина в ходе операции \u00abКанал-2030\u00bb. Задержан гражданин соседней страны. "
        "Его целью был сбыт наркотиков в Москве."
    )
    assert [o.purpose for o in mentions(text)] == [None]


# ---------------------------------------------------------------- a fronted purpose cut off by a full stop

FRONTED = (
    "In accordance with the Plan for 2030, in the period from 1 to 5 June, in the territory of the member "
    "states, with the aim of suppressing drug channels, neutralizing drug groups. The subregional "
    "operation \u201cChannel-Dune\u201d was carried out in order to legalize drug profits."
)


def test_a_purpose_clause_cut_off_before_the_operation_is_its_purpose() -> None:
    assert purposes(FRONTED) == {"Channel-Dune": "suppressing drug channels"}


def test_a_sentence_with_its_own_subject_and_verb_lends_no_purpose() -> None:
    text = (
        "In accordance with the plan, police officers searched depots with the aim of seizing heroin. "
        "The operation \u201cChannel-Dune\u201d was carried out in order to block drug routes."
    )
    assert purposes(text) == {"Channel-Dune": "to block drug routes"}


# ------------------------------------------------------------------------------- known names in quotes


@pytest.mark.parametrize(
    "text",
    [
        "Отмечены учения \u00abВзаимодействие\u00bb и миротворческие маневры \u00abНерушимое братство\u00bb.",
        'Прошел запуск двух учений - "Нерушимое братство" миротворцев и "Барьер" медиков.',
    ],
)
def test_a_known_name_with_a_word_in_lower_case_is_read_in_quotes(text: str) -> None:
    assert ("Нерушимое братство", "Indestructible Brotherhood", None, "exercise") in named(text)


def test_a_known_name_in_single_quotes_with_the_full_stop_inside() -> None:
    text = "We plan to hold exercises with special forces units of the CRRF 'Kobalt.' The plan may change."
    assert named(text) == [("Kobalt", "Cobalt", None, "exercise")]


@pytest.mark.parametrize(
    "text",
    [
        "The soldiers' Search teams took part in the exercise.",  # an apostrophe, no quote
        "Rescuers of the brigade's Search and rescue unit trained during the exercise.",
    ],
)
def test_an_apostrophe_before_a_known_word_is_no_quote(text: str) -> None:
    assert named(text) == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            "The joint exercise of the peacekeeping forces codenamed Nerushimoe Bratstvo (Enduring Brotherhood) "
            "is beginning in Armenia on Wednesday.",
            "Nerushimoe Bratstvo",
        ),
        (
            "Совместное учение миротворческих сил ОДКБ под условным наименованием Нерушимое братство "
            "начнется в среду.",
            "Нерушимое братство",
        ),
    ],
)
def test_a_known_name_after_a_word_that_gives_a_name_needs_no_kind_word_near(text: str, written: str) -> None:
    assert named(text)[0] == (written, "Indestructible Brotherhood", None, "exercise")


def test_the_agency_translation_of_a_known_exercise_is_that_exercise() -> None:
    text = (
        "The drills are codenamed Enduring Brotherhood and are aimed at training peacekeepers for the region."
    )
    assert [(o.family_name, o.kind, o.purpose) for o in mentions(text)] == [
        ("Indestructible Brotherhood", "exercise", "aimed at training peacekeepers for the region")
    ]


# -------------------------------------------------------------------------------- news outlets in quotes


@pytest.mark.parametrize(
    "text",
    [
        "Учения \u00abКобальт-2030\u00bb пройдут в августе, сообщает \u00abБелаПАН\u00bb.",
        "В Казахстане завершились учения \u00abКобальт-2030\u00bb, сообщает телеканал \u00abМИР 24\u00bb.",
        "Учения \u00abКобальт-2030\u00bb начались, передает агентство \u00abИнтерфакс\u00bb.",
        'The drills "Cobalt-2030" began in Kazakhstan, the TV channel "Mir 24" reports.',
        'The drills "Cobalt-2030" began in Kazakhstan, according to "BelaPAN".',
    ],
)
def test_a_news_outlet_in_quotes_is_no_exercise(text: str) -> None:
    assert [family for _, family, _, _ in named(text)] == ["Cobalt"]


# ------------------------------------------------------------------------------------ linear on any text

GUARD_S = 5.0  # a guard against a runaway regex, not a benchmark: linear rules need a small fraction
SIZE = 200_000


@pytest.mark.parametrize(
    ("rule", "unit"),
    [
        ("goal_of_kind", "\u043e\u043f\u0435\u0440\u0430\u0446\u0438\u0438 "),  # «операции » over and over
        ("goal_of_kind", "\u043e\u043f\u0435\u0440\u0430\u0446\u0438\u0438 \u0431\u044b\u043b "),
        ("finite", "that "),
        ("finite", "drugs that were "),
        ("preamble", "in a, "),
        ("preamble", "with the aim "),
    ],
)
def test_the_new_purpose_rules_read_a_long_text_in_linear_time(rule: str, unit: str) -> None:
    import time

    from bot.corpus import operation_purposes as purposes_module

    text = unit * (SIZE // len(unit)) + "x"
    regex = {
        "goal_of_kind": purposes_module._GOAL_OF_KIND["operation"].search,
        "finite": purposes_module._FINITE.search,
        "preamble": purposes_module._PREAMBLE.match,
    }[rule]
    started = time.perf_counter()
    regex(text)
    assert time.perf_counter() - started < GUARD_S


def test_many_bracketed_names_after_long_qualifying_words_are_read_in_linear_time() -> None:
    import time

    from bot.corpus import operations as operations_module

    unit = 'operation of the CSTO aimed at countering crimes of the kind (Operation "Name") and '
    sentence = unit * (SIZE // len(unit))
    started = time.perf_counter()
    operations_module.read_sentence(sentence)  # uncached: each call reads the sentence
    assert time.perf_counter() - started < GUARD_S


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        (
            'A staff training "Steppe Shield-2031" began in the republic. '
            'The main goal of the "Steppe Shield-2031" training is to test the command of the forces.',
            "to test the command of the forces",
        ),
        (
            'The exercise "Steppe Shield-2031" opened in the south. '
            "The exercise also aims to train the units in guarding convoys.",
            "to train the units in guarding convoys",
        ),
        (
            'Troops arrived for the "Steppe Shield-2031" exercise. The drills are aimed at joint defence.',
            "aimed at joint defence",
        ),
    ],
)
def test_a_goal_said_of_the_exercise_by_its_kind_or_its_quoted_name(text: str, purpose: str) -> None:
    assert [o.purpose for o in mentions(text)] == [purpose]


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        (
            'The "Steppe Shield-2031" exercise aims to refine the command of the reaction forces.',
            "to refine the command of the reaction forces",
        ),
        (
            "The \u201cSteppe Shield-2031\u201d exercise is aimed at organizing reconnaissance, officials said.",
            "aimed at organizing reconnaissance",
        ),
        ('Operation "Sand Gate-2031" aims to block smuggling routes.', "to block smuggling routes"),
        ('The "Steppe Shield-2031" exercise aims high.', None),
    ],
)
def test_a_name_its_kind_word_and_aims_to_give_its_purpose(text: str, purpose: str | None) -> None:
    assert [o.purpose for o in mentions(text)] == [purpose]
