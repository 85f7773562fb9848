"""The one way the app drops stale results: a generation number for each kind of request."""

from __future__ import annotations


class Generation:
    """Numbers the requests of one kind (searches, articles to read): each request takes the next number
    and its answer carries it back, so that an answer arriving after a newer request was made is known
    to be stale and dropped, however the workers that computed them were scheduled."""

    def __init__(self) -> None:
        self.latest = 0

    def next(self) -> int:
        """The number of a new request; from now on the answers to earlier ones are stale."""
        self.latest += 1
        return self.latest

    def is_latest(self, number: int) -> bool:
        """Whether an answer is to the newest request (a worker may ask too, to skip work no one awaits)."""
        return number == self.latest
