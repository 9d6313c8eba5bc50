"""Read and validate ``site.yaml`` into a :class:`~policypress.model.SiteConfig`.

The YAML is parsed into nodes first, so every error can name the line of the
key it is about.  The schema is a set of pydantic models that reject unknown
keys, so a typo such as ``defualt_locale`` is reported, never ignored.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import babel
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import Problems
from .model import FooterLink, Locale, Organisation, Region, SiteConfig

#: Words a region id may never be, because they name other pages of a policy.
RESERVED_SLUGS = frozenset({"changes", "compare", "content", "feed", "versions", "static", "api", "index"})
SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
DATE_LIKE = re.compile(r"^\d")
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Organisation(_Strict):
    name: str = Field(min_length=1)
    legal_name: str = Field(min_length=1)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    address: str = Field(min_length=1)


class _Region(_Strict):
    id: str
    name: str = Field(min_length=1)
    law: str = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not SLUG.match(value) or value in RESERVED_SLUGS:
            raise ValueError(
                f"region id {value!r} must be lowercase letters, digits and hyphens, "
                f"start with a letter, and not be one of {', '.join(sorted(RESERVED_SLUGS))}"
            )
        return value


class _FooterLink(_Strict):
    label: str = Field(min_length=1)
    url: str = Field(min_length=1)


class _Site(_Strict):
    organisation: _Organisation
    base_url: str
    default_locale: str
    locales: list[str] = Field(min_length=1)
    regions: list[_Region] = Field(default_factory=list)
    footer_links: list[_FooterLink] = Field(default_factory=list)

    @field_validator("base_url")
    @classmethod
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError("base_url must be an https origin such as https://privacy.example.com")
        if parts.query or parts.fragment:
            raise ValueError("base_url must not carry a query or fragment")
        return f"https://{parts.netloc}"


def _node_lines(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    """Record the 1-based line of every key and list item under ``node``."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            _node_lines(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, (*path, index), lines)


def _parse(text: str, loader: Any) -> tuple[yaml.Node | None, Any]:
    return yaml.compose(text, Loader=loader), yaml.load(text, Loader=loader)


def parse_yaml(
    text: str, path: Path, problems: Problems, first_line: int = 1
) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse YAML, reporting a syntax error at its line; return data and key lines."""
    try:
        try:
            node, data = _parse(text, FAST_LOADER)
        except yaml.YAMLError:
            # Again with the pure-Python parser: its messages are the ones editors see.
            node, data = _parse(text, yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.add(path, line, f"malformed YAML: {reason}", "check the indentation, colons and quotes on this line")
        return None, {}
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _node_lines(node, (), lines)
    return data, {key: line + first_line - 1 for key, line in lines.items()}


def _line_for(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def report_validation(
    error: ValidationError, path: Path, lines: dict[tuple[Any, ...], int], problems: Problems
) -> None:
    """Turn pydantic's errors into located problems with a hint each."""
    for item in error.errors():
        loc = tuple(item["loc"])
        dotted = ".".join(str(part) for part in loc) or "(top level)"
        kind = item["type"]
        if kind == "extra_forbidden":
            message, hint = f"unknown key '{dotted}'", "remove it or fix its spelling (see docs/content.md)"
        elif kind == "missing":
            message, hint = f"missing required key '{dotted}'", "add it (see docs/content.md)"
        else:
            message, hint = f"invalid '{dotted}': {item['msg'].removeprefix('Value error, ')}", ""
        problems.add(path, _line_for(loc, lines), message, hint)


def make_locale(tag: str) -> Locale:
    """Build a :class:`Locale` from a BCP 47 tag; raise ValueError if Babel does not know it."""
    try:
        known = babel.Locale.parse(tag, sep="-")
    except (ValueError, babel.UnknownLocaleError) as error:
        raise ValueError(f"unknown locale {tag!r}: use a BCP 47 tag such as en, fr or zh-Hans") from error
    direction = "rtl" if known.character_order == "right-to-left" else "ltr"
    return Locale(tag=tag, name=known.get_display_name() or tag, direction=direction)


def load_config(path: Path, problems: Problems) -> SiteConfig | None:
    """Read ``site.yaml``; return None (with problems recorded) when it is unusable."""
    if not path.is_file():
        problems.add(path, None, "site.yaml is missing", "create it: see docs/content.md for the keys it needs")
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    data, lines = parse_yaml(text, path, problems)
    if data is None and not problems.errors:
        problems.add(path, 1, "site.yaml is empty", "see docs/content.md for the keys it needs")
    if not isinstance(data, dict):
        if data is not None:
            problems.add(path, 1, "site.yaml must be a mapping of keys to values", "see docs/content.md")
        return None
    try:
        raw = _Site.model_validate(data)
    except ValidationError as error:
        report_validation(error, path, lines, problems)
        return None
    locales: list[Locale] = []
    for index, tag in enumerate(raw.locales):
        try:
            locales.append(make_locale(tag))
        except ValueError as error:
            problems.add(path, lines.get(("locales", index)), str(error))
    tags = [locale.tag.lower() for locale in locales]
    if len(set(tags)) != len(tags):
        problems.add(path, lines.get(("locales",)), "a locale is listed twice", "list each locale once")
    if raw.default_locale.lower() not in tags:
        problems.add(
            path,
            lines.get(("default_locale",)),
            f"default_locale {raw.default_locale!r} is not in locales",
            f"add it to locales or pick one of: {', '.join(raw.locales)}",
        )
    ids = [region.id for region in raw.regions]
    for index, region_id in enumerate(ids):
        if ids.index(region_id) != index:
            problems.add(path, lines.get(("regions", index)), f"region {region_id!r} is defined twice", "keep one")
    if problems.errors:
        return None
    default = next(locale.tag for locale in locales if locale.tag.lower() == raw.default_locale.lower())
    return SiteConfig(
        organisation=Organisation(**raw.organisation.model_dump()),
        base_url=raw.base_url,
        default_locale=default,
        locales=tuple(locales),
        regions=tuple(Region(**region.model_dump()) for region in raw.regions),
        footer_links=tuple(FooterLink(**link.model_dump()) for link in raw.footer_links),
    )


def read_text(path: Path, problems: Problems) -> str | None:
    """Read a UTF-8 file, reporting the line of the first bad byte otherwise."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            path, line, f"the file is not UTF-8 (byte 0x{data[error.start]:02x})", "save it with UTF-8 encoding"
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")
