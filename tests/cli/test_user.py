"""`hamstride user add / list / delete` on the database the server uses."""

from __future__ import annotations

import json

from hamstride.store import Store
from tests.cli.conftest import EXAMPLES, Invoke, assert_clean_error

PASSWORD = "correct horse battery"


def test_user_add_takes_over_the_local_profiles_and_signs_in(invoke: Invoke, db: str) -> None:
    example = next(p for p in EXAMPLES if p.suffix == ".toml")
    assert invoke("plan", str(example), "--db", db).exit_code == 0
    added = invoke("user", "add", "Sam@Example.org", "--password-stdin", "--role", "admin",
                   "--db", db, input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "Added sam@example.org (admin); it owns the 1 profile(s)" in added.stdout
    second = invoke("user", "add", "kim@example.org", "--password-stdin", "--db", db,
                    input=PASSWORD + "\n")
    assert second.exit_code == 0 and "owns" not in second.stdout

    listed = json.loads(invoke("user", "list", "--format", "json", "--db", db).stdout)
    assert [(u["email"], u["role"], u["profiles"]) for u in listed] == [
        ("kim@example.org", "athlete", 0), ("sam@example.org", "admin", 1)]
    with Store.open(db) as store:
        sam = store.accounts.by_email("sam@example.org")
        assert sam is not None and sam.password_hash is not None
        assert sam.password_hash.startswith("$argon2")  # hashed, never the password
        assert PASSWORD not in sam.password_hash
        assert len(store.scoped(sam.id).list_profiles()) == 1


def test_user_add_refuses_bad_input_with_a_clear_error(invoke: Invoke, db: str) -> None:
    assert_clean_error(invoke("user", "add", "not-an-address", "--password-stdin", "--db", db,
                              input=PASSWORD + "\n"), "email")
    assert_clean_error(invoke("user", "add", "a@example.org", "--password-stdin", "--db", db,
                              input="short\n"), "password", "at least 10")
    assert_clean_error(invoke("user", "add", "a@example.org", "--role", "boss", "--db", db),
                       "role")
    assert_clean_error(invoke("user", "add", "a@example.org", "--password-stdin", "--db", db,
                              input=""), "--password-stdin")
    assert invoke("user", "add", "a@example.org", "--db", db).exit_code == 0
    assert_clean_error(invoke("user", "add", "A@example.org", "--db", db), "exists already")
    assert json.loads(invoke("user", "list", "--format", "json", "--db", db).stdout)[0][
        "email"] == "a@example.org"


def test_user_delete_removes_the_account_and_what_it_owns(invoke: Invoke, db: str) -> None:
    example = next(p for p in EXAMPLES if p.suffix == ".toml")
    assert invoke("plan", str(example), "--db", db).exit_code == 0
    assert invoke("user", "add", "sam@example.org", "--db", db).exit_code == 0
    refused = invoke("user", "delete", "sam@example.org", "--db", db, input="n\n")
    assert refused.exit_code == 1
    assert invoke("user", "delete", "sam@example.org", "--yes", "--db", db).exit_code == 0
    assert json.loads(invoke("user", "list", "--format", "json", "--db", db).stdout) == []
    with Store.open(db) as store:  # a new, empty local owner
        assert store.list_profiles() == []
    assert_clean_error(invoke("user", "delete", "sam@example.org", "--yes", "--db", db),
                       "no account")


def test_user_add_invite_prints_a_link_that_sets_the_password_once(
        invoke: Invoke, db: str) -> None:
    """Sign-up by invitation: the admin adds the account with --invite, the person opens
    the printed link, chooses a password and logs in; the link works once; the server's
    own sign-up form is closed."""
    from fastapi.testclient import TestClient

    from hamstride.web.app import create_app
    from hamstride.web.settings import Settings

    added = invoke("user", "add", "kim@example.org", "--invite", "https://hs.example.org",
                   "--db", db)
    assert added.exit_code == 0, added.output
    link = added.stdout.strip().splitlines()[-1]
    assert link.startswith("https://hs.example.org/reset/r_")
    path = link.removeprefix("https://hs.example.org")
    app = create_app(Settings(db_url=db, accounts=True, signup="invite",
                              allowed_hosts=("testserver",)))
    with TestClient(app) as client:
        assert client.get("/signup").status_code == 403
        assert client.post("/signup", data={"email": "x@example.org",
                                            "password": PASSWORD}).status_code == 403
        chosen = client.post(path, data={"new_password": PASSWORD}, follow_redirects=False)
        assert chosen.status_code == 303, chosen.text
        again = client.post(path, data={"new_password": PASSWORD + "!"},
                            follow_redirects=False)
        assert again.status_code >= 400
        signed = client.post("/login", data={"email": "kim@example.org",
                                              "password": PASSWORD}, follow_redirects=False)
        assert signed.status_code == 303 and "hamstride_session" in signed.headers["set-cookie"]
    assert_clean_error(invoke("user", "add", "lee@example.org", "--invite", "hs.example.org",
                              "--db", db), "--invite")
