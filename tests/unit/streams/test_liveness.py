"""The liveness tracker: what /readyz reports and when the watchdog restarts (pure, with a fake clock)."""

from __future__ import annotations

from streams.infra.liveness import GroupSample, Liveness

TP = ("t.posts.v1", 0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sample(committed: int, end: int, in_group: bool = True) -> GroupSample:
    return GroupSample(in_group, frozenset({TP}) if in_group else frozenset(), {TP: committed} if in_group else {},
                       {TP: end} if in_group else {})


def tracker(clock: Clock) -> Liveness:
    return Liveness("g", "c", ready_seconds=30, watchdog_seconds=60, clock=clock)


def test_progress_while_lagging_is_ready_and_not_stuck():
    clock, lv = Clock(), None
    lv = tracker(clock)
    for committed in range(0, 500, 50):
        lv.observe(sample(committed, 1000))
        clock.now += 20  # each probe sees the committed offset move
    assert lv.unready(redis_ok=True) == [] and lv.stuck() is None
    assert lv.total_lag() == 1000 - 450


def test_no_progress_while_lag_is_unready_then_stuck():
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(100, 1000))
    clock.now += 31
    lv.observe(sample(100, 1200))  # more arrives, nothing committed
    assert lv.unready(redis_ok=True) == ["no progress for 31s while lag is 1100"]
    assert lv.stuck() is None
    clock.now += 30
    lv.observe(sample(100, 1200))
    assert lv.stuck() == "no progress for 61s while lag is 1100"


def test_idle_with_nothing_to_read_is_never_stuck():
    clock = Clock()
    lv = tracker(clock)
    for _ in range(10):
        lv.observe(sample(1000, 1000))
        clock.now += 100
    assert lv.idle_seconds() == 0 and lv.stuck() is None and lv.unready(redis_ok=True) == []


def test_out_of_group_is_stuck_after_the_watchdog_time():
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(0, 0))
    lv.observe(sample(0, 0, in_group=False))
    assert "not a member of consumer group g" in lv.unready(redis_ok=True)
    clock.now += 61
    lv.observe(sample(0, 0, in_group=False))
    assert lv.stuck() == "out of consumer group g for 61s"
    lv.observe(sample(0, 0))  # back in: fine again
    assert lv.stuck() is None


def test_broker_down_is_unready_but_never_a_restart():
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(100, 1000))
    clock.now += 500
    lv.observe(None)
    assert "kafka does not answer the group probe" in lv.unready(redis_ok=True)
    assert lv.stuck() is None  # a restart cannot bring the broker back


def test_redis_down_is_unready():
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(5, 5))
    assert lv.unready(redis_ok=False) == ["redis does not answer"]


def test_a_new_assignment_counts_as_progress():
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(100, 1000))
    clock.now += 50
    lv.observe(GroupSample(True, frozenset({TP, ("t.posts.v1", 1)}), {TP: 100}, {TP: 1000}))
    assert lv.idle_seconds() == 0  # a rebalance gives the new owner time


def test_lag_without_a_committed_offset_counts_from_the_start():
    assert GroupSample(True, frozenset({TP}), {TP: -1001}, {TP: 40}).lag == {TP: 40}


def test_after_a_broker_outage_the_consumer_gets_the_whole_watchdog_time_again():
    """A broker down longer than the watchdog time must not restart a consumer the moment it is back
    (chaos broker_restart: down ~35 s); only no progress for the watchdog time after it does."""
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(100, 1000))
    for _ in range(10):  # 100 s of outage, probes unanswered
        clock.now += 10
        lv.observe(None)
    clock.now += 5
    lv.observe(sample(100, 1000))
    assert lv.stuck() is None
    clock.now += 61
    lv.observe(sample(100, 1000))
    assert lv.stuck() is not None


class _Admin:
    """describe_consumer_groups only: unanswered until `answering` (then at once, a group without members)."""

    def __init__(self) -> None:
        self.sent, self.answering = [], False

    def describe_consumer_groups(self, groups, request_timeout):
        from concurrent.futures import Future
        from types import SimpleNamespace

        self.sent.append(Future())
        if self.answering:
            self.sent[-1].set_result(SimpleNamespace(members=[]))
        return {groups[0]: self.sent[-1]}

    def list_consumer_group_offsets(self, requests, request_timeout):  # a group that committed nothing
        from concurrent.futures import Future
        from types import SimpleNamespace

        done = Future()
        done.set_result(SimpleNamespace(topic_partitions=[]))
        return {requests[0].group_id: done}


def test_an_unanswered_probe_is_not_sent_again_until_it_is_answered():
    from types import SimpleNamespace

    from streams.infra.liveness import probe_group

    admin, pending = _Admin(), []
    assert probe_group(admin, None, "g", "c", timeout=0.01, pending=pending) is None  # no answer in time
    assert probe_group(admin, None, "g", "c", timeout=0.01, pending=pending) is None
    assert len(admin.sent) == 1 and pending == admin.sent  # the second probe waited for the first
    admin.sent[0].set_result(SimpleNamespace(members=[]))  # answered late: the next probe asks again
    admin.answering = True
    assert probe_group(admin, None, "g", "c", timeout=1, pending=pending) == GroupSample(False, frozenset(), {}, {})
    assert len(admin.sent) == 2 and pending == []


