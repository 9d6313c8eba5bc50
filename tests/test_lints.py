"""Compliance lints in ``build.py check``: each one fires on content that breaks
its rule and stays quiet on content that keeps it, and site.yaml sets its level."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL_SITE, run_cli, write_content

FIRST = "---\ntitle: Privacy Policy\n---\nWe keep your notes private.\n\n## Contact {#contact}\n\nWrite to us.\n"


def version(body: str = "We keep your notes private.\n", **front: Any) -> str:
    lines = ["title: Privacy Policy", "summary: Changed things."] + [f"{k}: {json.dumps(v)}" for k, v in front.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def check(
    tmp_path: Path, files: dict[str, str], *, today: str = "2026-01-01", site: str = MINIMAL_SITE, git: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Run ``check --format json`` on a content folder; return the exit code and the problems."""
    if not (tmp_path / "content").exists():
        write_content(tmp_path / "content", files, site=site)
    env = {} if git else {"GIT_CEILING_DIRECTORIES": str(tmp_path)}  # keep git from finding a repo above tmp_path
    result = run_cli("check", "--content", "content", "--today", today, "--format", "json", cwd=tmp_path, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    data = json.loads(result.stdout)
    assert data["errors"] == sum(p["severity"] == "error" for p in data["problems"])
    assert result.returncode == (1 if data["errors"] else 0)
    return result.returncode, data["problems"]


def of(problems: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [p for p in problems if p["code"] == code]


# --- stale_policy ---------------------------------------------------------------------------------


def test_stale_policy_warns_when_the_current_version_is_over_a_year_old(tmp_path: Path) -> None:
    code, problems = check(tmp_path, {"policies/privacy/2024-01-01.en.md": FIRST}, today="2025-01-02")
    [stale] = of(problems, "stale_policy")
    assert code == 0 and stale["severity"] == "warning"
    assert stale["file"] == "content/policies/privacy/2024-01-01.en.md" and stale["line"] == 1
    assert "took effect on 2024-01-01, more than 12 months before 2025-01-02" in stale["message"]
    assert "new-version privacy" in stale["hint"] and "CCPA" in stale["hint"]


def test_stale_policy_is_quiet_within_twelve_months(tmp_path: Path) -> None:
    _code, problems = check(tmp_path, {"policies/privacy/2024-01-01.en.md": FIRST}, today="2025-01-01")
    assert of(problems, "stale_policy") == []


# --- check_regularly ------------------------------------------------------------------------------

TELLS_READERS_TO_CHECK = [
    "Please check this page regularly for changes.",
    "We encourage you to periodically review this Privacy Policy.",
    "Check back often to stay informed.",
    "You should visit this page from time to time\nto see what has changed.",
    "PLEASE CHECK THIS PAGE FOR UPDATES.",
    "It is your responsibility to review this policy.",
    "Regularly review the privacy notice, as it may change.",
]


def test_check_regularly_reports_each_phrasing_at_its_line(tmp_path: Path) -> None:
    body = "\n\n".join(TELLS_READERS_TO_CHECK) + "\n"
    code, problems = check(tmp_path, {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n---\n" + body})
    found = of(problems, "check_regularly")
    assert code == 1 and all(p["severity"] == "error" for p in found)
    lines = [p["line"] for p in found]
    assert lines == [4, 6, 8, 10, 13, 15, 17]
    assert 'tells readers to check for changes themselves: "check this page regularly"' in found[0]["message"]
    assert "WP260" in found[0]["hint"]


def test_check_regularly_reads_the_text_as_readers_see_it(tmp_path: Path) -> None:
    """Emphasis, links and code marks are not part of what readers read: the wording is found through them,
    at the line it starts on."""
    body = (
        "You should *review* our privacy notice from time to time.\n\n"  # line 4
        "Please [check this page](/en/privacy/) **regularly**.\n\n"  # line 6
        "Intro.\nCheck _back_\n`often`, please.\n\n"  # lines 8-10
        "- We *review* this policy regularly.\n"  # line 12: our own habit
    )
    code, problems = check(tmp_path, {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n---\n" + body})
    found = of(problems, "check_regularly")
    assert [(p["line"], p["message"].split(": ", 1)[1]) for p in found] == [
        (4, '"review our privacy notice from time to time"'),
        (6, '"check this page regularly"'),
        (9, '"Check back often"'),
    ]
    assert code == 1


def test_check_regularly_is_quiet_on_honest_wording_and_superseded_versions(tmp_path: Path) -> None:
    honest = (
        "We review this policy regularly and will email you before any material change.\n\n"
        "We regularly review the policy with our lawyers.\n\n"
        "Check your notification settings regularly.\n\n"
        "We will tell you about changes in the app.\n"
    )
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST + "\nPlease check this page regularly.\n",  # superseded
        "policies/privacy/2025-01-01.en.md": version(honest),
    }
    code, problems = check(tmp_path, files)
    assert of(problems, "check_regularly") == [] and code == 0


# --- material_unset -------------------------------------------------------------------------------


def test_material_unset_flags_an_upcoming_version_without_the_flag(tmp_path: Path) -> None:
    files = {"policies/privacy/2024-01-01.en.md": FIRST, "policies/privacy/2026-06-01.en.md": version()}
    code, problems = check(tmp_path, files)
    [found] = of(problems, "material_unset")
    assert code == 1 and found["file"] == "content/policies/privacy/2026-06-01.en.md" and found["line"] == 2
    assert "upcoming version 2026-06-01 of 'privacy' does not say whether it is material" in found["message"]


def test_material_unset_is_quiet_when_the_flag_is_set_or_the_version_is_in_force(tmp_path: Path) -> None:
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST,  # in force, no flag: fine
        "policies/privacy/2026-06-01.en.md": version(material=False),
    }
    code, problems = check(tmp_path, files)
    assert of(problems, "material_unset") == [] and code == 0


# --- levels in site.yaml --------------------------------------------------------------------------


def test_site_yaml_sets_each_lint_to_error_warn_or_off(tmp_path: Path) -> None:
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST + "\nPlease check this page regularly.\n",
        "policies/privacy/2026-06-01.en.md": version(),
    }
    site = MINIMAL_SITE + "lints:\n  check_regularly: warn\n  material_unset: off\n  stale_policy: error\n"
    code, problems = check(tmp_path, files, site=site, today="2025-06-01")
    assert [p["severity"] for p in of(problems, "check_regularly")] == ["warning"]
    assert of(problems, "material_unset") == []
    assert [p["severity"] for p in of(problems, "stale_policy")] == ["error"]
    assert code == 1


@pytest.mark.parametrize(
    ("lints", "expected"),
    [
        ("  check_regulary: off\n", "content/site.yaml:15: unknown key 'lints.check_regulary'"),
        ("  stale_policy: sometimes\n", "content/site.yaml:15: invalid 'lints.stale_policy'"),
    ],
)
def test_site_yaml_rejects_unknown_lints_and_levels(tmp_path: Path, lints: str, expected: str) -> None:
    write_content(
        tmp_path / "content", {"policies/privacy/2024-01-01.en.md": FIRST}, site=MINIMAL_SITE + "lints:\n" + lints
    )
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1 and expected in result.stderr and "Traceback" not in result.stderr


# --- content with errors -------------------------------------------------------------------------


def test_lints_run_on_the_files_that_loaded_when_others_have_errors(tmp_path: Path) -> None:
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST + "\nPlease check this page regularly.\n\n[x](javascript:x)\n",
        "policies/privacy/2026-06-01.en.md": version(),
        "policies/cookies/2024-01-01.en.md": "---\ntitle: [Cookies\n---\nText.\n",
    }
    code, problems = check(tmp_path, files)
    assert code == 1
    assert [(p["file"], p["line"], p["message"]) for p in problems if p["severity"] == "error"] == [
        ("content/policies/cookies/2024-01-01.en.md", 2, "malformed YAML: the '[' on this line is never closed"),
        (
            "content/policies/privacy/2024-01-01.en.md",
            10,
            'tells readers to check for changes themselves: "check this page regularly"',
        ),
        ("content/policies/privacy/2024-01-01.en.md", 12, "unsafe link 'javascript:x'"),
        (
            "content/policies/privacy/2026-06-01.en.md",
            2,
            "upcoming version 2026-06-01 of 'privacy' does not say whether it is material",
        ),
    ]


def test_stale_policy_is_quiet_when_a_newer_version_has_errors(tmp_path: Path) -> None:
    """The newer version may be the one in force: its errors say what to fix, not that the policy is stale."""
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST,
        "policies/privacy/2025-06-01.en.md": "---\ntitle: Privacy Policy\nsummary: [New\n---\nText.\n",
        "policies/cookies/2024-01-01.en.md": FIRST,
        "policies/cookies/2027-01-01.en.md": "---\ntitle: Cookies\nsummary: [New\n---\nText.\n",  # upcoming
    }
    code, problems = check(tmp_path, files, today="2026-01-01")
    assert code == 1 and len([p for p in problems if p["severity"] == "error"]) == 2, problems
    assert [p["file"] for p in of(problems, "stale_policy")] == ["content/policies/cookies/2024-01-01.en.md"]


def test_lints_wait_for_a_site_yaml_that_has_errors(tmp_path: Path) -> None:
    """site.yaml sets the lints' levels: one it could not read must not turn a lint that is off back on."""
    files = {"policies/privacy/2024-01-01.en.md": FIRST + "\nPlease check this page regularly.\n"}
    site = MINIMAL_SITE + "lints:\n  check_regularly: off\n  stale_polcy: off\n"
    code, problems = check(tmp_path, files, site=site, today="2026-01-01")
    assert code == 1 and [p["message"] for p in problems] == ["unknown key 'lints.stale_polcy'"], problems


# --- links in every locale ------------------------------------------------------------------------


def test_broken_links_in_any_locale_are_check_errors(tmp_path: Path) -> None:
    french = FIRST.replace("Write to us.", "Voir [cookies](/fr/cookies/) et [ici](/fr/privacy/#nulle-part).")
    files = {"policies/privacy/2024-01-01.en.md": FIRST, "policies/privacy/2024-01-01.fr.md": french}
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
    code, problems = check(tmp_path, files, site=site)
    broken = [(p["file"], p["line"], p["message"]) for p in problems if p["message"].startswith("broken link")]
    assert code == 1
    assert sorted(broken) == [
        ("content/policies/privacy/2024-01-01.fr.md", 8, "broken link: no heading with id #nulle-part in /fr/privacy/"),
        ("content/policies/privacy/2024-01-01.fr.md", 8, "broken link: no page at '/fr/cookies/'"),
    ]


def test_links_to_the_files_a_site_writes_are_not_broken(tmp_path: Path) -> None:
    """Feeds, the JSON of a policy's versions, the sitemap, public files and comparisons are links a
    policy may give: each is a file the build writes (and a live build serves)."""
    links = [
        "/en/privacy/feed.xml",
        "/api/privacy/versions.json",
        "/sitemap.xml",
        "/robots.txt",
        "/pgp-key.asc",
        "/.well-known/security.txt",
        "/keys/",  # public/keys/index.html, which a static host serves at the folder's URL
        "/en/privacy/changes/",
        "/en/privacy/compare/",
        "/en/privacy/compare/2024-01-01/2025-06-01/",
        "/en/privacy/2024-01-01/",
    ]
    broken = [
        "/en/cookies/feed.xml",
        "/api/privacy/versions.xml",
        "/nope.asc",
        "/en/privacy/compare/2025-06-01/2024-01-01/",
        "/.well-known/gpc.json",  # written only for a site that says what it sells or shares
    ]
    links.append("/404.html")
    # A full address on this site's own host is checked as its path is (MINIMAL_SITE: privacy.example.com);
    # another site's address is not ours to check.
    links += ["https://privacy.example.com/en/privacy/", "https://other.example/nope/"]
    own = ["https://PRIVACY.example.com/en/nosuch/", "//privacy.example.com:443/en/gone/"]  # named as written
    body = "".join(f"[link {n}]({href})\n\n" for n, href in enumerate([*links, *broken, *own]))
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST,
        "policies/privacy/2025-06-01.en.md": version(body),
        "public/pgp-key.asc": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n",
        "public/.well-known/security.txt": "Contact: mailto:security@example.com\n",
        "public/keys/index.html": "<!DOCTYPE html><title>Keys</title>\n",
    }
    code, problems = check(tmp_path, files)
    found = sorted(p["message"] for p in problems if p["message"].startswith("broken link"))
    assert found == sorted(f"broken link: no page at {href!r}" for href in [*broken, *own])
    assert code == 1


