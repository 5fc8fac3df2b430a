"""A made report knows the version of its data and outline it came from: after any change
the document would show, the workspace says "Verouderd" and offers to make it again, for the
PDF and the Word file alike. (A new-user pass downloaded a PDF without the chapter just
added: the workspace offered it as if it were current.)"""

import pytest
from django.urls import reverse

from reports import rendering
from reports.models import BlockKind, HowQuestion, Paradox, Part, ReportBlock
from reports.outline import block_add, block_toggle, outline_for, preset_apply
from reports.rendering import report_latest, report_outdated, report_request, report_version
from reports.wall import contribution_take
from scoring.conditions import Condition
from sessions.models import Participant, Role
from sessions.wall import contribution_moderate

from .conftest import allocate
from .urlmap import add_wall


@pytest.fixture(autouse=True)
def _layout_is_the_html(monkeypatch):
    """The version is decided on the HTML, before any layout: skip WeasyPrint here."""
    monkeypatch.setattr(rendering, "render_pdf", lambda html: html.encode())
    monkeypatch.setattr(rendering, "render_docx", lambda html: html.encode())


@pytest.fixture
def scored(session, verteller, reflector):
    """An evaluation with scores, a paradox, a how-question and a contribution on the wall;
    the eindrapport with every data part, the tussenrapportage with the wall."""
    evaluation = session.evaluation
    allocate(session, verteller, ambitie=4, belangen=1, relatie=2, organisatie=2, proces=1)
    allocate(session, reflector, ambitie=1, belangen=3, relatie=2, organisatie=2, proces=2)
    Paradox.objects.create(
        evaluation=evaluation, condition=Condition.AMBITIE, title="Snel versus zorgvuldig"
    )
    HowQuestion.objects.create(
        evaluation=evaluation, condition=Condition.AMBITIE, text="Hoe houden we het doel vast?"
    )
    _prompt, contribution = add_wall(evaluation, author=verteller)
    preset_apply(outline=outline_for(evaluation, "eindrapport"), preset="rijk")
    outline_for(evaluation, "tussenrapportage")
    evaluation.test_contribution = contribution
    return evaluation


def _change_outline(evaluation):
    outline = outline_for(evaluation, "eindrapport")
    block_add(outline=outline, block=ReportBlock(kind=BlockKind.HEADING, level=1, title="Lessen"))
    block_add(outline=outline, block=ReportBlock(kind=BlockKind.TEXT, body="Wat we leerden."))


def _switch_a_part_off(evaluation):
    outline = outline_for(evaluation, "eindrapport")
    block_toggle(block=outline.blocks.get(part=Part.SPIDER_OVERALL))


def _change_text(evaluation):
    block = outline_for(evaluation, "eindrapport").blocks.filter(kind=BlockKind.TEXT).first()
    block.body += "\n\nEen zin erbij."
    block.save()


def _change_paradox_text(evaluation):
    paradox = evaluation.paradoxes.get()
    paradox.practice = "Wat de zaal erover zei."
    paradox.save()


def _change_house_style(evaluation):
    text = evaluation.report_text
    text.accent = "#7a1f1f"
    text.save()


def _change_scores(evaluation):
    third = Participant.objects.create(evaluation=evaluation, name="Derk", role=Role.REFLECTOR)
    session = evaluation.sessions.get()
    session.participants.add(third)
    allocate(session, third, ambitie=6, belangen=1, relatie=1, organisatie=1, proces=1)


def _take_from_the_wall(evaluation):
    contribution_take(
        evaluation=evaluation,
        contribution_id=evaluation.test_contribution.pk,
        target=f"hoevraag:{evaluation.how_questions.get().pk}",
        text="Begin met een gezamenlijke startdag.",
    )


def _hide_on_the_wall(evaluation):
    contribution_moderate(
        evaluation=evaluation, contribution_id=evaluation.test_contribution.pk, action="hide"
    )


CHANGES = [
    ("eindrapport", _change_outline),
    ("eindrapport", _switch_a_part_off),
    ("eindrapport", _change_text),
    ("eindrapport", _change_paradox_text),
    ("eindrapport", _change_house_style),
    ("eindrapport", _change_scores),
    ("tussenrapportage", _change_scores),
    ("eindrapport", _take_from_the_wall),
    ("tussenrapportage", _hide_on_the_wall),
]


def _workspace(client, evaluation, kind) -> str:
    return client.get(reverse("reports:outline", args=[evaluation.slug, kind])).content.decode()


@pytest.mark.parametrize(("kind", "change"), CHANGES, ids=lambda v: getattr(v, "__name__", v))
def test_every_kind_of_change_marks_both_files_outdated(client, analyst, scored, kind, change):
    for fmt in ("pdf", "docx"):
        report_request(evaluation=scored, kind=kind, format=fmt)
    client.force_login(analyst)
    jobs = [report_latest(evaluation=scored, kind=kind, format=f) for f in ("pdf", "docx")]
    assert [job.status for job in jobs] == ["klaar", "klaar"]
    assert not any(report_outdated(job) for job in jobs)
    assert "data-render-outdated" not in _workspace(client, scored, kind)

    change(scored)

    assert all(report_outdated(job) for job in jobs)
    html = _workspace(client, scored, kind)
    assert html.count("data-render-outdated") == 2
    assert html.count("data-render-again") == 2
    assert "Verouderde versie downloaden (PDF)" in html
    assert "Verouderde versie downloaden (Word)" in html

    # Made again, the file is current once more.
    report_request(evaluation=scored, kind=kind, format="pdf")
    fresh = report_latest(evaluation=scored, kind=kind, format="pdf")
    assert fresh.content_hash == report_version(evaluation=scored, kind=kind)
    assert not report_outdated(fresh)


def test_the_status_poll_says_outdated_too(client, analyst, scored):
    report_request(evaluation=scored, kind="eindrapport")
    _change_outline(scored)
    client.force_login(analyst)
    url = reverse("reports:eindrapport", args=[scored.slug])
    for headers in ({"HX-Request": "true"}, {}):
        html = client.get(url, headers=headers).content.decode()
        assert "data-render-outdated" in html and "Verouderd" in html


def test_the_other_report_stays_current(client, analyst, scored):
    """A change only the eindrapport shows leaves the tussenrapportage current."""
    report_request(evaluation=scored, kind="tussenrapportage")
    job = report_latest(evaluation=scored, kind="tussenrapportage")
    _change_paradox_text(scored)
    assert not report_outdated(job)


def test_the_day_programme_is_outdated_after_a_new_round(client, facilitator, scored):
    report_request(evaluation=scored, kind="dagprogramma")
    job = report_latest(evaluation=scored, kind="dagprogramma")
    assert not report_outdated(job)
    session = scored.sessions.get()
    session.pk = None
    session.slot = 2
    session.save()
    assert report_outdated(job)
    client.force_login(facilitator)
    html = client.get(reverse("reports:dagprogramma", args=[scored.slug])).content.decode()
    assert "data-render-outdated" in html
