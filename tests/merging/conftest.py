from tests.browser.conftest import browser, console, output_dir  # noqa: F401  (for test_browser)