def test_problems_inside_a_paragraph_are_reported_at_their_own_line(tmp_path: Path) -> None:
    """A paragraph written over several lines (or a list item's) reports each link, image and tag at the line
    it is on, not at the paragraph's first line."""
    body = (
        "Line one\n"  # line 5
        "line two [broken](/en/nosuch/) here,\n"
        "an image ![x](https://example.com/x.png)  \n"  # a hard break
        "and <b>bold</b> at the end.\n\n"
        "- an item\n"  # line 10
        "  with <i>a tag</i> on its second line\n\n"
        "<!-- a note from legal: check with Bob -->\n"  # line 13: readers would see it
    )
    # Within a year of its date: the lints, which run despite the errors, have nothing to say.
    code, problems = check(tmp_path, {"policies/privacy/2024-01-01.en.md": version(body)}, today="2024-06-01")
    found = sorted((p["line"], p["message"].split(":")[0]) for p in problems if p["line"])
    assert found == [
        (6, "broken link"),
        (7, "images are not supported in policy text"),
        (8, "raw HTML is shown as text, not as markup"),
        (11, "raw HTML is shown as text, not as markup"),
        (13, "an HTML comment is published as visible text, not hidden"),
    ]
    tags = [p["message"].rsplit(": ", 1)[1] for p in problems if p["message"].startswith("raw HTML")]
    assert tags == ["<b>", "<i>"]
    assert code == 1


