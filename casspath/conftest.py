import pytest

from casspath.testing import build_world


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a file, not memory, so that a real Huey consumer in another process
    shares their database (core/tests/consumer.py)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_hashing_and_immediate_tasks(settings, monkeypatch):
    # Argon2 is the production hasher (tested on its own); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_COOKIES = False
    from casspath.core import jobs
    from casspath.org import figures
    from casspath.tasks import huey

    # A test's transaction never commits: send jobs at once, as the commit would.
    monkeypatch.setattr(jobs, "on_commit", lambda callback: callback())
    # Nor does it end the roster's transaction mark (org/figures.py): end it at once, as the
    # commit would, or figures would never be kept after a test's first write.
    monkeypatch.setattr(figures, "on_commit", lambda callback, using=None: callback())
    huey.immediate = True
    yield
    huey.immediate = False


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_the_test_run(settings, _media_root):
    """Files stored through the default storage (the demo's videos, uploads) go to a folder
    of the test run, not to var/media."""
    settings.MEDIA_ROOT = str(_media_root)


@pytest.fixture(autouse=True)
def _private_files_in_the_test(settings, tmp_path):
    """Private files (printed PDFs, login sheets) go to the test's own folder: no other
    test, of this worker or another, writes or reads them."""
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


@pytest.fixture
def world(db):
    return build_world()


CHROMIUM = "/usr/bin/chromium"
# Flags for a root, headless, network-less machine: no sandbox (root), and no background
# connections to hosts the closed network would refuse.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """A real Chromium (Debian's), driven by Playwright. `make test` installs it."""
    import os

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test-deps` (apt-get install chromium)")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def consumers(transactional_db, tmp_path, settings):
    """Real Huey consumers sharing this test's database (see core/tests/consumer.py); every
    one still alive is killed at the end, before the database is flushed."""
    from casspath.core.tests.consumer import Consumers
    from casspath.tasks import huey

    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    started = Consumers(tmp_path, huey)
    yield started
    started.stop_all()
