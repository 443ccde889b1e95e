"""API test helpers: `api(user)` is a client that calls /api/v1/ with that user's bearer token."""

import datetime
import io

import pytest

from jiaogong.accounts.services import create_api_token
from jiaogong.factories import ROSTER_HEADERS as HEADER
from jiaogong.factories import roster_xlsx

BASE = "/api/v1"


class ApiClient:
    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method, path, data=None, **kwargs):
        headers = self.headers | kwargs.pop("headers", {})
        if data is not None and "content_type" not in kwargs and method != "get":
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(BASE + path, data, headers=headers, **kwargs)

    def get(self, path, data=None, **kwargs):
        return self._call("get", path, data, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self._call("post", path, data, **kwargs)

    def patch(self, path, data=None, **kwargs):
        return self._call("patch", path, data, **kwargs)

    def put(self, path, data=None, **kwargs):
        return self._call("put", path, data, **kwargs)

    def delete(self, path, data=None, **kwargs):
        return self._call("delete", path, data, **kwargs)


@pytest.fixture
def api(client):
    """api(user) calls the API as that user (a fresh token); api() calls it with no credentials."""

    def _as(user=None, *, token: str | None = None):
        if user is not None:
            token = create_api_token(user)
        return ApiClient(client, token)

    return _as


def xlsx(rows: list[list], header: list[str] = HEADER) -> io.BytesIO:
    """A small roster workbook with the template's header row."""
    out = io.BytesIO(roster_xlsx(rows, header))
    out.name = "roster.xlsx"
    return out


def new_member_body(**overrides) -> dict:
    from jiaogong.factories import make_id_number

    birth = datetime.date(1990, 3, 15)
    body = {
        "name": "李老师",
        "gender": "F",
        "birth_date": birth.isoformat(),
        "hire_date": "2012-09-01",
        "id_number": make_id_number(birth, "F", seq=7),
        "phone": "13912345678",
        "is_teacher": True,
    }
    return body | overrides
