"""What a loaded site keeps in memory: the texts stay pickled until a page reads them."""

from __future__ import annotations

from conftest import EXAMPLE, TODAY
from policypress import create_app

URL = "/fr/privacy/compare/2024-03-01/2026-09-01/"


def unpickled(renderings) -> int:
    return sum(1 for rendered in renderings if "_loaded" in rendered.__dict__)


def test_texts_stay_pickled_until_a_page_reads_them_and_a_worker_can_forget_them() -> None:
    app = create_app({"CONTENT_DIR": EXAMPLE, "TODAY": TODAY, "JOBS": 2})
    publication = app.extensions["policypress"]
    renderings = [publication.library.rendered(document) for document in publication.library.documents()]
    # The translation structure check reads every text; the loaded site keeps none of them unpickled.
    assert len(renderings) > 20 and unpickled(renderings) == 0
    client = app.test_client()
    response = client.get(URL)
    assert response.status_code == 200
    page = response.get_data()
    assert unpickled(renderings) >= 2 and "differ" in publication.shared
    publication.forget()  # what a freezing worker does before each share
    assert unpickled(renderings) == 0 and "differ" not in publication.shared
    assert client.get(URL).get_data() == page
