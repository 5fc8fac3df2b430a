"""Logging in a team member in the browser tests: one helper for every test that needs it."""

from playwright.sync_api import expect

PASSWORD = "geheim-wachtwoord-1"


def log_in(page, base: str, username: str = "fenna", next_url: str | None = None) -> None:
    """Log `username` in through the login form of the live server at `base`.

    With `next_url` (a path), waits until the login has landed there; without it, until the
    overview of their evaluations ("Mijn evaluaties") shows.
    """
    page.goto(f"{base}/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    if next_url:
        page.wait_for_url(f"**{next_url}")
    else:
        expect(page.locator("h1")).to_have_text("Mijn evaluaties")
