"""Keyboard only: fill in and submit the format, then read the comparison.

A member signs in, reaches the format from the session page with Tab, answers
three motives (Space and the arrow keys on the radio buttons, typing in the
outcome fields), saves with Enter on the focused button, submits and confirms.
Once the dialogue is open, a member of the other organisation reaches the
comparison with Tab, filters it with the keyboard and opens the intended
outcomes of a motive with Enter. After every key press the focused element must
show that it has the focus (an outline or a box shadow); every step is
photographed.
"""

import pytest

from partnerships.models import User
from sessions.interchange.format import import_session
from sessions.models import Answer, Phase
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.sessions.samples import valid_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {visible: false, what: "nothing (body)"};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none" && !/^(rgba\\([^)]*,\\s*0\\)|transparent)/.test(style.boxShadow);
  const label = el.getAttribute("name") || el.getAttribute("href") || el.textContent.trim().slice(0, 40);
  // Not hidden behind something else, such as a sticky bar (WCAG 2.4.11).
  const box = el.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const obscured = !top || !(el === top || el.contains(top) || top.contains(el));
  return {visible: (outline || shadow) && !obscured, obscured, what: `${el.tagName.toLowerCase()} ${label}`};
}"""


class Keyboard:
    """Drives one page with the keyboard only and photographs each step."""

    def __init__(self, page, name):
        self.page = page
        self.name = name
        self.step = 0
        self.presses = 0

    def focus_is_visible(self):
        state = self.page.evaluate(FOCUS)
        hidden = " (covered by another element)" if state.get("obscured") else ""
        assert state["visible"], f"the focus is not visible on {state['what']}{hidden}"
        return state

    def press(self, key):
        self.page.keyboard.press(key)
        self.presses += 1
        return self.focus_is_visible()

    def tab_to(self, condition, *, limit=200):
        """Press Tab until ``condition`` (a JS expression about ``el``) holds for the focus."""
        check = f"() => {{ const el = document.activeElement; return Boolean({condition}); }}"
        if self.page.evaluate(check):  # already there, as in a field with autofocus
            return self.focus_is_visible()
        for _ in range(limit):
            state = self.press("Tab")
            if self.page.evaluate(check):
                return state
        raise AssertionError(f"Tab never reached {condition}")

    def type(self, text):
        self.page.keyboard.type(text)

    def enter(self):
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.page.wait_for_load_state()

    def shot(self, label):
        self.step += 1
        path = ARTIFACTS / f"keyboard-{self.name}-{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=False)


def open_page(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.add_cookies([{"name": "django_language", "value": "nl", "url": base}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sign_in(keys, base, email):
    keys.page.goto(base + "/accounts/login/")
    keys.tab_to("el.id === 'id_username'")
    keys.type(email)
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.shot("sign-in")
    keys.enter()


def prepared_session():
    """Two organisations; the education one has not answered anything yet."""
    document = valid_document()
    document["session"]["phase"] = "preparation"
    education, practice = document["organisations"]
    education.update(submitted=False, answers=[], other_motives=[])
    practice["submitted"] = True
    session = import_session(document)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()
    return session


def test_a_keyboard_user_submits_the_format_and_reads_the_comparison(live_server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    session = prepared_session()
    preparation = session.preparations.get(organisation__partner_type="education")
    format_url = f"/sessions/{session.pk}/preparations/{preparation.pk}/"

    # The education member reaches the format from the session page.
    member = Keyboard(open_page(browser, base), "member")
    sign_in(member, base, "a@example.org")
    member.page.goto(f"{base}/sessions/{session.pk}/")
    member.tab_to(f"el.getAttribute('href') === '{format_url}'")
    member.shot("format-link")
    member.enter()
    assert member.page.url.endswith(format_url)

    # Three motives. Tab lands on the checked radio, "not decided yet" (the last of
    # yes / no / not decided); the arrow keys move the choice, Space keeps it.
    radio = "el.type === 'radio' && el.name === '{name}'"
    names = member.page.eval_on_selector_all(
        "input[type=radio][value=yes]", "radios => radios.slice(0, 3).map(r => r.name)"
    )
    first, second, third = names
    member.tab_to(radio.format(name=first))
    member.press("ArrowRight")  # wraps around to "yes"
    member.press("Space")
    member.press("Tab")
    member.type("Studenten leren in de praktijk")
    member.tab_to(radio.format(name=second))
    member.press("ArrowLeft")  # "no"
    member.tab_to(radio.format(name=third))
    member.press("ArrowLeft")  # "no"
    member.press("ArrowLeft")  # "yes"
    member.press("Tab")
    member.type("Een beter imago in de regio")
    checked = dict(
        member.page.eval_on_selector_all(
            "input[type=radio]:checked", "radios => radios.map(r => [r.name, r.value])"
        )
    )
    assert [checked[name] for name in names] == ["yes", "no", "yes"]
    member.shot("three-motives")

    # Enter on the focused "save" button saves the draft.
    member.tab_to("el.tagName === 'BUTTON' && el.name === 'save'")
    member.shot("save-focused")
    member.enter()
    member.shot("saved")
    saved = {a.motive_id: (a.applies, a.intended_outcome) for a in preparation.answers.all()}
    assert sorted(saved.values()) == [
        (False, ""),
        (True, "Een beter imago in de regio"),
        (True, "Studenten leren in de praktijk"),
    ]

    # "Save and submit…", then the confirmation, both with Enter.
    member.tab_to("el.tagName === 'BUTTON' && el.name === 'submit'")
    member.enter()
    assert member.page.url.endswith(format_url + "submit/")
    member.shot("confirm-page")
    # Nobody was named as taking part, so submitting asks why no manager or employee did.
    member.tab_to("el.id === 'id_participants_reason'")
    member.type("De leidinggevende was ziek")
    member.tab_to("el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    member.shot("confirm-focused")
    member.enter()
    member.shot("submitted")
    preparation.refresh_from_db()
    assert preparation.submitted
    assert Answer.objects.filter(preparation=preparation, applies=True).count() == 2

    # The dialogue opens; a member of the practice organisation reads the comparison.
    session.phase = Phase.DIALOGUE
    session.save()
    other = Keyboard(open_page(browser, base), "other-member")
    sign_in(other, base, "b@example.org")
    other.page.goto(f"{base}/sessions/{session.pk}/")
    other.tab_to("(el.getAttribute('href') || '').endsWith('/comparison/')")
    other.shot("comparison-link")
    other.enter()
    assert other.page.url.endswith(f"/sessions/{session.pk}/comparison/")

    # The filter: the arrow keys choose "unique" in the category list, Enter applies it.
    other.tab_to("el.id === 'id_category'")
    for _ in range(10):
        if other.page.evaluate("document.activeElement.value") == "unique":
            break
        other.press("ArrowDown")
    assert other.page.evaluate("document.activeElement.value") == "unique"
    other.tab_to("el.tagName === 'BUTTON' && el.closest('form.cmp-filters')")
    other.shot("filter-chosen")
    other.enter()
    assert "category=unique" in other.page.url
    other.shot("filtered")

    # Enter on a summary opens the intended outcomes of that motive.
    other.tab_to("el.tagName === 'SUMMARY' && el.closest('details.cmp-outcomes')")
    other.press("Enter")
    opened = other.page.evaluate("document.activeElement.closest('details').open")
    assert opened is True
    assert other.page.locator("details.cmp-outcomes[open]").first.is_visible()
    other.shot("outcomes-open")
    print(f"key presses: member {member.presses}, other member {other.presses}")