def test_a_link_to_a_policy_before_its_first_version_takes_effect(tmp_path: Path) -> None:
    """A policy's page exists from its first version's date: a text in force before then may not link to it
    (the build would hold a broken link), a version that takes effect on that date or later may."""
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST.replace("Write to us.", "See [AI](/en/ai/#models)."),
        "policies/privacy/2026-08-01.en.md": version("See [AI](/en/ai/eea/#models) and [AI](/en/ai/#models).\n"),
        "policies/ai/2026-06-01.en.md": "---\ntitle: AI Policy\n---\n{#models}\n## Models\n\nText.\n",
    }
    code, problems = check(tmp_path, files, today="2026-01-01")
    broken = [(p["file"], p["line"], p["message"], p["hint"]) for p in problems if p["message"].startswith("broken")]
    assert broken == [
        (
            "content/policies/privacy/2024-01-01.en.md",
            8,
            "broken link: '/en/ai/' has no page until 2026-06-01, when the first version of policy 'ai' takes effect",
            "link to that version's own page, '/en/ai/2026-06-01/', until then",
        )
    ]
    assert code == 1
    # On the day it takes effect, the page is there.
    code, problems = check(tmp_path, files, today="2026-06-01")
    assert not [p for p in problems if p["message"].startswith("broken")]


# --- do_not_sell_link -------------------------------------------------------------------------------


CALIFORNIA_WITHOUT_LINK = "\n::: region california\n## Your California rights\n\nYou may opt out.\n:::\n"
CALIFORNIA_WITH_LINK = (
    "\n::: region california\n## Your California rights\n\n"
    "[Do Not Sell or Share My Personal Information](/en/do-not-sell/)\n:::\n"
)


