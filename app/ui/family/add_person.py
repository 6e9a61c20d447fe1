"""'Thêm con hoặc người thân': a child at a school or a patient at a hospital joins the family, one step
per screen — the kind of person, the institution, then the code and birth date on its records."""

from __future__ import annotations

import math

import flet as ft

from app.data.api import ApiFailure
from app.ui.core import theme
from app.ui.core.components import (card, error_banner, loading, primary_button, screen, section_title, text_button,
                                    typed)
from app.ui.core.failures import NETWORK, failure_text
from app.ui.core.i18n import I18n
from app.ui.core.routes import ADD_PERSON_ROUTE
from app.ui.core.services import use_i18n, use_services
from app.ui.family.add_person_view_model import RELATIONS, STEPS, AddPersonViewModel


def relation_text(i18n: I18n, relation: str) -> str:
    t = i18n.t
    return {"Con": t("Child"), "Cháu": t("Grandchild, niece or nephew"), "Bố": t("Father"), "Mẹ": t("Mother"),
            "Ông": t("Grandfather"), "Bà": t("Grandmother"), "Vợ": t("Wife"), "Chồng": t("Husband"),
            "Khác": t("Other")}.get(relation, relation)


def problem_text(i18n: I18n, problem: str, kind: str) -> str:
    t = i18n.t
    return {
        "code_missing": t("Enter the student code.") if kind == "student" else t("Enter the patient code."),
        "code_too_long": t("This code is too long. Copy it exactly as it is printed."),
        "date_missing": t("Enter the date of birth, for example 30/11/2016."),
        "date_format": t("Write the date of birth as day/month/year, for example 30/11/2016."),
        "date_impossible": t("This date does not exist. Check the day and the month."),
        "date_future": t("The date of birth cannot be in the future."),
        "date_too_old": t("Check the year of birth: it has 4 digits, for example 1951."),
    }.get(problem, problem)


def error_text(i18n: I18n, failure: ApiFailure, institution_name: str) -> str:
    """What went wrong and what to do, for the answers this screen can get."""
    t, code = i18n.t, failure.code
    if code == "person_not_matched":
        return t("The code and date of birth do not match the records of {institution}. Check them on the card "
                 "or on the tuition or hospital fee notice.", institution=institution_name)
    if code == "person_already_added":
        return t("This person is already in your family. Their bills are on the home screen.")
    if code == "institution_not_found":
        return t("{institution} was not found. Go back and choose the school or hospital again.",
                 institution=institution_name)
    if code == "too_many_attempts":
        seconds = failure.details.get("retry_after_seconds") or failure.retry_after or 3600
        return t("Too many tries that did not match. For your family's safety, please try again in {minutes} "
                 "minutes, or ask the school or hospital for the right code.", minutes=math.ceil(seconds / 60))
    return failure_text(i18n, failure)


def _big_choice(text: str, hint: str, icon, on_click, key: str) -> ft.Control:
    """A whole card is the button: easy to hit, named by its words."""
    return ft.Button(
        content=ft.Row([ft.Icon(icon, size=36, color=theme.PRIMARY),
                        ft.Column([ft.Text(text, size=theme.BODY + 2, weight=ft.FontWeight.BOLD),
                                   ft.Text(hint, size=theme.BODY - 1, color=theme.MUTED)],
                                  spacing=2, tight=True, expand=True)], spacing=16),
        key=key, on_click=on_click,
        style=ft.ButtonStyle(padding=ft.Padding.all(20), bgcolor=theme.PRIMARY_BG, color=theme.PRIMARY,
                             shape=ft.RoundedRectangleBorder(radius=12)),
    )


def _step_label(i18n: I18n, vm: AddPersonViewModel, title: str) -> ft.Control:
    return ft.Column([
        ft.Text(i18n.t("Step {step}/{total}", step=vm.step_number, total=len(STEPS)), size=theme.BODY,
                weight=ft.FontWeight.W_600, color=theme.PRIMARY, key="add-step"),
        ft.Text(title, size=theme.TITLE, weight=ft.FontWeight.BOLD, key="add-step-title"),
    ], spacing=2)


def _back_step(i18n: I18n, vm: AddPersonViewModel) -> ft.Control:
    return ft.OutlinedButton(i18n.t("Go back"), icon=ft.Icons.ARROW_BACK, key="add-back", on_click=vm.back,
                             disabled=vm.sending,
                             style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=14),
                                                  text_style=ft.TextStyle(size=theme.BODY)))


@ft.component
def AddPersonScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.add_person_vm)
    t = i18n.t
    steps = {"kind": _kind_step, "institution": _institution_step, "details": _details_step, "done": _done_step}
    body = steps.get(vm.step, _kind_step)(i18n, vm)
    return screen(ft.use_view_path() or ADD_PERSON_ROUTE, t("Add a child or relative"), body)


def _kind_step(i18n: I18n, vm: AddPersonViewModel) -> list[ft.Control]:
    t = i18n.t
    return [
        _step_label(i18n, vm, t("Who do you want to add?")),
        ft.Text(t("You need the code the school or hospital gave them and their date of birth."), size=theme.BODY),
        _big_choice(t("A student (school)"), t("Tuition and school fees"), ft.Icons.SCHOOL,
                    _kind_chooser(vm, "student"), key="add-kind-student"),
        _big_choice(t("A patient (hospital)"), t("Hospital bills"), ft.Icons.LOCAL_HOSPITAL,
                    _kind_chooser(vm, "patient"), key="add-kind-patient"),
    ]


