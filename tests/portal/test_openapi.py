"""schemathesis against the portal's OpenAPI description: no request it makes gives a 5xx.

Bounded (a few examples per operation) to keep the suite quick; the group report build is
left out (it takes minutes and is covered end to end).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from envreport.portal import PortalSettings, create_app
from tests.portal.conftest import copy_of_seed
from tests.portal.support import PASSWORDS, Seeded

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api(seeded_once: tuple[object, Seeded],
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("openapi")
    seeded = copy_of_seed(seeded_once, folder)  # type: ignore[arg-type]
    app = create_app(PortalSettings(db_url=seeded.url, reports_dir=folder / "reports",
                                    secret="o" * 48, workers=1))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        tokens = {name: client.post("/api/v1/token", json={
            "username": name, "password": PASSWORDS[name]}).json()["token"]
                  for name in ("sub", "adm")}
        schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
        yield schema.exclude(path_regex="^/api/v1/reports/", method="POST"), tokens


def test_no_server_error(api: tuple[object, dict[str, str]]) -> None:
    schema, tokens = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    checked = []
    for operation in operations:

        @settings(max_examples=6, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def no_5xx(case: object) -> None:
            for name in ("sub", "adm"):
                # a generous read timeout: the point is no 5xx, and under load (CI beside
                # other jobs) making an annotated copy once took longer than the default 10 s
                response = case.call(headers={"authorization": f"Bearer {tokens[name]}"},
                                     timeout=120)
                assert response.status_code < 500, (
                    case.method, case.formatted_path, response.status_code, response.text[:300])

        no_5xx()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert "POST /api/v1/submissions" in checked
