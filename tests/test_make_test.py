"""`make test` brings every system tool a test needs, so no test skips silently for want of one.

The translation test extracts strings with xgettext and the greyscale test prints report pages
with pdftoppm; both would skip without their tool. Like chromium for the browser tests, the
Makefile installs them (as root with apt-get) or says exactly what is missing.
"""

import re
from pathlib import Path

from django.conf import settings

MAKEFILE = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")


def _prerequisites(target: str) -> list[str]:
    found = re.search(rf"^{re.escape(target)}:(.*)$", MAKEFILE, re.MULTILINE)
    assert found, f"no target {target}"
    return found.group(1).split()


def _recipe(target: str) -> str:
    found = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", MAKEFILE, re.MULTILINE)
    assert found, f"no recipe for {target}"
    return found.group(1)


def test_make_test_installs_gettext_for_the_translation_test():
    assert "gettext" in _prerequisites("test")
    recipe = _recipe("gettext")
    assert "command -v xgettext" in recipe
    assert "apt-get install -y -qq gettext" in recipe
    assert "sudo apt-get install gettext" in recipe


def test_make_test_installs_poppler_for_the_greyscale_test():
    assert "poppler" in _prerequisites("test")
    recipe = _recipe("poppler")
    assert "command -v pdftoppm" in recipe
    assert "apt-get install -y -qq poppler-utils" in recipe


def test_make_test_still_installs_chromium_for_the_browser_tests():
    assert "chromium" in _prerequisites("test")
