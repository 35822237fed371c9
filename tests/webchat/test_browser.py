"""The whole product in headless Chromium: a citizen files a phản ánh in the left pane, an
officer of the routed unit accepts and answers it in the right pane, the citizen sees the
answer. Screenshots go to tests/artifacts/.

Debian's `chromium` only (`apt-get install chromium`); never a downloaded browser. Under
CI=true a missing browser fails the run.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import pytest

from bot.app import Application, ComponentFactory, create_application, default_factories
from bot.channels.factories import webchat_component
from bot.config import AppConfig, Settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PNG = b"\x89PNG\r\n\x1a\n" + bytes.fromhex(
    "0000000d49484452000000100000001008020000009091683600000017494441"
    "5478da63fccf801f30e1168c1a3418d8000084e701feb94f4a2b0000000049454e44ae426082"
)
UNIT = "ubnd-hai-chau"
HEAD = "200051"
TIMEOUT = 15_000  # ms

pytestmark = pytest.mark.browser


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    message = "headless Chromium tests need Debian's chromium: apt-get install chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
async def product(
    database_url: str, engine: object, app_config: AppConfig, tmp_path: Path
) -> AsyncIterator[Application]:
    """What `make run` starts with no token, on a free port; the scheduler left out so its
    catch-up runs do not write in the groups mid-test."""
    _browser_or_skip()
    settings = Settings(database_url=database_url, web_port=0, telegram_bot_token=None)
    factories: list[ComponentFactory] = [
        partial(webchat_component, data_dir=tmp_path) if f is webchat_component else f
        for f in default_factories()
        if f.__name__ != "scheduler_component"
    ]
    app = await create_application(settings, app_config, factories=factories)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()


async def test_a_citizen_files_and_an_officer_answers_in_the_browser(
    product: Application, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect

    assert product.web is not None
    url = f"http://127.0.0.1:{product.web.port}/"
    photo = tmp_path / "o-ga.png"
    photo.write_bytes(PNG)
    ARTIFACTS.mkdir(exist_ok=True)
    expect.set_options(timeout=TIMEOUT)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1440, "height": 960})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on(
                "response",
                lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )
            await page.goto(url)
            await expect(page.locator("body[data-ready='1']")).to_have_count(1)
            await page.select_option("#unit-select", UNIT)
            await page.select_option("#officer-select", HEAD)
            await expect(page.locator("#group-empty")).to_be_visible()

            citizen = page.locator("#citizen-pane")
            group = page.locator("#group-pane")

            async def press(pane: object, label: str) -> None:
                button = pane.locator("button.choice", has_text=label).last  # type: ignore[attr-defined]
                await expect(button).to_be_enabled()
                await button.click()

            # -- the citizen files a phản ánh ---------------------------------------------
            await page.click("#start-button")
            await press(citizen, "Gửi phản ánh")
            await expect(citizen.locator(".msg.bot").last).to_contain_text("Bước 2/7")
            await press(citizen, "Hạ tầng, giao thông")
            await expect(citizen.locator(".msg.bot").last).to_contain_text("Bước 3/7")
            await press(citizen, "Phường Hải Châu")
            await expect(citizen.locator(".msg.bot").last).to_contain_text("Bước 4/7")
            await page.fill(
                "#citizen-text", "Ổ gà lớn trước số 12 đường Trần Phú, xe máy rất dễ ngã."
            )
            await page.press("#citizen-text", "Enter")
            await expect(citizen.locator(".msg.bot").last).to_contain_text("Bước 5/7")
            await page.set_input_files("#citizen-file", str(photo))
            await expect(citizen.locator(".msg.user img")).to_have_count(1)
            await expect(citizen.locator(".msg.bot", has_text="Đã nhận ảnh (1/5)")).to_have_count(
                1
            )
            await press(citizen, "Xong")
            await press(citizen, "Gửi ẩn danh")
            await expect(citizen.locator(".msg.bot").last).to_contain_text("Bước 7/7")
            await press(citizen, "✅ Gửi")
            submitted = citizen.locator(".msg.bot", has_text="Đã gửi thành công")
            await expect(submitted).to_have_count(1)
            code_match = re.search(r"PA\d{2}-\d{5,}", await submitted.inner_text())
            assert code_match, await submitted.inner_text()
            code = code_match.group(0)

            # -- the card reaches the unit's group through the outbox ----------------------
            card = group.locator(".msg.bot", has_text=code).first
            await expect(card).to_contain_text("Đã tiếp nhận, chờ xử lý")
            await page.screenshot(path=str(ARTIFACTS / "webchat-1-filed.png"))

            # -- an officer accepts it, and the card is edited in place --------------------
            await card.locator("button.choice", has_text="Tiếp nhận").click()
            await expect(page.locator("#toast")).to_contain_text(f"Đã tiếp nhận hồ sơ {code}")
            await expect(card).to_contain_text("Đang giải quyết")
            await expect(card.locator(".edited")).to_have_count(1)
            await expect(citizen.locator(".msg.bot", has_text=code).last).to_be_visible()

            # -- and answers it: the prompt is a force-reply to the card -------------------
            await card.locator("button.choice", has_text="Đã giải quyết").click()
            await expect(group.locator(".msg.bot").last).to_contain_text("Nhập kết quả giải quyết")
            await expect(page.locator("#group-replying")).to_be_visible()
            answer = "Phường đã vá ổ gà trước số 12 Trần Phú chiều nay. Cảm ơn anh/chị."
            await page.fill("#group-text", answer)
            await page.press("#group-text", "Enter")
            await expect(group.locator(".msg.user", has_text=answer)).to_have_count(1)
            await expect(card).to_contain_text("Đã trả lời")

            # -- the citizen sees the answer without reloading -----------------------------
            await expect(citizen.locator(".msg.bot", has_text=answer)).to_have_count(1)
            await page.screenshot(path=str(ARTIFACTS / "webchat-2-answered.png"))

            # -- the tickets tab ------------------------------------------------------------
            await page.click(".tab[data-view='tickets']")
            row = page.locator("#tickets-table tbody tr", has_text=code)
            await expect(row).to_contain_text("Đã trả lời")
            await expect(row).to_contain_text("UBND Phường Hải Châu")
            await page.screenshot(path=str(ARTIFACTS / "webchat-3-tickets.png"))

            # -- a reload shows the same conversation; English; a narrow window -------------
            await page.reload()
            await expect(page.locator("body[data-ready='1']")).to_have_count(1)
            await page.click(".tab[data-view='chat']")
            await expect(citizen.locator(".msg.bot", has_text=answer)).to_have_count(1)
            await page.click("button[data-locale='en']")
            await expect(page.locator("#start-button")).to_have_count(1)
            await expect(page.locator(".tab[data-view='tickets']")).to_have_text("Tickets")
            await page.set_viewport_size({"width": 390, "height": 844})
            await page.click(".tab[data-view='group']")
            await expect(group).to_be_visible()
            await expect(citizen).to_be_hidden()
            await page.screenshot(path=str(ARTIFACTS / "webchat-4-narrow-group.png"))
            await page.click(".tab[data-view='citizen']")
            await expect(citizen).to_be_visible()
            await page.click("#citizen-location")
            await page.click("#commune-list button >> text=Phường Sơn Trà")
            await expect(page.locator("#lat")).to_have_value("16.0981")
            await page.screenshot(path=str(ARTIFACTS / "webchat-5-narrow-location.png"))
            await page.click("#location-form button[value='cancel']")
            await expect(page.locator("#location-dialog")).to_be_hidden()
            assert errors == []
        finally:
            await browser.close()
