"""Stage 1c: the files of ``content/public/``, read and checked: each is published as it is, at its path there.

A name must be its URL as written, and may not take the place of a file or
folder the site writes itself (:data:`~policypress.model.SITE_FILES`, the
asset, API and locale folders), at any depth: ``public/404.html/x`` would make
a folder of the site's 404 page.  Hidden files (``.DS_Store``, ``.gitkeep``)
are left out, except the ``.well-known`` folder, which is why there is one.
A symbolic link is followed only to a file inside the content folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problems
from .model import SITE_FILES, SITE_FOLDERS, PublicFile
from .siteconfig import SiteConfig
from .sources import Reader, is_leftover
from .yamlsource import report_unreadable

#: A part of a public file's path: it is served as it is written, so it must not need escaping in a URL.
PUBLIC_NAME = re.compile(r"^(?!\.{1,2}$)[A-Za-z0-9._~-]+$")
WELL_KNOWN = ".well-known"


def read_public_files(folder: Path, config: SiteConfig, problems: Problems, reader: Reader) -> tuple[PublicFile, ...]:
    """The files under ``folder``, in name order; each problem is reported and its file left out."""
    if not folder.is_dir():
        return ()
    taken = SITE_FOLDERS | {locale.slug for locale in config.locales}
    content = folder.parent.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        hidden = any(part.startswith(".") for part in parts if part != WELL_KNOWN)
        if hidden or is_leftover(path.name) or path.is_dir():
            continue
        name = "/".join(parts)
        site_file = next((f for f in ("/".join(parts[: n + 1]) for n in range(len(parts))) if f in SITE_FILES), None)
        if not all(PUBLIC_NAME.match(part) for part in parts):
            problems.add(
                path,
                None,
                f"the public file {name!r} would need escaping in its URL",
                "name its files and folders with letters, digits, '.', '-', '_' or '~' only",
            )
        elif site_file is not None or parts[0] in taken:
            problems.add(
                path,
                None,
                f"the site writes {site_file or parts[0] + '/'} itself",
                "a public file goes beside the site's own files: move it elsewhere in public/, or remove it",
            )
        elif not (target := path.resolve()).is_relative_to(content):
            # A link out of the content folder (or a public/ that is one): a pull request could otherwise
            # publish any file of the computer that builds the site, /proc/self/environ or a key.
            problems.add(
                path,
                None,
                f"the public file {name!r} leads to {target}, outside the content folder",
                "a build publishes only files of the content folder: copy the file into public/ instead of linking it",
            )
        elif target != path.absolute() and _hidden(target.relative_to(content)):  # a link, to a hidden file
            # Inside the content folder, but hidden: where the content folder is the repository, .git/config
            # holds a CI checkout's token.
            problems.add(
                path,
                None,
                f"the public file {name!r} leads to {target}, a hidden file or folder",
                "a build publishes no hidden file (.git, .env, ...): copy the file into public/ instead of linking it",
            )
        else:
            try:
                data, _sha256 = reader.read(path)
            except OSError as error:
                report_unreadable(problems, path, error)
                continue
            found.append(PublicFile(name, data))
    return tuple(found)


def _hidden(relative: Path) -> bool:
    """Whether a path within the content folder passes through a hidden name (``.git``), ``.well-known`` aside."""
    return any(part.startswith(".") and part != WELL_KNOWN for part in relative.parts)
