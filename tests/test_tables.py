"""Tables of policy text scroll sideways in boxes of their own, named by the heading above them
(``policypress.tables``); the browser side is in ``test_accessibility_browser.py``."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import EXAMPLE, MINIMAL_SITE, TODAY, write_content
from policypress import create_app
from policypress.tables import Numbering, scrollable_tables
from selectolax.lexbor import LexborHTMLParser as HTMLParser

TABLE = "<table>\n<tbody>\n<tr>\n<td>fw_session</td>\n</tr>\n</tbody>\n</table>\n"
BOX = '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{}"><table>'


def test_each_table_is_boxed_and_named_by_the_nearest_heading_above_it() -> None:
    body = f'<h2 id="first">First</h2>\n{TABLE}<h3 id="second">Second <ins>now</ins></h3>\n<p>Text</p>\n{TABLE}'
    table = TABLE.removeprefix("<table>").replace("</table>", "</table></div>")
    expected = (
        f'<h2 id="first">First</h2>\n{BOX.format("first")}{table}'
        f'<h3 id="second">Second <ins>now</ins></h3>\n<p>Text</p>\n{BOX.format("second")}{table}'
    )
    assert scrollable_tables(body, "Cookie Policy") == expected
    # A table alone under its name keeps exactly this, and the words to number tables are not even asked for.
    assert scrollable_tables(body, "Cookie Policy", _unused_numbering) == expected


def _unused_numbering() -> Numbering:
    raise AssertionError("no two tables share a name: nothing to number")


def _numbering() -> Numbering:
    return Numbering(lambda index, count: f"tableau {index} sur {count}", "fr", "ltr")


def box_names(boxed: str) -> list[str]:
    """Each box's accessible name, as ``aria-labelledby`` (which may name the box itself) makes it."""
    tree = HTMLParser(boxed)
    names = []
    for box in tree.css("div.table-scroll"):
        found = box.attributes
        if "aria-labelledby" not in found:
            names.append(found["aria-label"])
            continue
        parts = []
        for ref in found["aria-labelledby"].split():
            parts.append(found["aria-label"] if ref == found.get("id") else tree.css_first(f'[id="{ref}"]').text())
        names.append(" ".join(parts))
    return names


def test_tables_that_share_a_name_are_each_numbered_in_the_pages_language() -> None:
    """Two region landmarks of one name cannot be told apart (axe's landmark-unique): the name goes on with
    "table 2 of 3" in the page's words, from a hidden span; a table alone under its heading is left as it is."""
    body = (
        f'<h2 id="cookies">Cookies</h2>\n{TABLE}<p>More:</p>\n{TABLE}{TABLE}'
        f'<h2 id="other">Other</h2>\n{TABLE}'
        '<section class="region" aria-labelledby="r1">\n<p class="region-label" id="r1">Applies to: EEA</p>\n'
        f"{TABLE}{TABLE}</section>\n"
    )
    boxed = scrollable_tables(body, "Title", _numbering)
    assert box_names(boxed) == [
        "Cookies tableau 1 sur 3",
        "Cookies tableau 2 sur 3",
        "Cookies tableau 3 sur 3",
        "Other",
        "Applies to: EEA tableau 1 sur 2",
        "Applies to: EEA tableau 2 sur 2",
    ]
    assert BOX.format("other") + "\n<tbody>" in boxed
    tree = HTMLParser(boxed)
    words = tree.css("div.table-scroll > span")
    assert [span.attributes for span in words[:1]] == [
        {"id": "table-number-1", "lang": "fr", "dir": "ltr", "hidden": None}
    ]
    assert len(words) == 5 and all(span.next.tag == "table" for span in words)
    ids = [node.attributes["id"] for node in tree.css("[id]")]
    assert len(ids) == len(set(ids))


def test_tables_under_headings_of_one_text_are_numbered_as_one_name() -> None:
    """Two region blocks with a heading of the same words (ids ``your-rights`` and ``your-rights-1``), two
    blocks of one region, or a heading that repeats the title: a screen reader hears one name for each pair."""
    block = (
        '<section class="region" aria-labelledby="{0}">\n<p class="region-label" id="{0}">Applies to: EEA</p>\n'
        '<h3 id="{1}">Your <em>rights</em> &amp; choices</h3>\n' + TABLE + "</section>\n"
    )
    body = block.format("r1", "your-rights") + block.format("r2", "your-rights-1")
    assert box_names(scrollable_tables(body, "Title", _numbering)) == [
        "Your rights & choices tableau 1 sur 2",
        "Your rights & choices tableau 2 sur 2",
    ]
    labels = "".join(
        f'<section class="region" aria-labelledby="{label}">\n'
        f'<p class="region-label" id="{label}">Applies to: EEA</p>\n{TABLE}</section>\n<p>Between.</p>\n'
        for label in ("r1", "r2")
    )
    assert box_names(scrollable_tables(labels, "Title", _numbering)) == [
        "Applies to: EEA tableau 1 sur 2",
        "Applies to: EEA tableau 2 sur 2",
    ]
    titled = f'{TABLE}<h2 id="privacy">Privacy</h2>\n{TABLE}'
    assert box_names(scrollable_tables(titled, "Privacy", _numbering)) == [
        "Privacy tableau 1 sur 2",
        "Privacy tableau 2 sur 2",
    ]


