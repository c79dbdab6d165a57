"""Teams' per-conversation and per-app send windows, kept by the sender (no real waiting: a fake clock)."""
from handlers.teams.platform.pacing import Pacer


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_an_eighth_message_to_one_chat_in_a_second_waits_for_the_window():
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    for _ in range(7):
        pacer.wait("chat-1")
    assert clock.now == 0.0
    pacer.wait("chat-1")
    assert clock.now == 1.0            # 7 in 1 s: the 8th goes a second after the first


def test_sixty_in_thirty_seconds_and_other_chats_untouched():
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    for _ in range(61):
        pacer.wait("chat-1")
    assert clock.now >= 30.0           # the 61st waits for the 30-second window
    start = clock.now
    pacer.wait("chat-2")
    assert clock.now == start          # a different chat has its own windows


def test_the_app_wide_rate_spreads_a_burst_to_many_people():
    clock = Clock()
    pacer = Pacer(clock, clock.sleep)
    for n in range(450):
        pacer.wait(f"person-{n}")
    assert 9.0 <= clock.now <= 10.0    # 45 a second for the app, whoever they go to
