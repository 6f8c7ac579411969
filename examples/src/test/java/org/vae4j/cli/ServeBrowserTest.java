package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer in headless Chromium: the page loads against a served model, moving a latent
 * slider changes the decoded image, and the console stays free of errors. Needs Debian's
 * chromium and chromium-driver ({@code .ci/run} installs them); skipped, loudly, without them.
 */
class ServeBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    @Test
    void movingASliderChangesTheDecodedImage() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            System.err.println("*** ServeBrowserTest SKIPPED: " + CHROMIUM + " or " + DRIVER
                    + " is missing (apt-get install chromium chromium-driver) ***");
            Assumptions.abort("chromium and chromium-driver are not installed");
        }
        Path run = tmp.resolve("vae");
        Cli.assertOk(Cli.quickTrain(run, "--latent", "2"));
        try (ServeCommand.Served served = ServeApiTest.open(run)) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--window-size=1400,1100");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            try {
                driver.get("http://127.0.0.1:" + served.server().port() + "/");
                new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "true".equals(
                        ((JavascriptExecutor) d).executeScript(
                                "return document.body.dataset.ready")));
                List<WebElement> sliders = driver.findElements(By.cssSelector(
                        "#sliders input[type=range]"));
                assertEquals(2, sliders.size());
                String before = pixels(driver);
                new Actions(driver).clickAndHold(sliders.get(0)).moveByOffset(120, 0).release()
                        .perform();
                new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
                        !pixels(driver).equals(before));
                assertNotEquals(before, pixels(driver));
                assertTrue(driver.findElement(By.id("manifold-box")).isDisplayed(),
                        "a 2-D latent shows the manifold");
                Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
                Path artefact = Path.of("target", "explorer.png");
                Files.createDirectories(artefact.getParent());
                Files.copy(shot, artefact, StandardCopyOption.REPLACE_EXISTING);
                List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll()
                        .stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                        .toList();
                assertTrue(errors.isEmpty(), "console errors: " + errors);
                assertTrue(driver.findElement(By.id("model-info")).getText().startsWith("vae"));
            } finally {
                driver.quit();
            }
        }
    }

    private static String pixels(ChromeDriver driver) {
        return (String) driver.executeScript(
                "return document.getElementById('decoded').toDataURL()");
    }
}