def _check_with_choices(
    tmp_path: Path, body: str, choices: str | None, base_url: str = "https://privacy.example.com"
) -> subprocess.CompletedProcess[str]:
    files = {"policies/privacy/2024-01-01.en.md": FIRST + body}
    site = MINIMAL_SITE.replace("base_url: https://privacy.example.com", f"base_url: {base_url}")
    if choices is not None:
        files["pages/do-not-sell.en.md"] = "---\ntitle: Do Not Sell or Share\n---\nHow to opt out.\n"
        site += f"privacy_choices:\n  sells_or_shares: {choices}\n"
    write_content(tmp_path / "content", files, site=site)
    return run_cli("check", "--content", "content", "--today", "2025-01-01", "--format", "json", cwd=tmp_path)


def test_do_not_sell_link_flags_a_california_block_without_it(tmp_path: Path) -> None:
    result = _check_with_choices(tmp_path, CALIFORNIA_WITHOUT_LINK, "true")
    assert result.returncode == 1
    [found] = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "do_not_sell_link"]
    assert found["line"] == 10 and found["file"] == "content/policies/privacy/2024-01-01.en.md"
    assert found["message"] == "California block has no link to the Do Not Sell or Share page"
    assert "(/en/do-not-sell/)" in found["hint"]


@pytest.mark.parametrize(
    ("body", "choices"),
    [
        (CALIFORNIA_WITH_LINK, "true"),
        (CALIFORNIA_WITHOUT_LINK, "false"),
        (CALIFORNIA_WITHOUT_LINK, None),  # site.yaml does not say: the lint stays off
    ],
    ids=["linked", "does-not-sell", "no-setting"],
)
def test_do_not_sell_link_is_quiet_otherwise(tmp_path: Path, body: str, choices: str | None) -> None:
    result = _check_with_choices(tmp_path, body, choices)
    assert [p for p in json.loads(result.stdout)["problems"] if p["code"] == "do_not_sell_link"] == []


def test_do_not_sell_link_finds_the_link_of_a_site_served_under_a_path(tmp_path: Path) -> None:
    """The editor writes the link from the site root; the page's HTML has it under the path."""
    result = _check_with_choices(tmp_path, CALIFORNIA_WITH_LINK, "true", "https://example.github.io/policies")
    assert result.returncode == 0, result.stdout
    assert [p for p in json.loads(result.stdout)["problems"] if p["code"] == "do_not_sell_link"] == []


def _dns_hints(tmp_path: Path, files: dict[str, str], today: str, locales: str = "[en]") -> dict[str, str]:
    """The do_not_sell_link hints of ``check`` on a site that sells or shares, by file name."""
    pages = {"pages/do-not-sell.en.md": "---\ntitle: Do Not Sell\n---\nHow to opt out.\n"}
    site = MINIMAL_SITE.replace("locales: [en]", f"locales: {locales}") + "privacy_choices:\n  sells_or_shares: true\n"
    write_content(tmp_path / "content", {**files, **pages}, site=site)
    result = run_cli("check", "--content", "content", "--today", today, "--format", "json", cwd=tmp_path)
    problems = json.loads(result.stdout)["problems"]
    return {Path(p["file"]).name: p["hint"] for p in problems if p["code"] == "do_not_sell_link"}


def test_do_not_sell_link_in_a_version_in_force_says_to_publish_a_new_one(tmp_path: Path) -> None:
    """Editing a version in force is a published_edited error: its hint says where the link goes instead, with
    the link's label in the file's language, as the site's footer says it."""
    files = {
        f"policies/privacy/2024-01-01.{tag}.md": FIRST + CALIFORNIA_WITHOUT_LINK for tag in ("en", "zh-Hans", "de")
    }
    hints = _dns_hints(tmp_path, files, "2025-01-01", "[en, zh-Hans, de]")
    assert sorted(hints) == ["2024-01-01.de.md", "2024-01-01.en.md", "2024-01-01.zh-Hans.md"], hints
    for hint in hints.values():
        assert "link to it inside the block" not in hint, hint
        assert "took effect on 2024-01-01 and its text must not change" in hint, hint
        assert hint.endswith("publish a new version with the change: python build.py new-version privacy"), hint
    assert "[Do Not Sell or Share My Personal Information](/en/do-not-sell/);" in hints["2024-01-01.en.md"]
    assert "[请勿出售或共享我的个人信息](/zh-hans/do-not-sell/);" in hints["2024-01-01.zh-Hans.md"]
    de = "[Do Not Sell or Share My Personal Information](/de/do-not-sell/) (in the file's language);"
    assert de in hints["2024-01-01.de.md"]


def test_do_not_sell_link_hint_names_the_upcoming_version_or_the_file_itself(tmp_path: Path) -> None:
    """With a version upcoming, that is where the link goes (new-version refuses a date before it); in the
    upcoming version itself, and on a version's first day, the file may be edited."""
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST + CALIFORNIA_WITHOUT_LINK,
        "policies/privacy/2025-06-01.en.md": version(FIRST.split("---\n")[2] + CALIFORNIA_WITHOUT_LINK, material=False),
    }
    hints = _dns_hints(tmp_path, files, "2025-01-01")
    assert hints["2024-01-01.en.md"].endswith(
        "make the change in the next version, 2025-06-01 (2025-06-01.en.md): that file can still be edited"
    )
    inside = "link to it inside the block, for example [Do Not Sell or Share My Personal Information](/en/do-not-sell/)"
    assert hints["2025-06-01.en.md"].endswith(inside)
    assert _dns_hints(tmp_path, files, "2025-06-01")["2025-06-01.en.md"].endswith(inside)


