"""Settings: every value checked as it loads (a bad one named, its default used), the keymap checked against
the real bindings, and saving that keeps the user's file as the user wrote it."""

from __future__ import annotations

import os
import stat
from dataclasses import replace

import pytest

from tui_reader import settings
from tui_reader.app.app import binding_places
from tui_reader.app.keymap import check_keymap
from tui_reader.settings import Settings

STYLES = "apa, mla, chicago, chicago-note, biblatex, bibtex, csl-json, ris"


def load_text(tmp_path, text: str) -> tuple[Settings, list[str], str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    loaded, problems = settings.load(path)
    return loaded, problems, str(path)


@pytest.mark.parametrize("line, key, shown, allowed", [
    ('citation_style = "harvard"', "citation_style", '"harvard"', STYLES),
    ("citation_style = 3", "citation_style", "3", STYLES),
    ('citation_format = "rtf"', "citation_format", '"rtf"', "plain, markdown, html"),
    ('default_sort = "newest"', "default_sort", '"newest"', "relevance, date"),
    ("search_limit = 0", "search_limit", "0", "a whole number from 1 to 10,000"),
    ("search_limit = -5", "search_limit", "-5", "a whole number from 1 to 10,000"),
    ("search_limit = 1000000", "search_limit", "1000000", "a whole number from 1 to 10,000"),
    ("search_limit = 2.5", "search_limit", "2.5", "a whole number from 1 to 10,000"),
    ("search_limit = true", "search_limit", "true", "a whole number from 1 to 10,000"),
    ('clipboard_timeout = "2"', "clipboard_timeout", '"2"', "a number of seconds above 0 and at most 60"),
    ("clipboard_timeout = 0", "clipboard_timeout", "0", "a number of seconds above 0 and at most 60"),
    ("clipboard_timeout = -1.5", "clipboard_timeout", "-1.5", "a number of seconds above 0 and at most 60"),
    ("clipboard_timeout = inf", "clipboard_timeout", "inf", "a number of seconds above 0 and at most 60"),
    ("theme = 7", "theme", "7", "a string in quotes"),
    ('keys = "q"', "keys", '"q"', "a [keys] table"),
    ('publications = "NPR"', "publications", '"NPR"', "a [publications] table"),
])
def test_each_bad_value_is_named_with_the_file_and_what_is_allowed_and_the_default_used(tmp_path, line, key, shown, allowed):
    loaded, problems, path = load_text(tmp_path, line + "\n")
    assert loaded == Settings()
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: {key} = {shown} is not allowed (") and allowed in problems[0]
    default = Settings()
    if key not in ("keys", "publications"):
        assert problems[0].endswith(f"using {settings.shown_value(getattr(default, key))}")


def test_good_values_load_and_an_integer_is_a_number_of_seconds(tmp_path):
    loaded, problems, _ = load_text(tmp_path, 'citation_style = "chicago-note"\ncitation_format = "html"\n'
                                              'search_limit = 250\ndefault_sort = "date"\nclipboard_timeout = 3\n'
                                              'theme = "nord"\n[keys]\nquit = "q,ctrl+q"\n')
    assert not problems
    assert loaded == Settings("chicago-note", "html", 250, "date", 3.0, {"quit": "q,ctrl+q"}, "nord")
    assert isinstance(loaded.clipboard_timeout, float)


def test_one_bad_value_leaves_the_good_ones(tmp_path):
    loaded, problems, _ = load_text(tmp_path, 'citation_style = "mla"\nsearch_limit = -5\n')
    assert loaded.citation_style == "mla" and loaded.search_limit == 100 and len(problems) == 1


def test_unknown_settings_and_bad_key_entries_are_named(tmp_path):
    loaded, problems, path = load_text(tmp_path, 'colour = "red"\n[keys]\nquit = 5\nhelp = ""\nnext_hit = "m"\n'
                                                 'toggle_sort = "s,,S"\n')
    assert loaded.keys == {"next_hit": "m"}
    assert len(problems) == 4 and problems[3].startswith(f'{path}: [keys] "toggle_sort" = "s,,S" is not allowed')
    assert problems[0].startswith(f"{path}: unknown setting \"colour\" (the settings are citation_style, ")
    assert problems[1] == (f'{path}: [keys] "quit" = 5 is not allowed (keys in quotes, separated by commas, '
                           'such as "s,ctrl+s"); using its default keys')
    assert problems[2].startswith(f'{path}: [keys] "help" = "" is not allowed')


def test_broken_toml_gives_the_defaults_and_says_where(tmp_path):
    loaded, problems, path = load_text(tmp_path, 'citation_style = "apa\n')
    assert loaded == Settings()
    assert len(problems) == 1 and problems[0].startswith(f"{path}: not valid TOML (")


def test_control_characters_in_a_bad_value_are_not_printed_raw(tmp_path):
    _, problems, _ = load_text(tmp_path, 'citation_style = "\\u001b[31mred\\u009b"\n')
    assert "\x1b" not in problems[0] and "\x9b" not in problems[0]
    assert "\\u001b[31mred\\u009b" in problems[0]


def test_a_missing_file_is_the_defaults_without_a_word(tmp_path):
    assert settings.load(tmp_path / "none.toml") == (Settings(), [])


# --- saving ---------------------------------------------------------------------------------

COMMENTED = """\
# My newsreader settings.
#   Kept in my dotfiles; please leave the comments alone.

citation_style   = "apa"      # what my department wants
search_limit = 300            # I like long lists
default_sort = "sideways"     # a mistake of mine, to mend later

[keys]   # my keys
# vim-ish
toggle_sort = "S"
"""


def test_saving_a_style_keeps_comments_order_formatting_and_values_not_changed(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    loaded, problems = settings.load(path)
    assert len(problems) == 1  # the bad default_sort
    settings.save(replace(loaded, citation_style="mla"), path)
    assert path.read_text(encoding="utf-8") == COMMENTED.replace('"apa"      #', '"mla"      #')
    assert settings.load(path)[0].citation_style == "mla"


def test_saving_adds_new_values_before_the_tables_and_new_keys_to_the_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    loaded, _ = settings.load(path)
    settings.save(replace(loaded, citation_format="html", keys={**loaded.keys, "next_hit": "m"}), path)
    again, _ = settings.load(path)
    assert again.citation_format == "html" and again.keys == {"toggle_sort": "S", "next_hit": "m"}
    text = path.read_text(encoding="utf-8")
    assert text.index("citation_format") < text.index("[keys]")
    for line in COMMENTED.splitlines():  # every line the user wrote is still there
        assert line in text


def test_saving_never_removes_the_users_entries(tmp_path):
    """The app leaves out keymap entries it cannot use; saving its settings keeps them in the file."""
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    loaded, _ = settings.load(path)
    settings.save(replace(loaded, keys={}, citation_style="mla"), path)
    assert 'toggle_sort = "S"' in path.read_text(encoding="utf-8")


def test_saving_to_a_new_file_writes_only_what_differs_from_the_defaults(tmp_path):
    path = tmp_path / "new" / "config.toml"
    settings.save(replace(Settings(), citation_style="chicago"), path)
    assert path.read_text(encoding="utf-8") == 'citation_style = "chicago"\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_saving_is_atomic_and_keeps_the_files_permissions(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    path.chmod(0o600)
    settings.save(replace(settings.load(path)[0], citation_style="mla"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def fail(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(OSError):
        settings.save(replace(settings.load(path)[0], citation_style="bibtex"), path)
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left behind


def test_saving_through_a_symbolic_link_keeps_the_link(tmp_path):
    real = tmp_path / "dotfiles" / "newsreader.toml"
    real.parent.mkdir()
    real.write_text(COMMENTED, encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    settings.save(replace(settings.load(link)[0], citation_style="mla"), link)
    assert link.is_symlink() and settings.load(real)[0].citation_style == "mla"


def test_a_file_that_is_not_toml_is_not_overwritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("citation_style = = apa\n# my notes\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML"):
        settings.save(replace(Settings(), citation_style="mla"), path)
    assert path.read_text(encoding="utf-8") == "citation_style = = apa\n# my notes\n"


# --- the keymap against the app's bindings ---------------------------------------------------


def test_the_default_bindings_do_not_clash():
    assert check_keymap({}, binding_places(), "config.toml") == ({}, [])


def test_an_unknown_binding_id_is_named_with_a_suggestion_and_left_out():
    keymap, problems = check_keymap({"toggle_srot": "S", "zzz": "z", "help": "?"}, binding_places(), "c.toml")
    assert keymap == {"help": "?"}  # as written: Textual reads "?" as question_mark, and the file says "?"
    assert problems == ["c.toml: [keys] 'toggle_srot' is not a binding id (did you mean 'toggle_sort'?); ignored",
                        "c.toml: [keys] 'zzz' is not a binding id (the README's Keys section lists the ids); ignored"]


def test_a_key_bound_to_two_actions_in_one_place_is_named_and_the_entry_keeps_its_default():
    keymap, problems = check_keymap({"toggle_sort": "t", "list_down": "s"}, binding_places(), "c.toml")
    assert keymap == {"list_down": "s"}  # s moves down in the list, another place than the main screen's s
    assert problems == ["c.toml: [keys] t would be bound to both Sort (toggle_sort) and Tag (tag_selection) "
                        "in the main screen; toggle_sort keeps its default keys"]


def test_two_entries_bound_to_one_key_both_keep_their_defaults():
    keymap, problems = check_keymap({"next_hit": "z", "previous_hit": "z", "help": "h"}, binding_places(), "c")
    assert keymap == {"help": "h"}
    assert problems == ["c: [keys] z would be bound to both Next hit (next_hit) and Prev hit (previous_hit) "
                        "in the main screen; next_hit, previous_hit keep their default keys"]


def test_a_clash_with_an_inherited_binding_is_found():
    _, problems = check_keymap({"search_submit": "left"}, binding_places(), "c")
    assert len(problems) == 1 and "left would be bound to both" in problems[0] and "in the search bar" in problems[0]


def test_dropping_one_entry_can_reveal_another_clash_which_is_found_too():
    # toggle_sort on t clashes with tag; back on its default s it would clash with next_hit moved to s.
    keymap, problems = check_keymap({"toggle_sort": "t", "next_hit": "s"}, binding_places(), "c")
    assert keymap == {} and len(problems) == 2
    assert "next_hit keeps its default keys" in problems[1]


def test_swapping_two_keys_is_no_clash():
    keymap, problems = check_keymap({"toggle_sort": "t", "tag_selection": "s"}, binding_places(), "c")
    assert keymap == {"toggle_sort": "t", "tag_selection": "s"} and problems == []


# --- [publications]: the user's names of outlets reach the citations --------------------------


@pytest.fixture
def shipped_outlets():
    """Whatever a test loads, the next test starts from the shipped table of outlets."""
    yield
    settings.outlets.use({})


def test_publications_table_is_checked_and_handed_to_the_citations(tmp_path, shipped_outlets):
    from tui_reader.core.articles import Article
    from tui_reader.core.citations import reference

    article = Article(id="x", title="Rates Rise Again", body="", author="Ann Lee", source="Guest Writer - Left",
                      date="2019-05-01", url="https://www.example-news.org/rates")
    assert reference(article, "apa") == "Lee, A. (2019, May 1). Rates Rise Again. https://www.example-news.org/rates"
    loaded, problems, path = load_text(tmp_path, '[publications]\n"example-news.org" = "Example News"\n'
                                                 '"Daily Thing (Online)" = "The Daily Thing"\nbad = 5\n"empty" = " "\n')
    assert loaded.publications == {"example-news.org": "Example News", "Daily Thing (Online)": "The Daily Thing"}
    assert problems == [f'{path}: [publications] "bad" = 5 is not allowed (a name in quotes, such as '
                        '"npr.org" = "NPR"); ignored',
                        f'{path}: [publications] "empty" = " " is not allowed (a name in quotes, such as '
                        '"npr.org" = "NPR"); ignored']
    # the host's entry names the publication of a guest writer's piece; a label entry renames a label
    assert reference(article, "apa") == ("Lee, A. (2019, May 1). Rates Rise Again. Example News. "
                                         "https://www.example-news.org/rates")
    labelled = article.with_(source="Daily Thing (Online)", url=None)
    assert reference(labelled, "mla") == "Lee, Ann. “Rates Rise Again.” The Daily Thing, 1 May 2019."
    # a user's entry wins over the shipped one
    load_text(tmp_path, '[publications]\n"npr.org" = "National Public Radio"\n')
    npr = article.with_(source="NPR Online News", url="https://www.npr.org/rates")
    assert reference(npr, "chicago") == ("Lee, Ann. “Rates Rise Again.” National Public Radio, May 1, 2019. "
                                         "https://www.npr.org/rates.")
    settings.load(tmp_path / "none.toml")  # loading again without the table goes back to the shipped names
    assert reference(npr, "chicago").startswith("Lee, Ann. “Rates Rise Again.” NPR, May 1, 2019.")
