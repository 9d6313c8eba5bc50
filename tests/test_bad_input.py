"""Every kind of bad input gets a located message, exit code 1, no traceback,
and leaves a previous build untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, PROJECT, _free_port, run_cli, tree_digest, write_content

FIRST = """\
---
title: Privacy Policy
---
Intro text.

## Contact {#contact}

Write to us.
"""


def later(body: str = "Changed text.\n", front: str = "title: Privacy Policy\nsummary: Changed things.") -> str:
    return f"---\n{front}\n---\n{body}"


CASES: dict[str, tuple[dict[str, str | bytes], str | None, str]] = {
    "malformed front matter": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\nsummary: [unclosed\n---\nText\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:3: malformed YAML: the '[' on this line is never closed",
    ),
    "a bracket never closed, noticed on the next line": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: [Draft Privacy\nsummary: First.\n---\nText\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:2: malformed YAML: the '[' on this line is never closed "
        "(YAML stopped on line 3",
    ),
    "a closed list with a wrong item": (
        {"policies/privacy/2024-01-01.en.md": '---\ntitle: Privacy\nsummary: [a,\n  b,\n  "c"-x]\n---\nText\n'},
        None,
        "content/policies/privacy/2024-01-01.en.md:5: malformed YAML: expected ',' or ']', but got '<scalar>'",
    ),
    "a quote mark never closed": (
        {"policies/privacy/2024-01-01.en.md": '---\ntitle: "Privacy\nsummary: First.\n---\nText\n'},
        None,
        "content/policies/privacy/2024-01-01.en.md:2: malformed YAML: the quote mark that starts the value on this "
        "line is never closed",
    ),
    "missing title": (
        {"policies/privacy/2024-01-01.en.md": "---\nsummary: hello\n---\nText\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:2: missing required key 'title'",
    ),
    "missing summary on a later version": (
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": later(front="title: Privacy Policy"),
        },
        None,
        "content/policies/privacy/2025-01-01.en.md:2: missing 'summary'",
    ),
    "unknown region": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n::: region californa\nText.\n:::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: unknown region 'californa' (known: eea, uk, california, prc)",
    ),
    "unclosed region block": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n::: region eea\nText.\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: region block is never closed",
    ),
    "a region block whose code block is never closed": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n::: region eea\n```\ncode\n:::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: region block is never closed\n"
        "    hint: add a line with ':::' where the block ends, outside any ``` code block",
    ),
    "nested region block": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n::: region eea\nA\n\n::: region uk\nB\n:::\n:::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:13: the region block opened on line 10 is not closed before this "
        "one (region blocks cannot be nested)\n    hint: add a line ':::' to close it before line 13",
    ),
    "a region block inside a list item": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n- An item\n\n  ::: region eea\n  EEA only.\n  :::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:12: a region block inside a list or quote",
    ),
    "a region block inside a quote": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n> ::: region prc\n> PRC only.\n> :::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: a region block inside a list or quote",
    ),
    "two headings with one anchor": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#rights}\n## Rights\n\n{#rights}\n## More rights\n"},
        None,
        "2024-01-01.en.md:14: heading anchor #rights is also the anchor of the heading on line 11",
    ),
    "a written anchor that takes the anchor made from another heading's text": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n## Sharing\n\nA.\n\n{#sharing}\n## How we share\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: heading anchor #sharing, made from this heading's text, "
        "is also written as {#sharing} for the heading on line 15\n"
        "    hint: an anchor belongs to one heading: write another {#id} above the heading on line 15, "
        "or above this one",
    ),
    "a heading id with a space and capitals": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#Contact Us}\n## Contact us again\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: invalid heading id '{#Contact Us}' is shown as text\n"
        "    hint: write it as the anchor a heading's text makes: lowercase letters, digits, hyphens and underscores, "
        "such as {#contact-us}",
    ),
    "a heading id with capitals": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#Rights}\n## Rights\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: invalid heading id '{#Rights}'",
    ),
    "a heading id above a paragraph": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#x}\nA paragraph.\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: '{#x}' is not above a heading, so it names nothing\n"
        "    hint: put it on the line directly above a heading (## ...), or remove it",
    ),
    "id lines stacked at the end of a file": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#a}\n{#b}\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:11: '{#b}' is not above a heading, so it names nothing",
    ),
    "id lines stacked at the end of a region block": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n::: region eea\nText.\n\n{#a}\n{#b}\n:::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:14: '{#b}' is not above a heading, so it names nothing",
    ),
    "a class written above a heading": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{.wide}\n## Rights\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: the {...} line sets class: only a heading id can be written",
    ),
    "a heading anchor the page uses": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#main}\n## Main points\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:11: heading anchor #main is an id the page itself uses",
    ),
    "a footnote defined inside a region block": (
        {
            "policies/privacy/2024-01-01.en.md": FIRST
            + "\n::: region california\nCalifornians[^ca].\n\n[^ca]: Only for Californians.\n:::\n"
        },
        None,
        "content/policies/privacy/2024-01-01.en.md:13: footnote [^ca] is defined inside a region block, "
        "but footnotes are shown to every region\n"
        "    hint: define the footnote outside the region block, or write the text in the block itself",
    ),
    "a footnote that is never defined": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nSee the note[^missing].\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: footnote [^missing] is never defined\n"
        "    hint: add `[^missing]: …` or remove the reference",
    ),
    "a footnote never defined, on a paragraph's second line": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nWritten \\[^x\\] as text, and a\nnote[^missing].\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:11: footnote [^missing] is never defined\n",
    ),
    "a footnote mark written escaped once and never defined once": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nWritten \\[^n] here,\nand [^n] there.\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:11: footnote [^n] is never defined\n",
    ),
    "a heading id right under a line of text": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nSome text directly above.\n{#contact-us}\n## Contact us\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:11: '{#contact-us}' right under a line of text is shown as text\n"
        "    hint: leave an empty line above it, so that it names the heading below it",
    ),
    "a heading id above a region block": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#x}\n::: region eea\nText.\n:::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: '{#x}' is not above a heading, so it names nothing",
    ),
    "a javascript: link in the footer": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE + "footer_links:\n  - label: Home\n    url: javascript:alert(1)\n",
        "invalid 'url' in item 1 of 'footer_links': footer link url 'javascript:alert(1)' must start with https://",
    ),
    "a title YAML reads as a number": (  # the example keeps the value as written: YAML reads 2.10 as 2.1
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: 2.10\n---\nText.\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:2: invalid 'title': Input should be a valid string\n"
        '    hint: write the text in double quotes, for example title: "2.10"',
    ),
    "a NUL character in the text": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nnul \x00 byte\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: the file holds a NUL character (byte 0x00), which is not text",
    ),
    "a footer link to another site without a scheme": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE + "footer_links:\n  - label: Home\n    url: //evil.example/\n",
        "content/site.yaml:16: invalid 'url' in item 1 of 'footer_links': footer link url '//evil.example/' leads to "
        "another site\n    hint: write it as https://evil.example/",
    ),
    "an organisation email that is no address": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("email: privacy@example.com", "email: privacy at example.com"),
        "content/site.yaml:4: invalid 'organisation.email': 'privacy at example.com' is not an email address\n"
        "    hint: write the address readers can write to about their data, for example privacy@example.com",
    ),
    "no locale listed": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("locales: [en]", "locales: []"),
        "content/site.yaml:8: invalid 'locales': no locale is listed\n    hint: list the languages the site is "
        "published in, the default one among them, for example locales: [en, fr]",
    ),
    "a cookie kept longer than browsers keep one": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "pages/do-not-sell.en.md": "---\ntitle: Opt out\n---\nText.\n"},
        MINIMAL_SITE + "privacy_choices:\n  sells_or_shares: true\n  cookie_days: 900\n",
        "content/site.yaml:16: invalid 'privacy_choices.cookie_days': Input should be less than or equal to 400\n"
        "    hint: write a number no more than 400",
    ),
    "a footer link to a page the site does not have": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE + "footer_links:\n  - label: Home\n    url: /en/nothing/\n",
        "content/site.yaml:16: footer link: broken link: no page at '/en/nothing/'",
    ),
    "a footer link with no scheme": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE
        + "footer_links:\n  - label: Home\n    url: /\n    translations:\n      en: {label: H, url: x.example}\n",
        "footer link url 'x.example' must start with https://, http://, mailto: or tel:, or be a path on this site "
        "starting with /\n    hint: write another site's address whole (https://example.com, not example.com)",
    ),
    "a page other than the Do Not Sell page": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "pages/about.en.md": "---\ntitle: About us\n---\nWho we are.\n"},
        None,
        "content/pages/about.en.md: no page is published from 'about.en.md': pages/ holds the Do Not Sell",
    ),
    "a key written twice in the front matter": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\ntitle: Privacy Policy\n---\nText\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:3: the key 'title' is also on line 2, and only the last one",
    ),
    "front matter that is never closed": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n\nText\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:1: the front matter is never closed",
    ),
    "a title YAML reads as a truth value": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Yes\n---\nText\n"},
        None,
        "invalid 'title': Input should be a valid string\n"
        '    hint: write the text in double quotes, for example title: "Yes"',
    ),
    "a title of empty quotes": (
        {"policies/privacy/2024-01-01.en.md": '---\ntitle: ""\n---\nText\n'},
        None,
        "content/policies/privacy/2024-01-01.en.md:2: empty 'title'\n"
        "    hint: write its value after the colon, in place of the empty quotes",
    ),
    "a region id in capitals": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("id: california", "id: California"),
        "content/site.yaml:12: invalid 'id' in item 3 of 'regions': region id 'California' must be lowercase letters, "
        "digits and hyphens, start with a letter, and not be one of api, changes, compare, content, do-not-sell, "
        "feed, index, static, versions\n"
        "    hint: write, say, 'id: california', and the same id in every '::: region' line that names this region",
    ),
    "a region id whose lowercase is another region's": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("id: prc", "id: California"),
        "    hint: write, say, 'id: california-2', and the same id",
    ),
    "a heading id the page uses, beside a heading that makes the usual other one": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n{#main}\n## Privacy\n\n## Main Section\n\nText.\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:11: heading anchor #main is an id the page itself uses\n"
        "    hint: choose another: {#main-section-2}, say, on the line above the heading",
    ),
    "a bracket never closed in site.yaml": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("  name: Example Co", "  name: [Example Co"),
        "content/site.yaml:2: malformed YAML: the '[' on this line is never closed (YAML stopped on line 3: "
        "expected ',' or ']', but got ':')\n"
        "    hint: end the list with ']', or put the whole value in double quotes when the bracket is part of the "
        'text, for example name: "[Example Co"\n',
    ),
    "a colon in a value in site.yaml": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("  name: Example Co", "  name: Example: Co"),
        "content/site.yaml:2: malformed YAML: mapping values are not allowed here\n"
        "    hint: check the indentation and colons on this line; a value holding ': ', ' #' or a quote mark needs "
        'double quotes around it, for example name: "Example: Co"\n',
    ),
    "a footnote referenced in a region block": (
        {
            "policies/privacy/2024-01-01.en.md": FIRST
            + "\n::: region california\nYou may\nopt out[^c].\n:::\n\n[^c]: Under the CCPA.\n"
        },
        None,
        "2024-01-01.en.md:12: footnote [^c] is referenced inside a region block, but footnotes are shown to every "
        "region (other regions' views would show the note, its back link leading nowhere)\n"
        "    hint: write the note's text in the block itself",
    ),
    "an id line above a footnote's definition": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nA note[^n].\n\n{#note}\n[^n]: The note.\n\n## After\n"},
        None,
        "2024-01-01.en.md:12: '{#note}' is not above a heading, so it names nothing",
    ),
    "a summary written as a list": (
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": later(front="title: P\nsummary:\n  - Added cookies.\n  - Less ads."),
        },
        None,
        "2025-01-01.en.md:3: invalid 'summary': it holds a list, where text is expected\n"
        "    hint: write the text after the colon, on the key's own line: a sentence or a few, not a list",
    ),
    "a summary YAML reads as keys and values": (
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": later(front="title: P\nsummary:\n  Note: we changed X"),
        },
        None,
        "2025-01-01.en.md:3: invalid 'summary': it holds keys and values, where text is expected\n"
        "    hint: put the whole text in double quotes: a colon and a space start a key, "
        'for example summary: "Note: …"',
    ),
    "a locale written as a key and a value": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("locales: [en]", "locales:\n  - en: English"),
        "content/site.yaml:9: invalid item 1 of 'locales': it holds keys and values, where text is expected\n"
        "    hint: put the whole text in double quotes: a colon and a space start a key\n",
    ),
    "a title left empty": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle:\n---\nText\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:2: empty 'title'\n    hint: write its value after the colon",
    ),
    "a tab indenting the front matter": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\nextra:\n\tkey: value\n---\nText\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:4: malformed YAML: a tab character, which YAML does not allow "
        "for indenting\n    hint: indent with spaces, not tabs",
    ),
    "an empty file": (
        {"policies/privacy/2024-01-01.en.md": ""},
        None,
        "content/policies/privacy/2024-01-01.en.md:1: the file is empty",
    ),
    "a locale written in the wrong case": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("locales: [en]", "locales: [en, zh-hans]"),
        "content/site.yaml:8: locale 'zh-hans' must be written 'zh-Hans'",
    ),
    "the same unsafe link twice": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n[a](javascript:alert(1))\n\n[b](javascript:alert(1))\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:12: unsafe link 'javascript:alert(1)'",
    ),
    "an unsafe link the parser encodes": (
        {"policies/privacy/2024-01-01.en.md": FIRST + '\n[c](javascript:alert("café"))\n'},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: unsafe link 'javascript:alert(\"café\")'",
    ),
    "an internal link without its final slash": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n[d](/en/privacy)\n"},
        None,
        "no page at '/en/privacy'\n    hint: write '/en/privacy/': page addresses end with a slash",
    ),
    "a version with no text": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n---\n\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:4: the version has no text below its front matter",
    ),
    "a policy folder with a reserved name": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "policies/api/2024-01-01.en.md": FIRST},
        None,
        "content/policies/api: policy folder name 'api' is the address of other pages of the site",
    ),
    "a folder inside a policy folder": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "policies/privacy/old/2023-01-01.en.md": FIRST},
        None,
        "content/policies/privacy/old: a folder inside a policy's folder",
    ),
    "region ids separated by a comma": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n::: region eea, uk\nText.\n:::\n"},
        None,
        "unknown region 'eea,' (known: eea, uk, california, prc)\n"
        "    hint: separate region ids with spaces, not commas: '::: region eea uk'",
    ),
    "a misspelt block marker": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\n::: regions eea\nText.\n:::\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: stray or unknown block marker '::: regions eea'",
    ),
    "a locale listed twice": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr, en]"),
        "content/site.yaml:8: the locale 'en' is listed twice",
    ),
    "two files for the same policy, date and locale": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "policies/privacy/2024-01-01.EN.md": FIRST},
        None,
        "duplicate version",
    ),
    "a file name that does not match the pattern": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "policies/privacy/privacy-2024.md": FIRST},
        None,
        "content/policies/privacy/privacy-2024.md: file name 'privacy-2024.md' does not match <YYYY-MM-DD>.<locale>.md",
    ),
    "a translation that disagrees with its original on material": (
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": later(front="title: Privacy Policy\nsummary: New.\nmaterial: true"),
            "policies/privacy/2025-01-01.fr.md": later(front="title: Confidentialité\nsummary: Neuf.\nmaterial: false"),
        },
        MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]"),
        "content/policies/privacy/2025-01-01.fr.md:4: 'material: false', but the original, 2025-01-01.en.md, "
        "says 'material: true'",
    ),
    "a public file in the place of the site's own": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "public/robots.txt": "User-agent: *\n"},
        None,
        "content/public/robots.txt: the site writes robots.txt itself",
    ),
    "a public folder in the place of the site's own file": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "public/404.html/notes.txt": "Notes\n"},
        None,
        "content/public/404.html/notes.txt: the site writes 404.html itself",
    ),
    "a public file inside a locale's folder": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "public/en/notes.txt": "Notes\n"},
        None,
        "content/public/en/notes.txt: the site writes en/ itself",
    ),
    "a public file whose name needs escaping": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "public/our keys.txt": "Keys\n"},
        None,
        "content/public/our keys.txt: the public file 'our keys.txt' would need escaping in its URL",
    ),
    "a locale not listed in site.yaml": (
        {"policies/privacy/2024-01-01.en.md": FIRST, "policies/privacy/2024-01-01.de.md": FIRST},
        None,
        "content/policies/privacy/2024-01-01.de.md: locale 'de' is not listed in site.yaml (known: en)",
    ),
    "a javascript: link": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nSee [this](javascript:alert(1)).\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: unsafe link 'javascript:alert(1)'",
    ),
    "a link to a policy that does not exist": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nSee the [cookie policy](/en/cookies/).\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: broken link: no page at '/en/cookies/'",
    ),
    "a link to an anchor that does not exist": (
        {"policies/privacy/2024-01-01.en.md": FIRST + "\nSee [rights](#your-rights).\n"},
        None,
        "content/policies/privacy/2024-01-01.en.md:10: broken link: no heading with id #your-rights",
    ),
    "a file that is not UTF-8": (
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n---\nCaf\xe9 latin-1\n".encode("latin-1")},
        None,
        "content/policies/privacy/2024-01-01.en.md:4: the file is not UTF-8",
    ),
    "an empty content folder": ({}, "", "content/site.yaml: site.yaml is missing"),
    "an unknown key in site.yaml": (
        {"policies/privacy/2024-01-01.en.md": FIRST},
        MINIMAL_SITE + "defualt_theme: dark\n",
        "content/site.yaml:14: unknown key 'defualt_theme'",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: c.replace(" ", "-"))
def test_bad_input_is_reported_with_location_and_leaves_build_untouched(tmp_path: Path, case: str) -> None:
    files, site, expected = CASES[case]
    content = tmp_path / "content"
    if site == "":
        content.mkdir()
    else:
        write_content(content, files, site=site if site is not None else MINIMAL_SITE)
    previous = tmp_path / "build"
    (previous / "en").mkdir(parents=True)
    (previous / "index.html").write_text("<!doctype html><title>old</title>")
    (previous / "en" / "index.html").write_text("old build")
    (previous / "404.html").write_text('<meta name="generator" content="Policypress">')
    before = tree_digest(previous)

    for command in (["build", "--out", "build"], ["check"]):
        result = run_cli(*command, "--content", "content", "--today", "2026-01-01", cwd=tmp_path)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert expected in output, output
        assert "Traceback" not in output
    assert tree_digest(previous) == before
    # Nothing but the render cache (kept for the next build) appears beside the output.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".policypress-cache") == ["build", "content"]


def test_raw_html_is_escaped_and_check_warns(tmp_path: Path) -> None:
    write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST + '\n<script>alert(1)</script> <b onclick="x()">bold</b>\n',
        },
    )
    check = run_cli("check", "--content", "content", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "content/policies/privacy/2024-01-01.en.md:10: raw HTML is shown as text" in check.stderr
    build = run_cli("build", "--content", "content", "--out", "out", "--today", "2026-01-01", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    html = (tmp_path / "out" / "en" / "privacy" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "onclick=" not in html.replace("onclick=&quot;", "")


def test_markdown_in_a_summary_is_a_warning_naming_it(tmp_path: Path) -> None:
    """Summaries are shown as plain text (changelog, feeds, comparisons): Markdown in one is printed as written."""
    write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": later(front="title: Privacy Policy\nsummary: See [the list](/en/x/)."),
            "policies/privacy/2026-01-01.en.md": later(front="title: Privacy Policy\nsummary: A **new** user_id rule."),
            # Plain text that only looks like markers: CommonMark shows it as written too.
            "policies/privacy/2026-06-01.en.md": later(
                front="title: Privacy Policy\nsummary: 'Marked ** is new, ____ is gone, (*) and (**) too.'"
            ),
        },
    )
    check = run_cli("check", "--content", "content", "--today", "2026-11-22", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    lines = check.stderr
    assert "2025-01-01.en.md:3: 'summary' is plain text, but has Markdown (a link: '[the list](/en/x/)')" in lines
    assert "2026-01-01.en.md:3: 'summary' is plain text, but has Markdown (emphasis: '**new**')" in lines
    assert "hint: write the summary as plain sentences" in lines and lines.count("'summary' is plain text") == 2


def test_markdown_in_a_summary_is_found_as_markdown_reads_it(tmp_path: Path) -> None:
    """Emphasis inside a word (as Chinese text writes it), reference links and autolinks are Markdown too;
    brackets, angle brackets and stars that Markdown leaves as text are not."""
    summary = "title: Privacy Policy\nsummary: "
    write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": later(front=summary + "新增了**跨境传输**的说明。"),
            "policies/privacy/2025-06-01.en.md": later(front=summary + "See [the list][list] for details."),
            "policies/privacy/2026-01-01.en.md": later(front=summary + "Mail <privacy@example.com> now."),
            "policies/privacy/2026-06-01.en.md": later(front=summary + "'Kept [as is], 1 < 2 > 0 and 5 * 3 too.'"),
        },
    )
    check = run_cli("check", "--content", "content", "--today", "2026-11-22", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    lines = check.stderr
    assert "2025-01-01.en.md:3: 'summary' is plain text, but has Markdown (emphasis: '**跨境传输**')" in lines
    assert "2025-06-01.en.md:3: 'summary' is plain text, but has Markdown (a link: '[the list][list]')" in lines
    assert "2026-01-01.en.md:3: 'summary' is plain text, but has Markdown (a link: '<privacy@example.com>')" in lines
    assert lines.count("'summary' is plain text") == 3, lines


def test_a_drafts_broken_links_are_warnings_before_it_is_published(tmp_path: Path) -> None:
    """A draft is not published, so its links break nothing yet; but the editor hears of them while writing it."""
    # Links into its own policy are left alone: its page, comparison and new headings exist once it is published.
    own = "[it](/en/privacy/2027-01-01/), [diff](/en/privacy/compare/2024-01-01/2027-01-01/), [new](/en/privacy/#new)"
    # Links into it that its publication does not make are still checked.
    wrong = "[old](/en/privacy/1999-01-01/), [typo](/en/privacy/#no-such-heading)"
    body = f"See [nothing](/en/nowhere/) and [here](#no-such-id).\n\n## New\n\n{own}.\n\n{wrong}.\n"
    draft = later(body=body, front="title: P\nsummary: S.\ndraft: true")
    write_content(
        tmp_path / "content",
        {"policies/privacy/2024-01-01.en.md": FIRST, "policies/privacy/2027-01-01.en.md": draft},
    )
    check = run_cli("check", "--content", "content", "--today", "2026-11-22", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    name = "warning: content/policies/privacy/2027-01-01.en.md:6:"
    assert f"{name} broken link: no page at '/en/nowhere/' (in a draft)" in check.stderr
    assert f"{name} broken link: no heading with id #no-such-id in this document (in a draft)" in check.stderr
    assert "readers would meet it once the draft is published" in check.stderr
    assert f"{name[:-2]}12: broken link: no page at '/en/privacy/1999-01-01/' (in a draft)" in check.stderr
    assert "no heading with id #no-such-heading in /en/privacy/ (in a draft)" in check.stderr
    assert check.stderr.count("(in a draft)") == 4
    build = run_cli("build", "--content", "content", "--out", "out", "--today", "2026-11-22", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert not (tmp_path / "out" / "en" / "privacy" / "2027-01-01").exists()


UK_IN_FRENCH = "UK GDPR, translations: {fr: {name: Royaume-Uni}}}"
#: site.yaml broken in one setting (or wholly), with the error it is reported with.
BROKEN_SITE_YAML = {
    "a YAML syntax error": (
        MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr"),
        "content/site.yaml:8: malformed YAML: the '[' on this line is never closed",
    ),
    "not a mapping": ("- just\n- a list\n", "content/site.yaml:1: site.yaml must be a mapping of keys to values"),
    "a region with a misspelt key": (
        MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]").replace("law: GDPR}", "lw: GDPR}"),
        "content/site.yaml:10: unknown key 'lw' in item 1 of 'regions'",
    ),
    "locales written as one text": (
        MINIMAL_SITE.replace("locales: [en]", "locales: en fr").replace("UK GDPR}", UK_IN_FRENCH),
        "content/site.yaml:8: invalid 'locales': Input should be a valid list",
    ),
    "a locale that is no locale": (
        MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr-xx-bogus-zz]").replace("UK GDPR}", UK_IN_FRENCH),
        "content/site.yaml:8: unknown locale 'fr-xx-bogus-zz'",
    ),
    "a base_url that is not https": (
        MINIMAL_SITE.replace("https://privacy", "http://privacy").replace("locales: [en]", "locales: [en, fr]")
        + "privacy_choices: {sells_or_shares: false, cookie_domain: example.com}\n",
        "content/site.yaml:6: invalid 'base_url'",
    ),
    "a default locale not listed": (
        MINIMAL_SITE.replace("default_locale: en", "default_locale: de").replace("locales: [en]", "locales: [en, fr]"),
        "content/site.yaml:7: default_locale 'de' is not in locales",
    ),
    "an organisation's email that is none": (
        MINIMAL_SITE.replace("privacy@example.com", "privacy").replace("locales: [en]", "locales: [en, fr]"),
        "content/site.yaml:4: invalid 'organisation.email'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_SITE_YAML), ids=lambda c: c.replace(" ", "-"))
def test_errors_in_site_yaml_do_not_hide_the_contents(tmp_path: Path, case: str) -> None:
    """The content is checked against what could be read of a broken site.yaml, in the same run; what only
    follows from the broken setting (every region block's region, every translation's locale) is not an error."""
    site, expected = BROKEN_SITE_YAML[case]
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST
        + "\n::: region eea\nEEA only.\n:::\n\nHi <b>there</b>, see [this](javascript:alert(1)).\n",
        "policies/privacy/2024-01-01.fr.md": "---\ntitle: [Confidentialité\n---\nTexte.\n",
        "policies/privacy/2025-01-01.en.md": later(body="Changed.\n\n::: region california\nCA only.\n"),
        "policies/privacy/2025-01-01.fr.md": later(front="title: Confidentialité\nsummary: Changé.")
        + "\n::: region uk\nUK.\n:::\n",
    }
    write_content(tmp_path / "content", files, site=site)
    for command in (["build", "--out", "build"], ["check"]):
        result = run_cli(*command, "--content", "content", "--today", "2026-01-01", cwd=tmp_path)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        assert expected in output, output
        for problem in (
            "2024-01-01.en.md:14: raw HTML is shown as text, not as markup: <b>",
            "2024-01-01.en.md:14: unsafe link 'javascript:alert(1)'",
            "2024-01-01.fr.md:2: malformed YAML: the '[' on this line is never closed",
            "2025-01-01.en.md:7: region block is never closed",
        ):
            assert f"content/policies/privacy/{problem}" in output, output
        assert "unknown region" not in output and "not listed in site.yaml" not in output, output
        assert "translation for unknown locale" not in output and "does not cover" not in output, output
    assert not (tmp_path / "build").exists()


UK_IN_ENGLISH = "UK GDPR, translations: {en: {name: United Kingdom}}}"
#: site.yaml broken where the default locale is concerned, the content, what must be reported and what must not.
BROKEN_DEFAULT = {
    "a default locale that is no text": (
        MINIMAL_SITE.replace("default_locale: en", "default_locale: [fr]")
        .replace("locales: [en]", "locales: [fr, en]")
        .replace("UK GDPR}", UK_IN_ENGLISH),
        {"2024-01-01.fr.md": FIRST, "2024-01-01.en.md": FIRST + "\nHi <b>there</b>.\n"},
        ["content/site.yaml:7: invalid 'default_locale'", "2024-01-01.en.md:10: raw HTML"],
        ["translation for the default locale", "has no translation for"],
    ),
    "the default among locales written wrong": (
        MINIMAL_SITE.replace("default_locale: en", "default_locale: en-gb").replace(
            "locales: [en]", "locales: [en-gb, fr]"
        ),
        {"2024-01-01.en-GB.md": FIRST + "\nHi <b>there</b>.\n", "2024-01-01.fr.md": FIRST + "\nSee[^x].\n"},
        [
            "content/site.yaml:8: locale 'en-gb' must be written 'en-GB'",
            "2024-01-01.en-GB.md:10: raw HTML",
            "2024-01-01.fr.md:10: footnote [^x] is never defined",
        ],
        ["has no en-gb file", "not listed in site.yaml"],
    ),
    "an error elsewhere in site.yaml": (
        MINIMAL_SITE.replace("law: GDPR}", 'law: ""}').replace("locales: [en]", "locales: [en, fr]"),
        {"2024-01-01.fr.md": FIRST},
        ["content/site.yaml:10:", "2024-01-01.fr.md: version 2024-01-01 has no en file"],
        ["this policy folder has no versions"],
    ),
    "a default locale written twice": (
        MINIMAL_SITE.replace("default_locale: en", "default_locale: fr\ndefault_locale: en").replace(
            "locales: [en]", "locales: [en, fr]"
        ),
        {"2024-01-01.fr.md": FIRST + "\nHi <b>there</b>.\n"},
        ["content/site.yaml:8: the key 'default_locale' is also on line 7", "2024-01-01.fr.md:10: raw HTML"],
        ["has no en file", "has no fr file", "this policy folder has no versions"],
    ),
    "a default locale that is no text, and a translation for no locale": (
        MINIMAL_SITE.replace("default_locale: en", "default_locale: [fr]")
        .replace("locales: [en]", "locales: [fr, en]")
        .replace("UK GDPR}", "UK GDPR, translations: {de: {name: Vereinigtes Königreich}}}"),
        {"2024-01-01.fr.md": FIRST},
        [
            "content/site.yaml:7: invalid 'default_locale'",
            "content/site.yaml:11: translation for unknown locale 'de'",
            "keyed by the site's other locales: fr, en",
        ],
        ["translation for the default locale", "has no translation for"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_DEFAULT), ids=lambda c: c.replace(" ", "-"))
def test_a_broken_site_yaml_hides_only_what_follows_from_it(tmp_path: Path, case: str) -> None:
    """Which file is a version's original follows from default_locale and locales: with either unread, the
    content is checked with any file as the original, and no translation is called the default's; a version
    without its original is still reported when site.yaml's error lies elsewhere (second read)."""
    site, files, expected, unexpected = BROKEN_DEFAULT[case]
    write_content(tmp_path / "content", {f"policies/privacy/{name}": text for name, text in files.items()}, site=site)
    result = run_cli("check", "--content", "content", "--today", "2026-01-01", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    for problem in expected:
        where = f"content/policies/privacy/{problem}" if problem.startswith("20") else problem  # a version's file
        assert where in output, output
    for problem in unexpected:
        assert problem not in output, output


def test_an_error_in_one_versions_files_holds_back_only_that_versions_missing_original(tmp_path: Path) -> None:
    """A version without its en file is reported though another version's file has an error; a version
    whose own en file could not be read, or a file whose name gives no version, leaves it unknown."""
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
    broken = "---\ntitle: Privacy\nsummary: [unclosed\n---\nText\n"  # malformed YAML on line 3
    files = {
        "2024-01-01.en.md": FIRST,
        "2025-01-01.fr.md": later(),  # no en file
        "2026-01-01.fr.md": later(),  # its en file is broken: maybe there
        "2026-01-01.en.md": broken,
        "2026-06-01.en.md": later(),
        "2026-06-01.fr.md": broken,
    }
    content = tmp_path / "content"
    write_content(content, {f"policies/privacy/{name}": text for name, text in files.items()}, site=site)
    result = run_cli("check", "--content", "content", "--today", "2026-11-22", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    where = "content/policies/privacy"
    assert f"{where}/2025-01-01.fr.md: version 2025-01-01 has no en file" in output, output
    assert f"{where}/2026-01-01.en.md:3: malformed YAML" in output, output
    assert f"{where}/2026-06-01.fr.md:3: malformed YAML" in output, output
    assert "version 2026-01-01 has no en file" not in output, output

    # A file named with no readable date may be any version's original.
    (content / "policies/privacy/2025-02-30.en.md").write_text(FIRST)
    result = run_cli("check", "--content", "content", "--today", "2026-11-22", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert "'2025-02-30' is not a real date" in output, output
    assert "has no en file" not in output, output


def test_a_region_block_never_closed_is_the_only_error_of_the_footnotes_after_it(tmp_path: Path) -> None:
    """The block runs on to the end of the text, so every footnote after it looks inside it: those follow
    from the missing ':::' and are not reported; footnote errors of their own, before and after it, are."""
    text = (
        FIRST
        + "\n::: region uk\nUK[^uk].\n\n[^uk]: In a closed block.\n:::\n"  # lines 10-14
        + "\n::: region eea\nEEA only[^eea].\n\n[^eea]: Meant inside.\n"  # lines 16-19, never closed
        + "\n## After\n\nEveryone[^all], and[^missing].\n\n[^all]: Meant outside.\n"  # lines 21-25
    )
    write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": text})
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    name = "error: content/policies/privacy/2024-01-01.en.md"
    assert errors == [
        f"{name}:11: footnote [^uk] is referenced inside a region block, but footnotes are shown to every region "
        "(other regions' views would show the note, its back link leading nowhere)",
        f"{name}:13: footnote [^uk] is defined inside a region block, but footnotes are shown to every region",
        f"{name}:16: region block is never closed",
        f"{name}:23: footnote [^missing] is never defined",
    ], result.stderr


def test_a_region_block_left_open_is_named_where_the_next_one_opens(tmp_path: Path) -> None:
    """The ':::' of the first block is missing: the next block's ':::' ends the first, so the message names
    the block left open, and the hint says where its ':::' goes.  Nested on purpose, the inner block's ':::'
    ends the outer one, and the outer one's ':::' is left over, shown as text: it is reported too, so that
    following both hints gives two blocks and no stray marker."""
    left_open = "\n::: region eea\n## EEA\n\nEEA only.\n\n::: region california\nCalifornia only.\n:::\n"
    name = "content/policies/privacy/2024-01-01.en.md"
    assert _errors(tmp_path, FIRST + left_open, hints=True) == [
        f"error: {name}:15: the region block opened on line 10 is not closed before this one (region blocks cannot "
        "be nested)",
        "    hint: add a line ':::' to close it before line 15",
    ]
    nested = "\n::: region eea\nEEA.\n\n::: region uk\nUK.\n:::\n\nMore EEA.\n:::\n"
    assert _errors(tmp_path, FIRST + nested, hints=True) == [
        f"error: {name}:13: the region block opened on line 10 is not closed before this one (region blocks cannot "
        "be nested)",
        "    hint: add a line ':::' to close it before line 13",
        f"error: {name}:18: stray or unknown block marker ':::'",
        "    hint: blocks are written '::: region <id>' ... ':::'; remove the marker or fix it",
    ]
    fixed = "\n::: region eea\nEEA.\n:::\n\n::: region uk\nUK.\n:::\n\nMore EEA.\n"
    write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": FIRST + fixed})
    assert run_cli("check", "--content", "content", cwd=tmp_path).returncode == 0


def _errors(tmp_path: Path, text: str, *, hints: bool = False) -> list[str]:
    """The error lines ``check`` prints for a site whose one version has ``text`` (each with its hint: ``hints``)."""
    write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": text})
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    return [
        line
        for n, line in enumerate(lines)
        if line.startswith("error: ") or (hints and n > 0 and lines[n - 1].startswith("error: "))
    ]


def test_footnotes_in_a_region_block_in_a_quote_are_reported_with_it(tmp_path: Path) -> None:
    """A block closed by '> :::' is closed (the parser reads the line after the quote's '>'): its footnotes
    are reported with the misplaced block, not only once the block is moved out of the quote."""
    text = FIRST + "\n> ::: region prc\n> PRC only[^p].\n>\n> [^p]: A note.\n> :::\n"  # lines 10-14
    name = "error: content/policies/privacy/2024-01-01.en.md"
    assert _errors(tmp_path, text) == [
        f"{name}:10: a region block inside a list or quote, where it would be shown to every region",
        f"{name}:11: footnote [^p] is referenced inside a region block, but footnotes are shown to every region "
        "(other regions' views would show the note, its back link leading nowhere)",
        f"{name}:13: footnote [^p] is defined inside a region block, but footnotes are shown to every region",
    ]


def test_a_region_block_on_lines_ended_by_a_lone_cr_is_closed(tmp_path: Path) -> None:
    """The parser ends a line at a lone carriage return too, so a ':::' line ended by one closes the block."""
    text = FIRST + "\n::: region eea\rEEA only[^e].\r\r[^e]: A note.\r:::\r\rAfter [x](#nowhere).\n"
    name = "error: content/policies/privacy/2024-01-01.en.md"
    assert _errors(tmp_path, text) == [
        f"{name}:11: footnote [^e] is referenced inside a region block, but footnotes are shown to every region "
        "(other regions' views would show the note, its back link leading nowhere)",
        f"{name}:13: footnote [^e] is defined inside a region block, but footnotes are shown to every region",
        f"{name}:16: broken link: no heading with id #nowhere in this document",
    ]


def test_an_unsafe_link_after_lone_cr_line_ends_is_on_the_line_the_parser_counts(tmp_path: Path) -> None:
    """Every problem of a file is on the same count of lines: a lone CR ends a line for the parser."""
    text = FIRST + "\nA\rB\r[x](javascript:alert(1)) and [y](#nowhere)\n"  # lines 10-12
    name = "error: content/policies/privacy/2024-01-01.en.md"
    assert _errors(tmp_path, text) == [
        f"{name}:12: broken link: no heading with id #nowhere in this document",
        f"{name}:12: unsafe link 'javascript:alert(1)'",
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST + "\n::: region mars\nA\n:::\n\n[x](#nowhere)\n",
            "policies/privacy/2025-01-01.en.md": later(front="title: Privacy Policy"),
        },
    )
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    for expected in ("unknown region 'mars'", "no heading with id #nowhere", "missing 'summary'"):
        assert expected in result.stderr


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    result = run_cli("build", "--today", "yesterday", cwd=tmp_path)
    assert result.returncode == 2
    assert "is not a date" in result.stderr and "Traceback" not in result.stderr
    # A date of the right form that the calendar lacks is not told it has the wrong form.
    for command in (["build", "--today"], ["new-version", "privacy", "--date"]):
        result = run_cli(*command, "2030-02-30", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "'2030-02-30' is not a day of the calendar: check its month and day" in result.stderr, result.stderr


def test_a_copy_of_the_package_without_its_clone_says_how_to_install(tmp_path: Path) -> None:
    """``pip install .`` (not ``-e``) puts the package where the clone's package.json and translations/
    are not: the build says what it needs."""
    shutil.copytree(PROJECT / "site", tmp_path / "lib" / "policypress", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "lib")}
    code = "import sys; from policypress.cli import main; sys.exit(main(sys.argv[1:]))"
    for args in (["build", "--out", "out"], ["check"], ["serve", "--port", str(_free_port())]):
        command = [sys.executable, "-c", code, *args, "--content", str(PROJECT / "content")]
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "installed with 'python3 -m pip install -e .' from the clone" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_files_the_disk_cannot_give_are_reported_not_raised(tmp_path: Path) -> None:
    """A link to nothing, a link that loops, a name that is not UTF-8 and a file that cannot be read
    are each named with what to do, and the previous build is left as it was."""
    content = write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": FIRST})
    policy = content / "policies" / "privacy"
    (policy / "2025-01-01.en.md").symlink_to(tmp_path / "nowhere.md")
    (policy / "2025-02-01.en.md").symlink_to(policy / "2025-02-01.en.md")
    Path(os.fsdecode(os.fsencode(policy) + b"/2025-03-01.\xe9n.md")).write_text(FIRST)  # Latin-1, not UTF-8
    (policy / "2025-04-01.en.md").write_text(FIRST)
    (policy / "2025-04-01.en.md").chmod(0)
    previous = tmp_path / "build"
    previous.mkdir()
    (previous / "404.html").write_text('<meta name="generator" content="Policypress">')
    # As root, permissions do not stop a read: drop the capabilities that skip them.
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"]
    drop = prefix if os.geteuid() == 0 and shutil.which("setpriv") else []
    for command in (["build", "--out", "build"], ["check"]):
        result = subprocess.run(
            [
                *drop,
                sys.executable,
                str(PROJECT / "build.py"),
                *command,
                "--content",
                "content",
                "--today",
                "2026-01-01",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in output, output
        assert "2025-01-01.en.md: a link to a file that does not exist" in output, output
        assert "2025-02-01.en.md" in output, output
        assert "the file name is not valid UTF-8" in output, output
        assert "2025-04-01.en.md: the file cannot be read (Permission denied)" in output, output
    assert sorted(p.name for p in previous.iterdir()) == ["404.html"]


def test_a_translations_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": FIRST})
    for command in ("build", "check"):
        result = run_cli(command, "--content", content, "--translations", tmp_path / "nowhere", "--out", tmp_path / "o")
        assert result.returncode == 2 and "there is no folder" in result.stderr, result.stderr


def test_an_output_folder_that_cannot_be_written_is_a_message(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": FIRST})
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"]
    drop = prefix if os.geteuid() == 0 and shutil.which("setpriv") else []
    for cache in ([], ["--no-cache"]):
        arguments = ["build", "--content", str(content), "--out", str(locked / "out"), *cache]
        result = subprocess.run(
            [*drop, sys.executable, str(PROJECT / "build.py"), *arguments], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"error: {locked}" in result.stderr and "Permission denied" in result.stderr, result.stderr


def test_a_heading_whose_text_makes_a_page_id_gets_another_anchor(tmp_path: Path) -> None:
    """Only a written {#id} may not be one of the page's own ids: an anchor made from the text steers clear."""
    headings = "\n## Main\n\nA.\n\n## Opt out\n\nB.\n\n## Head office\n\nC.\n\n## Request access\n\nD.\n"
    content = write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": FIRST + headings})
    result = run_cli("build", "--content", content, "--out", tmp_path / "out", "--today", "2026-01-01")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    for anchor in ("main-section", "opt-out-section", "head-office", "request-access"):
        assert f'<h2 id="{anchor}">' in page, anchor
    assert page.count('id="main"') == 1


def test_a_content_folder_that_is_a_file_is_named_so(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(MINIMAL_SITE)
    result = run_cli("check", "--content", tmp_path / "site.yaml")
    assert result.returncode == 1 and "the content folder is a file, not a folder" in result.stderr, result.stderr
    assert "pass --content with the folder that holds site.yaml" in result.stderr


@pytest.mark.parametrize("command", [("translations",), ("new-version", "privacy")])
def test_every_command_names_a_content_folder_that_is_not_there(tmp_path: Path, command: tuple[str, ...]) -> None:
    """As build and check do: not 'site.yaml is missing, create it', nor 'there is no policy (known: none)'."""
    translations = shutil.copytree(PROJECT / "translations", tmp_path / "translations")
    (tmp_path / "site.yaml").write_text(MINIMAL_SITE)
    before = tree_digest(tmp_path)
    for content, what in (("nowhere", "does not exist"), ("site.yaml", "is a file, not a folder")):
        options = ["--translations", translations] if command[0] == "translations" else []
        result = run_cli(*command, "--content", content, *options, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"error: {content}: the content folder {what}\n" in result.stderr, result.stderr
        assert "hint: pass --content with the folder that holds site.yaml" in result.stderr
    assert tree_digest(tmp_path) == before


def test_footnote_marks_written_as_text_or_code_are_not_references(tmp_path: Path) -> None:
    text = FIRST + "\nWrite \\[^1] for a footnote, or `[^1]`; here is one[^1].\n\n[^1]: A real note.\n"
    write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": text})
    check = run_cli("check", "--content", "content", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "footnote" not in check.stderr


def test_links_are_refused_unless_they_use_an_allowed_scheme_each_at_its_line(tmp_path: Path) -> None:
    """An allow-list, as the hint says: http, https, mailto, tel or a path in this site.  ftp:, sms:, blob: and
    apps' own schemes passed.  A link written with character references, and the second of two on one line,
    had no line."""
    links = [
        "[ftp](ftp://files.example/a) [gopher](gopher://x.example/)",
        "[sms](sms:+15550100) [blob](blob:https://x.example/1)",
        "[intent](intent://x#Intent;end) [settings](ms-settings:privacy)",
        "[encoded](java&#115;cript:alert(1))",
        "[a](javascript:alert(2)) [b](javascript:alert(2))",
        "[fine](https://fine.example/) [mail](mailto:privacy@mail.example) [call](tel:+15550100) [here](/en/privacy/)",
    ]
    text = FIRST + "\n" + "\n\n".join(links) + "\n"
    write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": text}, site=MINIMAL_SITE)
    first = text.split("\n").index(links[0]) + 1
    where = "content/policies/privacy/2024-01-01.en.md"
    hint = "    hint: links may only use http, https, mailto or tel, or point inside this site"
    expected = [
        f"{where}:{first}: link 'ftp://files.example/a' uses the scheme ftp:",
        f"{where}:{first}: link 'gopher://x.example/' uses the scheme gopher:",
        f"{where}:{first + 2}: link 'sms:+15550100' uses the scheme sms:",
        f"{where}:{first + 2}: link 'blob:https://x.example/1' uses the scheme blob:",
        f"{where}:{first + 4}: link 'intent://x#Intent;end' uses the scheme intent:",
        f"{where}:{first + 4}: link 'ms-settings:privacy' uses the scheme ms-settings:",
        f"{where}:{first + 6}: unsafe link 'javascript:alert(1)'\n{hint}",
        f"{where}:{first + 8}: unsafe link 'javascript:alert(2)'\n{hint}",
    ]
    result = run_cli("check", "--content", "content", "--today", "2026-01-01", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for message in expected:
        assert message in result.stderr, result.stderr
    assert f"{where}: " not in result.stderr  # every one with its line (the same link twice on one line is one)
    for allowed in ("fine.example", "mail.example", "tel:", "/en/privacy/"):
        assert allowed not in result.stderr
    build = run_cli("build", "--content", "content", "--out", "out", "--today", "2026-01-01", cwd=tmp_path)
    assert build.returncode == 1 and not (tmp_path / "out").exists()


def test_a_front_matter_error_does_not_hide_the_problems_of_the_text(tmp_path: Path) -> None:
    """The text's problems do not depend on the front matter: they are reported with its errors, all at once.
    Links to the pages the file belongs to wait for the fix (the site leaves the file out until then)."""
    body = (
        "Intro.\n\n## Contact\n\nWrite to us.\n\n{#Contact Us}\n\n## Again\n\n"  # lines 5-13
        "::: region eea\nA note[^1].\n\n[^1]: The note.\n:::\n\n"  # lines 15-19
        "[x](/en/nothing/), [here](#contact), [there](#nowhere), [own](/en/privacy/2025-01-01/#anything), "
        "[page](/en/privacy/#contact)\n"  # line 21
    )
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST,
        "policies/privacy/2025-01-01.en.md": "---\ntitel: Privacy Policy\nsummary: Changed.\n---\n" + body,
    }
    write_content(tmp_path / "content", files)
    name = "error: content/policies/privacy/2025-01-01.en.md"
    for command in (["check"], ["build", "--out", "out"]):
        result = run_cli(*command, "--content", "content", "--today", "2026-01-01", cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert [line for line in result.stderr.splitlines() if line.startswith("error: ")] == [
            f"{name}:2: missing required key 'title'",
            f"{name}:2: unknown key 'titel'",
            f"{name}:11: invalid heading id '{{#Contact Us}}' is shown as text",
            f"{name}:16: footnote [^1] is referenced inside a region block, but footnotes are shown to every region "
            "(other regions' views would show the note, its back link leading nowhere)",
            f"{name}:18: footnote [^1] is defined inside a region block, but footnotes are shown to every region",
            f"{name}:21: broken link: no heading with id #nowhere in this document",
            f"{name}:21: broken link: no page at '/en/nothing/'",
        ], result.stderr
    assert not (tmp_path / "out").exists()

    # In a draft, broken links are warnings, whether the front matter has errors or not.
    # One more line of front matter, one fewer of text: the problems stay on the same lines.
    draft = "---\ntitle: Privacy\ndraft: true\nmaterial: maybe\n---\n" + body.replace("Intro.\n", "Intro.")
    write_content(tmp_path / "content", {"policies/privacy/2025-01-01.en.md": draft})
    result = run_cli("check", "--content", "content", "--today", "2026-01-01", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"{name}:4: invalid 'material'" in result.stderr, result.stderr
    assert f"{name}:11: invalid heading id" in result.stderr, result.stderr
    warning = "content/policies/privacy/2025-01-01.en.md:21: broken link: no page at '/en/nothing/' (in a draft)"
    assert f"warning: {warning}" in result.stderr, result.stderr
