"""Stage 1a: one content file, validated: a Markdown file into a Document, site.yaml into a SiteConfig.

Validating means parsing YAML and running pydantic's schemas, which together
cost more than the rest of loading (importing pydantic alone takes a tenth of
a second).  So with a cache folder, the validated result is remembered in a
:class:`~policypress.memo.Memo` by the SHA-256 of what it was made from: the
bytes of ``site.yaml``, the front matter of a Markdown file.  An unchanged
file, or one edited below its front matter, skips both, and a build where no
front matter changed never imports pydantic or PyYAML.  A file with an error
is never remembered, so it is checked again, and its errors reported again in
the same words, every build.  Checks across files (duplicate versions, missing
summaries, ...) are the loader's and run every time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .errors import Finding, Problems, Severity
from .inputs import Snapshot
from .memo import Memo, fingerprint
from .model import Document
from .siteconfig import SiteConfig
from .yamlsource import decode, decode_text, parse_yaml, report_unreadable, report_validation, split_front_matter

#: The modules whose code decides what a file loads as (or how the memo stores it).
LOADER_MODULES = (
    "sources.py",
    "config.py",
    "frontmatter.py",
    "yamlsource.py",
    "model.py",
    "siteconfig.py",
    "errors.py",
    "memo.py",
)
#: The libraries that do: the YAML parser, the schemas, and Babel's locale names and directions.
LOADER_LIBRARIES = ("pyyaml", "pydantic", "pydantic-core", "babel")

#: What the memo keeps for a Markdown file: title, summary, material, draft.
Fields = tuple[str, str, bool | None, bool]


def load_memo(cache_dir: Path | None) -> Memo | None:
    """The memo of validated files in ``cache_dir`` (None: no cache, validate everything)."""
    return Memo(cache_dir, "load", fingerprint(LOADER_MODULES, LOADER_LIBRARIES)) if cache_dir else None


class Reader:
    """Where the loader gets a file's bytes and hash (what the build read already, or the disk), and its memo."""

    def __init__(self, memo: Memo | None, inputs: Snapshot | None = None) -> None:
        self.memo = memo
        self._inputs = inputs
        #: The files whose front matter has errors, with their text: checked for its own problems all the same.
        self.unloaded: list[Document] = []

    def read(self, path: Path) -> tuple[bytes, str]:
        """The bytes of ``path`` and their SHA-256 (hex); raises OSError when it cannot be read."""
        found = self._inputs.source(path) if self._inputs is not None else None
        if found is not None:
            return found
        data = path.read_bytes()
        return data, hashlib.sha256(data).hexdigest()

    def save(self) -> None:
        if self.memo is not None:
            self.memo.save()


def read_config(path: Path, problems: Problems, reader: Reader) -> SiteConfig | None:
    """Read ``site.yaml``; return None (with problems recorded) when it is missing.  With errors, what could be
    read of it (see :func:`~policypress.config.load_config`'s ``partial``), so that the content is checked too."""
    key = ""
    memo = reader.memo
    if memo is not None and path.is_file():
        try:
            key = "site.yaml:" + reader.read(path)[1]
        except OSError:
            key = ""  # load_config reports it
        cached = memo.get(key)
        if cached is not None:
            config, findings = cached
            for finding in findings:  # its warnings (such as untranslated region names) are reported every build
                finding.report(problems, path)
            return config
    from .config import load_config  # imports pydantic: only for a site.yaml not seen before

    before = len(problems.items)
    config = load_config(path, problems, partial=True)
    found = problems.items[before:]
    if key and config is not None and all(problem.severity is not Severity.ERROR for problem in found):
        assert memo is not None
        memo.put(key, (config, tuple(Finding.of(problem) for problem in found)))
    return config


def read_document(
    path: Path, locale: str, problems: Problems, reader: Reader, *, page: bool = False
) -> Document | None:
    """Read one Markdown file: its front matter, validated, and its text."""
    memo = reader.memo
    try:
        data, sha256 = reader.read(path)
    except OSError as error:
        report_unreadable(problems, path, error)
        return None
    kind = "page" if page else "version"
    # A file loaded whole before (valid UTF-8, front matter valid): not even decoded until its text is read.
    whole = memo.get(f"{kind}-file:{sha256}") if memo is not None else None
    if whole is not None:
        front_key, fields = whole
        memo.get(front_key)  # keeps the front matter's entry, for when the text below it is edited
        return StoredDocument.of(data, path, locale, fields, sha256)
    text = decode_text(data, path, problems)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        if text.split("\n", 1)[0].rstrip() == "---":
            problems.add(
                path,
                1,
                "the front matter is never closed",
                "add a '---' line after its last key (title, summary...), before the text",
            )
        else:
            problems.add(
                path,
                1,
                "the file is empty" if not text.strip() else "the file has no front matter",
                "start it with a '---' line, then 'title: ...', then another '---' line",
            )
        return None
    # Keyed by the front matter alone: an edit of the text below it needs no validation.
    key = f"{kind}:{hashlib.sha256(split.yaml.encode()).hexdigest()}"
    fields: Fields | None = memo.get(key) if memo is not None else None
    if fields is None:
        fields = _validate(split.yaml, path, problems, page=page)
        if fields is None:
            _keep_text(path, locale, text, sha256, split.body_line, reader, problems, page=page)
            return None
        if memo is not None:
            memo.put(key, fields)  # _validate returns fields only for front matter without problems
    title, summary, material, draft = fields
    if not page and not draft and _no_text(text, split.body_line):  # a draft may wait
        # Its translations would otherwise take the blame: each heading of theirs "exists only in this translation".
        _report_no_text(path, split.body_line, problems)
        return None
    if memo is not None:
        memo.put(f"{kind}-file:{sha256}", (key, fields))
    return Document(path, locale, title, text, sha256, summary, material, draft)


