"""What the front matter of a Markdown file may hold (how it is split off: :mod:`~policypress.yamlsource`).

Importing this module imports pydantic: :mod:`~policypress.sources` does so
only for front matter it has not validated before.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PageFrontMatter(BaseModel):
    """What an unversioned page's front matter may say."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    title: str = Field(min_length=1)


class FrontMatter(PageFrontMatter):
    """What a policy version's front matter may say."""

    summary: str = ""
    material: bool | None = None
    draft: bool = False
