"""`python -m bot --playground`: the real bot against the local emulator, with a demo council
and a web page on 127.0.0.1 that shows several people's phones side by side.

The demo is built by people using the bot (joining, answering a poll, claiming, giving
feedback) through the emulator, so every chat has a believable history and the state is
exactly what the real flows produce.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import tempfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.config import Settings
from bot.runtime import RunningBot, start_bot, stop_bot
from emulator import FakeTelegram, RateLimits
from emulator.driver import Person
from emulator.playground import Persona, Playground
from feedback.buttons import FeedbackActionButton

log = logging.getLogger(__name__)

PEOPLE = [  # (name, language, role shown on the page, is shown)
    ("Olive", "en", "officer and admin", True),
    ("Cora", "en", "coordinator", True),
    ("Ann", "en", "resident", True),
    ("Ola", "pl", "resident (Polski)", True),
    ("Sam", "en", "new resident: try /start", True),
    ("Bob", "en", "resident", False),
    ("Priya", "en", "resident", False),
]


class Demo:
    """The emulator, the bot and the demo council; `reset` builds it all again."""

    def __init__(self, server: FakeTelegram, workdir: Path) -> None:
        self.server = server
        self.workdir = workdir
        self.people = {name: server.add_user(name, language_code=lang) for name, lang, _role, _shown in PEOPLE}
        self.settings = Settings(
            bot_token=server.token,
            telegram_api_url=server.base_url,
            database_path=workdir / "playground.sqlite3",
            admin_ids=frozenset({self.people["Olive"].id}),
            messages_per_second=200.0,
            chat_interval_seconds=0.0,
            flood_limit=1000,
        )  # the demo is built by a script tapping fast
        self.running: RunningBot | None = None
        self._lock = asyncio.Lock()

    def personas(self) -> list[Persona]:
        return [Persona(self.people[name].id, name, role, lang) for name, lang, role, shown in PEOPLE if shown]

    async def settle(self, update_id: int) -> None:
        assert self.running is not None
        await self.server.wait_consumed(update_id)
        await self.running.application.update_queue.join()

    def person(self, name: str) -> Person:
        return Person(self.server, self.settle, self.people[name])

    async def start(self) -> None:
        self.running = await start_bot(self.settings, clock=SystemClock())
        await self.seed()

    async def stop(self) -> None:
        if self.running is not None:
            await stop_bot(self.running)
            self.running = None

    async def reset(self) -> None:
        async with self._lock:
            await self.stop()
            self.server.clear_history()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.settings.database_path}{suffix}").unlink(missing_ok=True)
            await self.start()

    async def drain(self) -> None:
        assert self.running is not None and self.running.services.sender is not None
        await self.running.services.sender.drain()

    async def join(self, name: str, topics: tuple[str, ...] = ("Carers",), area: str = "Bracknell") -> Person:
        person = self.person(name)
        polish = self.people[name].language_code == "pl"
        await person.send("/start")
        await person.tap("Polski" if polish else "English")
        await person.tap("Tak, zgadzam się" if polish else "Yes, I agree")
        await person.send(name)
        await person.tap("Dla siebie" if polish else "For myself")
        for topic in topics:
            await person.tap(topic if not polish else "Opiekunowie")
        await person.tap("Gotowe" if polish else "Done ✔")
        await person.send(area)
        await person.tap("O dowolnej porze" if polish else "Any time is fine")
        return person

    async def seed(self) -> None:
        """A believable council: a group, an opportunity, a poll under way, a claim, feedback."""
        olive = await self.join("Olive", topics=())
        cora = await self.join("Cora", topics=())
        await olive.send("/invite")
        await olive.tap("Coordinator")
        link = next(line for line in olive.reply_text.splitlines() if "start=" in line)
        await cora.send("/start " + link.split("start=")[1])

        ann = await self.join("Ann")
        await ann.send("/access")
        for need in ("Step-free access", "Hearing loop"):
            await ann.tap(need)
        await ann.tap("Next »")
        await ann.tap("In person")
        await ann.tap("Evenings")
        await ann.tap("Next »")
        await ann.tap("2 hours")
        await ann.send("I use a wheelchair; please reserve a space near the door.")
        ola = await self.join("Ola")
        bob = await self.join("Bob", topics=("Carers", "Housing"))
        priya = await self.join("Priya", topics=("Children with SEND",))

        await cora.send("/newproject")
        await cora.send("Carers' café")
        await cora.send(
            "We plan a monthly café where carers can rest and talk. Members choose the day, the place and what happens."
        )
        for answer in ("Yes, fully", "Yes", "Some of it", "Yes"):  # the start-up check suggests co-design
            await cora.tap(answer)
        await cora.tap("Co-design")
        join = cora.messages[-1]["caption"].split("start=")[1].split()[0]
        for person in (ann, ola, bob):
            await person.send(f"/start {join}")

        await cora.send("/opportunity")
        for answer in (
            "Young carers' voice",
            "Help us design support for young carers at school.",
            "Co-design",
            "What support looks like and how schools offer it.",
            "The budget for this year.",
            "Two 1-hour sessions",
            "Evenings in January",
        ):
            if answer == "Co-design":
                await cora.tap(answer)
            else:
                await cora.send(answer)
        await cora.tap("Expenses and paid for your time")
        await cora.send("Bracknell Library, step-free, hearing loop; or join online.")
        closes = (SystemClock().now() + timedelta(days=30)).astimezone(ZoneInfo("Europe/London"))
        await cora.send(f"{closes.day}/{closes.month}/{closes.year}")
        await cora.tap("Topics")
        await cora.tap("Carers")
        await cora.tap("Done ✔")
        await cora.tap("Preview ›")
        await cora.tap("🚀 Send now")
        await self.drain()
        await bob.tap("🙋 I'm interested")

        await self.meeting_poll(
            cora,
            "Café planning",
            "Choose the first café day and what we need to get started.",
            ("Step-free access", "Accessible toilet"),
            "2 hours",
            ((10, "18:30"), (12, "10:00")),
            "In 4 days",
        )
        for person, answers in ((ann, ("1 ✅", "2 ❌")), (bob, ("1 ✅", "2 ✅"))):
            for answer in answers:
                await person.tap(answer)
            await person.tap("Send my answers")

        await bob.send("/claim")
        await bob.tap("Something else I did for the council")
        await bob.send("Helped at the carers' stall at the summer fair")
        await bob.tap("Bus or train")
        await bob.send("4.20")
        await bob.tap("Review and send")
        await bob.tap("Skip »")
        await bob.tap("Bank transfer")
        await bob.tap("Send my claim")

        await bob.send("/feedback")
        await bob.tap("A council service")
        await bob.send("Buses")
        await bob.send("The bus stop by the library has no shelter, so older people wait in the rain.")
        await bob.tap("Yes, with my name")
        await priya.send("/feedback")
        await priya.tap("Something else")
        await priya.send("Evening meetings are hard for me without childcare.")
        await priya.tap("Yes, but not my name")
        await self.drain()
        await self.decide_together(cora, ann, bob)
        await self.recognition(ann)
        await self.arranged_support(cora, ann, bob)
        await self.define_success(cora, ann, bob, ola)
        await self.answered_question(cora, bob)
        await self.without_telegram(cora, olive)
        await self.papers_and_pay(cora)
        await self.working_together(cora, ann, bob)
        await self.closed_group(cora, ann, bob, ola)
        log.info("Demo council ready")

    async def meeting_poll(
        self,
        cora: Person,
        title: str,
        about: str,
        features: tuple[str, ...],
        length: str,
        times: tuple[tuple[int, str], ...],
        closes: str,
    ) -> None:
        """Cora plans an in-person meeting of her group at the library and sends its time poll;
        each candidate time is some days from now at a time of day."""
        await cora.send("/meeting")
        await cora.send(title)
        await cora.send(about)
        await cora.tap("Co-produce")
        await cora.tap("In person")
        await cora.send("Bracknell Library, Room 2, RG12 1BE")
        for feature in features:
            await cora.tap(feature)
        await cora.tap("Done ✔")
        await cora.tap(length)
        today = SystemClock().now().astimezone(ZoneInfo("Europe/London"))
        days = [(today + timedelta(days=ahead), hour) for ahead, hour in times]
        await cora.send("\n".join(f"{day.day}/{day.month} {hour}" for day, hour in days))
        await cora.tap("Done ✔")
        await cora.tap(closes)
        await cora.tap("Members of")
        await cora.tap("Done ✔")
        await cora.tap("Only me")
        await cora.tap("Send the poll")
        await self.drain()

    async def decide_together(self, cora: Person, ann: Person, bob: Person) -> None:
        """The café group shares power: Ann is a co-lead, Bob's proposal is open, and Ann's
        earlier one has closed with an outcome."""
        await cora.send("/groups")
        await cora.tap("Carers' café")
        await cora.tap("Appoint a co-lead")
        await cora.tap("Ann")
        await self.propose(
            ann,
            "A quiet corner at every café",
            "We keep one table away from the music, for people who need a calm space.",
        )
        for person in (ann, bob):
            await person.tap("Agree")
        await ann.tap("Close it now")
        await self.drain()
        await ann.tap("Record the outcome")
        await ann.tap("Agreed")
        await ann.send("From the next café, the table by the window is the quiet corner. We will put up a sign.")
        await ann.tap("In 3 months")
        await self.propose(
            bob,
            "Meet on Saturday mornings",
            "The café would run on the first Saturday of the month, 10 to 12, so working carers can come.",
        )

    async def recognition(self, ann: Person) -> None:
        """Ann says what she knows about and agrees we may use it; /myinvolvement shows her
        group and the decisions she took part in, with a certificate to download."""
        await ann.send("/profile")
        await ann.tap("💡 What I know about")
        for skill in ("Using a wheelchair", "Caring for a parent or partner"):
            await ann.tap(skill)
        await ann.tap("Next »")
        await ann.send("Getting around town with a wheelchair and a bus pass.")
        await ann.tap("Yes, tell me")

    async def arranged_support(self, cora: Person, ann: Person, bob: Person) -> None:
        """Ann and Bob agree to be named; a short confirmed meeting has a support list, with
        Bob's taxi already booked and his Easy Read papers still to do."""
        await ann.tap("Yes, share my name")
        await bob.send("/access")
        for need in ("Travel help: taxi", "Easy Read papers"):
            await bob.tap(need)
        await bob.tap("Next »")
        await bob.tap("In person")
        await bob.tap("Next »")
        await bob.tap("1 hour")
        await bob.send("I get tired after an hour.")
        await bob.tap("Yes, share my name")
        await self.meeting_poll(
            cora,
            "Café tasters",
            "Try three cakes and choose one for the first café.",
            ("Step-free access",),
            "45 minutes",
            ((8, "17:30"), (9, "11:00")),
            "In 2 days",
        )
        for person in (ann, bob):
            await person.tap("1 ✅")
            await person.tap("2 ✅")
            await person.tap("Send my answers")
        await cora.send("/meetings")
        await cora.tap("📊 Café tasters")
        await cora.tap("Confirm")
        await self.drain()
        await cora.send("/meetings")
        await cora.tap("📊 Café tasters")
        await cora.tap("Support list")
        await cora.tap("Book a taxi for Bob")
        await cora.send("Picks you up at 17:00")
        await self.drain()

    async def define_success(self, cora: Person, ann: Person, bob: Person, ola: Person) -> None:
        """The café group has agreed what success looks like and where it stands now; Cora has
        answered the staff's 'We' statements."""
        assert self.running is not None and self.running.services.scheduler is not None
        await ann.send("/groups")
        await ann.tap("Carers' café")
        await ann.tap("Propose what success looks like")
        await ann.send("Every carer can get a break once a month.")
        await ann.tap("Carers")
        await ann.send("How many carers come to the café; what they tell us at each café.")
        await self.drain()
        for person in (ann, bob):
            await person.tap("Agree")
        await ann.tap("Close it now")
        await self.drain()
        await ann.tap("Record the outcome")
        await ann.tap("Agreed")
        await ann.send("This is what success looks like for our café.")
        await ann.tap("No review")
        await self.running.services.scheduler.run_due()
        await self.drain()
        for person, score in ((ann, "2"), (bob, "2"), (ola, "3")):
            await person.tap(score)
        await cora.send("/groups")
        await cora.tap("Carers' café")
        await cora.tap("Our 'We' answers")
        for answer in ("Yes", "Partly", "Yes", "Partly"):
            await cora.tap(answer)

    async def answered_question(self, cora: Person, bob: Person) -> None:
        """Bob asked about the opportunity and Cora answered: a thread he can answer again."""
        await bob.tap("ℹ️ Tell me more")
        await bob.tap("❓ Ask a question")
        await bob.send("Can I bring my mum? I care for her and she would like to come.")
        await self.drain()
        await cora.tap("↩️ Reply")
        await cora.send("Yes, please bring her. There is a quiet room and step-free access.")

    async def without_telegram(self, cora: Person, olive: Person) -> None:
        """Mr Evans takes part on paper, in Easy Read: Cora took down his feedback on the phone,
        and Olive's answer waits in /people as a letter to post."""
        await cora.send("/addperson")
        await cora.send("Mr Evans")
        await cora.tap("On paper, by post")
        await cora.tap("They signed a form")
        await cora.tap("Easy Read")
        await cora.tap("Large print")
        await cora.tap("Next »")
        await cora.tap("Carers' café")
        await cora.send("4 Park Road, Bracknell RG12 2AB")
        await cora.tap("Open their page")
        await cora.tap("Take down their feedback")
        await cora.send("The café leaflet has small print. I could not read the times.")
        reference = cora.reply_text.split()[2]
        assert self.running is not None
        row = await self.running.services.db.fetchone("SELECT id FROM feedback WHERE reference = ?", (reference,))
        assert row is not None
        await olive.send("/inbox")
        await olive.press(olive.messages[-1]["message_id"], FeedbackActionButton(row["id"], "l").pack())
        await self.drain()

    async def papers_and_pay(self, cora: Person) -> None:
        """The café group pays £18 an hour for meetings and £12 for reading the papers; the café
        meeting has an agenda and an Easy Read version, ready to go with its invitation."""
        await cora.send("/groups")
        await cora.tap("Carers' café")
        await cora.tap("What is paid")
        for rate, amount in (("Meeting time", "18"), ("Preparation and reading", "12")):
            await cora.tap(rate)
            await cora.send(amount)
        await cora.send("/meetings")
        await cora.tap("📊 Café planning")
        await cora.tap("Papers")
        await cora.tap("Add or change the papers")
        await cora.send(
            "Agenda\n1. Welcome and introductions\n2. Which day suits carers best\n"
            "3. What the café needs to start: room, drinks, a quiet corner\n4. Who does what next"
        )
        await cora.tap("Add or change the Easy Read version")
        await cora.send(
            "What we will do\n1. Say hello.\n2. Choose a day for the café.\n"
            "3. Say what the café needs.\n4. Say who will help."
        )

    async def working_together(self, cora: Person, ann: Person, bob: Person) -> None:
        """The café group is collecting answers in a Working Together for Change cycle: Ann and
        Bob have answered, the others are still to."""
        await cora.send("/cycle")
        await cora.tap("Start a cycle for Carers")
        await cora.send("How can the café work better for carers?")
        await cora.tap("A week for each step")
        await cora.tap("Every member")
        await cora.tap("Start the cycle")
        await self.drain()
        for person, answers in (
            (ann, ("A warm welcome\nGood cake", "Too noisy at times\nHard to park", "A quiet corner every time")),
            (bob, ("Meeting other carers\nFree tea", "Only on weekdays\nNo info online", "A Saturday café")),
        ):
            await person.tap("Give my answers")
            for answer in answers:
                await person.send(answer)

    async def closed_group(self, cora: Person, ann: Person, bob: Person, ola: Person) -> None:
        """A second, small group has done its work: Cora closed it with its outcomes, and its
        members said how it felt and what they learned."""
        await cora.send("/newproject")
        await cora.send("Park benches")
        await cora.send("We choose where new benches go in the town park, so everyone can stop and rest.")
        for answer in ("Yes, fully", "Yes", "Some of it", "Yes"):
            await cora.tap(answer)
        await cora.tap("Co-design")
        join = cora.messages[-1]["caption"].split("start=")[1].split()[0]
        for person in (ann, bob, ola):
            await person.send(f"/start {join}")
        await cora.send("/groups")
        await cora.tap("Park benches")
        await cora.tap("🏁 Close the group")
        await cora.send("We walked the park with 12 residents and chose places for six new benches.")
        await cora.send("The benches are in. Two are by the play area, for parents and carers.")
        await cora.tap("🏁 Close the group")
        await self.drain()
        for person, felt, learned in (
            (ann, "😀", None),
            (bob, "🙂", "That small changes help a lot of people."),
            (ola, "🙂", "How the council plans a park."),
        ):
            await person.tap(felt)  # the feeling's face, the same in every language
            if learned:
                await person.send(learned)
            else:
                await person.tap("Skip »")

    async def propose(self, person: Person, title: str, meaning: str) -> None:
        await person.send("/propose")
        await person.send(title)
        await person.send(meaning)
        await person.tap("In a week")
        await person.tap("No minimum")
        await person.tap("Send it")
        await self.drain()


async def start_playground(host: str = "127.0.0.1", port: int = 8080) -> tuple[FakeTelegram, Demo]:
    """The emulator with the page on host:port, and the bot with its demo council, running."""
    server = FakeTelegram(
        token="7000000:PLAYGROUND-DEMO", bot_username="coproduction_demo_bot", limits=RateLimits.unlimited()
    )
    workdir = Path(tempfile.mkdtemp(prefix="coproduction-playground-"))
    holder: dict[str, Demo] = {}

    async def settle(update_id: int) -> None:
        await holder["demo"].settle(update_id)

    async def reset() -> None:
        await holder["demo"].reset()

    playground = Playground(server, settle, reset)
    await server.start(host, port, extra_routes=playground.routes)
    demo = holder["demo"] = Demo(server, workdir)
    playground.people = demo.personas()
    await demo.start()
    return server, demo


async def run(host: str = "127.0.0.1", port: int = 8080) -> None:
    server, demo = await start_playground(host, port)
    print(f"Playground ready: open http://{host}:{port}/ in a browser. Stop with Ctrl+C.", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await demo.stop()
        await server.stop()
