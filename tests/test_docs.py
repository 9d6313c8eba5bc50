"""The editor's documentation stays true to the code: every lint documented with its
default, the deployment headers equal to the ones the app sends, and the sample CI
workflow running check and build."""

from __future__ import annotations

import dataclasses
import re

import yaml
from conftest import PROJECT

DOCS = PROJECT / "docs"


def test_every_lint_is_documented_with_its_default_level() -> None:
    from policypress.config import _Lints
    from policypress.lints import LINTS
    from policypress.siteconfig import Lints

    assert list(LINTS) == [f.name for f in dataclasses.fields(Lints)] == list(_Lints.model_fields)
    text = (DOCS / "lints.md").read_text()
    for name in LINTS:
        assert f"\n## `{name}`\n" in text, name
        default = getattr(Lints(), name)
        assert re.search(rf"^\| \[`{name}`\]\(#{name}\) \| {default} \|", text, re.MULTILINE), name


def test_deployment_guide_gives_the_headers_the_app_sends() -> None:
    from policypress.headers import ASSET_CACHE, HTML_CACHE, security_headers

    text = (DOCS / "deploying.md").read_text()
    for name, value in security_headers().items():
        assert f"| `{name}` | `{value}` |" in text, name
    assert HTML_CACHE in text and ASSET_CACHE in text
    for host in ("## GitHub Pages", "## Netlify", "## Cloudflare Pages", "## Amazon S3 with CloudFront"):
        assert host in text


def test_sample_workflow_checks_builds_and_rebuilds_daily() -> None:
    workflow = yaml.safe_load((DOCS / "examples" / "policypress.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert re.fullmatch(r"\d+ \d+ \* \* \*", triggers["schedule"][0]["cron"])
    assert "pull_request" in triggers and "push" in triggers
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert runs.index("python build.py check --format github") < runs.index("python build.py build --out build")
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_guides_only_mention_commands_that_exist() -> None:
    from policypress.cli import COMMANDS

    for name in ("editing.md", "deploying.md", "lints.md"):
        used = set(re.findall(r"build\.py ([a-z-]+)", (DOCS / name).read_text()))
        assert used and used <= set(COMMANDS), (name, used - set(COMMANDS))
