"""docs/openapi.json is the app's OpenAPI document, byte for byte, so it cannot drift; every
operation is documented (tags, summary, description, its errors in the one shape)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import API, make_web_app

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.json"
REGENERATE = ('python -c "import json; from hamstride.web.app import create_app; '
              "from hamstride.web.settings import Settings; print(json.dumps(create_app("
              "Settings(db_url='sqlite://')).openapi(), indent=2, sort_keys=True))\" "
              "> docs/openapi.json")


def current() -> dict[str, Any]:
    document: dict[str, Any] = make_web_app("sqlite://").openapi()
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, operation) for path, operations in current()["paths"].items()
            if path.startswith(API) for method, operation in operations.items()]


def test_api_openapi_document_is_committed_and_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(current()), (
        f"docs/openapi.json is out of date; regenerate it: {REGENERATE}")


@pytest.mark.parametrize(("method", "path", "operation"), _operations(),
                         ids=[f"{m.upper()} {p.removeprefix(API)}" for m, p, _ in _operations()])
def test_api_openapi_documents_every_operation(method: str, path: str,
                                               operation: dict[str, Any]) -> None:
    assert operation["tags"] and operation["summary"] and operation.get("description")
    errors = {code: r for code, r in operation["responses"].items() if code[0] in "45"}
    for code, response in errors.items():
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (code, schema)
    if "{name}" in path and not (method == "put" and path.endswith("/profiles/{name}")):
        assert "404" in errors
    if operation.get("parameters") or "requestBody" in operation:
        assert "422" in errors
    if "requestBody" in operation:
        content = operation["requestBody"]["content"]
        if "multipart/form-data" in content:  # file uploads
            assert content["multipart/form-data"]["schema"]
        else:
            assert "415" in errors
            assert content["application/json"]["schema"]


def test_api_openapi_has_no_fastapi_validation_error_shape() -> None:
    schemas = current()["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["ErrorDetail"]["properties"]) == {"type", "message", "field", "problems"}
