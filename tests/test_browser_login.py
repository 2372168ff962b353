"""In Chromium, with a login configured (a small OpenID Connect provider on this machine): nothing before login,
then each user sees only the workspaces shared with them, with their role."""

from __future__ import annotations

import pytest

from store import Actor, Repository, connect, scenario_document
from tests.oidc_provider import Provider
from tests.test_browser import ARTIFACTS, _free_port, _start, _stop, browser  # noqa: F401  (the browser fixture)
from view.controls import scenario_of

pytestmark = pytest.mark.browser
CLIENT = "zephyr-roi"


def idle(page) -> None:
    page.wait_for_function("document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
                           " === 'notRunning'", timeout=60_000)


@pytest.fixture()
def login_server(tmp_path):
    provider = Provider(CLIENT)
    port = _free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(f'''[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{'ab' * 16}"
client_id = "{CLIENT}"
client_secret = "not-a-secret"
server_metadata_url = "{provider.url}/.well-known/openid-configuration"
''')
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    proc, url = _start(store_url, port, ("--secrets.files", str(secrets_file)))
    yield provider, url, store_url
    _stop(proc)
    provider.close()


def _log_in(browser, url: str, provider: Provider, email: str, name: str, path: str = "/Library"):  # noqa: F811
    provider.user = {"email": email, "name": name, "email_verified": True}
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.goto(f"{url}{path}")
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    idle(page)
    assert page.get_by_test_id("stSidebar").count() == 0 and page.get_by_test_id("stMetric").count() == 0
    page.get_by_role("button", name="Log in").click()
    page.get_by_text(f"Logged in as {name}").wait_for(timeout=60_000)      # back from the provider, on Home
    idle(page)
    page.goto(f"{url}{path}")
    page.get_by_role("heading", name="Library").wait_for(timeout=60_000)
    idle(page)
    return context, page


def _scenario_names(page) -> list[str]:
    """The saved scenarios the Library offers to act on (its table is drawn on a canvas)."""
    if page.get_by_text("No saved scenario in this workspace yet").count():
        return []
    page.get_by_test_id("stMultiSelect").filter(has_text="Scenarios to act on").locator("input").click()
    names = [o.inner_text() for o in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    return names


def test_log_in_share_a_workspace_and_see_it_as_a_viewer(browser, login_server):  # noqa: F811
    provider, url, store_url = login_server
    zofia = Repository(connect(store_url), Actor.of("zofia@zephyr.example", "Zofia Nowak"))
    ws = zofia.default_workspace()
    zofia.save_scenario(ws.id, scenario_document(scenario_of({"hire_agents": 3}), name="Gdańsk hires",
                                                 controls={"hire_agents": 3}))

    context, page = _log_in(browser, url, provider, "zofia@zephyr.example", "Zofia Nowak")
    assert _scenario_names(page) == ["Gdańsk hires"]
    page.get_by_text("People with access").click()
    page.get_by_label("E-mail address they log in with").fill("marek@zephyr.example")
    page.get_by_role("button", name="Share").click()
    page.get_by_text("marek@zephyr.example is now a viewer of this workspace").wait_for(timeout=60_000)
    idle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "login-owner-library.png"), full_page=True)
    context.close()

    context, page = _log_in(browser, url, provider, "marek@zephyr.example", "Marek Wiśniewski",
                            f"/Library?ws={ws.id}")
    page.get_by_text("you are a viewer").wait_for(timeout=60_000)
    assert _scenario_names(page) == ["Gdańsk hires"]
    page.screenshot(path=str(ARTIFACTS / "login-viewer-library.png"), full_page=True)
    context.close()

    context, page = _log_in(browser, url, provider, "ewa@elsewhere.example", "Ewa", f"/Library?ws={ws.id}")
    assert _scenario_names(page) == []                                 # no role: the workspace does not exist
    assert page.get_by_text("Workspace: Ewa's workspace").first.is_visible()
    context.close()
