"""The pages in a real browser: headless Chromium driven by Selenium through ChromeDriver.

    browser.py BASE_URL AXE_JS SCREENSHOTS_DIR

Walks the journeys people take (a visitor searching, an editor writing and submitting, a
reviewer returning and publishing) with the accounts named in the environment, checks every
page with axe-core for serious or critical accessibility violations, and writes screenshots of
the main pages at 1280 and 375 pixels wide. Exits non-zero with the reasons on any failure.
"""

import base64
import os
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

BASE, AXE_JS, SHOTS = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
EDITOR = (os.environ["BROWSER_EDITOR_EMAIL"], os.environ["BROWSER_PASSWORD"])
REVIEWER = (os.environ["BROWSER_REVIEWER_EMAIL"], os.environ["BROWSER_PASSWORD"])
AXE = AXE_JS.read_text()
# WCAG 2.2 AA and what it includes; "serious" and "critical" fail the check.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = {"serious", "critical"}
TITLE = "Tenants choose the Ladhope kitchens"

problems: list[str] = []
checked_pages: set[str] = set()


def log(message: str) -> None:
    print(f"[browser] {message}", file=sys.stderr, flush=True)


def start() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tempfile.mkdtemp(prefix='casebook-chromium-')}",
        "--window-size=1280,900",
    ]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


def axe(driver: webdriver.Chrome, name: str) -> None:
    """axe-core's verdict on the page as it stands, once per page name."""
    if name in checked_pages:
        return
    checked_pages.add(name)
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));",
        AXE_TAGS,
    )
    bad = [v for v in result if v["impact"] in FAILING]
    for violation in result:
        log(f"axe {name}: {violation['impact']} {violation['id']}: {violation['help']} {violation['nodes']}")
    for violation in bad:
        problems.append(f"{name}: {violation['impact']} {violation['id']} ({violation['help']}) at {violation['nodes']}")


