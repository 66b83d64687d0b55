import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def make_receiver():
    started = []

    def make(*args, **kwargs):
        running = Receiver(*args, **kwargs).__enter__()
        started.append(running)
        return running

    yield make
    for running in started:
        running.__exit__(None, None, None)
