"""Accessibility checks for the browser tests: axe-core plus what axe does not look at.

axe-core comes from axe-playwright-python (it bundles axe.min.js). It is injected with
Playwright's ``page.evaluate``, which runs over the DevTools protocol: the page's content
security policy governs what the *page* may load and evaluate, not what the test harness
evaluates, so the CSP stays exactly as strict as in production (no ``bypass_csp``, no
``'unsafe-inline'`` for the tests). ``assert_csp_enforced`` proves that for a page: the
response carries our policy and an inline script added to it does not run.
"""

from __future__ import annotations

import contextlib

from axe_playwright_python.sync_playwright import Axe

from evaluatiespiegel.security import CONTENT_SECURITY_POLICY

AXE = Axe()
# WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices (issue 16).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

# What axe lets pass: an aria-describedby whose ids are all missing (Django points every
# widget with help text at "<id>_helptext"), and a control whose accessible name does not
# contain the text it shows (WCAG 2.5.3, label in name; axe skips symbols such as "+").
DOM_CHECKS = """() => {
  const problems = [];
  const describe = (el) => el.outerHTML.slice(0, 160);
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls", "aria-owns"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          problems.push(`${attr} points at missing id "${id}": ${describe(el)}`);
        }
      }
    }
  }
  for (const label of document.querySelectorAll("label[for]")) {
    if (!document.getElementById(label.htmlFor)) {
      problems.push(`label for missing id "${label.htmlFor}": ${describe(label)}`);
    }
  }
  const seen = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    if (seen.has(el.id)) problems.push(`duplicate id "${el.id}": ${describe(el)}`);
    seen.add(el.id);
  }
  const norm = (text) => text.replace(/\\s+/g, " ").trim().toLowerCase();
  const controls = "button, a[href], [role=button], [role=link], summary";
  for (const el of document.querySelectorAll(controls)) {
    const name = el.getAttribute("aria-label");
    const shown = norm(el.innerText || "");
    if (name && shown && el.checkVisibility() && !norm(name).includes(shown)) {
      problems.push(`name "${name}" does not contain the visible text "${shown}": ${describe(el)}`);
    }
  }
  return problems;
}"""


def page_problems(page, where: str) -> list[str]:
    """Every axe violation node and every DOM-check problem on the page, one line each."""
    lines = []
    for violation in AXE.run(page, options=AXE_OPTIONS).response["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}) "
                f"{', '.join(map(str, node['target']))}: {node['html'][:160]}"
            )
    lines.extend(f"{where}: {problem}" for problem in page.evaluate(DOM_CHECKS))
    return lines


def assert_csp_enforced(page, response) -> None:
    """The page was served with our CSP and the browser enforces it (inline script blocked)."""
    assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY
    # Playwright may report the refused script as an error; being refused is the point.
    with contextlib.suppress(Exception):
        page.add_script_tag(content="window.__inlineRan = true;")
    assert page.evaluate("window.__inlineRan === undefined"), "inline script ran: CSP bypassed"
