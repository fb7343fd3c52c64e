package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Steps the file browser tests share: attaching, the cards of a message's files, downloads. */
final class FileFlows {
  private FileFlows() {
  }

  /** Picks a file with the composer's file input, as the paperclip's picker would. */
  static void attach(Browser b, Path file) {
    b.driver.findElement(By.id("attach-input")).sendKeys(file.toAbsolutePath().toString());
  }

  /** The composer's row of the attachment with this name. */
  static By row(String name) {
    return By.xpath("//li[contains(@class,'attachment')][.//span[@class='file-name' and normalize-space()='" + name + "']]");
  }

  static void waitUploaded(Browser b, String name) {
    b.waitUntil(name + " uploaded", () -> "done".equals(b.waitFor(row(name)).getAttribute("data-phase")));
  }

  /** The card of a message's file with this name. */
  static By card(String name) {
    return By.xpath("//li[contains(@class,'file-card')][.//span[@class='file-name' and normalize-space()='" + name + "']]");
  }

  static By downloadButton(String name) {
    return By.xpath("//li[contains(@class,'file-card')][.//span[@class='file-name' and normalize-space()='" + name + "']]"
        + "//button[contains(@class,'file-download')]");
  }

  static String status(Browser b, String name) {
    return b.driver.findElement(card(name)).findElement(By.cssSelector(".file-status")).getText();
  }

  /** Waits until the preview of this file shows a decoded picture; returns its natural size. */
  static Map<?, ?> waitPreview(Browser b, String name) {
    By img = By.cssSelector("img[alt='Preview of " + name + "']");
    b.waitUntil("the preview of " + name, () -> b.present(img)
        && Boolean.TRUE.equals(b.js("const i = arguments[0]; return i.complete && i.naturalWidth > 0;", b.driver.findElement(img))));
    WebElement i = b.driver.findElement(img);
    assertTrue(i.getAttribute("src").startsWith("blob:"), "the preview is shown from an object URL: " + i.getAttribute("src"));
    return (Map<?, ?>) b.js("const i = arguments[0]; return {w: i.naturalWidth, h: i.naturalHeight};", i);
  }

  /** The bytes the browser saved under this name in its downloads directory, once it finished. */
  static byte[] waitDownloaded(Browser b, Path downloads, String name) throws IOException {
    Path file = downloads.resolve(name);
    b.waitUntil(name + " saved", () -> Files.exists(file) && !Files.exists(downloads.resolve(name + ".crdownload")));
    return Files.readAllBytes(file);
  }

  /** Throttles this browser's network to bytes per second each way (0: no limit). */
  static void throttle(Browser b, int bytesPerSecond) {
    b.driver.executeCdpCommand("Network.enable", Map.of());
    b.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
        "downloadThroughput", bytesPerSecond == 0 ? -1 : bytesPerSecond,
        "uploadThroughput", bytesPerSecond == 0 ? -1 : bytesPerSecond));
  }

  /** A PNG picture of this size: a gradient sky over a dark sea, so a thumbnail of it looks like something. */
  static byte[] png(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(0xf6, 0xa5, 0x4b), 0, h * 0.6f, new Color(0x5b, 0x6a, 0xd0)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(0x1e, 0x23, 0x32));
    g.fillRect(0, (int) (h * 0.62), w, h);
    g.setColor(new Color(0xfd, 0xe9, 0xc8));
    g.fillOval(w / 2 - h / 8, (int) (h * 0.45), h / 4, h / 4);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  /** The room's newest message (timeline events left out), over REST. */
  static JsonObject last(Api api, String rid, Api.User u) {
    JsonArray all = api.get("/api/v1/rooms/" + rid + "/messages", u.token()).json().getJsonArray("messages");
    JsonObject found = null;
    for (Object o : all) {
      JsonObject m = (JsonObject) o;
      if (!m.containsKey("event") && (found == null || m.getLong("seq") > found.getLong("seq"))) {
        found = m;
      }
    }
    return found;
  }
}
