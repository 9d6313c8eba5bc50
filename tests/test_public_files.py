"""Files of content/public/ (security.txt, a host's verification file) are published as they are: by the
build, byte for byte, and by the live app, with the type a static host gives them."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE, MINIMAL_SITE, TODAY, run_cli, tree_digest, write_content

SECURITY = "public/.well-known/security.txt"


def test_the_example_publishes_its_security_txt(frozen_example: Path) -> None:
    from policypress import create_app

    source = (EXAMPLE / SECURITY).read_bytes()
    assert (frozen_example / ".well-known/security.txt").read_bytes() == source
    response = create_app({"CONTENT_DIR": EXAMPLE, "TODAY": TODAY}).test_client().get("/.well-known/security.txt")
    assert response.status_code == 200 and response.data == source
    assert response.mimetype == "text/plain" and "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_public_files_follow_their_source_from_build_to_build(tmp_path: Path) -> None:
    from policypress import create_app

    content = write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy Policy\n---\nText.\n",
            "public/CNAME": "privacy.example.com\n",
            "public/google0123.html": "google-site-verification: google0123.html\n",
            "public/keys/pgp.asc": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n",
            "public/.DS_Store": b"\x00\x00\x00\x01Bud1",  # an editor's system's, not the site's
            "public/keys/.gitkeep": "",
            "public/CNAME~": "old.example.com\n",  # an editor's backup
            "public/keys/index.html": "<!DOCTYPE html><title>Keys</title>\n",  # not a folder's page: served as is
        },
        site=MINIMAL_SITE,
    )

    def build() -> dict[str, bytes]:
        result = run_cli("build", "--content", content, "--out", tmp_path / "out", "--today", TODAY, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return tree_digest(tmp_path / "out")

    files = build()
    assert files["CNAME"] == b"privacy.example.com\n" and "keys/pgp.asc" in files
    live = create_app({"CONTENT_DIR": content, "TODAY": TODAY}).test_client()
    assert live.get("/keys/index.html").data == files["keys/index.html"]
    assert live.get("/keys/").data == files["keys/index.html"]  # a static host serves a folder's index.html
    assert live.get("/en/privacy/index.html").data == files["en/privacy/index.html"]
    assert ".DS_Store" not in files and "keys/.gitkeep" not in files and "CNAME~" not in files
    headers = files["_headers"].decode()
    assert "\n/CNAME\n" in headers and "\n/keys/*\n" in headers  # each gets the pages' short cache lifetime
    (content / "public/CNAME").write_text("policies.example.com\n")
    (content / "public/keys/pgp.asc").unlink()
    (content / "public/keys/index.html").unlink()
    files = build()
    assert files["CNAME"] == b"policies.example.com\n"
    assert not [name for name in files if name.startswith("keys/")] and "\n/keys/*\n" not in files["_headers"].decode()


def test_the_names_a_public_file_may_not_take_are_all_the_site_writes(frozen_example: Path) -> None:
    """The loader refuses public files by a list of the site's own names: every top-level file and folder of
    a build must be on it (or be a locale's folder, or hold public files), so a feature that adds one cannot
    leave it open to a public file of the same name."""
    from policypress.model import SITE_FILES, SITE_FOLDERS

    slugs = {"en", "fr", "es", "zh-hans"}
    for name in tree_digest(frozen_example):
        first = name.split("/", 1)[0]
        if (EXAMPLE / "public" / name).is_file():
            continue
        assert name in SITE_FILES or first in SITE_FOLDERS | slugs, name


def test_a_public_file_may_link_within_the_content_folder_but_not_out_of_it(tmp_path: Path) -> None:
    """A link out of the content folder would publish a file of the computer that builds the site (a pull
    request could add ``public/env.txt -> /proc/self/environ``): it is an error, and nothing is written."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=s3cr3t\n")
    content = write_content(
        tmp_path / "content",
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy Policy\n---\nText.\n", "keys/pgp.asc": "KEY\n"},
        site=MINIMAL_SITE,
    )
    (content / "public").mkdir()
    (content / "public/pgp.asc").symlink_to("../keys/pgp.asc")
    (content / "public/env.txt").symlink_to(secret)
    out = tmp_path / "out"
    result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat())
    assert result.returncode == 1 and not out.exists(), result.stderr
    assert (
        f"error: {content}/public/env.txt: the public file 'env.txt' leads to {secret}, outside the content folder\n"
        "    hint: a build publishes only files of the content folder: copy the file into public/ instead of linking it"
    ) in result.stderr
    assert "pgp.asc" not in result.stderr and "Traceback" not in result.stderr

    (content / "public/env.txt").unlink()
    result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert (out / "pgp.asc").read_text() == "KEY\n" and not (out / "env.txt").exists()

    # A public/ folder that is itself a link out of the content folder publishes nothing either.
    (content / "public/pgp.asc").unlink()
    (content / "public").rmdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/CNAME").write_text("example.com\n")
    (content / "public").symlink_to(tmp_path / "elsewhere")
    result = run_cli("check", "--content", content, "--today", TODAY.isoformat())
    assert result.returncode == 1 and "the public file 'CNAME' leads to" in result.stderr, result.stderr


def test_a_public_file_may_not_link_to_a_hidden_file_of_the_content_folder(tmp_path: Path) -> None:
    """Where the content folder is the repository, ``.git/config`` holds a CI checkout's token: a link to a hidden
    file or folder is refused like a link out of the content folder."""
    content = write_content(
        tmp_path / "content", {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy Policy\n---\nText.\n"}
    )
    (content / ".git").mkdir()
    (content / ".git/config").write_text("extraheader = AUTHORIZATION: basic s3cr3t\n")
    (content / "public").mkdir()
    (content / "public/config.txt").symlink_to("../.git/config")
    result = run_cli("check", "--content", content, "--today", TODAY.isoformat())
    assert result.returncode == 1, result.stderr
    assert f"the public file 'config.txt' leads to {content}/.git/config, a hidden file or folder" in result.stderr
    assert "Traceback" not in result.stderr