def test_a_probe_that_keeps_failing_while_the_broker_answers_is_stuck():
    """Not "don't know" for ever: the broker answers a metadata request, so the consumer's own
    Kafka clients are what fails (issue 14: the watchdog did nothing while its probe failed)."""
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(100, 1000))
    for _ in range(6):
        clock.now += 10
        lv.observe(None, broker_answers=True)
    assert lv.stuck() is None and "the group probe has failed for 50s" in lv.unready(redis_ok=True)
    clock.now += 11
    lv.observe(None, broker_answers=True)
    assert lv.stuck() == "no progress for 71s while lag is 900"  # lag when last seen, no progress since
    lv.observe(sample(100, 1000))  # answered again: the failing clock stops
    assert lv.failing_since is None


def test_a_probe_that_never_answered_knows_nothing_and_never_restarts():
    """A worker's first probe stuck unanswered (librdkafka kept it pending for minutes): no sample,
    so nothing says the consumer is stuck (it restarted a healthy worker into an outage once)."""
    clock = Clock()
    lv = tracker(clock)
    for _ in range(20):
        clock.now += 10
        lv.observe(None, broker_answers=True)
    assert lv.stuck() is None and lv.failing_since is None


def test_probe_failures_during_an_outage_never_add_up_to_a_restart():
    clock = Clock()
    lv = tracker(clock)
    lv.observe(sample(100, 100))
    for answers in (True, False, True, False, True):  # the broker comes and goes: a failing probe each time
        clock.now += 40
        lv.observe(None, broker_answers=answers)
    assert lv.failing_since == clock.now and lv.stuck() is None  # since the last time the broker was away
    lv = tracker(clock)
    lv.observe(sample(100, 1000))  # lagging when last seen
    for answers in (True, False, True, False, True):
        clock.now += 40
        lv.observe(None, broker_answers=answers)
    assert lv.stuck() is None  # each outage restarts the clocks


def test_a_member_with_nothing_assigned_is_judged_by_its_groups_lag():
    """A group stuck in a rebalance gives its member no partitions: with the group's committed
    offsets lagging and not moving, that member is stuck, not idle."""
    clock = Clock()
    lv = tracker(clock)
    stalled = GroupSample(True, frozenset(), {TP: 100}, {TP: 1000})
    lv.observe(stalled)
    clock.now += 61
    lv.observe(stalled)
    assert lv.stuck() == "no progress for 61s while lag is 900"


class _Ends:
    """A consumer whose end-offset query fails for the partitions in `down` (their leader is moving)."""

    def __init__(self, ends: dict, down: set):
        self.ends, self.down, self.asked = ends, down, []

    def get_watermark_offsets(self, tp, timeout, cached):
        from confluent_kafka import KafkaError, KafkaException

        self.asked.append((tp.topic, tp.partition))
        if (tp.topic, tp.partition) in self.down:
            raise KafkaException(KafkaError(KafkaError._TIMED_OUT))
        return 0, self.ends[(tp.topic, tp.partition)]


def test_end_offsets_that_do_not_answer_keep_their_last_known_values_and_the_rest_are_not_asked():
    """A rolling broker restart: one partition's end offset times out. The sample keeps the committed
    offsets (progress stays visible) with the last known ends, instead of being thrown away; the
    partitions after the failing one are not asked (one timeout a probe)."""
    from streams.infra.liveness import end_offsets

    ends = _Ends({("t", 0): 50, ("t", 1): 60, ("t", 2): 70}, down={("t", 1)})
    committed = {("t", 0): 40, ("t", 1): 55, ("t", 2): 65}
    got = end_offsets(ends, committed, timeout=1, known={("t", 1): 52, ("t", 2): 64})
    assert got == {("t", 0): 50, ("t", 1): 55, ("t", 2): 65}  # known 52 < committed 55: no negative lag
    assert ends.asked == [("t", 0), ("t", 1)]
    assert GroupSample(True, frozenset(committed), committed, got).lag == {("t", 0): 10, ("t", 1): 0, ("t", 2): 0}


def test_a_consumer_that_commits_while_end_offsets_fail_is_progressing_not_stuck():
    """The watchdog restarted a healthy hot path that committed all along, because every probe
    failed on end offsets while brokers restarted: committed offsets moving are progress."""
    from streams.infra.liveness import end_offsets

    now = [0.0]
    lv = Liveness("g", "c", ready_seconds=5, watchdog_seconds=30, clock=lambda: now[0])
    tps = {("t", 0): 10}
    lv.observe(GroupSample(True, frozenset(tps), tps, {("t", 0): 100}))
    ends = _Ends({}, down={("t", 0)})
    for step in range(1, 8):  # 70 s of probes whose end offsets all time out, the group committing on
        now[0] = 10.0 * step
        committed = {("t", 0): 10 + 10 * step}
        lv.observe(GroupSample(True, frozenset(tps), committed, end_offsets(ends, committed, 1, lv.sample.ends)))
        assert lv.stuck() is None, step
    stuck_at = dict(lv.sample.committed)
    for step in range(8, 13):  # then it stops committing with lag left: stuck, ends unreadable or not
        now[0] = 10.0 * step
        lv.observe(GroupSample(True, frozenset(tps), stuck_at, end_offsets(ends, stuck_at, 1, lv.sample.ends)))
    assert lv.total_lag() == 20 and lv.stuck() == "no progress for 50s while lag is 20"