def screenshot(driver: webdriver.Chrome, name: str) -> None:
    """The whole page at a desktop's and a phone's width."""
    for width, height in [(1280, 900), (375, 812)]:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        # Nothing may stick out sideways on a phone (WCAG 1.4.10, reflow).
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
        )
        if width == 375 and overflow > 1:
            problems.append(f"{name}: {overflow}px wider than a 375px screen")
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"captureBeyondViewport": True, "fromSurface": True}
        )
        (SHOTS / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def visit(driver: webdriver.Chrome, path: str, name: str, shoot: bool = False) -> None:
    driver.get(BASE + path)
    settle(driver, name)
    if shoot:
        screenshot(driver, name)


def settle(driver: webdriver.Chrome, name: str) -> None:
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    axe(driver, name)


def expect(condition: bool, message: str) -> None:
    if not condition:
        problems.append(message)
        log("FAILED: " + message)


def text(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def fill(driver: webdriver.Chrome, field_id: str, value: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def choose(driver: webdriver.Chrome, field_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, field_id)).select_by_value(value)


def press(driver: webdriver.Chrome, xpath: str) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.XPATH, xpath).click()
    WebDriverWait(driver, 15).until(ready.staleness_of(old))
    # The old page gone is not the new one read: a node found while it still loads can be
    # replaced under the driver.
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in(driver: webdriver.Chrome, account: tuple[str, str]) -> None:
    visit(driver, "/sign-in", "sign-in", shoot=True)
    fill(driver, "email", account[0])
    fill(driver, "password", account[1])
    press(driver, "//button[text()='Sign in']")
    settle(driver, "editor")
    expect(driver.current_url.endswith("/editor"), f"signing in led to {driver.current_url}")


def sign_out(driver: webdriver.Chrome) -> None:
    press(driver, "//button[text()='Sign out']")
    expect("Sign in" in driver.find_element(By.TAG_NAME, "nav").text, "signed out, the page offers to sign in")


def visitor_searches(driver: webdriver.Chrome) -> None:
    visit(driver, "/", "home", shoot=True)
    fill(driver, "q", "young people")
    press(driver, "//form[@role='search']//button")
    settle(driver, "search")
    expect("<mark>" in driver.page_source, "search results mark the words that matched")
    screenshot(driver, "search")
    # Two facets, one after the other: each narrows, each is then in force.
    def count() -> int:
        return int(driver.find_element(By.ID, "results-heading").text.split()[0])

    everything = count()
    press(driver, "//aside//a[starts-with(normalize-space(.), 'Co-design')]")
    first = count()
    press(driver, "//aside//section[h3='Sector']//a[1]")
    settle(driver, "search-narrowed")
    expect("Filters in force" in text(driver), "the filters in force are listed")
    expect(driver.current_url.count("=") >= 3, f"the address holds both filters: {driver.current_url}")
    expect(0 < count() <= first <= everything, "each filter narrows the results")
    press(driver, "//ol[contains(@class,'cards')]//h3/a")
    settle(driver, "case-study")
    expect("We did" in text(driver) or "You asked" in text(driver), "a case study shows its story")
    expect(
        len(driver.find_elements(By.XPATH, "//script[@type='application/ld+json']")) == 1,
        "a published case study carries its JSON-LD",
    )
    screenshot(driver, "case-study")
    visit(driver, "/star", "star", shoot=True)
    visit(driver, "/organisations/scottish-borders-council", "organisation", shoot=True)


def editor_writes(driver: webdriver.Chrome) -> str:
    sign_in(driver, EDITOR)
    screenshot(driver, "editor")
    press(driver, "//a[text()='Write a case study']")
    settle(driver, "form")
    fill(driver, "title", TITLE)
    fill(driver, "summary", "Tenants and the housing team chose new kitchens together.")
    fill(driver, "we_did", "Three open evenings with samples, two of them run by tenants.")
    choose(driver, "sector", "housing")
    choose(driver, "scale", "community")
    choose(driver, "country", "Scotland")
    fill(driver, "start_year", "2019")
    press(driver, "//button[@value='add-partners']")
    settle(driver, "form")
    expect(driver.find_element(By.ID, "title").get_attribute("value") == TITLE, "adding a row keeps what was typed")
    fill(driver, "partners-1--organisation", "Ability Borders")
    choose(driver, "partners-1--role", "community")
    choose(driver, "outcomes-0--category", "independent-living")
    fill(driver, "outcomes-0--description", "Every tenant chose their own kitchen.")
    fill(driver, "outcomes-0--metric-value", "48")
    choose(driver, "outcomes-0--metric-unit", "homes")
    # No quadrant chosen: the form says so and keeps the rest.
    press(driver, "//button[@value='save']")
    settle(driver, "form-with-errors")
    summary = driver.find_element(By.CLASS_NAME, "error-summary")
    expect("quadrant" in summary.text.lower(), f"the error summary names the quadrants: {summary.text}")
    screenshot(driver, "form-with-errors")
    summary.find_element(By.XPATH, ".//a[@href='#quadrants']").click()
    expect(driver.current_url.endswith("#quadrants"), "the summary links to the field")
    expect(
        driver.find_element(By.ID, "outcomes-0--metric-value").get_attribute("value") == "48",
        "a form with mistakes keeps what was typed",
    )
    driver.find_element(By.ID, "quadrant-co-design").click()
    press(driver, "//button[@value='save']")
    settle(driver, "draft")
    body = text(driver)
    expect(TITLE in body and "48 homes" in body and "Ability Borders" in body, "the draft shows what was written")
    press(driver, "//button[text()='Submit for review']")
    settle(driver, "editor")
    expect(TITLE in driver.find_element(By.ID, "submitted").find_element(By.XPATH, "..").text, "the draft awaits review")
    url = driver.find_element(By.XPATH, f"//a[text()='{TITLE}']").get_attribute("href")
    sign_out(driver)
    return url


def reviewer_decides(driver: webdriver.Chrome, decision: str, comment: str = "") -> None:
    sign_in(driver, REVIEWER)
    visit(driver, "/review", "review", shoot=True)
    press(driver, f"//a[text()='{TITLE}']")
    settle(driver, "review-case")
    screenshot(driver, "review-case")
    driver.find_element(By.ID, f"decision-{decision}").click()
    if comment:
        fill(driver, "comment", comment)
    press(driver, "//button[text()='Send decision']")
    settle(driver, "review")
    expect(driver.current_url.endswith("/review"), f"a decision returns to the queue, not {driver.current_url}")
    sign_out(driver)


def editor_resubmits(driver: webdriver.Chrome, url: str) -> None:
    sign_in(driver, EDITOR)
    expect("Please add what the tenants said." in text(driver), "the editor sees the reviewer's comment")
    driver.get(url)
    settle(driver, "draft")
    press(driver, "//a[text()='Edit']")
    settle(driver, "edit-form")
    fill(driver, "what_worked", "Tenants said the open evenings felt like theirs.")
    press(driver, "//button[@value='save']")
    settle(driver, "draft")
    press(driver, "//button[text()='Submit for review']")
    sign_out(driver)


def visitor_finds(driver: webdriver.Chrome) -> None:
    visit(driver, "/case-studies?q=Ladhope+kitchens", "search")
    expect(TITLE in text(driver), "the published case study is found")
    press(driver, f"//a[contains(., 'Ladhope')]")
    settle(driver, "case-study")
    expect("Tenants said the open evenings felt like theirs." in text(driver), "the published version is the edited one")


def main() -> int:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver = start()
    try:
        visitor_searches(driver)
        url = editor_writes(driver)
        reviewer_decides(driver, "return", "Please add what the tenants said.")
        editor_resubmits(driver, url)
        reviewer_decides(driver, "publish")
        visitor_finds(driver)
    except (TimeoutException, Exception) as error:  # noqa: BLE001 - every failure is reported
        problems.append(f"the journey stopped at {driver.current_url}: {type(error).__name__}: {error}")
        (SHOTS / "failure.png").write_bytes(driver.get_screenshot_as_png())
    finally:
        driver.quit()
    log(f"{len(checked_pages)} pages checked with axe-core: {', '.join(sorted(checked_pages))}")
    log(f"screenshots in {SHOTS}")
    if problems:
        log(f"{len(problems)} problems:")
        for problem in problems:
            log("  " + problem)
        return 1
    log("every journey passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
