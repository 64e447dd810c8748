"""The in-process wake-ups: a ring wakes the waiter once; a stop ends the wait; with
no ring the wait ends at its timeout."""

from __future__ import annotations

import threading

from bot.application.doorbell import Doorbell


def test_a_ring_wakes_the_waiter_once() -> None:
    bell, stop = Doorbell(), threading.Event()
    bell.ring()
    assert bell.wait(stop, timeout=5) is True
    assert bell.wait(stop, timeout=0.2) is False  # cleared: the next wait times out


def test_a_ring_from_another_thread_ends_the_wait() -> None:
    bell, stop = Doorbell(), threading.Event()
    ringer = threading.Timer(0.1, bell.ring)
    ringer.start()
    assert bell.wait(stop, timeout=30) is True
    ringer.join()


def test_a_stop_ends_the_wait_without_a_ring() -> None:
    bell, stop = Doorbell(), threading.Event()
    stop.set()
    assert bell.wait(stop, timeout=30) is False
