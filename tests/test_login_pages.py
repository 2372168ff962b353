"""The app with a login (an OpenID Connect provider in the secrets): nothing before login, and each role sees and
does what its right allows, on the pages as in the store."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from store import Actor, Repository, connect, scenario_document
from tests.conftest import ROOT
from ui.page import PAGES
from view.controls import scenario_of

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "roi",
        "client_secret": "s", "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"}
TIMEOUT = 120


def _as(user: dict | None, page: str = "app.py", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = user if user is not None else {}
    for k, v in params.items():
        at.query_params[k] = v
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def _login(name: str, verified: bool | None = True) -> dict:
    user = {"is_logged_in": True, "email": f"{name.lower()}@example.com", "name": name}
    return user if verified is None else {**user, "email_verified": verified}


def _texts(at: AppTest) -> str:
    parts = [e.value for g in (at.markdown, at.caption, at.info, at.success, at.warning, at.error, at.title)
             for e in g]
    return " ".join(parts).replace("\\", "")


@pytest.fixture()
def anns_workspace():
    repo = Repository(connect(os.environ["ROI_STORE_URL"]), Actor.of("ann@example.com", "Ann"))
    ws = repo.default_workspace()
    saved = repo.save_scenario(ws.id, scenario_document(scenario_of({"centre_on": True}), name="Ann's Dublin plan",
                                                        controls={"centre_on": True}))
    return repo, ws, saved


@pytest.mark.parametrize("target", [p for p, _, _ in PAGES])
def test_nothing_shows_before_login(anns_workspace, target):
    _, _, saved = anns_workspace
    at = _as(None, target, scenario=saved.id)
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    assert [t.value for t in at.title] == ["Support ROI simulator"]
    assert not at.metric and not at.dataframe and not at.slider and not at.sidebar.caption
    assert "Ann" not in _texts(at) and "Dublin" not in _texts(at)


def test_an_owner_shares_her_workspace_and_a_viewer_reads_it_but_cannot_save(anns_workspace):
    _, ws, saved = anns_workspace
    ann = _as(_login("Ann"), "pages/8_Library.py")
    assert not ann.exception
    assert "Logged in as Ann (ann@example.com)" in " ".join(c.value for c in ann.sidebar.caption).replace("\\", "")
    people = next(d.value for d in ann.dataframe if "E-mail" in d.value.columns)
    assert people[["E-mail", "Role"]].values.tolist() == [["ann@example.com", "owner"]]
    ann.text_input(key="library_share_email").set_value("Bob@Example.com")
    ann.selectbox(key="library_share_role").set_value("viewer")
    next(b for b in ann.button if b.label == "Share").click().run()
    assert "bob@example.com is now a viewer of this workspace" in _texts(ann)

    bob = _as(_login("Bob"), "pages/8_Library.py", ws=ws.id)
    assert not bob.exception
    assert "Ann's Dublin plan" in next(d.value for d in bob.dataframe if "Name" in d.value.columns)["Name"].tolist()
    assert "you are a viewer" in " ".join(e.label for e in bob.expander)
    assert not [b for b in bob.button if b.label == "Share"]          # only an owner shares
    assert "importing needs an editor's right" in _texts(bob) and not bob.get("file_uploader")
    bob = _as(_login("Bob"), "pages/1_Scenario.py", ws=ws.id, centre_on="true", hire_agents="3")
    [name_box] = [t for t in bob.text_input if t.label == "Name"]
    name_box.set_value("Bob's try")
    [author] = [t for t in bob.text_input if t.label == "Your name"]
    assert author.value == "Bob" and author.disabled
    next(b for b in bob.button if b.label == "Save as a new scenario").click().run()
    assert "You are a viewer of this workspace, and this needs an editor's right" in _texts(bob)
    assert [s.name for s in Repository(connect(os.environ["ROI_STORE_URL"])).scenarios(ws.id)] == ["Ann's Dublin plan"]


def test_an_editor_saves_in_her_own_name(anns_workspace):
    repo, ws, _ = anns_workspace
    repo.set_member(ws.id, "cleo@example.com", "editor")
    cleo = _as(_login("Cleo"), "pages/1_Scenario.py", ws=ws.id, centre_on="true", hire_agents="3")
    [name_box] = [t for t in cleo.text_input if t.label == "Name"]
    name_box.set_value("Cleo's three hires")
    next(b for b in cleo.button if b.label == "Save as a new scenario").click().run()
    assert not cleo.exception
    saved = {s.name: s for s in repo.scenarios(ws.id)}
    assert saved["Cleo's three hires"].author == "Cleo"


def test_someone_without_a_role_cannot_reach_a_workspace_by_its_link(anns_workspace):
    _, ws, saved = anns_workspace
    eve = _as(_login("Eve"), "pages/8_Library.py", ws=ws.id, scenario=saved.id)
    assert not eve.exception
    names = next((d.value["Name"].tolist() for d in eve.dataframe if "Name" in d.value.columns), [])
    assert "Ann's Dublin plan" not in names and "Ann's Dublin plan" not in _texts(eve)
    assert "Eve's workspace" in " ".join(c.value for c in eve.sidebar.caption).replace("\\", "")


def test_an_unverified_email_is_not_taken_for_a_member(anns_workspace):
    """A provider that lets a user type any address (another tenant's 'ann@example.com') gets no access by it."""
    _, _, saved = anns_workspace
    for user in (_login("Ann", verified=False), _login("Ann", verified=None)):
        at = _as(user, "pages/8_Library.py", scenario=saved.id)
        assert not at.exception
        assert "not verified by its provider" in _texts(at) and [b.label for b in at.button] == ["Log out"]
        assert "Dublin" not in _texts(at) and not at.dataframe


def test_without_a_login_the_library_says_it_is_a_single_user_tool():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/8_Library.py").run()
    assert not at.exception
    assert "No login is configured, so this is a single-user tool" in _texts(at)
    assert not [b for b in at.button if b.label == "Log in"]


@pytest.mark.parametrize("host, remote", [("127.0.0.1:8501", False), ("localhost:8501", False), ("[::1]:8501", False),
                                          ("", False), ("192.168.1.5:8501", True), ("roi.example.com", True),
                                          ("[bad", True)])
def test_a_page_reached_by_another_computers_name_counts_as_open_to_others(host, remote):
    from ui.auth import remote_host
    assert remote_host(host) is remote


def _settings_script() -> None:
    import streamlit as st

    from ui import deployment

    deployment.new_run()
    urls = [deployment.section("store").get("url") for _ in range(3)]
    st.write(f"{urls[0]} {len(set(urls))} {dict(deployment.section('nothing'))}")


def test_deployment_settings_are_read_once_a_run_and_again_the_next(monkeypatch):
    from streamlit.runtime.secrets import Secrets

    asked: list[str] = []
    get = Secrets.get
    monkeypatch.setattr(Secrets, "get", lambda self, key, default=None: asked.append(key) or get(self, key, default))
    at = AppTest.from_function(_settings_script, default_timeout=TIMEOUT)
    at.secrets["store"] = {"url": "sqlite:///one.sqlite3"}
    at.run()
    assert at.markdown[0].value == "sqlite:///one.sqlite3 1 {}"
    assert asked == ["store", "nothing"]                    # three asks for [store], one read
    at.secrets["store"] = {"url": "sqlite:///two.sqlite3"}  # the next run reads a changed file again
    at.run()
    assert at.markdown[0].value == "sqlite:///two.sqlite3 1 {}"
    assert asked == ["store", "nothing"] * 2