def test_an_in_force_hint_says_when_the_next_version_makes_the_change_already(tmp_path: Path) -> None:
    """Whether the next version's file has the change is read from that file, lint by lint: the hint does not
    ask the editor to make a change that is made."""
    regularly = "\nPlease check this page regularly.\n"
    later = FIRST.split("---\n")[2]
    for case, (next_text, expected) in enumerate(
        (
            (later + "We will email you about changes.\n", "makes this change already: nothing to do"),
            (later + regularly, "make the change in the next version, 2025-06-01 (2025-06-01.en.md): that file"),
        )
    ):
        files = {
            "policies/privacy/2024-01-01.en.md": FIRST + regularly,
            "policies/privacy/2025-06-01.en.md": version(next_text, material=False),
        }
        (tmp_path / str(case)).mkdir()
        _code, problems = check(tmp_path / str(case), files, today="2025-01-01")
        hints = [p["hint"] for p in of(problems, "check_regularly") if p["file"].endswith("2024-01-01.en.md")]
        assert len(hints) == 1 and expected in hints[0], hints


def test_do_not_sell_link_hint_says_when_the_next_version_has_the_link(tmp_path: Path) -> None:
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST + CALIFORNIA_WITHOUT_LINK,
        "policies/privacy/2025-06-01.en.md": version(FIRST.split("---\n")[2] + CALIFORNIA_WITH_LINK, material=False),
    }
    hints = _dns_hints(tmp_path, files, "2025-01-01")
    assert sorted(hints) == ["2024-01-01.en.md"], hints
    assert hints["2024-01-01.en.md"].endswith(
        "the next version, 2025-06-01 (2025-06-01.en.md), makes this change already: nothing to do, readers see it "
        "from that day"
    )


def test_check_regularly_in_a_version_in_force_says_to_change_it_in_a_new_one(tmp_path: Path) -> None:
    files = {"policies/privacy/2024-01-01.en.md": FIRST + "\nPlease check this page regularly.\n"}
    _code, problems = check(tmp_path, files, today="2024-06-01")
    [found] = of(problems, "check_regularly")
    assert found["hint"].endswith(
        "; this version took effect on 2024-01-01 and its text must not change: publish a new version with the "
        "change: python build.py new-version privacy"
    )
    # On its first day it may still be edited.
    _code, problems = check(tmp_path, files, today="2024-01-01")
    [found] = of(problems, "check_regularly")
    assert "must not change" not in found["hint"] and "new-version" not in found["hint"]


# --- published_edited (git) -----------------------------------------------------------------------


def git(repo: Path, *args: str, day: str | None = None) -> str:
    env = {"GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00"} if day else {}
    import os

    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def new_repo(repo: Path) -> Path:
    """An empty git repository at ``repo`` with an editor's name."""
    git(repo, "init", "-q")
    for key, value in (("user.name", "Editor"), ("user.email", "editor@example.com"), ("commit.gpgsign", "false")):
        git(repo, "config", key, value)
    return repo


def commit(repo: Path, day: str, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, day=day)
    return git(repo, "rev-parse", "--short=7", "HEAD")


def test_published_edited_finds_edits_after_the_effective_date(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    content = write_content(
        repo / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": version("Second text.\n\nMore.\n"),
            "policies/privacy/2027-01-01.en.md": version("Upcoming text.\n", material=False),
            "policies/cookies/2024-01-01.en.md": "---\ntitle: Cookies\n---\nNo cookies.\n",
        },
    )
    privacy, cookies = content / "policies/privacy", content / "policies/cookies"
    commit(repo, "2023-12-01", "All policies")
    # Edited before it took effect: fine.
    (privacy / "2025-01-01.en.md").write_text(version("Second text, final.\n\nMore.\n"))
    commit(repo, "2024-12-15", "Polish the 2025 version")
    # Edited after it took effect: reported, at the changed line.
    (privacy / "2024-01-01.en.md").write_text(FIRST.replace("Write to us.", "Write to us any time."))
    silent = commit(repo, "2024-06-01", "Quietly change the published text")
    # Changed and changed back: the published text is intact.
    (cookies / "2024-01-01.en.md").write_text("---\ntitle: Cookies\n---\nSome cookies.\n")
    commit(repo, "2025-02-01", "Oops")
    (cookies / "2024-01-01.en.md").write_text("---\ntitle: Cookies\n---\nNo cookies.\n")
    commit(repo, "2025-02-02", "Revert oops")
    # Uncommitted edits: one to a version in force (reported), one to an upcoming version (fine).
    (privacy / "2025-01-01.en.md").write_text(version("Second text, final.\n\nMore, edited.\n"))
    (privacy / "2027-01-01.en.md").write_text(version("Upcoming text, edited.\n", material=False))

    code, problems = check(tmp_path, {}, today="2026-01-01", git=True)
    found = of(problems, "published_edited")
    assert code == 1
    assert [(p["file"], p["line"], p["severity"]) for p in found] == [
        ("content/policies/privacy/2024-01-01.en.md", 8, "error"),
        ("content/policies/privacy/2025-01-01.en.md", 7, "error"),
    ]
    assert found[0]["message"] == (
        f"published text changed after it took effect on 2024-01-01: in commit {silent} on 2024-06-01"
    )
    assert found[1]["message"] == (
        "published text changed after it took effect on 2025-01-01: in the working tree (not committed)"
    )
    assert "new-version" in found[0]["hint"]

    git(repo, "checkout", "--", "content/policies/privacy/2025-01-01.en.md")
    _code, problems = check(tmp_path, {}, today="2026-01-01", git=True)
    assert [p["file"] for p in of(problems, "published_edited")] == ["content/policies/privacy/2024-01-01.en.md"]


