"""The playground in a real browser: headless Chromium (Debian's package) driven by Selenium
through joining and a button tap. Screenshots go to test-artifacts/."""

from __future__ import annotations

import asyncio
import shutil
import socket
from pathlib import Path

import pytest

from bot.playground import start_playground

pytestmark = pytest.mark.slow  # a real bot process or browser: left out of the quick set

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_demo_is_seeded_through_the_real_bot():
    server, demo = await start_playground(port=_free_port())
    try:
        services = demo.running.services
        assert await services.db.fetchval("SELECT COUNT(*) FROM participants WHERE registered_at IS NOT NULL") == 7
        assert await services.db.fetchval("SELECT COUNT(*) FROM claims WHERE status = 'submitted'") == 1
        assert await services.db.fetchval("SELECT COUNT(*) FROM feedback") == 3
        assert [row["status"] for row in await services.db.fetchall("SELECT status FROM meetings ORDER BY id")] == [
            "polling",
            "confirmed",
        ]
        assert await services.db.fetchval("SELECT COUNT(*) FROM access_needs") == 3
        assert [
            tuple(row)
            for row in await services.db.fetchall("SELECT need, note FROM support_tasks WHERE done_at IS NOT NULL")
        ] == [("taxi", "Picks you up at 17:00")]
        assert [
            tuple(row)
            for row in await services.db.fetchall(
                "SELECT p.display_name, p.telegram_id, l.posted_at FROM letters l JOIN participants p"
                " ON p.id = l.participant_id"
            )
        ] == [("Mr Evans", None, None)], "a person without Telegram, a letter waiting"
        assert await services.db.fetchval("SELECT COUNT(*) FROM project_coleads") == 1
        assert [row["status"] for row in await services.db.fetchall("SELECT status FROM decisions ORDER BY id")] == [
            "decided",
            "open",
            "decided",
        ]
        assert await services.db.fetchval("SELECT COUNT(*) FROM success_statements WHERE agreed_at IS NOT NULL") == 1
        assert await services.db.fetchval("SELECT COUNT(*) FROM success_ratings") == 3
        assert await services.db.fetchval("SELECT COUNT(*) FROM we_answers") == 4
        said = await services.db.fetchall("SELECT from_resident FROM question_messages ORDER BY id")
        assert [row["from_resident"] for row in said] == [1, 0], "a question, answered"
        assert await services.db.fetchval("SELECT COUNT(*) FROM meeting_papers") == 2
        assert await services.db.fetchval("SELECT meeting_pence FROM pay_settings WHERE scope = 'project'") == 1800
        assert await services.db.fetchval("SELECT step FROM cycles") == "collect"
        assert await services.db.fetchval("SELECT COUNT(DISTINCT participant_id) FROM cycle_statements") == 2
        assert (
            await services.db.fetchval(
                "SELECT name FROM projects WHERE closed_at IS NOT NULL AND outcomes"
                " IS NOT NULL AND what_changed IS NOT NULL"
            )
            == "Park benches"
        )
        assert await services.db.fetchval("SELECT COUNT(*) FROM group_reflections WHERE felt IS NOT NULL") == 3
        assert await services.db.fetchval("SELECT COUNT(*) FROM group_reflections WHERE learned IS NOT NULL") == 2
        assert server.rejected == []
        await demo.reset()  # a fresh database, seeded again, not a second copy
        assert await demo.running.services.db.fetchval("SELECT COUNT(*) FROM claims") == 1
    finally:
        await demo.stop()
        await server.stop()


@pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Debian's chromium and chromium-driver are not "
    "installed here (apt-get install chromium chromium-driver); .ci/run installs them",
)
async def test_join_and_tap_a_button_in_a_real_browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as when
    from selenium.webdriver.support.ui import WebDriverWait

    port = _free_port()
    server, demo = await start_playground(port=port)
    ARTIFACTS.mkdir(exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1500,1000",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(flag)

    def drive() -> None:
        browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            wait = WebDriverWait(browser, 20)
            browser.get(f"http://127.0.0.1:{port}/")
            sam = wait.until(when.presence_of_element_located((By.ID, f"phone-{demo.people['Sam'].id}")))
            field = sam.find_element(By.CSS_SELECTOR, "input[name=text]")
            label = sam.find_element(By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']")
            assert label.text == "Message to the bot as Sam", "the input has a label for screen readers"
            field.send_keys("/start")
            sam.find_element(By.CSS_SELECTOR, ".composer button").click()
            wait.until(lambda _: "Which language would you like?" in sam.text)
            english = next(b for b in sam.find_elements(By.CSS_SELECTOR, ".keyboard button") if b.text == "English")
            english.click()
            wait.until(lambda _: "Your privacy" in sam.text)
            assert sam.find_elements(By.XPATH, ".//button[normalize-space()='Yes, I agree']")
            ola = browser.find_element(By.ID, f"phone-{demo.people['Ola'].id}")
            wait.until(lambda _: "Które terminy Ci pasują?" in ola.text)
            browser.save_screenshot(str(ARTIFACTS / "playground-onboarding.png"))
            browser.set_window_size(400, 850)  # a phone-sized screen
            browser.save_screenshot(str(ARTIFACTS / "playground-phone.png"))
        finally:
            browser.quit()

    try:
        await asyncio.to_thread(drive)
        participant = await demo.running.services.participants.by_telegram_id(demo.people["Sam"].id)
        assert participant is None, "Sam has not consented yet, so nothing about Sam is stored"
        assert server.rejected == []
    finally:
        await demo.stop()
        await server.stop()
