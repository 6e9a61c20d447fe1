"""The live camera scanner (phones): permission first, with reasons; frames are read on the device."""

from __future__ import annotations

import time

import flet as ft

from app.ui.core import theme
from app.ui.core.components import loading, primary_button, screen, text_button
from app.ui.core.services import use_i18n, use_services
from app.ui.scan.camera_view_model import CameraViewModel
from app.ui.scan.view import problem_text, use_scan

FRAME_EVERY = 0.6  # seconds between frames we try to read: enough to feel instant, light on the battery


@ft.component
def CameraScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    t = i18n.t
    page = ft.context.page
    vm: CameraViewModel
    vm, _ = ft.use_state(services.camera_vm)
    ft.use_effect(vm.check, [])
    scan = use_scan()

    body: list[ft.Control] = []
    if vm.state == "checking":
        body.append(loading(t("Opening the camera…"), key="camera-checking"))
    elif vm.state == "explain":
        body += [
            ft.Icon(ft.Icons.PHOTO_CAMERA, size=56, color=theme.PRIMARY),
            ft.Text(t("Đóng Phí needs the camera to read QR codes."), size=theme.TITLE - 2, weight=ft.FontWeight.BOLD),
            ft.Text(t("We only look for a QR code in what the camera sees. No photo is saved or sent anywhere."),
                    size=theme.BODY, key="camera-explain"),
            primary_button(t("Allow the camera"), vm.allow, key="camera-allow", busy=vm.asking),
        ]
    elif vm.state in ("denied", "unavailable"):
        text = (t("The camera is switched off for Đóng Phí. You can switch it on in Settings, or choose a photo or "
                  "paste the code instead.") if vm.state == "denied"
                else t("The camera cannot be used here. Choose a photo or paste the code instead."))
        body += [ft.Text(text, size=theme.BODY + 1, key="camera-denied")]
        if vm.state == "denied":
            body += [primary_button(t("Open Settings"), vm.open_settings, key="camera-open-settings"),
                     text_button(t("I switched it on"), vm.recheck, key="camera-recheck")]
        body.append(text_button(t("Choose a photo or paste the code"), lambda: page.navigate("/scan"),
                                key="camera-other-ways"))
    else:
        body.append(_LiveCamera(scan, page, t("Read the code now")))
        if scan.problem:
            body.append(ft.Text(problem_text(i18n, scan.problem), size=theme.BODY, key="camera-problem"))
        body.append(ft.Text(t("Hold the phone so the whole QR code is inside the frame."), size=theme.BODY))
    return screen(ft.use_view_path() or "/scan/camera", t("Scan with the camera"), body)


@ft.component
def _LiveCamera(scan, page, take_label: str) -> ft.Control:
    """Back camera, no audio; streamed frames where supported, otherwise a picture every FRAME_EVERY s."""
    import flet_camera as fc

    last = ft.use_ref(0.0)
    camera = ft.use_ref(None)

    async def frame(data: bytes | None) -> None:
        now = time.monotonic()
        if scan.reading or now - last.current < FRAME_EVERY or not data:
            return
        last.current = now
        route = await scan.read_image(data)
        if route:
            await camera.current.stop_image_stream()
            page.navigate(route)

    async def on_image(e) -> None:
        await frame(e.bytes)

    async def start() -> None:
        cam = camera.current
        cameras = await cam.get_available_cameras()
        back = next((c for c in cameras if c.lens_direction == fc.CameraLensDirection.BACK), cameras[0] if cameras else None)
        if back is None:
            return
        await cam.initialize(back, fc.ResolutionPreset.HIGH, enable_audio=False)
        if await cam.supports_image_streaming():
            await cam.start_image_stream()

    async def take() -> None:
        await frame(await camera.current.take_picture())

    ft.use_effect(start, [])
    return ft.Column([
        fc.Camera(ref=camera, preview_enabled=True, on_stream_image=on_image, height=360, key="camera-preview"),
        primary_button(take_label, take, key="camera-take", busy=scan.reading),
    ], horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

