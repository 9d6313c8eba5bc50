"""Tables of policy text scroll sideways in boxes of their own, named by the heading above them
(``policypress.tables``); the browser side is in ``test_accessibility_browser.py``."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import write_content
from policypress import create_app
from policypress.tables import scrollable_tables
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