def _no_text(text: str, body_line: int) -> bool:
    return not text.split("\n", body_line - 1)[-1].strip()


def _report_no_text(path: Path, body_line: int, problems: Problems) -> None:
    problems.add(path, body_line, "the version has no text below its front matter", "write the policy's text")


def _keep_text(
    path: Path, locale: str, text: str, sha256: str, body_line: int, reader: Reader, problems: Problems, *, page: bool
) -> None:
    """Keep the text of a file whose front matter has errors, for ``check`` to report the text's own problems
    too (they do not depend on the front matter): a document with no title, which nothing publishes."""
    draft = not page and says_draft(text)
    if _no_text(text, body_line):
        if not page and not draft:
            _report_no_text(path, body_line, problems)
        return
    reader.unloaded.append(Document(path, locale, "", text, sha256, draft=draft))


class _DecodedOnce:
    """The ``source`` of a :class:`StoredDocument`: decoded on first read, then an ordinary attribute."""

    def __get__(self, document: StoredDocument | None, owner: type | None = None) -> Any:
        if document is None:
            return self
        data = document.__dict__.get("_data")
        if data is None:  # another thread has just decoded it
            return document.__dict__["source"]
        document.__dict__["source"] = decode(data)
        document.__dict__.pop("_data", None)
        return document.__dict__["source"]


class StoredDocument(Document):
    """A document whose file an earlier build loaded whole: its text is decoded only if something reads it.

    A rebuild after one edit reads the text of a few documents out of hundreds
    (the rest come rendered from the render cache), and decoding them all took
    longer than the rest of loading.
    """

    source = _DecodedOnce()  # type: ignore[assignment]

    @classmethod
    def of(cls, data: bytes, path: Path, locale: str, fields: Fields, sha256: str) -> StoredDocument:
        document = object.__new__(cls)
        title, summary, material, draft = fields
        values = {"path": path, "locale": locale, "title": title, "sha256": sha256, "summary": summary}
        document.__dict__.update(values, material=material, draft=draft, _data=data)
        return document


def _validate(front_matter: str, path: Path, problems: Problems, *, page: bool) -> Fields | None:
    """Parse and check ``front_matter``; None (with problems recorded) when it is unusable."""
    # The schemas import pydantic: only for front matter not seen before.
    from pydantic import ValidationError

    from .frontmatter import FrontMatter, PageFrontMatter

    data, lines = parse_yaml(front_matter, path, problems, first_line=2)
    if problems.errors and data is None:
        return None
    if not isinstance(data, dict):
        problems.add(path, 2, "front matter must be 'key: value' lines", "for example: title: Privacy Policy")
        return None
    schema = PageFrontMatter if page else FrontMatter
    try:
        meta = schema.model_validate(data)
    except ValidationError as error:
        report_validation(error, path, lines, problems, data, front_matter, first_line=2)
        return None
    return (
        meta.title,
        getattr(meta, "summary", "") or "",
        getattr(meta, "material", None),
        getattr(meta, "draft", False),
    )


def front_matter_line(document: Document, key: str) -> int | None:
    """The line of ``key:`` in ``document``'s front matter, or None when it does not say."""
    for number, text in enumerate(document.source.split("\n"), 1):
        if number > 1 and text.rstrip() == "---":
            break
        if text.startswith(f"{key}:"):
            return number
    return None


#: What editors' tools leave beside a file they edit (backups, swap files, merge leftovers): not content.
EDITOR_LEFTOVERS = ("~", ".bak", ".orig", ".rej", ".swp", ".swo", ".swx", ".tmp")


def is_leftover(name: str) -> bool:
    """Whether a file of this name is one an editor's tool left beside a file (``2024-01-01.en.md~``, ``#…#``)."""
    return name.endswith(EDITOR_LEFTOVERS) or (name.startswith("#") and name.endswith("#"))


def says_draft(text: str) -> bool:
    """True when a version file's front matter says ``draft`` (as the loader reads it: true, yes, on, 1...), even
    when the rest of it would not pass validation: what an editor meant the file to be."""
    import yaml

    split = split_front_matter(text.replace("\r\n", "\n").lstrip("\ufeff"))
    try:
        fields = yaml.safe_load(split.yaml) if split else None
    except yaml.YAMLError:
        return False
    value = fields.get("draft") if isinstance(fields, dict) else None
    return value is True or str(value).strip().lower() in {"1", "on", "t", "true", "y", "yes"}
