from bot.domain.flood import FloodGuard, Verdict


def test_a_flooding_user_is_warned_once_then_quietly_slowed() -> None:
    guard = FloodGuard(limit=3, window=60)
    assert [guard.check(1, t) for t in (0, 1, 2)] == [Verdict.ALLOW] * 3
    assert guard.check(1, 3) is Verdict.WARN
    assert guard.check(1, 4) is Verdict.DROP
    assert guard.check(2, 4) is Verdict.ALLOW  # others are not slowed
    assert guard.check(1, 60.5) is Verdict.ALLOW  # the window moved on


def test_memory_stays_bounded() -> None:
    guard = FloodGuard(limit=1, window=60, max_users=100)
    for user in range(1000):
        guard.check(user, 0)
    assert len(guard._events) == 100