def test_published_edited_on_a_translation_says_what_a_site_may_allow(tmp_path: Path) -> None:
    """A translation first committed after its version took effect, then corrected, is reported (its readers
    saw the first text), with a hint that fits a translation."""
    repo = new_repo(tmp_path)
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
    french = FIRST.replace("We keep your notes private.", "Nous gardons vos notes privées.")
    content = write_content(repo / "content", {"policies/privacy/2024-01-01.en.md": FIRST}, site=site)
    commit(repo, "2023-12-01", "The policy")
    (content / "policies/privacy/2024-01-01.fr.md").write_text(french)
    commit(repo, "2024-03-01", "Its French translation")
    (content / "policies/privacy/2024-01-01.fr.md").write_text(french.replace("privées", "privées et sûres"))
    commit(repo, "2024-04-01", "A correction")
    _code, problems = check(tmp_path, {}, today="2026-01-01", git=True)
    found = of(problems, "published_edited")
    assert [p["file"] for p in found] == ["content/policies/privacy/2024-01-01.fr.md"]
    assert "this is the fr translation" in found[0]["hint"] and "published_edited: warn" in found[0]["hint"]


def test_published_edited_finds_published_versions_removed_or_redated(tmp_path: Path) -> None:
    """A version that was in force may not disappear: deleted, or renamed to another date (which
    moves its page). Drafts, and versions removed before they took effect, may."""
    repo = new_repo(tmp_path)
    content = write_content(
        repo / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": version("Second text.\n"),
            "policies/privacy/2025-03-01.en.md": version("Third text.\n"),
            "policies/privacy/2025-06-01.en.md": version("Withdrawn before it took effect.\n", material=False),
            "policies/privacy/2025-07-01.en.md": "---\ntitle: Privacy Policy\ndraft: true\n---\nDraft.\n",
            "policies/privacy/2025-08-01.en.md": version("Withdrawn and put back on one day.\n"),
            "policies/privacy/2025-09-01.en.md": '---\ntitle: Privacy Policy\ndraft: "yes" # not yet\n---\nDraft.\n',
        },
    )
    privacy = content / "policies/privacy"
    commit(repo, "2023-12-01", "All versions")
    kept = (privacy / "2025-08-01.en.md").read_text()
    (privacy / "2025-08-01.en.md").unlink()
    commit(repo, "2024-12-10", "Withdraw the August version")
    (privacy / "2025-08-01.en.md").write_text(kept)
    commit(repo, "2024-12-10", "Put it back")
    (privacy / "2025-06-01.en.md").unlink()
    commit(repo, "2025-05-01", "Withdraw the June version before it takes effect")
    (privacy / "2025-07-01.en.md").unlink()
    (privacy / "2025-01-01.en.md").unlink()
    removed = commit(repo, "2025-08-01", "Drop the draft, and (wrongly) a published version")
    (privacy / "2025-03-01.en.md").rename(privacy / "2025-02-01.en.md")  # re-dated in the working tree
    (privacy / "2025-08-01.en.md").unlink()
    (privacy / "2025-09-01.en.md").unlink()  # a draft: may go
    (privacy / "2024-01-01.en.md").rename(privacy / "2024-01-01.EN.md")  # the same locale: moves no page

    code, problems = check(tmp_path, {}, today="2026-01-01", git=True)
    found = of(problems, "published_edited")
    assert code == 1
    assert [(p["file"], p["line"], p["message"]) for p in found] == [
        (
            "content/policies/privacy/2025-01-01.en.md",
            None,
            f"a published version was removed in commit {removed} on 2025-08-01: it took effect on 2025-01-01, "
            "and its page is where readers find what they agreed to",
        ),
        (
            "content/policies/privacy/2025-03-01.en.md",
            None,
            "a published version was removed from the working tree: it took effect on 2025-03-01, "
            "and its page is where readers find what they agreed to",
        ),
        (
            "content/policies/privacy/2025-08-01.en.md",
            None,
            "a published version was removed from the working tree: it took effect on 2025-08-01, "
            "and its page is where readers find what they agreed to",
        ),
    ]
    assert "git checkout" in found[0]["hint"] and "new-version" in found[0]["hint"]


def test_published_edited_reports_a_renamed_policy_folder_once(tmp_path: Path) -> None:
    """Renaming a policy's folder moves every page it published: one error for the folder, naming the new
    name, rather than one per file."""
    repo = new_repo(tmp_path)
    content = write_content(
        repo / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST,
            "policies/privacy/2025-01-01.en.md": version("Second text.\n"),
            "policies/cookies/2024-01-01.en.md": "---\ntitle: Cookies\n---\nNo cookies.\n",
        },
    )
    last = commit(repo, "2023-12-01", "All policies")
    # Renamed with an upcoming version it gained meanwhile: still the rename's best guess.
    (content / "policies/privacy").rename(content / "policies/privacy-notice")
    (content / "policies/privacy-notice/2027-01-01.en.md").write_text(version("Upcoming.\n", material=False))
    (content / "policies/cookies").rename(content / "policies/trackers")
    (content / "policies/trackers/2024-01-01.en.md").rename(content / "policies/trackers/2024-02-01.en.md")

    _code, problems = check(tmp_path, {}, today="2026-01-01", git=True)
    found = of(problems, "published_edited")
    assert [(p["file"], p["line"], p["message"]) for p in found] == [
        (
            "content/policies/cookies",
            None,
            "the published policy 'cookies' is gone: 1 published file of the version in force from 2024-01-01, "
            "whose pages are where readers find what they agreed to",
        ),
        (
            "content/policies/privacy",
            None,
            "the published policy 'privacy' is gone (renamed to 'privacy-notice'?): 2 published files of versions "
            "in force from 2024-01-01 to 2025-01-01, whose pages are where readers find what they agreed to",
        ),
    ]
    assert f"git checkout {last} -- privacy, in policies/" in found[1]["hint"]
    assert "a new name is a new policy" in found[1]["hint"]


