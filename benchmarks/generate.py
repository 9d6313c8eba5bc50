#!/usr/bin/env python3
"""Generate a synthetic Policypress content folder of realistic policies.

Each policy is sized like a real retail privacy policy (20-40 KB of Markdown):
headings with stable ``{#id}`` anchors, region blocks for the EEA, the UK,
California and the PRC, lists, tables, a definition list, a footnote and
internal links.  Every later version makes a few small edits to the one
before and says what changed in its ``summary``.  Translations are
pseudo-localised copies of the English text (accented letters, a little
longer), so they have the same structure and anchors, as real translations do.

The output depends only on the arguments: the same seed gives the same bytes.

    python benchmarks/generate.py --out /tmp/content --policies 10 --locales 4 --versions 12
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from corpus import SENTENCES, WORDS

LOCALES = ("en", "fr", "es", "de", "it", "nl", "pt", "pl", "sv", "da", "fi", "cs")
POLICY_SLUGS = (
    "privacy",
    "cookies",
    "loyalty",
    "marketing",
    "children",
    "recruitment",
    "cctv",
    "health-data",
    "payments",
    "app",
    "marketplace",
    "vendors",
)
REGIONS = (
    ("eea", "European Economic Area", "GDPR"),
    ("uk", "United Kingdom", "UK GDPR"),
    ("california", "California", "CCPA/CPRA"),
    ("prc", "People's Republic of China", "PIPL"),
)
#: Letters each locale's pseudo-translation swaps, so translated files are UTF-8 and a little longer.
ACCENTS = {
    "fr": {"e": "é", "u": "ù"},
    "es": {"n": "ñ", "o": "ó"},
    "de": {"a": "ä", "u": "ü"},
    "it": {"e": "è", "o": "ò"},
    "nl": {"e": "ë", "i": "ï"},
    "pt": {"a": "ã", "o": "õ", "c": "ç"},
    "pl": {"l": "ł", "z": "ż", "e": "ę"},
    "sv": {"a": "å", "o": "ö"},
    "da": {"a": "å", "o": "ø"},
    "fi": {"a": "ä", "o": "ö"},
    "cs": {"c": "č", "r": "ř", "s": "š"},
}
TITLES = {
    "privacy": "Privacy Policy",
    "cookies": "Cookie Policy",
    "loyalty": "Loyalty Programme Privacy Notice",
    "marketing": "Marketing Communications Notice",
    "children": "Children's Privacy Notice",
    "recruitment": "Job Applicant Privacy Notice",
    "cctv": "In-Store CCTV Notice",
    "health-data": "Consumer Health Data Notice",
    "payments": "Payments Privacy Notice",
    "app": "Mobile App Privacy Notice",
    "marketplace": "Marketplace Seller Notice",
    "vendors": "Supplier Privacy Notice",
}

LIST_ITEMS = (
    "**Identity data**: name, username, title and date of birth.",
    "**Contact data**: postal address, email address and telephone numbers.",
    "**Transaction data**: details of payments and of products you bought.",
    "**Technical data**: IP address, browser type and version, time zone and operating system.",
    "**Profile data**: your interests, preferences, feedback and survey responses.",
    "**Usage data**: how you use our website, products and services.",
    "**Marketing data**: your preferences for receiving marketing from us.",
    "**Loyalty data**: points earned and redeemed, tier and rewards.",
    "**Location data**: the store you visit and, if you allow it, your device location.",
    "**Support data**: messages, call recordings and chat transcripts.",
    "**Delivery data**: delivery instructions and proof of delivery photographs.",
    "**Return data**: reasons for returns and the condition of returned items.",
)
SECTIONS = (
    ("about", "About this policy"),
    ("collect", "Information we collect"),
    ("sources", "Where we get information"),
    ("use", "How we use information"),
    ("legal-bases", "Our legal bases"),
    ("sharing", "Who we share information with"),
    ("cookies", "Cookies and similar technologies"),
    ("marketing", "Marketing"),
    ("retention", "How long we keep information"),
    ("security", "How we protect information"),
    ("transfers", "International transfers"),
    ("children", "Children"),
    ("rights", "Your choices and rights"),
    ("changes", "Changes to this policy"),
)
SUBHEADINGS = ("In our stores", "Online", "In our apps", "By phone", "From partners", "Automatically")


@dataclass(frozen=True)
class Block:
    """One Markdown block, kept as data so it can be edited and translated."""

    kind: str  # heading, para, list, table, deflist, footnote
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    level: int = 2
    anchor: str = ""


@dataclass(frozen=True)
class Part:
    """General text (no regions) or one region block."""

    regions: tuple[str, ...]
    blocks: tuple[Block, ...]


@dataclass
class Policy:
    slug: str
    title: str
    parts: list[Part] = field(default_factory=list)


class Chain:
    """A word-level Markov chain over :data:`corpus.SENTENCES`, with random jumps into :data:`corpus.WORDS`."""

    def __init__(self) -> None:
        words = SENTENCES.split()
        self.successors: dict[str, list[str]] = {}
        for word, following in zip(words, words[1:], strict=False):
            self.successors.setdefault(word, []).append(following)
        self.starts = [line.split()[0] for line in SENTENCES.splitlines() if line.strip()]
        self.vocabulary = sorted({w.strip(".,;").lower() for w in words} | set(WORDS))


CHAIN = Chain()
JUMP = 0.4


def sentence(rng: random.Random) -> str:
    """One sentence of 8-28 words, now and then with a bold phrase or an in-page link."""
    word = rng.choice(CHAIN.starts)
    words = [word]
    for _ in range(rng.randint(8, 28)):
        if rng.random() < JUMP:
            word = rng.choice(CHAIN.vocabulary)
        else:
            word = rng.choice(CHAIN.successors.get(word) or CHAIN.starts)
        words.append(word.rstrip("."))
    markup = rng.random()
    if markup < 0.08:
        at = rng.randrange(1, len(words) - 1)
        words[at] = f"**{words[at]}**"
    elif markup < 0.12:
        words.append("([contact us](#contact))")
    text = " ".join(words).rstrip(",;")
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: tuple[int, int] = (3, 6)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def table(rng: random.Random) -> Block:
    header = ("Purpose", "Information used", "Legal basis", "Retention")
    bases = ("Contract", "Legitimate interests", "Consent", "Legal obligation")
    rows = tuple(
        (
            " ".join(rng.sample(CHAIN.vocabulary, 3)).capitalize(),
            rng.choice(LIST_ITEMS).split("**: ")[1].rstrip("."),
            rng.choice(bases),
            f"{rng.randint(1, 10)} years",
        )
        for _ in range(rng.randint(5, 9))
    )
    return Block("table", rows=(header, *rows))


def section_blocks(rng: random.Random, anchor: str, title: str, first_anchor: str) -> list[Block]:
    blocks = [Block("heading", title, level=2, anchor=anchor), Block("para", paragraph(rng))]
    if anchor == "collect":
        blocks.append(Block("list", items=tuple(rng.sample(LIST_ITEMS, rng.randint(6, 10)))))
    if anchor in ("use", "legal-bases", "retention"):
        blocks.append(table(rng))
    if anchor == "about":
        blocks.append(
            Block(
                "deflist",
                items=(
                    "Personal information",
                    "Any information that identifies you or could reasonably be linked to you.",
                    "Processing",
                    "Anything done with personal information, such as collecting, storing or deleting it.",
                ),
            )
        )
        blocks.append(Block("para", "We wrote this policy in plain language.[^1]"))
    for sub in rng.sample(SUBHEADINGS, rng.randint(1, 3)):
        blocks.append(Block("heading", sub, level=3, anchor=f"{anchor}-{sub.lower().replace(' ', '-')}"))
        blocks.append(Block("para", paragraph(rng)))
        if rng.random() < 0.5:
            blocks.append(Block("list", items=tuple(sentence(rng) for _ in range(rng.randint(3, 6)))))
    blocks.append(Block("para", f"See also [{title.lower()}](#{first_anchor}). " + paragraph(rng, (1, 3))))
    return blocks


def region_part(rng: random.Random, regions: tuple[str, ...], policy: str, n: int) -> Part:
    names = {r[0]: (r[1], r[2]) for r in REGIONS}
    name, law = names[regions[0]]
    anchor = f"{regions[0]}-rights-{n}"
    blocks = [
        Block("heading", f"Your rights under the {law} ({name}, part {n})", level=2, anchor=anchor),
        Block("para", paragraph(rng)),
        Block("list", items=tuple(sentence(rng) for _ in range(rng.randint(3, 6)))),
        Block("heading", f"How to exercise your {law} rights", level=3, anchor=f"{anchor}-how"),
        Block("para", paragraph(rng) + " Write to [our privacy team](#contact) or email privacy@example.com."),
    ]
    return Part(regions, tuple(blocks))


def new_policy(rng: random.Random, slug: str, target: int) -> Policy:
    policy = Policy(slug, TITLES.get(slug, f"{slug.replace('-', ' ').title()} Notice"))
    intro = Block(
        "para",
        "This policy explains how Example Retail Ltd. handles personal information. " + paragraph(rng),
    )
    policy.parts.append(Part((), (intro,)))
    region_sets = (("eea", "uk"), ("california",), ("prc",), ("eea",), ("california",), ("uk",))
    count = 0
    sections = list(SECTIONS)
    while True:
        for anchor, title in sections:
            suffix = f"-{count // len(SECTIONS)}" if count >= len(SECTIONS) else ""
            blocks = section_blocks(rng, anchor + suffix, title + (f" ({suffix[1:]})" if suffix else ""), "about")
            policy.parts.append(Part((), tuple(blocks)))
            count += 1
            if count % 3 == 0:
                regions = region_sets[(count // 3) % len(region_sets)]
                policy.parts.append(region_part(rng, regions, slug, count // 3))
            if size(policy, "en") >= target:
                break
        else:
            continue
        break
    policy.parts.append(
        Part(
            (),
            (
                Block("heading", "Contact us", level=2, anchor="contact"),
                Block("para", "Write to privacy@example.com or to Example Retail Ltd., 1 Example Street, Springfield."),
                Block("footnote", "Legal terms are explained in [About this policy](#about).", anchor="1"),
            ),
        )
    )
    return policy


def edit(rng: random.Random, policy: Policy) -> str:
    """Make one small edit to ``policy`` in place; return what changed, for the summary."""
    index = rng.randrange(1, len(policy.parts) - 1)
    part = policy.parts[index]
    paras = [i for i, b in enumerate(part.blocks) if b.kind == "para"]
    heading = next((b.text for b in part.blocks if b.kind == "heading"), "the introduction")
    choice = rng.random()
    blocks = list(part.blocks)
    if choice < 0.5 and paras:
        at = rng.choice(paras)
        sentences = blocks[at].text.split(". ")
        sentences[rng.randrange(len(sentences))] = sentence(rng).rstrip(".")
        blocks[at] = replace(blocks[at], text=". ".join(sentences))
        what = f"Clarified the wording in '{heading}'."
    elif choice < 0.8:
        blocks.insert(len(blocks) - 1, Block("para", paragraph(rng, (2, 4))))
        what = f"Added a paragraph to '{heading}'."
    else:
        lists = [i for i, b in enumerate(blocks) if b.kind in ("list", "table")]
        if not lists:
            blocks.insert(len(blocks) - 1, Block("list", items=tuple(sentence(rng) for _ in range(3))))
            what = f"Added a list to '{heading}'."
        else:
            at = rng.choice(lists)
            block = blocks[at]
            if block.kind == "list":
                blocks[at] = replace(block, items=(*block.items, sentence(rng)))
            else:
                blocks[at] = replace(block, rows=(*block.rows, table(rng).rows[1]))
            what = f"Updated a {block.kind} in '{heading}'."
    policy.parts[index] = replace(part, blocks=tuple(blocks))
    return what


def translate(text: str, locale: str) -> str:
    """Pseudo-translate prose: swap letters for accented ones, leaving Markdown syntax alone."""
    accents = ACCENTS.get(locale)
    if not accents:
        return text
    out, in_link, in_code = [], False, False
    for char in text:
        if char == "(":
            in_link = True
        elif char == ")":
            in_link = False
        elif char == "`":
            in_code = not in_code
        out.append(char if in_link or in_code or char == "@" else accents.get(char, char))
    return "".join(out)


def markdown_block(block: Block, locale: str) -> str:
    t = lambda s: translate(s, locale)  # noqa: E731
    if block.kind == "heading":
        return f"{{#{block.anchor}}}\n{'#' * block.level} {t(block.text)}"
    if block.kind == "para":
        return t(block.text)
    if block.kind == "list":
        return "\n".join(f"- {t(item)}" for item in block.items)
    if block.kind == "table":
        header, *rows = block.rows
        lines = ["| " + " | ".join(t(c) for c in header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(t(c) for c in row) + " |" for row in rows])
    if block.kind == "deflist":
        pairs = zip(block.items[::2], block.items[1::2], strict=True)
        return "\n\n".join(f"{t(term)}\n: {t(definition)}" for term, definition in pairs)
    if block.kind == "footnote":
        return f"[^{block.anchor}]: {t(block.text)}"
    raise ValueError(block.kind)


def body(policy: Policy, locale: str) -> str:
    chunks = []
    for part in policy.parts:
        text = "\n\n".join(markdown_block(b, locale) for b in part.blocks)
        chunks.append(f"::: region {' '.join(part.regions)}\n{text}\n:::" if part.regions else text)
    return "\n\n".join(chunks) + "\n"


def size(policy: Policy, locale: str) -> int:
    return len(body(policy, locale).encode())


def front_matter(title: str, summary: str, material: bool) -> str:
    lines = ["---", f'title: "{title}"']
    if summary:
        lines.append(f'summary: "{summary}"')
    if material:
        lines.append("material: true")
    return "\n".join(lines + ["---", ""])


def site_yaml(locales: tuple[str, ...]) -> str:
    regions = "".join(f'  - {{id: {i}, name: "{n}", law: "{law}"}}\n' for i, n, law in REGIONS)
    return (
        "organisation:\n"
        "  name: Example Retail\n"
        "  legal_name: Example Retail Ltd.\n"
        "  email: privacy@example.com\n"
        "  address: 1 Example Street, Springfield\n"
        "base_url: https://privacy.example.com\n"
        f"default_locale: {locales[0]}\n"
        f"locales: [{', '.join(locales)}]\n"
        f"regions:\n{regions}"
    )


def generate(out: Path, *, policies: int = 10, locales: int = 4, versions: int = 12, seed: int = 9) -> list[Path]:
    """Write a content folder into ``out`` (replacing it); return the version files written."""
    if not 1 <= locales <= len(LOCALES):
        raise ValueError(f"locales must be between 1 and {len(LOCALES)}")
    if out.exists():
        shutil.rmtree(out)
    tags = LOCALES[:locales]
    (out / "policies").mkdir(parents=True)
    (out / "site.yaml").write_text(site_yaml(tags), encoding="utf-8")
    written = []
    for number in range(policies):
        slug = POLICY_SLUGS[number] if number < len(POLICY_SLUGS) else f"policy-{number + 1}"
        rng = random.Random(f"{seed}-{slug}")
        policy = new_policy(rng, slug, rng.randint(19_000, 31_000))
        effective = date(2016, 1, 4) + timedelta(days=7 * number)
        folder = out / "policies" / slug
        folder.mkdir()
        for n in range(versions):
            summary, material = "", False
            if n:
                summary = " ".join(edit(rng, policy) for _ in range(rng.randint(1, 3)))
                material = rng.random() < 0.25
                effective += timedelta(days=rng.randint(90, 200))
            for tag in tags:
                path = folder / f"{effective.isoformat()}.{tag}.md"
                title = translate(policy.title, tag)
                text = front_matter(title, translate(summary, tag), material) + body(policy, tag)
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the content folder to write (replaced)")
    parser.add_argument("--policies", type=int, default=10)
    parser.add_argument("--locales", type=int, default=4)
    parser.add_argument("--versions", type=int, default=12)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    files = generate(args.out, policies=args.policies, locales=args.locales, versions=args.versions, seed=args.seed)
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} version files ({total / 1e6:.1f} MB of Markdown) into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
