"""A person's family (members, roles, inviting, removing) and, on the home screen, the invitations this
user received."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.data.api import ApiFailure
from app.models import FamilyInvitation, FamilyMemberInfo
from app.ui.core import theme
from app.ui.core.components import (card, error_banner, loading, primary_button, screen, section_title, text_button,
                                    typed)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.routes import family_route
from app.ui.core.services import use_i18n, use_services
from app.ui.family.view_model import FamilyViewModel, ReceivedInvitationsViewModel


def role_text(i18n: I18n, role: str) -> str:
    return {"payer": i18n.t("Pays the bills"), "viewer": i18n.t("Sees only")}.get(role, role)


def role_explanation(i18n: I18n, role: str) -> str:
    t = i18n.t
    return {"payer": t("Payer: sees and pays this person's bills, and can invite others."),
            "viewer": t("Viewer: sees the bills and whether they are paid, but cannot pay.")}.get(role, "")


@ft.component
def FamilyScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    person_id = ft.use_route_params().get("person_id", "")
    vm, _ = ft.use_state(lambda: services.family_vm(person_id))
    use_load_when_shown(vm.load, vm.members is not None)
    t = i18n.t

    body: list[ft.Control] = []
    if vm.person_name:
        body.append(ft.Text(vm.person_name, size=theme.TITLE, weight=ft.FontWeight.BOLD, key="family-person"))
    if vm.members is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="family-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading the family…"), key="family-loading"))
        return screen(ft.use_view_path() or family_route(person_id), t("Family members"), body)

    if vm.error is not None:
        body.append(error_banner(failure_text(i18n, vm.error), key="family-error", on_retry=vm.load,
                                 retry_text=t("Try again")))
    body.append(section_title(t("Members")))
    body += [_member_card(i18n, vm, m) for m in vm.members]
    if vm.action_error is not None:
        body.append(error_banner(failure_text(i18n, vm.action_error), key="family-action-error"))
    if vm.invitations:
        body.append(section_title(t("Invitations waiting for an answer")))
        body += [_invitation_card(i18n, vm, inv) for inv in vm.invitations]
    if vm.i_am_payer:
        body += _invite_form(i18n, vm)
        if vm.person_kind == "student":
            from app.ui.family.student_account import StudentAccountSection
            body.append(StudentAccountSection(vm.family, person_id, vm.person_name.split()[-1] if vm.person_name
                                              else t("the student")))
    elif vm.members:
        body.append(ft.Text(t("Only a payer of this person can invite family members."), size=theme.BODY - 1,
                            color=theme.MUTED, key="family-viewer-note"))
    return screen(ft.use_view_path() or family_route(person_id), t("Family members"), body)


def _confirm_row(i18n: I18n, vm: FamilyViewModel, item_id: str, question: str, yes: str, do, prefix: str,
                 start: str) -> list[ft.Control]:
    t, busy = i18n.t, vm.busy_id == item_id
    if vm.confirm_id == item_id:
        return [ft.Text(question, size=theme.BODY, weight=ft.FontWeight.W_600, key=f"{prefix}-question-{item_id}"),
                ft.Row([text_button(yes, do, key=f"{prefix}-yes-{item_id}", disabled=busy),
                        text_button(t("Cancel"), lambda: vm.ask(None), key=f"{prefix}-no-{item_id}")], wrap=True)]
    return [text_button(start, lambda: vm.ask(item_id), key=f"{prefix}-{item_id}",
                        disabled=busy or vm.busy_id is not None)]


def _member_card(i18n: I18n, vm: FamilyViewModel, m: FamilyMemberInfo) -> ft.Control:
    t = i18n.t
    name = t("{name} (you)", name=m.name) if m.is_me else m.name
    details = " · ".join(x for x in (role_text(i18n, m.role), m.relation) if x)
    rows: list[ft.Control] = [
        ft.Text(name, size=theme.BODY + 1, weight=ft.FontWeight.W_600, key=f"member-name-{m.id}"),
        ft.Text(details, size=theme.BODY, key=f"member-role-{m.id}"),
        ft.Text(m.phone_masked, size=theme.BODY - 1, color=theme.MUTED, key=f"member-phone-{m.id}"),
    ]
    if m.added_by_name:
        rows.append(ft.Text(t("Invited by {name}", name=m.added_by_name), size=theme.BODY - 1, color=theme.MUTED))
    if m.can_remove:
        async def remove():
            if await vm.remove(m.id) and vm.left:
                ft.context.page.navigate("/")  # leaving: these bills are no longer shown

        if m.is_me:
            question, yes, start = (t("Leave this family? You will no longer see these bills."), t("Yes, leave"),
                                    t("Leave the family"))
        else:
            question, yes, start = (t("Remove {name} from this family? They will no longer see these bills.",
                                      name=m.name), t("Yes, remove"), t("Remove from the family"))
        rows += _confirm_row(i18n, vm, m.id, question, yes, remove, "member-remove", start)
    return card(rows, key=f"member-{m.id}")


def _invitation_card(i18n: I18n, vm: FamilyViewModel, inv: FamilyInvitation) -> ft.Control:
    t = i18n.t
    rows: list[ft.Control] = [
        ft.Text(inv.phone_masked, size=theme.BODY + 1, weight=ft.FontWeight.W_600, key=f"invitation-phone-{inv.id}"),
        ft.Text(" · ".join(x for x in (role_text(i18n, inv.role), inv.relation) if x), size=theme.BODY),
        ft.Text(t("Invited by {name}", name=inv.inviter_name), size=theme.BODY - 1, color=theme.MUTED),
    ]
    if inv.expires_at is not None:
        rows.append(ft.Text(t("Open until {time}", time=i18n.moment(inv.expires_at)), size=theme.BODY - 1,
                            color=theme.MUTED))
    if inv.can_withdraw:
        async def withdraw():
            await vm.withdraw(inv.id)

        rows += _confirm_row(i18n, vm, inv.id, t("Withdraw the invitation to {phone}?", phone=inv.phone_masked),
                             t("Yes, withdraw it"), withdraw, "invitation-withdraw", t("Withdraw"))
    return card(rows, key=f"invitation-{inv.id}")


def _invite_form(i18n: I18n, vm: FamilyViewModel) -> list[ft.Control]:
    t = i18n.t
    problem = {"invalid_phone": failure_text(i18n, ApiFailure("invalid_phone")),
               "role_missing": t("Choose what the family member may do.")}
    out: list[ft.Control] = [
        section_title(t("Invite a family member")),
        ft.Text(t("They get the invitation when they sign in to Đóng Phí with this number, and join only if they "
                  "accept it."), size=theme.BODY - 1, color=theme.MUTED),
        ft.TextField(key="invite-phone", label=t("Their phone number"), value=vm.phone,
                     keyboard_type=ft.KeyboardType.PHONE, on_change=lambda e: vm.type_phone(typed(e)),
                     text_size=theme.BODY + 1,
                     error=problem["invalid_phone"] if vm.problem == "invalid_phone" else None),
        ft.RadioGroup(key="invite-role", value=vm.role or None, on_change=lambda e: vm.choose_role(typed(e)),
                      content=ft.Column([ft.Radio(value=r, label=role_explanation(i18n, r), key=f"invite-role-{r}",
                                                  label_style=ft.TextStyle(size=theme.BODY))
                                         for r in ("payer", "viewer")])),
    ]
    if vm.problem == "role_missing":
        out.append(ft.Text(problem["role_missing"], color=theme.DANGER, size=theme.BODY, key="invite-role-problem"))
    out.append(ft.TextField(key="invite-relation", label=t("How are they related? (optional, e.g. Bà nội)"),
                            value=vm.relation, max_length=40, on_change=lambda e: vm.type_relation(typed(e)),
                            text_size=theme.BODY + 1))
    if vm.invite_error is not None:
        out.append(error_banner(failure_text(i18n, vm.invite_error), key="invite-error"))
    if vm.sent is not None:
        out.append(ft.Text(t("Invitation sent to {phone}.", phone=vm.sent.phone_masked), size=theme.BODY,
                           color=theme.OK, key="invite-sent"))
    out.append(primary_button(t("Send the invitation"), vm.invite, key="invite-send", busy=vm.inviting,
                              disabled=vm.busy_id is not None))
    return out


# -- on the home screen ----------------------------------------------------------------------------

@ft.component
def ReceivedInvitations(on_accepted: Callable[[], Awaitable[None]]):
    """"… invites you into the family of …", with Accept and Decline; nothing when there is none."""
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.received_invitations_vm)
    use_load_when_shown(vm.load, vm.invitations is not None)
    t = i18n.t
    controls: list[ft.Control] = [_received_card(i18n, vm, inv, on_accepted) for inv in vm.invitations or []]
    if vm.error is not None:
        controls.append(error_banner(failure_text(i18n, vm.error), key="received-invitation-error"))
    if not controls:
        return ft.Container(key="received-invitations", visible=False)
    return ft.Column(controls, spacing=8, key="received-invitations")


def _received_card(i18n: I18n, vm: ReceivedInvitationsViewModel, inv: FamilyInvitation,
                   on_accepted: Callable[[], Awaitable[None]]) -> ft.Control:
    t = i18n.t
    busy = vm.busy_id is not None

    async def accept():
        if await vm.accept(inv.id):
            await on_accepted()  # the person's bills appear on the home screen at once

    async def decline():
        await vm.decline(inv.id)

    inviter = inv.inviter_name or inv.inviter_phone_masked
    return card([
        ft.Row([ft.Icon(ft.Icons.FAMILY_RESTROOM, color=theme.PRIMARY),
                ft.Text(t("{inviter} invites you into the family of {person}", inviter=inviter,
                          person=inv.person_name), size=theme.BODY + 1, weight=ft.FontWeight.W_600, expand=True,
                        key=f"received-invitation-text-{inv.id}")]),
        ft.Text(" · ".join(x for x in (inv.institution_name, inv.inviter_phone_masked) if x), size=theme.BODY - 1,
                color=theme.MUTED),
        ft.Text(role_explanation(i18n, inv.role), size=theme.BODY, key=f"received-invitation-role-{inv.id}"),
        ft.Text(t("Accept only if you know this person."), size=theme.BODY - 1, color=theme.MUTED),
        ft.Row([primary_button(t("Accept"), accept, key=f"invitation-accept-{inv.id}", busy=vm.busy_id == inv.id,
                               disabled=busy),
                text_button(t("Decline"), decline, key=f"invitation-decline-{inv.id}", disabled=busy)], wrap=True),
    ], key=f"received-invitation-{inv.id}")
