"""axe-core on the main pages: no serious or critical WCAG 2.1 A/AA violations."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.web_support import xss_document_id

PAGES = (
    "/",
    "/search?q=samordningsförbund",
    "/projects/23-001-S01",
    "/organisations/1",
    "/analytics",
    "/documents/{doc}",
    "/?lang=en",
)


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violations(page, live_server, axe_source, path):
    from projektatlas.store.db import session_scope

    with session_scope(live_server["engine"]) as s:
        doc_id = xss_document_id(s)
    page.goto(live_server["url"] + path.format(doc=doc_id))
    # evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline tags
    page.evaluate(f"() => {{ {axe_source}\n; window.axe = axe; }}")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
        })"""
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert result["passes"], "axe ran no checks"
    others = [f"{v['id']} ({v['impact']})" for v in result["violations"] if v not in bad]
    name = path.strip("/").split("?")[0].replace("/", "-").replace("{doc}", "doc") or "start"
    (ARTIFACTS / f"axe-{name}.txt").write_text("\n".join(bad) or "ok", encoding="utf-8")
    (ARTIFACTS / f"axe-{name}-minor.txt").write_text("\n".join(others), encoding="utf-8")
    assert not bad, "\n".join(bad)
