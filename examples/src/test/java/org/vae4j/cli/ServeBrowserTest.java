package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer in headless Chromium: the page loads against a served model, moving a latent
 * slider changes the decoded image, drawing on the canvas reconstructs the drawing, the label
 * picker of a conditional model conditions its samples, and the console stays free of errors. Needs Debian's
 * chromium and chromium-driver ({@code .ci/run} installs them); skipped, loudly, without them.
 */
class ServeBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    /** What a test does with the page, loaded and ready. */
    interface PageCheck {
        void check(ChromeDriver driver) throws Exception;
    }

    /** Serves {@code run}, opens the explorer in headless Chromium, waits for it, checks it. */
    static void onExplorer(Path run, PageCheck check) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            System.err.println("*** ServeBrowserTest SKIPPED: " + CHROMIUM + " or " + DRIVER
                    + " is missing (apt-get install chromium chromium-driver) ***");
            Assumptions.abort("chromium and chromium-driver are not installed");
        }
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
                try {
                    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "true".equals(
                            ((JavascriptExecutor) d).executeScript(
                                    "return document.body.dataset.ready")));
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("the explorer did not get ready: "
                            + driver.findElement(By.id("model-info")).getText() + "; console: "
                            + driver.manage().logs().get(LogType.BROWSER).getAll(), e);
                }
                check.check(driver);
                List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll()
                        .stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                        .toList();
                assertTrue(errors.isEmpty(), "console errors: " + errors);
                assertFalse(driver.findElement(By.id("model-info")).getText().startsWith(
                        "error"), driver.findElement(By.id("model-info")).getText());
            } finally {
                driver.quit();
            }
        }
    }

    @Test
    void movingASliderChangesTheDecodedImage() throws Exception {
        Path run = tmp.resolve("vae");
        Cli.assertOk(Cli.quickTrain(run, "--latent", "2"));
        onExplorer(run, driver -> {
            List<WebElement> sliders = driver.findElements(By.cssSelector(
                    "#sliders input[type=range]"));
            assertEquals(2, sliders.size());
            String before = pixels(driver, "decoded");
            new Actions(driver).clickAndHold(sliders.get(0)).moveByOffset(120, 0).release()
                    .perform();
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
                    !pixels(driver, "decoded").equals(before));
            assertTrue(driver.findElement(By.id("manifold-box")).isDisplayed(),
                    "a 2-D latent shows the manifold");
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Path artefact = Path.of("target", "explorer.png");
            Files.createDirectories(artefact.getParent());
            Files.copy(shot, artefact, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(driver.findElement(By.id("model-info")).getText().startsWith("vae"));
        });
    }

    /**
     * A conditional model: the label picker lists its classes and drives the samples; a stroke
     * drawn on the canvas goes to the server as a PNG and comes back reconstructed and scored.
     */
    @Test
    void drawingOnTheCanvasReconstructsItAndTheLabelPickerConditionsTheSamples()
            throws Exception {
        Path run = tmp.resolve("cvae");
        Cli.assertOk(Cli.quickTrain(run, "--model", "cvae"));
        onExplorer(run, driver -> {
            assertTrue(driver.findElement(By.id("label-box")).isDisplayed());
            assertEquals(10, driver.findElements(By.cssSelector("#label option")).size());
            assertTrue(driver.findElement(By.id("model-info")).getText().contains("10 classes"),
                    driver.findElement(By.id("model-info")).getText());

            String samples = samples(driver);
            new Select(driver.findElement(By.id("label"))).selectByValue("7");
            driver.findElement(By.id("resample")).click();
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
                    !samples(driver).equals(samples));
            assertEquals(16, driver.findElements(By.cssSelector("#samples canvas")).size());

            String recon = pixels(driver, "recon");
            String score = driver.findElement(By.id("score")).getText();
            WebElement canvas = driver.findElement(By.id("draw"));
            new Actions(driver).moveToElement(canvas, -30, -40).clickAndHold()
                    .moveByOffset(20, 30).moveByOffset(20, 30).moveByOffset(10, 20).release()
                    .perform();
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
                    !pixels(driver, "recon").equals(recon));
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
                    !d.findElement(By.id("score")).getText().equals(score));
            assertTrue(driver.findElement(By.id("score")).getText().matches(
                    ".*score -?[0-9.]+.*"), driver.findElement(By.id("score")).getText());
            String drawn = (String) driver.executeScript("const c = document.getElementById("
                    + "'draw'); const d = c.getContext('2d').getImageData(0, 0, c.width,"
                    + " c.height).data; let n = 0; for (let i = 0; i < d.length; i += 4) {"
                    + " n += d[i] > 128 ? 1 : 0; } return String(n);");
            assertTrue(Integer.parseInt(drawn) > 20, drawn + " white pixels drawn");
        });
    }

    /** The sample thumbnails' pixels, as one string. */
    private static String samples(ChromeDriver driver) {
        return (String) driver.executeScript("return [...document.querySelectorAll("
                + "'#samples canvas')].map(c => c.toDataURL()).join()");
    }

    private static String pixels(ChromeDriver driver, String canvas) {
        return (String) driver.executeScript(
                "return document.getElementById('" + canvas + "').toDataURL()");
    }
}