def test_published_edited_is_skipped_with_a_note_outside_git(tmp_path: Path) -> None:
    code, problems = check(tmp_path, {"policies/privacy/2024-01-01.en.md": FIRST}, today="2024-06-01")
    [note] = of(problems, "published_edited")
    assert code == 0 and note["severity"] == "note" and note["file"] == "content"
    assert note["message"] == "skipped the published-version check: the content folder is not in a git repository"


def test_an_in_force_hint_names_no_file_the_next_version_lacks() -> None:
    """The example's next version (2027-02-01) is English only: the Spanish file in force is told to make the
    change when that version is translated, not to edit a 2027-02-01.es.md that does not exist."""
    result = run_cli("check", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "make the change in the next version, 2027-02-01, when you translate it (as 2027-02-01.es.md)" in (
        result.stderr
    )
    # The English file of the next version has the link: nothing is left to do in English.
    assert "the next version, 2027-02-01 (2027-02-01.en.md), makes this change already: nothing to do" in result.stderr
    assert "2027-02-01.es.md)," not in result.stderr and "2027-02-01.zh-Hans.md)," not in result.stderr


def test_an_in_force_hint_lets_a_file_git_has_not_seen_committed_be_edited(tmp_path: Path) -> None:
    """A late translation of the version in force, being written: its text is not published yet, so its hint
    says to fix it in place, while the committed original's says its text must not change."""
    repo = new_repo(tmp_path)
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, es]") + "privacy_choices:\n  sells_or_shares: true\n"
    pages = {f"pages/do-not-sell.{tag}.md": "---\ntitle: Do Not Sell\n---\nHow to opt out.\n" for tag in ("en", "es")}
    content = write_content(
        repo / "content", {"policies/privacy/2024-01-01.en.md": FIRST + CALIFORNIA_WITHOUT_LINK, **pages}, site=site
    )
    commit(repo, "2023-12-01", "First version")
    (content / "policies/privacy/2024-01-01.es.md").write_text(FIRST + CALIFORNIA_WITHOUT_LINK, encoding="utf-8")
    _code, problems = check(tmp_path, {}, today="2025-01-01", git=True)
    hints = {Path(p["file"]).name: p["hint"] for p in of(problems, "do_not_sell_link")}
    assert sorted(hints) == ["2024-01-01.en.md", "2024-01-01.es.md"], hints
    assert "this version took effect on 2024-01-01 and its text must not change" in hints["2024-01-01.en.md"]
    assert "must not change" not in hints["2024-01-01.es.md"]
    assert "link to it inside the block, for example" in hints["2024-01-01.es.md"]
    # Once committed, it is published text like the original's.
    commit(repo, "2024-06-01", "Spanish translation")
    _code, problems = check(tmp_path, {}, today="2025-01-01", git=True)
    hints = {Path(p["file"]).name: p["hint"] for p in of(problems, "do_not_sell_link")}
    assert "its text must not change" in hints["2024-01-01.es.md"], hints


# --- translation_outdated -------------------------------------------------------------------------


def test_translation_outdated_names_each_locale_a_version_in_force_or_upcoming_lacks(tmp_path: Path) -> None:
    """The stale-translation check a CI runs: a translation left behind, one never made, a draft one; not a
    version whose translation is there, nor one no longer in force."""
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr, de, es]")
    first = "---\ntitle: Privacy Policy\n---\nWe keep your notes private.\n\n## Contact\n\nWrite to us.\n"
    later = version("We keep your notes private.\n\n## Contact\n\nWrite to us today.\n", material=True)
    draft = "---\ntitle: Politique\ndraft: true\n---\nNous.\n\n## Contact\n\nÉcrivez.\n"
    files = {
        "policies/privacy/2024-01-01.en.md": first,
        "policies/privacy/2024-01-01.fr.md": first.replace("Privacy Policy", "Politique"),
        "policies/privacy/2024-01-01.es.md": first.replace("Privacy Policy", "Política"),
        "policies/privacy/2025-06-01.en.md": later,
        "policies/privacy/2025-06-01.es.md": later.replace("Privacy Policy", "Política"),
        "policies/privacy/2026-03-01.en.md": later.replace("today", "this week"),
        "policies/privacy/2026-03-01.fr.md": draft,
    }
    _code, problems = check(tmp_path, files, today="2025-07-01", site=site)
    found = {
        (Path(p["file"]).name, re.search(r"has no (\S+) text", p["message"])[1]): p  # type: ignore[index]
        for p in of(problems, "translation_outdated")
    }
    assert sorted(found) == [
        ("2025-06-01.en.md", "de"),
        ("2025-06-01.en.md", "fr"),
        ("2026-03-01.en.md", "de"),
        ("2026-03-01.en.md", "es"),
        ("2026-03-01.en.md", "fr"),
    ], sorted(found)
    assert {p["severity"] for p in found.values()} == {"warning"}
    seen = "; readers in {} see the en original, and are told so"
    assert found["2025-06-01.en.md", "de"]["message"] == (
        "version 2025-06-01, in force, has no de text, nor has any earlier version of 'privacy'" + seen.format("de")
    )
    assert found["2025-06-01.en.md", "fr"]["message"] == (
        "version 2025-06-01, in force, has no fr text: the last is of 2024-01-01, and 1 section changed since "
        "(Contact)" + seen.format("fr")
    )
    assert found["2026-03-01.en.md", "es"]["message"].startswith("upcoming version 2026-03-01 has no es text: the last")
    assert found["2026-03-01.en.md", "es"]["message"].endswith(
        "readers in es will see the en original, and are told so"
    )
    hints = {key: p["hint"] for key, p in found.items()}
    assert hints["2025-06-01.en.md", "fr"].startswith("translate 2025-06-01.en.md as 2025-06-01.fr.md (docs/")
    assert hints["2026-03-01.en.md", "fr"].startswith(
        "finish the draft translation 2026-03-01.fr.md and remove its 'draft: true', before it takes effect on "
    )
    assert hints["2026-03-01.en.md", "es"].startswith(
        "translate 2026-03-01.en.md as 2026-03-01.es.md, before it takes effect on 2026-03-01"
    )