def _kind_chooser(vm: AddPersonViewModel, kind: str):
    async def choose():
        await vm.choose_kind(kind)
    return choose


def _institution_step(i18n: I18n, vm: AddPersonViewModel) -> list[ft.Control]:
    t = i18n.t
    student = vm.kind == "student"
    out: list[ft.Control] = [_step_label(i18n, vm, t("Choose the school") if student else t("Choose the hospital"))]
    if vm.institutions is None:
        if vm.load_error is not None:
            out.append(error_banner(failure_text(i18n, vm.load_error), key="add-institutions-error",
                                    on_retry=vm.load_institutions, retry_text=t("Try again")))
        else:
            out.append(loading(t("Loading the list…"), key="add-institutions-loading"))
        out.append(_back_step(i18n, vm))
        return out
    out.append(ft.TextField(
        key="add-search", label=t("Search for the school by name") if student else t("Search for the hospital by name"),
        hint_text=t("For example: Hoa Sen") if student else t("For example: Hồng Phúc"), value=vm.query,
        prefix_icon=ft.Icons.SEARCH, on_change=lambda e: vm.type_query(typed(e)), text_size=theme.BODY + 1))
    shown = vm.shown_institutions
    if not shown:
        out.append(ft.Text(t("No school or hospital with this name. Check the spelling, or type fewer words."),
                           size=theme.BODY, color=theme.MUTED, key="add-no-institution"))
    for inst in shown:
        out.append(ft.ListTile(
            key=f"add-institution-{inst.id}",
            leading=ft.Icon(ft.Icons.SCHOOL if student else ft.Icons.LOCAL_HOSPITAL, color=theme.PRIMARY),
            title=ft.Text(inst.name, size=theme.BODY + 1, weight=ft.FontWeight.W_600),
            subtitle=ft.Text(inst.province, size=theme.BODY - 1, color=theme.MUTED),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
            on_click=_chooser(vm, inst.id),
            min_height=theme.MIN_TOUCH + 16, bgcolor=theme.PRIMARY_BG if vm.institution is inst else None,
        ))
    out.append(_back_step(i18n, vm))
    return out


def _chooser(vm: AddPersonViewModel, institution_id: str):
    return lambda: vm.choose_institution(institution_id)


def _details_step(i18n: I18n, vm: AddPersonViewModel) -> list[ft.Control]:
    t = i18n.t
    student = vm.kind == "student"
    name = vm.institution.name if vm.institution else ""
    problems = vm.problems
    out: list[ft.Control] = [
        _step_label(i18n, vm, t("The student's details") if student else t("The patient's details")),
        ft.Text(name, size=theme.BODY + 1, weight=ft.FontWeight.W_600, key="add-institution-name"),
        ft.TextField(
            key="add-code", label=t("Student code") if student else t("Patient code"), value=vm.code, max_length=32,
            helper=(t("Printed on the student card and on the tuition notice.") if student
                    else t("Printed on the patient card and on the hospital fee slip.")),
            on_change=lambda e: vm.type_code(typed(e)), text_size=theme.BODY + 1,
            error=problem_text(i18n, problems["code"], vm.kind) if "code" in problems else None),
        ft.TextField(
            key="add-birth-date", label=t("Date of birth (day/month/year)"), value=vm.date_text,
            hint_text=t("For example 30/11/2016"), keyboard_type=ft.KeyboardType.DATETIME, max_length=10,
            on_change=lambda e: vm.type_date(typed(e)), text_size=theme.BODY + 1,
            error=problem_text(i18n, problems["date"], vm.kind) if "date" in problems else None),
        section_title(t("How are they related to you? (optional)")),
        ft.RadioGroup(key="add-relation", value=vm.relation or None,
                      on_change=lambda e: vm.choose_relation(typed(e)),
                      content=ft.Row([ft.Radio(value=r, label=relation_text(i18n, r), key=f"add-relation-{r}",
                                               label_style=ft.TextStyle(size=theme.BODY))
                                      for r in RELATIONS], wrap=True, spacing=4)),
    ]
    if vm.error is not None:
        network = vm.error.code in NETWORK
        out.append(error_banner(error_text(i18n, vm.error, name), key="add-error",
                                on_retry=vm.send if network else None, retry_text=t("Try again")))
    out.append(primary_button(t("Add to my family"), vm.send, key="add-send", busy=vm.sending))
    out.append(_back_step(i18n, vm))
    return out


def _done_step(i18n: I18n, vm: AddPersonViewModel) -> list[ft.Control]:
    t = i18n.t
    added = vm.added
    who = added.full_name if added else ""
    where = " · ".join(x for x in ((added.group_label, added.institution_name) if added else ()) if x)
    return [
        card([
            ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK, size=36),
                    ft.Text(t("{name} is now in your family.", name=who), size=theme.BODY + 2,
                            weight=ft.FontWeight.BOLD, color=theme.OK, expand=True, key="add-done")]),
            ft.Text(where, size=theme.BODY, color=theme.MUTED, key="add-done-where"),
            ft.Text(t("Their bills are now on the home screen."), size=theme.BODY),
        ], key="add-done-card", bgcolor=theme.OK_BG),
        primary_button(t("See the bills"), lambda: ft.context.page.navigate("/"), key="add-go-home"),
        text_button(t("Add someone else"), vm.again, key="add-again"),
    ]
