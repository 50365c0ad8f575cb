"""A person is called by the spelling of the reader's script when a page wrote one: a Russian reader sees
«Андрей Сердюков» on the card, in the choices and on the buttons of a row stored as Andrei Serdyukov,
an English reader the Latin spelling of a row stored in Cyrillic."""

from __future__ import annotations

from bot.i18n import translator
from bot.records import PersonName, PersonProfile
from bot.render import render_people_usage, render_person, render_person_choices
from bot.render.core import name_for_reader
from tests.html_check import assert_telegram_html

RU = translator("ru")
EN = translator("en")


def profile(name: str, aliases: tuple[str, ...]) -> PersonProfile:
    return PersonProfile(7, name, aliases, (), 3, ())


def test_a_russian_reader_sees_the_cyrillic_spelling_and_the_latin_among_the_others() -> None:
    text = render_person(profile("Andrei Serdyukov", ("Андрей Сердюков", "Andrey Serdyukov")), lang=RU).text
    assert_telegram_html(text)
    assert text.startswith("<b>Андрей Сердюков</b>\n")
    assert "Andrei Serdyukov, Andrey Serdyukov" in text


def test_an_english_reader_sees_the_latin_spelling_of_a_row_stored_in_cyrillic() -> None:
    text = render_person(profile("Николай Бордюжа", ("Н.Бордюжа", "Nikolai Bordyuzha")), lang=EN).text
    assert text.startswith("<b>Nikolai Bordyuzha</b>\n")
    assert "Николай Бордюжа" in text


def test_initials_or_a_lone_surname_never_replace_a_full_name() -> None:
    assert name_for_reader("Stanislav Zas", ("С.Зась", "Зась"), RU)[0] == "Stanislav Zas"
    assert name_for_reader("Stanislav Zas", ("Stanislav ZAS",), RU) == ("Stanislav Zas", ("Stanislav ZAS",))


def test_choices_and_their_buttons_follow_the_reader() -> None:
    people = [PersonName(1, "Sergey Lavrov", ("Сергей Лавров",), 5), PersonName(2, "Sergey Shoigu", (), 2)]
    reply = render_person_choices("Sergey", people, lang=RU)
    assert "<b>Сергей Лавров</b>" in reply.text and "<b>Sergey Shoigu</b>" in reply.text
    labels = [button.label for row in reply.buttons for button in row]
    assert labels == ["Сергей Лавров", "Sergey Shoigu"]


def test_the_usage_list_buttons_are_labelled_as_its_lines() -> None:
    people = [
        PersonName(1, "Николай Бордюжа", ("Nikolai Bordyuzha",), 9),
        PersonName(2, "Sergey Shoigu", (), 2),
    ]
    reply = render_people_usage(people, lang=EN)
    assert "<b>Nikolai Bordyuzha</b>" in reply.text
    assert [button.label for row in reply.buttons for button in row] == ["Nikolai Bordyuzha", "Sergey Shoigu"]