def test_translation_outdated_is_a_github_annotation_and_can_fail_ci_or_be_off(tmp_path: Path) -> None:
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST,
        "policies/privacy/2024-01-01.fr.md": FIRST.replace("Privacy Policy", "Politique"),
        "policies/privacy/2025-01-01.en.md": version(FIRST.split("---\n")[2] + "\nMore.\n"),
    }
    write_content(tmp_path / "content", files, site=site)
    result = run_cli("check", "--content", "content", "--today", "2025-06-01", "--format", "github", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    annotation = "::warning file=content/policies/privacy/2025-01-01.en.md,title=Policypress translation_outdated::"
    assert annotation in result.stdout, result.stdout
    for level, code in (("error", 1), ("off", 0)):
        (tmp_path / "content/site.yaml").write_text(site + f"lints:\n  translation_outdated: {level}\n")
        result = run_cli("check", "--content", "content", "--today", "2025-06-01", "--format", "github", cwd=tmp_path)
        assert result.returncode == code, result.stdout
        assert ("title=Policypress translation_outdated" in result.stdout) == (level == "error"), result.stdout
        assert ("::error file=content/policies/privacy/2025-01-01.en.md" in result.stdout) == (level == "error")


@pytest.mark.parametrize("tag", ["fr", "FR"])
def test_translation_outdated_leaves_a_translation_that_did_not_load_to_its_errors(tmp_path: Path, tag: str) -> None:
    """Its file name's tag in any case, as the loader reads it."""
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST,
        f"policies/privacy/2024-01-01.{tag}.md": "---\ntitle: [broken\n---\nTexte.\n",
    }
    code, problems = check(tmp_path, files, today="2025-06-01", site=site)
    assert code == 1 and any(p["file"].endswith(f"2024-01-01.{tag}.md") for p in problems), problems
    assert of(problems, "translation_outdated") == []


def test_translation_outdated_of_a_version_whose_original_text_did_not_change(tmp_path: Path) -> None:
    """A later version that changes only its front matter: no list of no sections; a copy will do."""
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST,
        "policies/privacy/2024-01-01.fr.md": FIRST.replace("Privacy Policy", "Politique"),
        "policies/privacy/2025-01-01.en.md": version(FIRST.split("---\n")[2]),
    }
    _code, problems = check(tmp_path, files, today="2025-06-01", site=site)
    [found] = of(problems, "translation_outdated")
    assert found["message"].startswith(
        "version 2025-01-01, in force, has no fr text: the last is of 2024-01-01, whose original text is the same;"
    ), found["message"]
    assert found["hint"].startswith(
        "translate 2025-01-01.en.md as 2025-01-01.fr.md (a copy of 2024-01-01's text will do)"
    )


def test_an_in_force_hint_does_not_call_a_draft_translation_of_the_next_version_nothing_to_do(tmp_path: Path) -> None:
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]") + "lints:\n  translation_outdated: off\n"
    regularly = "\nPlease check this page regularly.\n"
    fixed = "---\ntitle: Politique\nsummary: Changé.\nmaterial: false\ndraft: true\n---\nNous écrirons.\n"
    files = {
        "policies/privacy/2024-01-01.en.md": FIRST + regularly,
        "policies/privacy/2024-01-01.fr.md": FIRST.replace("Privacy Policy", "Politique") + regularly,
        "policies/privacy/2025-06-01.en.md": version(FIRST.split("---\n")[2] + "We will email you.\n", material=False),
        "policies/privacy/2025-06-01.fr.md": fixed,
    }
    _code, problems = check(tmp_path, files, today="2025-01-01", site=site)
    hints = {Path(p["file"]).name: p["hint"] for p in of(problems, "check_regularly")}
    assert "2025-06-01.en.md), makes this change already: nothing to do" in hints["2024-01-01.en.md"], hints
    assert hints["2024-01-01.fr.md"].endswith(
        "the draft translation of the next version, 2025-06-01.fr.md, makes this change already: readers see it once "
        "that draft is approved, from 2025-06-01"
    ), hints