def test_tables_above_every_heading_are_numbered_after_the_title() -> None:
    boxed = scrollable_tables(f'{TABLE}{TABLE}<h2 id="later">Later</h2>\n', 'Cookies & "trackers"', _numbering)
    assert box_names(boxed) == ['Cookies & "trackers" tableau 1 sur 2', 'Cookies & "trackers" tableau 2 sur 2']


def test_a_section_that_is_not_a_region_block_is_skipped_as_a_whole() -> None:
    """A comparison's deleted footnotes end with a ``</section>`` too: the heading above them names the table."""
    region = '<section class="region" aria-labelledby="r1">\n<p class="region-label" id="r1">EEA</p>\n</section>\n'
    notes = '<del class="diff-block"><section class="footnotes"><ol><li>Old.</li></ol></section></del>\n'
    body = f'<h2 id="general">General</h2>\n{region}<h2 id="notes">Notes</h2>\n{notes}{TABLE}'
    assert BOX.format("notes") in scrollable_tables(body, "Title")


def test_a_table_above_every_heading_is_named_by_the_title() -> None:
    boxed = scrollable_tables(f'{TABLE}<h2 id="later">Later</h2>\n', 'Cookies & "trackers"')
    box = HTMLParser(boxed).css_first("div.table-scroll")
    assert box.attributes == {
        "class": "table-scroll",
        "role": "region",
        "tabindex": "0",
        "aria-label": 'Cookies & "trackers"',
    }
    assert 'aria-label="Cookies &amp; &quot;trackers&quot;"' in boxed


def test_text_without_a_table_is_left_as_it_is() -> None:
    body = '<h2 id="a">A</h2>\n<p>&lt;table&gt; is only text here</p>\n'
    assert scrollable_tables(body, "Title") is body


POLICY = """\
---
title: Privacy Policy
---
| Before | any heading |
|---|---|
| a | b |

## General

::: region eea
## In the EEA

Text.
:::

| After | the block |
|---|---|
| c | d |

::: region california
| California's | table |
|---|---|
| e | f |
:::
"""


@pytest.fixture
def client(tmp_path):
    root = write_content(tmp_path / "content", {"policies/privacy/2025-01-01.en.md": POLICY})
    return create_app({"CONTENT_DIR": root, "TODAY": date(2025, 6, 1)}).test_client()


@pytest.fixture
def compared(tmp_path):
    later = POLICY.replace("title: Privacy Policy\n", "title: Privacy Policy\nsummary: Changed.\n")
    later = later.replace("| e | f |", "| e | g |")
    files = {"policies/privacy/2025-01-01.en.md": POLICY, "policies/privacy/2025-03-01.en.md": later}
    root = write_content(tmp_path / "content", files)
    return create_app({"CONTENT_DIR": root, "TODAY": date(2025, 6, 1)}).test_client()


def test_a_comparisons_tables_are_named_like_the_pages(compared) -> None:
    response = compared.get("/en/privacy/compare/2025-01-01/2025-03-01/")
    assert response.status_code == 200, response.status
    tree = HTMLParser(response.get_data(as_text=True))
    names = [
        tree.css_first(f'[id="{table.parent.attributes["aria-labelledby"]}"]').text()
        for table in tree.css(".diff-body table")
        if "aria-labelledby" in table.parent.attributes
    ]
    assert names == ["General", "Applies to: California"]


def test_a_pages_tables_of_one_name_are_numbered_in_the_pages_language(tmp_path) -> None:
    """A French page showing the English text (no translation yet): the words are French, and say so."""
    twice = POLICY.replace("| c | d |\n", "| c | d |\n\n| Another | table |\n|---|---|\n| g | h |\n")
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
    root = write_content(tmp_path / "content", {"policies/privacy/2025-01-01.en.md": twice}, site=site)
    client = create_app({"CONTENT_DIR": root, "TODAY": date(2025, 6, 1)}).test_client()
    french = ("/fr/privacy/", "tableau {} sur 2", "S’applique à\u00a0: California")
    for url, words, label in [("/en/privacy/", "table {} of 2", "Applies to: California"), french]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status)
        page = response.get_data(as_text=True)
        names = box_names(HTMLParser(page).css_first("#policy-body").html)
        assert names == [
            "Privacy Policy",
            f"General {words.format(1)}",
            f"General {words.format(2)}",
            label,
        ]
        assert page.count(f'lang="{url[1:3]}" dir="ltr" hidden>') == 2


