"""A student's own login, made by a payer of the family: a phone number; the student then signs in with
the usual one-time code and sees only their own fees (issue 8)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.data.family import FamilyRepository
from app.ui.core import theme
from app.ui.core.components import error_banner, primary_button, section_title, text_button, typed
from app.ui.core.failures import failure_text
from app.ui.core.services import use_i18n
from domain.phone import InvalidPhoneNumber, normalize_phone


@ft.observable
@dataclass
class StudentAccountViewModel:
    family: FamilyRepository
    person_id: str
    loaded: bool = False
    account: str | None = None  # the login's masked phone
    phone: str = ""
    problem: str | None = None  # invalid_phone
    busy: bool = False
    confirm_remove: bool = False
    error: ApiFailure | None = None

    async def load(self) -> None:
        try:
            self.account = await self.family.student_account(self.person_id)
        except ApiFailure as failure:
            self.error = failure
        self.loaded = True

    def type_phone(self, text: str) -> None:
        self.phone, self.problem = text, None

    async def create(self) -> None:
        if self.busy:
            return
        try:
            phone = normalize_phone(self.phone)
        except InvalidPhoneNumber:
            self.problem = "invalid_phone"
            return
        self.busy, self.error = True, None
        try:
            self.account = await self.family.create_student_account(self.person_id, phone)
            self.phone = ""
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.busy = False

    def ask_remove(self, yes: bool) -> None:
        self.confirm_remove = yes

    async def remove(self) -> None:
        if self.busy:
            return
        self.busy, self.error = True, None
        try:
            await self.family.remove_student_account(self.person_id)
            self.account, self.confirm_remove = None, False
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.busy = False


@ft.component
def StudentAccountSection(family: FamilyRepository, person_id: str, first_name: str):
    i18n = use_i18n()
    vm, _ = ft.use_state(lambda: StudentAccountViewModel(family=family, person_id=person_id))
    ft.use_effect(vm.load, [])
    t = i18n.t
    controls: list[ft.Control] = [
        section_title(t("{name}'s own login", name=first_name)),
        ft.Text(t("On their own phone, {name} signs in with this number and sees only their own fees: paid, "
                  "due, overdue. They cannot pay, and they see nobody else's bills.", name=first_name),
                size=theme.BODY),
    ]
    if vm.error is not None:
        controls.append(error_banner(failure_text(i18n, vm.error), key="student-account-error"))
    if not vm.loaded:
        return ft.Column(controls, spacing=10, key="student-account")
    if vm.account:
        controls.append(ft.Text(t("Login number: {phone}", phone=vm.account), size=theme.BODY + 1,
                                weight=ft.FontWeight.W_600, key="student-account-phone"))
        if vm.confirm_remove:
            controls += [ft.Text(t("Remove {name}'s login? It stops showing the fees at once.", name=first_name),
                                 size=theme.BODY, key="student-account-remove-question"),
                         ft.Row([text_button(t("Remove"), vm.remove, key="student-account-remove-yes", disabled=vm.busy),
                                 text_button(t("Cancel"), lambda: vm.ask_remove(False),
                                             key="student-account-remove-no")], wrap=True)]
        else:
            controls.append(text_button(t("Remove this login"), lambda: vm.ask_remove(True),
                                        key="student-account-remove"))
    else:
        problem = t("This is not a Vietnamese mobile number.") if vm.problem == "invalid_phone" else None
        controls += [
            ft.TextField(label=t("{name}'s mobile number", name=first_name), value=vm.phone,
                         key="student-account-new-phone", keyboard_type=ft.KeyboardType.PHONE,
                         on_change=lambda e: vm.type_phone(typed(e)), error=problem, text_size=theme.BODY),
            primary_button(t("Make the login"), vm.create, key="student-account-create", busy=vm.busy),
        ]
    return ft.Column(controls, spacing=10, key="student-account")
