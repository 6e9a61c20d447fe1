"""`flet build` reads only pyproject.toml; keep its promises checkable without the Flutter SDK."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FLET = PYPROJECT["tool"]["flet"]


def test_product_and_entry_module():
    assert FLET["product"] == "Đóng Phí" and FLET["bundle_id"] == "vn.dongphi.app"
    app = FLET["app"]
    assert (ROOT / app["path"] / f"{app['module']}.py").exists()


def test_backend_tests_and_bench_never_ship():
    assert {"server", "tests", "bench"} <= set(FLET["app"]["exclude"])


OWN_EXTENSION = "flet-dongphi-device"  # built from extensions/, pinned to its own version


def test_flet_and_extensions_pinned_to_one_version():
    pins = {d.split("==")[0]: d.split("==")[1].split(";")[0].strip()
            for d in PYPROJECT["project"]["dependencies"] if d.startswith("flet")}
    assert set(pins) >= {"flet", "flet-secure-storage", "flet-camera", "flet-local-auth", "flet-permission-handler",
                         OWN_EXTENSION}
    own = tomllib.loads((ROOT / FLET["dev_packages"][OWN_EXTENSION] / "pyproject.toml").read_text(encoding="utf-8"))
    assert pins.pop(OWN_EXTENSION) == own["project"]["version"]
    assert set(pins.values()) == {"1.0.5"} and own["project"]["dependencies"] == ["flet==1.0.5"]


def test_app_bundle_does_not_depend_on_the_server_stack():
    deps = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    for name in ("fastapi", "sqlalchemy", "uvicorn", "psycopg", "alembic"):
        assert name not in deps


def test_permissions_have_vietnamese_usage_texts():
    info = FLET["ios"]["info"]
    for key in ("NSCameraUsageDescription", "NSFaceIDUsageDescription"):
        assert "Đóng Phí" in info[key] and any(ch in info[key] for ch in "ùảáọ")
    assert FLET["android"]["permission"]["android.permission.CAMERA"] is True


def test_icon_and_splash_exist_and_are_square_pngs():
    for name in ("icon.png", "splash.png"):
        with Image.open(ROOT / "assets" / name) as im:
            assert im.format == "PNG" and im.width == im.height >= 512
