"""Group commit: concurrent requests share one write, each gets its own answers."""

import threading

import pytest

from homecare.core.group_commit import GroupCommit


def test_a_request_alone_is_written_alone_with_its_answers():
    batches = []
    group = GroupCommit(lambda items: batches.append(items) or [i * 10 for i in items])
    assert group.submit([1, 2, 3]) == [10, 20, 30]
    assert group.submit([]) == []
    assert batches == [[1, 2, 3]]


def test_requests_arriving_while_one_writes_are_written_together():
    """The first request writes; the five that arrive meanwhile wait and then share
    the next write, each getting back the answers to its own items, in order."""
    writing, release = threading.Event(), threading.Event()
    batches = []

    def write(items):
        batches.append(list(items))
        if len(batches) == 1:
            writing.set()
            release.wait(5)
        return [f"done {item}" for item in items]

    group = GroupCommit(write)
    answers = {}

    def request(n):
        answers[n] = group.submit([f"{n}a", f"{n}b"])

    first = threading.Thread(target=request, args=(0,))
    first.start()
    assert writing.wait(5)
    others = [threading.Thread(target=request, args=(n,)) for n in range(1, 6)]
    for thread in others:
        thread.start()
    while len(group._queue) < 5:  # all five queued behind the first write
        threading.Event().wait(0.001)
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert batches[0] == ["0a", "0b"]
    assert len(batches) == 2 and sorted(batches[1]) == sorted(
        f"{n}{x}" for n in range(1, 6) for x in "ab"
    )
    assert answers == {n: [f"done {n}a", f"done {n}b"] for n in range(6)}


def test_a_batch_is_no_bigger_than_the_limit():
    writing, release = threading.Event(), threading.Event()
    batches = []

    def write(items):
        batches.append(len(items))
        writing.set()
        release.wait(5)
        return list(items)

    group = GroupCommit(write, limit=4)
    threads = [threading.Thread(target=group.submit, args=([n, n],)) for n in range(5)]
    threads[0].start()
    assert writing.wait(5)
    for thread in threads[1:]:
        thread.start()
    while len(group._queue) < 4:
        threading.Event().wait(0.001)
    release.set()
    for thread in threads:
        thread.join(5)
    assert batches == [2, 4, 4]


def test_a_failed_write_is_raised_in_every_request_it_held():
    group = GroupCommit(lambda items: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        group.submit(["x"])
    # The next request leads again (nobody is left holding the lead).
    group.write = lambda items: ["ok"] * len(items)
    assert group.submit(["y"]) == ["ok"]


def test_work_after_a_write_runs_once_the_batch_is_answered_and_the_next_leader_woken():
    """A late call's email, say: the requests written with it do not wait for it."""
    from homecare.core.group_commit import after_answering

    writing, release, follower_answered = threading.Event(), threading.Event(), threading.Event()
    seen = []

    def write(items):
        if items == ["first"]:
            writing.set()
            release.wait(5)
            after_answering(lambda: seen.append(("after", follower_answered.wait(5))))
        return items

    group = GroupCommit(write)
    answers = {}

    def request(name):
        answers[name] = group.submit([name])
        if name == "second":
            follower_answered.set()

    first = threading.Thread(target=request, args=("first",))
    first.start()
    assert writing.wait(5)
    second = threading.Thread(target=request, args=("second",))
    second.start()
    while len(group._queue) < 1:
        threading.Event().wait(0.001)
    release.set()
    for thread in (first, second):
        thread.join(5)
    # The first request's work ran after the second request was answered (by the
    # next leader, woken before the work began).
    assert seen == [("after", True)]
    assert answers == {"first": ["first"], "second": ["second"]}


def test_work_after_answering_runs_at_once_outside_a_group_and_its_error_is_only_logged(caplog):
    from homecare.core.group_commit import after_answering

    ran = []
    after_answering(lambda: ran.append("now"))
    assert ran == ["now"]

    def write(items):
        after_answering(lambda: 1 / 0)
        return items

    assert GroupCommit(write).submit(["a"]) == ["a"]
    assert "Work after a group commit failed" in caplog.text


def test_a_failed_write_runs_none_of_its_work_after():
    from homecare.core.group_commit import after_answering

    ran = []

    def write(items):
        after_answering(lambda: ran.append("sent"))
        raise RuntimeError("the commit failed")

    with pytest.raises(RuntimeError):
        GroupCommit(write).submit(["a"])
    assert ran == []
