package io.sealroom.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser profile: Debian's headless Chromium driven through Debian's chromedriver (never
 * anything downloaded: with both paths set, Selenium Manager does not run), a fresh
 * --user-data-dir, a 1280x800 window. Without Chromium the browser tests are skipped with a
 * visible message, unless REQUIRE_BROWSER_TESTS=true (system property
 * sealroom.requireBrowser or environment variable) makes them fail: CI must never pass by
 * silently not running them.
 */
final class Browser implements AutoCloseable {
  // Debian's paths; the properties exist to point elsewhere (or nowhere, to check the skip)
  static final Path CHROMIUM = Path.of(System.getProperty("sealroom.chromium", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("sealroom.chromedriver", "/usr/bin/chromedriver"));
  static final Duration WAIT = Duration.ofSeconds(25);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profileDir;
  private final String name;
  private final String baseUrl;
  private static final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> SHOTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Browser(String name, String baseUrl, ChromeDriverService service, ChromeDriver driver, Path profileDir) {
    this.name = name;
    this.baseUrl = baseUrl;
    this.service = service;
    this.driver = driver;
    this.profileDir = profileDir;
  }

  static boolean required() {
    String p = System.getProperty("sealroom.requireBrowser", "");
    String e = System.getenv().getOrDefault("REQUIRE_BROWSER_TESTS", "");
    return "true".equalsIgnoreCase(p.trim()) || "true".equalsIgnoreCase(e.trim());
  }

  /** Skips (or, when required, fails) the calling test class when Chromium is not installed. */
  static void assumeInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (present) {
      return;
    }
    String msg = "browser tests need " + CHROMIUM + " and " + DRIVER
        + " (apt-get install chromium chromium-driver)";
    if (required()) {
      Assertions.fail(msg + ", and REQUIRE_BROWSER_TESTS=true");
    }
    System.err.println("SKIPPED: " + msg);
    Assumptions.abort(msg);
  }

  static Browser open(String name, String baseUrl) throws IOException {
    return open(name, baseUrl, null);
  }

  /** A profile whose downloads are saved into this directory without asking (null: the default). */
  static Browser open(String name, String baseUrl, Path downloads) throws IOException {
    Path profile = Files.createTempDirectory("sealroom-chromium-" + name + "-");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,800", "--lang=en-US", "--user-data-dir=" + profile);
    if (downloads != null) {
      o.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
          "download.prompt_for_download", false, "download.directory_upgrade", true));
    }
    ChromeDriver driver = new ChromeDriver(service, o);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    Browser b = new Browser(name, baseUrl, service, driver, profile);
    b.driver.get(baseUrl + "/");
    return b;
  }

  WebElement waitFor(By by) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void waitGone(By by) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(by));
  }

  /** Waits for the condition; one that read an element re-rendered meanwhile is asked again. */
  void waitUntil(String what, java.util.function.Supplier<Boolean> condition) {
    new WebDriverWait(driver, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class)
        .until(d -> condition.get());
  }

  /** Clicks the element once it is clickable; one re-rendered meanwhile (a stale reference) is found again. */
  void click(By by) {
    new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement e = ExpectedConditions.elementToBeClickable(by).apply(d);
      if (e == null) {
        return false;
      }
      e.click();
      return true;
    });
  }

  void type(By by, String text) {
    WebElement e = waitFor(by);
    e.clear();
    e.sendKeys(text);
  }

  List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  boolean present(By by) {
    return !driver.findElements(by).isEmpty();
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Registers through the sign-in screen ("Create account"), which logs in too. */
  void register(String username, String password) {
    click(By.id("tab-register"));
    type(By.id("auth-username"), username);
    type(By.id("auth-password"), password);
    click(By.id("auth-submit"));
    waitFor(By.id("shell"));
  }

  void login(String username, String password) {
    type(By.id("auth-username"), username);
    type(By.id("auth-password"), password);
    click(By.id("auth-submit"));
    waitFor(By.id("shell"));
  }

  /** The sidebar entry of the room with this visible name. */
  By roomItem(String title) {
    return By.xpath("//button[contains(@class,'room-item')][.//span[@class='room-name' and normalize-space()='" + title + "']]");
  }

  void openRoom(String title) {
    click(roomItem(title));
    waitUntil("room " + title + " open", () -> title.equals(driver.findElement(By.id("room-title")).getText()));
  }

  /** Saves target/screenshots/<test>/<nn>-<profile>-<step>.png. */
  Path screenshot(String testName, String step) throws IOException {
    Path dir = SCREENSHOTS.resolve(testName);
    Files.createDirectories(dir);
    File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    int n = SHOTS.computeIfAbsent(testName, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    Path out = dir.resolve(String.format(Locale.ROOT, "%02d-%s-%s.png", n, name, step));
    Files.copy(png.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    return out;
  }

  String baseUrl() {
    return baseUrl;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteQuietly(profileDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp profile is harmless
    }
  }
}