@pytest.mark.parametrize(
    ("url", "names"),
    [
        # A table after a region block is named by the heading above the block, one in a block without a
        # heading of its own by the block's label: never by another region's heading.
        ("/en/privacy/", ["Privacy Policy", "General", "Applies to: California"]),
        ("/en/privacy/california/", ["Privacy Policy", "General", "Applies to: California"]),
        ("/en/privacy/california/content.html", ["Privacy Policy", "General", "Applies to: California"]),
    ],
)
def test_every_table_box_is_named_by_a_heading_on_its_page(client, url, names) -> None:
    response = client.get(url)
    assert response.status_code == 200
    tree = HTMLParser(response.get_data(as_text=True))
    tables = tree.css("#policy-body table")
    assert all(table.parent.attributes.get("class") == "table-scroll" for table in tables)
    found = []
    for table in tables:
        box = table.parent.attributes
        assert box["role"] == "region" and box["tabindex"] == "0"
        heading = tree.css_first(f'[id="{box["aria-labelledby"]}"]') if "aria-labelledby" in box else None
        found.append(heading.text() if heading is not None else box["aria-label"])
    assert found == names


def scripts(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the scripts ``url`` loads ("tables", "htmx", ...)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status)
    tree = HTMLParser(response.get_data(as_text=True))
    return [node.attributes["src"].rsplit("/", 1)[-1].split(".")[0] for node in tree.css("script[src]")]


WITHOUT_TABLES = "---\ntitle: Privacy Policy\n---\n## General\n\nText.\n"
#: A table in the California block only: the EEA view shows none, but the region switch may swap it in.
CALIFORNIA_TABLE = WITHOUT_TABLES + "\n::: region california\n| California's | table |\n|---|---|\n| e | f |\n:::\n"


def test_only_pages_that_may_show_a_table_load_the_script_for_them(tmp_path) -> None:
    files = {
        "policies/privacy/2025-01-01.en.md": WITHOUT_TABLES,
        "policies/privacy/2025-03-01.en.md": WITHOUT_TABLES.replace("Text.", "Other text.").replace(
            "title: Privacy Policy\n", "title: Privacy Policy\nsummary: Changed.\n"
        ),
        "policies/cookies/2025-01-01.en.md": CALIFORNIA_TABLE.replace("Privacy Policy", "Cookie Policy"),
    }
    client = create_app({"CONTENT_DIR": write_content(tmp_path / "content", files), "TODAY": date(2025, 6, 1)})
    client = client.test_client()
    for url in ("/en/privacy/", "/en/privacy/eea/", "/en/privacy/2025-01-01/", "/en/", "/"):
        assert "tables" not in scripts(client, url), url
    assert "tables" not in scripts(client, "/en/privacy/compare/2025-01-01/2025-03-01/")
    for url in ("/en/cookies/", "/en/cookies/california/", "/en/cookies/eea/", "/en/cookies/2025-01-01/"):
        found = scripts(client, url)
        assert found.count("tables") == 1 and found[-1] == "tables", url  # once, after the others
    # The region switch's fragment brings no script: its page has it already.
    assert "tables" not in scripts(client, "/en/cookies/california/content.html")


def test_a_comparison_with_a_table_loads_the_script(compared) -> None:
    assert "tables" in scripts(compared, "/en/privacy/compare/2025-01-01/2025-03-01/")


def test_the_do_not_sell_page_loads_the_script_when_its_text_has_a_table(tmp_path) -> None:
    """Its text gets table boxes as a policy's does; the script had been left out of its page."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    client = create_app({"CONTENT_DIR": content, "TODAY": TODAY}).test_client()
    assert "tables" not in scripts(client, "/en/do-not-sell/")
    page = content / "pages/do-not-sell.en.md"
    table = "\n| Request | Answer |\n|---|---|\n| a | b |\n"
    page.write_text(page.read_text(encoding="utf-8") + table, encoding="utf-8")
    client = create_app({"CONTENT_DIR": content, "TODAY": TODAY}).test_client()
    html = client.get("/en/do-not-sell/").get_data(as_text=True)
    assert 'class="table-scroll"' in html
    assert "tables" in scripts(client, "/en/do-not-sell/")
