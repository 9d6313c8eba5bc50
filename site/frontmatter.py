"""The front matter of a Markdown file: how it is split off and what it may hold."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Split:
    """The YAML between the opening and closing ``---`` lines."""

    yaml: str
    body_line: int  # 1-based line on which the Markdown body starts


def split_front_matter(text: str) -> Split | None:
    """Return the front matter block, or None when the file does not start with one."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return Split("\n".join(lines[1:index]), index + 2)
    return None


class PageFrontMatter(BaseModel):
    """What an unversioned page's front matter may say."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    title: str = Field(min_length=1)


class FrontMatter(PageFrontMatter):
    """What a policy version's front matter may say."""

    summary: str = ""
    material: bool | None = None
    draft: bool = False
